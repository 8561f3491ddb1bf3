// A progress bar on stderr for long work (e.g. logs export): done of total, rate, time left. Drawn only when
// stderr is a terminal, redrawn at most ten times a second, erased when the work ends.
import type { IO } from './io.js';

const WIDTH = 24;
const REDRAW_MS = 100;

export class Progress {
  private done = 0;
  private total: number | undefined;
  private readonly started: number;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawn = false;

  constructor(
    private readonly io: IO,
    private readonly label: string,
    private readonly clock: () => number,
  ) {
    this.started = clock();
  }

  get visible(): boolean {
    return this.io.stderrIsTTY;
  }

  setTotal(total: number | undefined): void {
    this.total = total;
  }

  advance(by = 1): void {
    this.done += by;
    const now = this.clock();
    if (now - this.lastDraw >= REDRAW_MS) this.draw(now);
  }

  /** Erases the bar (the caller prints its own summary). */
  finish(): void {
    if (this.drawn) this.io.stderr.write('\r\x1b[K');
    this.drawn = false;
  }

  /** The bar's text at `now` (ms); exposed for tests. */
  line(now: number): string {
    const c = this.io.errColor;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = this.done / seconds;
    const parts = [this.label];
    if (this.total !== undefined && this.total > 0) {
      const ratio = Math.min(this.done / this.total, 1);
      const filled = Math.round(ratio * WIDTH);
      parts.push(`${c.cyan('█'.repeat(filled))}${c.dim('░'.repeat(WIDTH - filled))}`);
      parts.push(`${count(this.done)}/${count(this.total)}`);
    } else {
      parts.push(count(this.done));
    }
    parts.push(`${count(Math.round(rate))}/s`);
    if (this.total !== undefined && rate > 0 && this.done < this.total) {
      parts.push(`${clockTime((this.total - this.done) / rate)} left`);
    }
    return parts.join('  ');
  }

  private draw(now: number): void {
    if (!this.visible) return;
    this.lastDraw = now;
    this.drawn = true;
    this.io.stderr.write(`\r${this.line(now)}\x1b[K`);
  }
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** 75 -> 1:15, 3725 -> 1:02:05. */
function clockTime(seconds: number): string {
  const s = Math.ceil(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
