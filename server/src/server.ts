// nianbao language server: wiring only (stdio or IPC, chosen by the command line).
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createConnection,
  type Diagnostic,
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type BaselineEntry, blankTable, prevailingLayout } from '../../grammar/src/index.js';
import { setRuleDocsBase } from './convert.js';
import {
  ACCEPT_FINDING_COMMAND,
  BlankTableRequest,
  CheckAnywayNotification,
  FIX_ALL_KIND,
  type Settings,
  StatusNotification,
} from './protocol.js';
import { type ConfigProblem, configProblem, debounceMs, Service } from './service.js';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const service = new Service();
let pull = false;
/** Whether the client lets the server ask it to pull diagnostics again (workspace/diagnostic/refresh). */
let refreshable = false;

connection.onInitialize((params) => {
  pull = !!params.capabilities.textDocument?.diagnostic;
  refreshable = !!params.capabilities.workspace?.diagnostics?.refreshSupport;
  service.previous.setFolders([...(params.workspaceFolders ?? []).map((f) => f.uri), params.rootUri]);
  service.folders = [...(params.workspaceFolders ?? []).map((f) => f.uri), params.rootUri]
    .filter((u): u is string => typeof u === 'string' && u.startsWith('file:'))
    .map((u) => fileURLToPath(u))
    .sort((a, b) => b.length - a.length);
  service.settings = (params.initializationOptions as { settings?: Settings } | undefined)?.settings ?? {};
  setRuleDocsBase(service.settings.rulesDocsUrl);
  return {
    capabilities: {
      textDocumentSync: {
        openClose: true,
        change: TextDocumentSyncKind.Incremental,
        save: { includeText: false },
      },
      completionProvider: { triggerCharacters: ['|', '\t', '、', '.', '（'] },
      codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND] },
      executeCommandProvider: { commands: [ACCEPT_FINDING_COMMAND] },
      hoverProvider: true,
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      ...(pull ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
    },
    serverInfo: { name: 'nianbao' },
  };
});

// A broken .nianbaorc.json (or nianbao.rules setting) is shown once: one window message, and for a
// file a diagnostic on the file itself, kept up to date until it reads cleanly again. Checking goes
// on with the default severities meanwhile.
const configShown = new Map<string, string>();
service.onConfigProblem = (file, problem) => {
  const key = file ?? 'settings';
  if (!problem) {
    if (configShown.delete(key) && file)
      void connection.sendDiagnostics({ uri: fileUri(file), diagnostics: [] });
    return;
  }
  const first = !configShown.has(key);
  if (configShown.get(key) === problem.message) return;
  configShown.set(key, problem.message);
  if (first)
    void connection.sendNotification(ShowMessageNotification.type, {
      type: MessageType.Error,
      message: `年报校对：${problem.message}。暂按默认级别检查。`,
    });
  if (file) void connection.sendDiagnostics({ uri: fileUri(file), diagnostics: [configDiagnostic(problem)] });
};
const fileUri = (file: string) => pathToFileURL(file).href;
function configDiagnostic(p: ConfigProblem): Diagnostic {
  const zero = { line: 0, character: 0 };
  return {
    range: p.range ?? { start: zero, end: zero },
    severity: DiagnosticSeverity.Error,
    source: 'nianbao',
    // The diagnostic sits on the file: its name need not be repeated.
    message: p.file && p.message.startsWith(`${p.file}：`) ? p.message.slice(p.file.length + 1) : p.message,
  };
}

// Whether each document is checked as a report, as last told to the client (its commands and status bar).
const status = new Map<string, boolean>();
function diagnose(doc: TextDocument): Diagnostic[] {
  const diagnostics = service.diagnostics(doc);
  const isReport = service.applies(doc);
  if (status.get(doc.uri) !== isReport) {
    status.set(doc.uri, isReport);
    void connection.sendNotification(StatusNotification, { uri: doc.uri, isReport });
  }
  return diagnostics;
}

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
      void connection.sendDiagnostics({ uri, version: latest.version, diagnostics: diagnose(latest) });
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
/**
 * Pull clients are asked to pull again, when they support it (one that does not gets the news on its
 * next pull; refresh() is typed void but sends a request, whose failure must not end the server).
 */
const refreshPulled = () => {
  if (refreshable) Promise.resolve(connection.languages.diagnostics.refresh() as unknown).catch(() => {});
};
const pushAll = () => {
  if (pull) refreshPulled();
  else documents.all().forEach(push);
};
// Last year's report found or changed in the workspace folder: check the open documents again.
// (A client that cannot refresh pulled diagnostics gets them on its next pull.)
service.previous.onChange = () => {
  service.invalidate();
  pushAll();
};
// A folder with more report files than are read, and a document whose report of last year was not
// among those read: said once.
service.previous.onBound = (message) =>
  void connection.sendNotification(ShowMessageNotification.type, {
    type: MessageType.Warning,
    message: `年报校对：${message}。`,
  });
// nianbao.run: "onType" checks on every change, "onSave" when the file is opened and saved.
const opening = new Set<string>();
documents.onDidOpen((e) => opening.add(e.document.uri));
documents.onDidChangeContent((e) => {
  if (opening.delete(e.document.uri) || service.settings.run !== 'onSave') push(e.document);
});
documents.onDidSave((e) => {
  if (service.settings.run === 'onSave') push(e.document);
});
documents.onDidClose((e) => {
  pending.get(e.document.uri)?.cancel();
  pending.delete(e.document.uri);
  status.delete(e.document.uri);
  service.forget(e.document.uri);
  if (!pull) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});
connection.languages.diagnostics.on((p) => {
  const doc = documents.get(p.textDocument.uri);
  return { kind: DocumentDiagnosticReportKind.Full, items: doc ? diagnose(doc) : [] };
});
connection.onDidChangeConfiguration((p) => {
  const s = (p.settings as { nianbao?: Settings } | undefined)?.nianbao;
  if (s) service.settings = s;
  setRuleDocsBase(service.settings.rulesDocsUrl);
  service.invalidate();
  pushAll();
});
// A .nianbaorc.json was created, changed or deleted (clients that watch files tell us): check again.
connection.onDidChangeWatchedFiles(() => {
  for (const key of configShown.keys()) {
    if (key === 'settings') continue;
    service.onConfigProblem(key, configProblem(key));
  }
  service.invalidate();
  pushAll();
});
connection.onCodeAction((p) => {
  const d = documents.get(p.textDocument.uri);
  return d ? service.codeActions(d, p.range, p.context.only) : [];
});
// "标记为已核实": the finding goes into the baseline file, and every open document is checked again.
connection.onExecuteCommand((p) => {
  if (p.command !== ACCEPT_FINDING_COMMAND) return;
  const [uri, entry] = (p.arguments ?? []) as [string, BaselineEntry];
  if (typeof uri !== 'string' || !entry || typeof entry.rule !== 'string') return;
  const done = service.accept(uri, entry);
  if ('error' in done) {
    void connection.sendNotification(ShowMessageNotification.type, {
      type: MessageType.Error,
      message: `年报校对：${done.error}`,
    });
    return;
  }
  pushAll();
});
// A baseline file that cannot be read is said once (checking goes on without it).
const baselineShown = new Map<string, string>();
service.onBaselineProblem = (file, message) => {
  if (!message) return void baselineShown.delete(file);
  if (baselineShown.get(file) === message) return;
  baselineShown.set(file, message);
  void connection.sendNotification(ShowMessageNotification.type, {
    type: MessageType.Error,
    message: `年报校对：${message}。暂不排除已核实的问题。`,
  });
};
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

connection.onNotification(CheckAnywayNotification, (p) => {
  service.forced.add(p.uri);
  const d = documents.get(p.uri);
  if (!d) return;
  if (pull) refreshPulled();
  else push(d);
});

connection.onRequest(BlankTableRequest, (p) => {
  const d = documents.get(p.uri);
  return blankTable(p.table, d ? prevailingLayout(service.result(d).report) : 'pipe');
});

documents.listen(connection);
connection.listen();
