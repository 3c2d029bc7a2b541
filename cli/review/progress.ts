// A one-line progress bar on a terminal: files done of all, elapsed time, the file in hand.
// Drawn at most ten times a second; off the terminal nothing is drawn.
import { escapeControls } from '../format.js';
import { displayWidth } from './width.js';

export class Progress {
  private done = 0;
  private current = '';
  private last = 0;
  private readonly start = Date.now();
  private drawn = false;

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream | null,
  ) {}

  /** A file was started. */
  started(name: string): void {
    this.current = name;
    this.draw(false);
  }

  /** A file was finished. */
  finished(name: string): void {
    this.done++;
    if (this.current === name) this.current = '';
    this.draw(this.done === this.total);
  }

  /** A note (e.g. an unreadable file) printed above the bar. */
  note(line: string): void {
    if (this.out && this.drawn) this.out.write('\r\x1b[2K');
    process.stderr.write(line);
    this.draw(true);
  }

  /** Removes the bar. */
  clear(): void {
    if (this.out && this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(force: boolean): void {
    if (!this.out) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const width = 24;
    const filled = this.total ? Math.round((this.done / this.total) * width) : width;
    const s = Math.floor((now - this.start) / 1000);
    const elapsed = `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
    let line = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${this.done}/${this.total}  ${elapsed}  `;
    const room = (this.out.columns || 80) - displayWidth(line) - 1;
    let name = escapeControls(this.current);
    while (name && displayWidth(name) > room) name = `…${[...name].slice(2).join('')}`;
    if (room > 4) line += name;
    this.out.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }
}
