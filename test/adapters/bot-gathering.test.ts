// The gathering of report files sent in a row, alone, on a fake clock: a file alone is answered
// at once; files that arrive before the first is answered make one batch with it, which waits the
// window after the last file (not at all when stopping).
import { describe, expect, it } from 'vitest';
import { type Clock, Gatherer } from '../../bot-feishu/src/gathering.js';

/** A clock whose time moves only when told; timers fire as it passes them. */
function fakeClock() {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void }> = [];
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const t = { at: now + ms, fn };
      timers.push(t);
      return t;
    },
    clearTimeout: (t) => {
      timers = timers.filter((x) => x !== t);
    },
  };
  const advance = async (ms: number) => {
    const until = now + ms;
    for (;;) {
      const next = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      timers = timers.filter((t) => t !== next);
      now = next.at;
      next.fn();
      await Promise.resolve();
    }
    now = until;
    await Promise.resolve();
  };
  return { clock, advance };
}

const settled = async <T>(p: Promise<T>) => {
  let value: T | undefined;
  let done = false;
  void p.then((v) => {
    value = v;
    done = true;
  });
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return { done, value };
};

describe('gathering files sent in a row', () => {
  it('a file alone leads its group and is answered alone at once; the next file leads a group of its own', () => {
    const { clock } = fakeClock();
    const g = new Gatherer<string>(3000, clock);
    const first = g.add('chat\u0000ann', 'a.txt');
    expect(first.lead).toBe(true);
    expect(g.alone(first.group)).toBe(true);
    expect(g.size).toBe(0);
    const next = g.add('chat\u0000ann', 'b.txt');
    expect(next.lead).toBe(true);
    expect(next.group).not.toBe(first.group);
  });

  it('files arriving before the first is answered join it; the batch closes the window after the last file', async () => {
    const { clock, advance } = fakeClock();
    const g = new Gatherer<string>(3000, clock);
    const { group } = g.add('c\u0000ann', '1.txt');
    await advance(100);
    expect(g.add('c\u0000ann', '2.txt').lead).toBe(false);
    // Another sender in the same chat, and the same sender elsewhere, are groups of their own.
    expect(g.add('c\u0000bob', 'x.txt').lead).toBe(true);
    expect(g.add('d\u0000ann', 'y.txt').lead).toBe(true);
    expect(g.waiting).toBe(1);
    // The first is checked: not alone any more.
    expect(g.alone(group)).toBe(false);
    const rest = g.rest(group);
    await advance(2000);
    // A third file while the batch waits: the window counts from it.
    expect(g.add('c\u0000ann', '3.txt').lead).toBe(false);
    await advance(2000);
    expect((await settled(rest)).done).toBe(false);
    await advance(1000);
    expect(await settled(rest)).toEqual({ done: true, value: ['2.txt', '3.txt'] });
    expect(g.waiting).toBe(0);
    // The group is closed: the sender's next file leads a new one.
    expect(g.add('c\u0000ann', '4.txt').lead).toBe(true);
  });

  it('a first file checked for longer than the window: files that came meanwhile are reviewed at once with it', async () => {
    const { clock, advance } = fakeClock();
    const g = new Gatherer<string>(3000, clock);
    const { group } = g.add('c\u0000ann', 'big.pdf');
    await advance(500);
    g.add('c\u0000ann', '2.txt');
    await advance(10_000);
    expect(g.alone(group)).toBe(false);
    expect(await settled(g.rest(group))).toEqual({ done: true, value: ['2.txt'] });
  });

  it('stopping: a batch waiting for its window is reviewed at once, and so is one whose first file is still checked', async () => {
    const { clock, advance } = fakeClock();
    const g = new Gatherer<string>(60_000, clock);
    const a = g.add('c\u0000ann', '1.txt').group;
    g.add('c\u0000ann', '2.txt');
    const b = g.add('c\u0000bob', '1.txt').group;
    g.add('c\u0000bob', '2.txt');
    const restA = g.rest(a);
    await advance(10);
    g.flush();
    expect(await settled(restA)).toEqual({ done: true, value: ['2.txt'] });
    expect(g.alone(b)).toBe(false);
    expect(await settled(g.rest(b))).toEqual({ done: true, value: ['2.txt'] });
    expect(g.size).toBe(0);
  });

  it('a group dropped when its first file failed: its files no longer wait, and are returned', () => {
    const { clock } = fakeClock();
    const g = new Gatherer<string>(3000, clock);
    const { group } = g.add('c\u0000ann', '1.txt');
    g.add('c\u0000ann', '2.txt');
    expect(g.drop(group)).toEqual(['2.txt']);
    expect(g.waiting).toBe(0);
    expect(g.add('c\u0000ann', '3.txt').lead).toBe(true);
  });
});
