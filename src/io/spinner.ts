// A spinner on stderr while waiting for something with no measure of progress (an evaluation being processed).
// Drawn only when stderr is a terminal; erased when the wait ends.
import type { IO } from './io.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 80;

export class Spinner {
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;
  private drawn = false;

  constructor(
    private readonly io: IO,
    private text: string,
  ) {}

  start(): void {
    if (!this.io.stderrIsTTY || this.timer) return;
    this.draw();
    this.timer = setInterval(() => this.draw(), FRAME_MS);
    this.timer.unref();
  }

  update(text: string): void {
    this.text = text;
  }

  /** Erases the spinner (the caller prints its own result). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.drawn) this.io.stderr.write('\r\x1b[K');
    this.drawn = false;
  }

  private draw(): void {
    const frame = FRAMES[this.frame++ % FRAMES.length]!;
    this.io.stderr.write(`\r${this.io.errColor.cyan(frame)} ${this.text}\x1b[K`);
    this.drawn = true;
  }
}
