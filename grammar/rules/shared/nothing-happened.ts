// Statements in the prose that no 行政复议 / 行政诉讼 happened, read by the scope of a negation over
// a noun phrase rather than by whole wordings. A clause is reduced to its skeleton — each mention
// of a topic (行政复议; 行政诉讼, 诉讼, 起诉) and each negation (未发生, 没有, 无, 不存在, 零, 0 …)
// becomes a mark — and says that nothing happened when a negation governs the topics' phrase:
// before it, with the phrase ending in the topics' own heads (未发生……行政复议、行政诉讼案件), or
// as its predicate (行政复议、行政诉讼均为0件; 行政复议：无). A clause about an outcome, a part or a
// rate of the cases (被纠错, 败诉, 纠错率, 新增) says nothing about whether cases happened.

export interface NothingClaim {
  /** Offsets of the clause in the searched string. */
  start: number;
  end: number;
  text: string;
  /** The clause says no 行政复议 happened. */
  review: boolean;
  /** The clause says no 行政诉讼 happened (either kind). */
  suit: boolean;
}

// Skeleton marks (private use characters, absent from report text).
const R = '\ue001';
const S = '\ue002';
const N = '\ue003';

/** A topic's mention; a verb that brings a suit is part of it. 复议机关 and 复议后起诉's 复议 are not reviews. */
const TOPIC =
  /(?:被提起|提起)?行政诉讼|被提起诉讼|提起诉讼|复议后起诉|直接起诉|行政复议|复议(?!后|机关)|诉讼|被起诉|起诉|被诉/g;
/** Whether a clause mentions a topic at all (every TOPIC match holds one of these). */
const MENTION = /复议|诉/;
const isReview = (t: string) => t.includes('复议') && !/起诉|诉讼/.test(t);

/**
 * A negation of existence. 未 and 没 negate only a verb of happening, receiving or being brought
 * (未发生, 未收到, 未被申请, 未因…) — not 未按时答复 or 未经复议.
 */
const NEGATION =
  /未曾|从未|没有|不存在|暂无|尚无|并无|均无|(?:未|没)(?=发生|出现|产生|收到|接到|受理|引发|引起|涉及|被|有|因|遇)|无(?!法|需|须|论|关|偿|条件|正当|异议|误|效|一|理)|零(?!星|散|售|部)|(?<![\d.])0(?![\d.])/g;

/** Words of an outcome, a part or a rate of the cases: a clause with one is not about their existence. */
const OUTCOME =
  /纠错|纠正|败诉|胜诉|撤销|违法|维持|驳回|改判|改变|赔偿|审结|判决|裁定|终止|撤诉|二审|再审|上诉|应诉|出庭|新增|新收|结转|决定|结果|率|比例|占比|被告|负责人/;

/**
 * What may follow the topics in a statement about their existence: their heads and classifiers,
 * verbs of happening, time words, quantifiers, punctuation.
 */
const HEAD =
  '(?:案件|案子|案|事件|事项|情况|情形|现象|纠纷|记录|申请|件数|总数|数量|数|方面|类|等|的|之|发生|出现|产生|收到|接到|受理|涉及|提起|提出|被申请|被提起|均|都|也|亦|皆|全部|仍|尚|暂|共计|合计|总计|共|为|是|有|本年度|本年|全年|年内|当年|今年|\\d{4}年度?|年度|件|起|宗|个|次|例|[：:、\\s])';
const CONJUNCTION = '(?:、|以及|或者|或是|和|及|与|或|跟|同)';
const TOPICS = `${N}?[${R}${S}](?:${CONJUNCTION}${N}?[${R}${S}])*`;
/** 未发生因政府信息公开引起的行政复议、行政诉讼案件; 全年零复议、零诉讼. */
const NEGATED_BEFORE = new RegExp(`^.*${N}[^${N}${R}${S}]*${TOPICS}${HEAD}*$`, 'u');
/** 行政复议、行政诉讼均为0件; 行政复议和行政诉讼情况：本年度均未发生. */
const NEGATED_AFTER = new RegExp(`^[^${N}${R}${S}]*${TOPICS}${HEAD}*${N}(?:${HEAD}|${N})*$`, 'u');

/** The statements in `s` (prose) that no 行政复议 and/or 行政诉讼 happened, clause by clause. */
export function nothingHappened(s: string): NothingClaim[] {
  const out: NothingClaim[] = [];
  for (const m of s.matchAll(/[^。；;！!？?\n，,]+/g)) {
    const text = m[0].trim();
    // Most clauses name neither topic: nothing to reduce.
    if (!MENTION.test(text) || OUTCOME.test(text)) continue;
    const skeleton = text
      .replace(TOPIC, (t) => (isReview(t) ? R : S))
      .replace(NEGATION, N)
      .replace(/[“”"'‘’]/g, '');
    if (!skeleton.includes(R) && !skeleton.includes(S)) continue;
    if (!NEGATED_BEFORE.test(skeleton) && !NEGATED_AFTER.test(skeleton)) continue;
    const start = m.index + m[0].indexOf(text);
    out.push({
      start,
      end: start + text.length,
      text,
      review: skeleton.includes(R),
      suit: skeleton.includes(S),
    });
  }
  return out;
}
