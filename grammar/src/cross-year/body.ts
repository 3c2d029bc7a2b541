// Which body issued a report, from its title, and whether two names mean the same body.
import type { Report } from '../model.js';
import { yearNumber } from '../parse/title.js';

/**
 * A place name ending in an administrative unit (省, 市, 区, 县 …): the units a body's name may
 * carry in front of it or leave out ("XX市YY区ZZ街道办事处" and "YY区ZZ街道办事处").
 */
const UNIT = '(?:特别行政区|自治区|自治州|自治县|自治旗|地区|林区|新区|省|市|州|盟|区|县|旗)';
const ONE_UNIT = new RegExp(`^[\\u4e00-\\u9fff]{1,12}${UNIT}$`, 'u');

/**
 * The text is one or more place names each ending in a unit (临川市松溪区, 广州市越秀区): decided
 * position by position, so a name full of unit characters costs no backtracking.
 */
function placeUnits(text: string): boolean {
  if (!text || text.length > 40) return false;
  const reach = new Array<boolean>(text.length + 1).fill(false);
  reach[0] = true;
  for (let i = 0; i < text.length; i++) {
    if (!reach[i]) continue;
    for (let j = i + 2; j <= Math.min(text.length, i + 17); j++)
      if (!reach[j] && ONE_UNIT.test(text.slice(i, j))) reach[j] = true;
  }
  return reach[text.length];
}
/** A name that says where the body is (a place, a township or a street), not only what it is. */
const PLACED = new RegExp(`[\\u4e00-\\u9fff]${UNIT}|[\\u4e00-\\u9fff](?:乡|镇|街道|苏木)`, 'u');

/**
 * The issuing body named by a report's title, normalised: without the year, 年度, the
 * 政府信息公开工作年度报告 wording, spaces and punctuation. Null when the title names no body.
 */
export function issuingBody(report: Pick<Report, 'title'>): string | null {
  const title = report.title?.text;
  if (!title) return null;
  return normaliseBody(title);
}

/** Words that introduce the title inside a sentence (现向社会公布XX局2023年度…报告). */
const LEAD_IN = /^.*(?:公布|发布|印发|现将|特此)/u;
/** Punctuation that ends a chunk of a title line: the body's name never spans it. */
const CHUNK = /[\p{P}\p{S}]+/u;

/** A title (or a body's name) reduced to the body's name. */
export function normaliseBody(title: string): string | null {
  const s = title
    .normalize('NFKC')
    .replace(/^标题[:：]/, '')
    .replace(/[\s\u3000]+/g, '')
    // A year in Chinese numerals: 二〇二四年.
    .replace(/[〇○零一二三四五六七八九]{4}(?=年)/g, (y) => String(yearNumber(y)))
    // A bracketed year: （2024年度）.
    .replace(/[（(【[]\d{4}年度?[)）】\]]/g, '');
  const year = /\d{4}年度?/.exec(s);
  // The body's name comes right before the year (XX局2024年…), else right after it (2024年XX局政府信息公开…).
  let name = '';
  if (year) {
    const before = s.slice(0, year.index).split(CHUNK).pop() ?? '';
    name = before.replace(/(?:关于)+$/u, '').replace(LEAD_IN, '');
    if (!name) {
      const after = s.slice(year.index + year[0].length);
      const cut = after.search(/政府信息公开|政务公开|信息公开/);
      name = (cut >= 0 ? after.slice(0, cut) : '').split(CHUNK)[0];
    }
  } else {
    const cut = s.search(/政府信息公开|政务公开|信息公开/);
    name = (cut >= 0 ? s.slice(0, cut) : '').split(CHUNK).pop() ?? '';
  }
  name = name.replace(/[\p{P}\p{S}]/gu, '').replace(/(?:关于|的)+$/u, '');
  return /[\u4e00-\u9fff]{2,}/u.test(name) ? name : null;
}

/**
 * Two normalised bodies' names mean the same body: equal, or one is the other with place units
 * in front (XX市YY区ZZ街道办事处 / YY区ZZ街道办事处) and the shorter still says where it is;
 * 人民政府 and 政府, 街道办事处 and 街道 are the same words.
 * Different organs of one place (某区教育局 / 某区卫生健康局) or two streets never match.
 */
export function sameBody(a: string, b: string): boolean {
  if (!a || !b) return false;
  a = canonical(a);
  b = canonical(b);
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (!long.endsWith(short)) return false;
  const prefix = long.slice(0, long.length - short.length);
  if (!placeUnits(prefix)) return false;
  // The shorter name must not start inside a place name ("阳区教育局" within "朝阳区教育局").
  return PLACED.test(short);
}

/**
 * One spelling for what names write two ways: 人民政府 / 政府, 街道办事处 / 街道. Two names
 * sameBody matches are, in this spelling, equal or one ends with the other.
 */
export function canonical(name: string): string {
  return name.replace(/人民政府/g, '政府').replace(/街道办事处$/, '街道');
}
