// The messages, command ids, code-action kind and settings the language server and the VS Code
// client share: one typed definition each, imported by both (the client's bundle includes it).
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** Client → server: check this document even though it does not look like a report. */
export const CheckAnywayNotification = new NotificationType<{ uri: string }>('nianbao/checkAnyway');

export type BlankTableId = 't2' | 't3' | 't4';
/** Client → server: a blank table in the document's prevailing layout (pipe, tab, Markdown…). */
export const BlankTableRequest = new RequestType<{ uri: string; table: BlankTableId }, string, void>(
  'nianbao/blankTable',
);

/** Server → client: whether a document is checked as a report (sent when that changes). */
export const StatusNotification = new NotificationType<{ uri: string; isReport: boolean }>('nianbao/status');

/** The code-action kind of "fix all auto-fixable problems" (also usable in editor.codeActionsOnSave). */
export const FIX_ALL_KIND = 'source.fixAll.nianbao';

/** The client's commands, as contributed in client-vscode/package.json. */
export const Commands = {
  check: 'nianbao.check',
  fixAll: 'nianbao.fixAll',
  insertTable: 'nianbao.insertTable',
  restart: 'nianbao.restart',
} as const;

/**
 * Server command (workspace/executeCommand) behind the quick fix "标记为已核实": adds the finding to
 * the baseline file of accepted findings. Arguments: the document's URI and the baseline entry.
 */
export const ACCEPT_FINDING_COMMAND = 'nianbao.acceptFinding';

/** The context key set while the active editor holds a document checked as a report. */
export const REPORT_CONTEXT_KEY = 'nianbao.isReport';

/** When to check: as you type, or when the file is saved. */
export type RunMode = 'onType' | 'onSave';

/** The `nianbao.*` settings the server reads (sent in initializationOptions and on change). */
export interface Settings {
  /** false: no diagnostics, completion, hover or quick fixes. */
  enable?: boolean;
  run?: RunMode;
  /** Severity per rule id, on top of .nianbaorc.json. */
  rules?: Record<string, string>;
  /** URL of a folder holding the rule pages (<id>.md); unset: the docs/rules/ shipped with the package. */
  rulesDocsUrl?: string;
}
