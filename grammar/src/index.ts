// The checking core's public API. The pipeline (see ../README.md):
// bytes → read/ → text + where → parse/ → Report → rules → findings with fixes → fix/ (apply, write back).
export { RULES } from '../rules/index.js';
export {
  type BlankPart,
  blankReport,
  blankReportParts,
  blankRows,
  blankTable,
  prevailingLayout,
  type TableLayout,
} from './assist/blank.js';
export {
  type HoverInfo,
  hoverAt,
  locate,
  looksLikeReport,
  type OutlineNode,
  outline,
  type Suggestion,
  suggestions,
} from './assist/index.js';
export {
  add as addToBaseline,
  apply as applyBaseline,
  BASELINE_FILE_NAME,
  type Baseline,
  type BaselineEntry,
  BaselineError,
  baselineDate,
  emptyBaseline,
  formatBaseline,
  keyOf as baselineKeyOf,
  parseBaseline,
} from './baseline.js';
export { type CheckOptions, type CheckResult, check } from './check.js';
export {
  type Config,
  ConfigError,
  loadConfig,
  parseConfig,
  readBaselineFile,
  resolveSeverity,
} from './config.js';
export * from './cross-year/index.js';
export { applyEdits, compatibleFixes, fixAll } from './fix/apply.js';
export { canWriteFixes, type FileFix, fixFile, type WriteBack, writeBackOf } from './fix/fix-file.js';
export { type DocxFixResult, fixDocx } from './fix/write-docx.js';
export { type JsonFinding, type JsonFix, type JsonPosition, type JsonResult, toJSON } from './json.js';
export * from './model.js';
export { parse } from './parse/index.js';
export {
  ARCHIVE_LIMITS,
  type ArchiveContents,
  type ArchiveEntry,
  type ArchiveFile,
  type ArchiveLimits,
  type ArchiveListing,
  listArchive,
  readArchive,
  readArchiveEntry,
} from './read/archive.js';
export {
  DEFAULT_LIMITS,
  decodeText,
  extensionOf,
  isReportFile,
  REPORT_EXTENSIONS,
  ReadError,
  type ReadLimits,
  type ReadResult,
  readReport,
  readReportAsync,
  tooLarge,
} from './read/index.js';
export {
  authoredSource,
  type Rule,
  type RuleCategory,
  type RuleDocs,
  type RuleExample,
  SEVERITY_LABEL,
  type Source,
} from './rule.js';
export {
  type DocumentedRule,
  RULE_DOCS_DIR,
  ruleDocPath,
  ruleDocUrl,
  rulePage,
  rulePages,
} from './rule-docs.js';
export * from './template.js';
export { LineIndex } from './text.js';
