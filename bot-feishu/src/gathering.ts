// The gathering of report files sent in a row by one sender in one chat. The first file is checked
// at once: it leads a group. Files of the same sender in the same chat that arrive before the lead
// is answered (while it waits for its turn or is being checked) join the group; the lead's own
// answer is then dropped and the whole group is one batch, which keeps gathering until `windowMs`
// after the last file arrived (at once when stopping) and is answered on the lead's message.
// A file alone never waits.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout),
};

export interface Group<J> {
  readonly lead: J;
  /** The files that joined the lead, in the order they arrived. */
  readonly followers: readonly J[];
}

interface OpenGroup<J> extends Group<J> {
  key: string;
  followers: J[];
  /** When the last file of the group arrived. */
  last: number;
  timer?: unknown;
  /** Set while the lead waits for the window to close: looks again at the time left. */
  wake?: () => void;
}

export class Gatherer<J> {
  private groups = new Map<string, OpenGroup<J>>();
  private stopping = false;

  constructor(
    readonly windowMs: number,
    private clock: Clock = systemClock,
  ) {}

  /** Files that joined a group still open (they count against the queue's limit like queued ones). */
  get waiting(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.followers.length;
    return n;
  }

  /** Groups still open. */
  get size(): number {
    return this.groups.size;
  }

  /**
   * A report file arrives under `key` (its chat and sender). `lead: true`: it starts a group and is
   * to be checked now; `lead: false`: it joined the group in flight, whose lead answers for it.
   */
  add(key: string, job: J): { lead: boolean; group: Group<J> } {
    const open = this.groups.get(key);
    if (open) {
      open.followers.push(job);
      open.last = this.clock.now();
      return { lead: false, group: open };
    }
    const g: OpenGroup<J> = { key, lead: job, followers: [], last: this.clock.now() };
    this.groups.set(key, g);
    return { lead: true, group: g };
  }

  /** True while files may still join the group. */
  isOpen(group: Group<J>): boolean {
    return this.groups.get((group as OpenGroup<J>).key) === group;
  }

  /** Asked when the lead's answer is ready: true, and the group closes, when no file joined it. */
  alone(group: Group<J>): boolean {
    if (group.followers.length) return false;
    this.close(group as OpenGroup<J>);
    return true;
  }

  /**
   * The files that joined the lead, once `windowMs` has passed since the last of them arrived
   * (later ones still join meanwhile), or at once when stopping; the group then closes.
   */
  rest(group: Group<J>): Promise<J[]> {
    const g = group as OpenGroup<J>;
    if (!this.isOpen(g)) return Promise.resolve([...g.followers]);
    return new Promise((resolve) => {
      g.wake = () => {
        if (g.timer !== undefined) this.clock.clearTimeout(g.timer);
        g.timer = undefined;
        const left = g.last + this.windowMs - this.clock.now();
        if (this.stopping || left <= 0) {
          this.close(g);
          resolve([...g.followers]);
        } else g.timer = this.clock.setTimeout(() => g.wake?.(), left);
      };
      g.wake();
    });
  }

  /** The group closes without a batch (its lead failed or was stopped); returns the files that had joined. */
  drop(group: Group<J>): J[] {
    const g = group as OpenGroup<J>;
    if (this.isOpen(g)) this.close(g);
    return [...g.followers];
  }

  /** Stopping: every window closes now, and those of groups still in flight close as soon as asked. */
  flush(): void {
    this.stopping = true;
    for (const g of [...this.groups.values()]) g.wake?.();
  }

  private close(g: OpenGroup<J>) {
    if (g.timer !== undefined) this.clock.clearTimeout(g.timer);
    g.timer = undefined;
    g.wake = undefined;
    if (this.groups.get(g.key) === g) this.groups.delete(g.key);
  }
}
