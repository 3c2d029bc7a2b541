// The reviewer's list of bodies (`nianbao review --units`): read in its usual encodings and
// layouts, and a report's body matched to the list's name.
import { describe, expect, it } from 'vitest';
import { matchUnit, readUnitList, UnitListError } from '../../cli/review/units.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('--units list', () => {
  it('UTF-8 with a BOM, a header, a number column, commas (also full-width) and aliases', () => {
    const list = readUnitList(
      utf8(
        '\ufeff序号,机关名称,别名\r\n1,临川市松溪区教育局,区教育局、松溪教育局\r\n2，松溪区东湖街道办事处\r\n\r\n',
      ),
      'a.csv',
    );
    expect(list).toEqual([
      { name: '临川市松溪区教育局', aliases: ['区教育局', '松溪教育局'] },
      { name: '松溪区东湖街道办事处', aliases: [] },
    ]);
    // An alias, the name without the city in front, and 街道 for 街道办事处 all find the list's name.
    expect(matchUnit('松溪教育局', list)).toBe('临川市松溪区教育局');
    expect(matchUnit('松溪区教育局', list)).toBe('临川市松溪区教育局');
    expect(matchUnit('松溪区东湖街道', list)).toBe('松溪区东湖街道办事处');
    // Another organ of the place, or another street, is not on the list.
    expect(matchUnit('松溪区卫生健康局', list)).toBeNull();
    expect(matchUnit('松溪区西湖街道办事处', list)).toBeNull();
  });

  it('a line that names no body is refused with its line number', () => {
    expect(() => readUnitList(utf8('机关名称\n松溪区教育局\n12345,abc\n'), 'a.csv')).toThrow(
      new UnitListError('名单文件“a.csv”第3行“12345,abc”不是机关名称'),
    );
  });
});
