// The streams a command writes to, and the facts about them (terminal or not, colour, may we prompt).
import type { Readable, Writable } from 'node:stream';
import { Chalk, type ChalkInstance } from 'chalk';
import { colorEnabled } from './color.js';

export interface IOStreams {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
}

export interface IOOptions {
  env: Record<string, string | undefined>;
  noColor?: boolean;
  noInput?: boolean;
  /** --json: stdout carries JSON only, and no success line is written. */
  json?: boolean;
}

export class IO {
  readonly stdin: IOStreams['stdin'];
  readonly stdout: IOStreams['stdout'];
  readonly stderr: IOStreams['stderr'];
  readonly stdinIsTTY: boolean;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Colours for stdout and stderr (chalk with level 0 when off). */
  readonly color: ChalkInstance;
  readonly errColor: ChalkInstance;
  /** Prompts are allowed only with terminals on stdin and stdout, outside CI, and without --no-input. */
  readonly canPrompt: boolean;
  private readonly json: boolean;

  constructor(streams: IOStreams, options: IOOptions) {
    this.stdin = streams.stdin;
    this.stdout = streams.stdout;
    this.stderr = streams.stderr;
    const forceTTY = options.env.AIGW_FORCE_TTY === '1';
    this.stdinIsTTY = forceTTY || streams.stdin.isTTY === true;
    this.stdoutIsTTY = forceTTY || streams.stdout.isTTY === true;
    this.stderrIsTTY = forceTTY || streams.stderr.isTTY === true;
    const noColor = options.noColor === true;
    this.color = new Chalk({ level: colorEnabled(options.env, this.stdoutIsTTY, noColor) ? 1 : 0 });
    this.errColor = new Chalk({ level: colorEnabled(options.env, this.stderrIsTTY, noColor) ? 1 : 0 });
    const ci = options.env.CI !== undefined && options.env.CI !== '' && options.env.CI !== 'false';
    this.canPrompt = this.stdinIsTTY && this.stdoutIsTTY && !ci && options.noInput !== true;
    this.json = options.json === true;
  }

  /** Data: stdout. */
  out(text: string): void {
    this.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Messages, progress, warnings: stderr. */
  err(text: string): void {
    this.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /**
   * What a verb did, as one sentence in the past tense ("Deleted gateway prod-chat."), after a green ✓ on
   * stderr. Only in a terminal and never with --json: scripts read the data on stdout, not the chatter. The one
   * way every command writes its success line.
   */
  success(text: string): void {
    if (this.stderrIsTTY && !this.json) this.err(`${this.errColor.green('✓')} ${text}`);
  }

  warn(text: string): void {
    this.err(`${this.errColor.yellow('!')} ${text}`);
  }
}
