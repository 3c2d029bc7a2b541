// Writes docs/rules/<id>.md for every rule from the rules' own metadata (`npm run docs`).
import fs from 'node:fs';
import path from 'node:path';
import { CROSS_YEAR_RULES, RULES } from './src/index.js';
import { RULE_DOCS_DIR, rulePages } from './src/rule-docs.js';

const root = path.resolve(import.meta.dirname, '..');
const pages = rulePages(RULES, CROSS_YEAR_RULES);
const dir = path.join(root, RULE_DOCS_DIR);
fs.mkdirSync(dir, { recursive: true });
// Pages of rules that no longer exist go.
for (const f of fs.readdirSync(dir)) if (!pages.has(`${RULE_DOCS_DIR}/${f}`)) fs.rmSync(path.join(dir, f));
for (const [file, text] of pages) fs.writeFileSync(path.join(root, file), text);
process.stdout.write(`已生成 ${pages.size} 个文件：${RULE_DOCS_DIR}/\n`);
