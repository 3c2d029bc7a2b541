// A Word report printed to PDF by LibreOffice, its title large, bold and centred (wrapped over two
// lines by its size): the title, body and year read from the PDF as from the Word file.
import { describe, expect, it } from 'vitest';
import { check, issuingBody, readReportAsync } from '../../grammar/src/index.js';
import { libreOfficePdf } from '../fixtures/printed.js';
import { titledDocx } from '../fixtures/titles.js';

describe('the title of a LibreOffice PDF', () => {
  it.each([
    ['岚山县城市管理综合行政执法局', '2024年度', 2024],
    ['岚山县统计局', '2023年', 2023],
  ] as const)(
    '%s%s',
    async (body, yearWords, year) => {
      const title = `${body}${yearWords}政府信息公开工作年度报告`;
      const pdf = libreOfficePdf(await titledDocx('paragraph', title, { title: '', year }));
      const r = check((await readReportAsync(new Uint8Array(pdf), 'a.pdf')).text);
      expect({
        title: r.report.title?.text,
        body: issuingBody(r.report),
        year: r.report.year,
        missing: r.findings.filter((f) => f.ruleId === 'title-missing').length,
      }).toEqual({ title, body, year, missing: 0 });
    },
    180_000,
  );
});
