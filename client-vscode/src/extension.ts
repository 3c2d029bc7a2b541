// VS Code extension: starts the nianbao language server and adds the status bar and commands.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import {
  type BlankTableId,
  BlankTableRequest,
  CheckAnywayNotification,
  Commands,
  FIX_ALL_KIND,
  REPORT_CONTEXT_KEY,
  type Settings,
  StatusNotification,
} from '../../server/src/protocol.js';

let client: LanguageClient | undefined;
let status: vscode.StatusBarItem;
/** Documents the server checks as reports (it tells us when that changes). */
const reports = new Set<string>();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  status = vscode.window.createStatusBarItem('nianbao.status', vscode.StatusBarAlignment.Left, 50);
  status.name = '年报校对';
  status.command = 'workbench.actions.view.problems';
  context.subscriptions.push(
    status,
    vscode.languages.onDidChangeDiagnostics(updateStatus),
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    vscode.workspace.onDidCloseTextDocument((d) => reports.delete(d.uri.toString())),
    vscode.commands.registerCommand(Commands.check, async () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (doc) await client?.sendNotification(CheckAnywayNotification, { uri: doc.uri.toString() });
    }),
    vscode.commands.registerCommand(Commands.fixAll, () =>
      vscode.commands.executeCommand('editor.action.codeAction', { kind: FIX_ALL_KIND, apply: 'first' }),
    ),
    vscode.commands.registerCommand(Commands.insertTable, insertTable),
    vscode.commands.registerCommand(Commands.restart, restart),
    // How diagnostics are pulled (as you type or on save) is fixed when the client starts.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('nianbao.run')) void restart();
    }),
  );
  extension = context;
  await start(context);
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc },
  };
  const settings = vscode.workspace.getConfiguration('nianbao');
  const run = settings.get<Settings['run']>('run', 'onType');
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'nianbao' },
      { language: 'plaintext', scheme: 'file' },
      { language: 'plaintext', scheme: 'untitled' },
      { language: 'markdown', scheme: 'file' },
      { language: 'markdown', scheme: 'untitled' },
    ],
    synchronize: {
      configurationSection: 'nianbao',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{.nianbaorc.json,.nianbao-baseline.json}'),
    },
    initializationOptions: { settings },
    diagnosticPullOptions: { onChange: run !== 'onSave', onSave: run === 'onSave' },
    outputChannelName: '年报校对',
  };
  client = new LanguageClient('nianbao', '年报校对', serverOptions, clientOptions);
  client.onNotification(StatusNotification, ({ uri, isReport }) => {
    if (isReport) reports.add(uri);
    else reports.delete(uri);
    updateStatus();
  });
  await client.start();
  updateStatus();
}

let extension: vscode.ExtensionContext | undefined;
async function restart(): Promise<void> {
  const old = client;
  client = undefined;
  reports.clear();
  await old?.stop();
  if (extension) await start(extension);
}

async function insertTable(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !client) return;
  const pick = await vscode.window.showQuickPick(
    [
      { label: '表二', description: '主动公开政府信息情况', table: 't2' as BlankTableId },
      { label: '表三', description: '收到和处理政府信息公开申请情况', table: 't3' as BlankTableId },
      { label: '表四', description: '政府信息公开行政复议、行政诉讼情况', table: 't4' as BlankTableId },
    ],
    { placeHolder: '选择要插入的表格' },
  );
  if (!pick) return;
  const text = await client.sendRequest(BlankTableRequest, {
    uri: editor.document.uri.toString(),
    table: pick.table,
  });
  await editor.insertSnippet(new vscode.SnippetString().appendText(text));
}

function updateStatus(): void {
  const doc = vscode.window.activeTextEditor?.document;
  const isReport = !!doc && (reports.has(doc.uri.toString()) || doc.languageId === 'nianbao');
  void vscode.commands.executeCommand('setContext', REPORT_CONTEXT_KEY, isReport);
  if (!doc || !isReport) {
    status.hide();
    return;
  }
  const diags = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source?.startsWith('nianbao'));
  const errors = diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
  const warnings = diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length;
  status.text = errors || warnings ? `$(checklist) 年报 ${errors} 错误 ${warnings} 警告` : '$(check) 年报';
  status.tooltip = '年报校对：点击查看问题';
  status.show();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
