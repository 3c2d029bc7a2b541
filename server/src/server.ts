// nianbao language server: wiring only (stdio or IPC, chosen by the command line).
import {
  createConnection,
  DocumentDiagnosticReportKind,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { blankTable, prevailingLayout } from '../../grammar/src/index.js';
import { debounceMs, Service, type Settings } from './service.js';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const service = new Service();
let pull = false;

connection.onInitialize((params) => {
  pull = !!params.capabilities.textDocument?.diagnostic;
  service.settings = (params.initializationOptions as { settings?: Settings } | undefined)?.settings ?? {};
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['|', '\t', '、', '.', '（'] },
      codeActionProvider: { codeActionKinds: ['quickfix', 'source.fixAll.nianbao'] },
      hoverProvider: true,
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      ...(pull ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
    },
    serverInfo: { name: 'nianbao' },
  };
});

// Push mode: a document is checked once its edits pause — at once for an ordinary report, after a
// pause that grows with its size for a large one — and only in its latest version, so a burst of
// edits costs one check and one publication, not one per edit.
const pending = new Map<string, { cancel(): void }>();
const push = (doc: TextDocument) => {
  if (pull) return;
  const uri = doc.uri;
  pending.get(uri)?.cancel();
  const run = () => {
    pending.delete(uri);
    const latest = documents.get(uri);
    if (latest)
      void connection.sendDiagnostics({
        uri,
        version: latest.version,
        diagnostics: service.diagnostics(latest),
      });
  };
  const delay = debounceMs(doc.getText().length);
  if (delay === 0) {
    const t = setImmediate(run);
    pending.set(uri, { cancel: () => clearImmediate(t) });
  } else {
    const t = setTimeout(run, delay);
    pending.set(uri, { cancel: () => clearTimeout(t) });
  }
};
documents.onDidChangeContent((e) => push(e.document));
documents.onDidClose((e) => {
  pending.get(e.document.uri)?.cancel();
  pending.delete(e.document.uri);
  service.forget(e.document.uri);
  if (!pull) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});
connection.languages.diagnostics.on((p) => {
  const doc = documents.get(p.textDocument.uri);
  return { kind: DocumentDiagnosticReportKind.Full, items: doc ? service.diagnostics(doc) : [] };
});
connection.onDidChangeConfiguration((p) => {
  const s = (p.settings as { nianbao?: Settings } | undefined)?.nianbao;
  if (s) service.settings = s;
  service.invalidate();
  if (pull) connection.languages.diagnostics.refresh();
  else documents.all().forEach(push);
});
connection.onCodeAction((p) => {
  const d = documents.get(p.textDocument.uri);
  return d ? service.codeActions(d, p.range, p.context.only) : [];
});
connection.onCompletion((p) => {
  const d = documents.get(p.textDocument.uri);
  return d ? service.completion(d, p.position) : [];
});
connection.onHover((p) => {
  const d = documents.get(p.textDocument.uri);
  return d ? service.hover(d, p.position) : null;
});
connection.onDocumentSymbol((p) => {
  const d = documents.get(p.textDocument.uri);
  return d ? service.symbols(d) : [];
});
connection.onFoldingRanges((p) => {
  const d = documents.get(p.textDocument.uri);
  return d ? service.folding(d) : [];
});

// The client's "check this file anyway" command.
connection.onNotification('nianbao/checkAnyway', (p: { uri: string }) => {
  service.forced.add(p.uri);
  const d = documents.get(p.uri);
  if (!d) return;
  if (pull) connection.languages.diagnostics.refresh();
  else push(d);
});

// The client's "insert a blank table" command: the table in the document's prevailing layout.
connection.onRequest('nianbao/blankTable', (p: { uri: string; table: 't2' | 't3' | 't4' }) => {
  const d = documents.get(p.uri);
  return blankTable(p.table, d ? prevailingLayout(service.result(d).report) : 'pipe');
});

documents.listen(connection);
connection.listen();
