// VS Code extension: starts the nianbao language server and adds the status bar and commands.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;
let status: vscode.StatusBarItem;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'nianbao' }, { language: 'plaintext' }, { language: 'markdown' }],
    synchronize: {
      configurationSection: 'nianbao',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/.nianbaorc.json'),
    },
    initializationOptions: { settings: vscode.workspace.getConfiguration('nianbao') },
    outputChannelName: 'nianbao',
  };
  client = new LanguageClient('nianbao', '年报校对', serverOptions, clientOptions);
  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  status.command = 'workbench.actions.view.problems';
  context.subscriptions.push(
    status,
    vscode.languages.onDidChangeDiagnostics(updateStatus),
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    vscode.commands.registerCommand('nianbao.check', async () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (doc) await client?.sendNotification('nianbao/checkAnyway', { uri: doc.uri.toString() });
    }),
    vscode.commands.registerCommand('nianbao.fixAll', () =>
      vscode.commands.executeCommand('editor.action.codeAction', {
        kind: 'source.fixAll.nianbao',
        apply: 'first',
      }),
    ),
    vscode.commands.registerCommand('nianbao.insertTable', insertTable),
    vscode.commands.registerCommand('nianbao.restart', () => client?.restart()),
  );
  await client.start();
  updateStatus();
}

async function insertTable(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !client) return;
  const pick = await vscode.window.showQuickPick(
    [
      { label: '表二', description: '主动公开政府信息情况', table: 't2' },
      { label: '表三', description: '收到和处理政府信息公开申请情况', table: 't3' },
      { label: '表四', description: '政府信息公开行政复议、行政诉讼情况', table: 't4' },
    ],
    { placeHolder: '选择要插入的表格' },
  );
  if (!pick) return;
  const text: string = await client.sendRequest('nianbao/blankTable', {
    uri: editor.document.uri.toString(),
    table: pick.table,
  });
  await editor.insertSnippet(new vscode.SnippetString().appendText(text));
}

function updateStatus(): void {
  const doc = vscode.window.activeTextEditor?.document;
  const diags = doc ? vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'nianbao') : [];
  if (!doc || (!diags.length && doc.languageId !== 'nianbao')) {
    status.hide();
    return;
  }
  const errors = diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
  const warnings = diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length;
  status.text = `$(checklist) 年报 ${errors} 错误 ${warnings} 警告`;
  status.tooltip = '年报校对：点击查看问题';
  status.show();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
