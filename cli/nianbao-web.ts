#!/usr/bin/env node
// nianbao-web: prints where the offline page is (dist/web/nianbao.html, built by `npm run build`),
// to open in a browser or copy to a PC without a network.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const page = fileURLToPath(new URL('../web/nianbao.html', import.meta.url));
const built = fileURLToPath(new URL('../dist/web/nianbao.html', import.meta.url));
const found = [page, built].find((p) => fs.existsSync(p));
if (process.argv.includes('-h') || process.argv.includes('--help')) {
  process.stdout.write(
    'nianbao-web — 显示离线网页版的位置\n\n用法：\n  nianbao-web\n\n输出 nianbao.html 的完整路径。用浏览器直接打开该文件即可检查报告，文件只在本机处理，不会上传；\n也可以把这一个文件复制到不联网的电脑上使用。\n',
  );
} else if (found) process.stdout.write(`${found}\n`);
else {
  process.stderr.write('nianbao-web：未找到 nianbao.html，请先运行 npm run build\n');
  process.exitCode = 2;
}
