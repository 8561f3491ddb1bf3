// What every command receives: streams, environment, global options, profiles, a prompter, the lazy
// API client and account id, and a clock. Commands never reach for process.* themselves.
import type { AigwClient } from './client/index.js';
import { pickAccount } from './config/accounts.js';
import { configDir } from './config/paths.js';
import type { ProfileStore } from './config/profiles.js';
import {
  checkAccountId,
  type GlobalOptions,
  localApiUrl,
  resolveTarget,
  type Target,
  targetOptions,
} from './config/target.js';
import { IO, type IOStreams } from './io/io.js';
import { inquirerPrompter, type Prompter } from './io/prompter.js';

export type Env = Record<string, string | undefined>;

export interface RequestLimits {
  timeoutMs: number;
  /** Aborts whatever request is under way. */
  signal: AbortSignal;
}

function abortable(base: typeof fetch, signal: AbortSignal): typeof fetch {
  return (input, init) =>
    base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
}

export interface ContextDeps {
  streams: IOStreams;
  env: Env;
  cwd: string;
  now?: () => Date;
  prompter?: Prompter;
  /** Replaces fetch for API calls (tests). */
  fetch?: typeof fetch;
  /** Waits; tests pass one that moves a fake clock instead of sleeping. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A signal aborted by Ctrl-C or SIGTERM, for commands that stop cleanly on them (logs tail). Asked for
   *  only by such commands, so every other command keeps the default Ctrl-C behaviour. */
  interrupts?: () => AbortSignal;
  /** How the user runs this aigw (`aigw`, `npx aigw`, node and the script by path), asked for the first time a
   *  message prints a command; `aigw` when not given. */
  command?: () => string;
}

export class Context {
  readonly env: Env;
  readonly cwd: string;
  readonly now: () => Date;
  globals: GlobalOptions = {};
  private streams: IOStreams;
  private ioCache?: IO;
  private prompterOverride?: Prompter;
  private profileStore?: ProfileStore;
  private targetCache?: Target;
  private clientCache?: Promise<AigwClient>;
  private accountCache?: Promise<string>;
  private requestLimits?: RequestLimits;
  readonly fetch?: typeof fetch;
  private readonly sleepImpl?: ContextDeps['sleep'];
  private readonly interruptSource?: ContextDeps['interrupts'];
  private interruptSignal?: AbortSignal;
  private readonly commandSource?: ContextDeps['command'];
  private commandCache?: string;

  constructor(deps: ContextDeps) {
    this.streams = deps.streams;
    this.env = deps.env;
    this.cwd = deps.cwd;
    this.now = deps.now ?? (() => new Date());
    if (deps.prompter) this.prompterOverride = deps.prompter;
    if (deps.fetch) this.fetch = deps.fetch;
    if (deps.sleep) this.sleepImpl = deps.sleep;
    if (deps.interrupts) this.interruptSource = deps.interrupts;
    if (deps.command) this.commandSource = deps.command;
  }

  /** How to run this aigw from where the user is, as the proxy's banner and every hint print it. */
  get command(): string {
    this.commandCache ??= this.commandSource?.() ?? 'aigw';
    return this.commandCache;
  }

  /** Resolves after `ms`, or as soon as `signal` aborts. */
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    if (this.sleepImpl) return this.sleepImpl(ms, signal);
    const { setTimeout } = await import('node:timers/promises');
    await setTimeout(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
  }

  /** Aborted when the user presses Ctrl-C (or the process gets SIGTERM). */
  get interrupted(): AbortSignal {
    this.interruptSignal ??= this.interruptSource?.() ?? new AbortController().signal;
    return this.interruptSignal;
  }

  /** Global options are known once commander has parsed them. */
  setGlobals(globals: GlobalOptions): void {
    this.globals = globals;
    this.ioCache = undefined;
    // A bad address is a usage error whatever the command, not only once a command reaches for the API.
    if (globals.localUrl !== undefined) localApiUrl(globals.localUrl, '--local-url');
    // Which target it is for is known later; no target takes an id of any other form.
    if (globals.accountId !== undefined) checkAccountId(globals.accountId, '--account-id', true);
  }

  /**
   * A command to paste, as a hint inside a message: how this aigw is run (`aigw`, `npx aigw`...), the global
   * options that chose this command's target (--local, --local-url, --profile, --account-id), then `command`
   * (e.g. `gateway delete x --yes`), so the pasted command runs and goes where this one went.
   */
  hint(command: string): string {
    return [this.command, ...targetOptions(this.globals), command].join(' ');
  }

  get io(): IO {
    this.ioCache ??= new IO(this.streams, {
      env: this.env,
      noColor: this.globals.color === false,
      noInput: this.globals.input === false,
      json: this.globals.json === true,
    });
    return this.ioCache;
  }

  get prompter(): Prompter {
    return this.prompterOverride ?? inquirerPrompter(this.io);
  }

  get json(): boolean {
    return this.globals.json === true;
  }

  get debugEnabled(): boolean {
    return this.globals.debug === true || this.env.AIGW_DEBUG === '1';
  }

  debug(line: string): void {
    if (this.debugEnabled) this.io.err(this.io.errColor.dim(`[debug] ${line}`));
  }

  get configDir(): string {
    return configDir(this.env);
  }

  async profiles(): Promise<ProfileStore> {
    if (!this.profileStore) {
      const { ProfileStore } = await import('./config/profiles.js');
      this.profileStore = new ProfileStore(this.configDir);
    }
    return this.profileStore;
  }

  async target(): Promise<Target> {
    this.targetCache ??= resolveTarget(this.globals, this.env, await this.profiles(), () => this.command);
    return this.targetCache;
  }

  /** The API client for the selected profile (loads the SDK on first use). */
  client(): Promise<AigwClient> {
    this.clientCache ??= (async () => this.clientFor(await this.target()))();
    return this.clientCache;
  }

  /** Bounds every API request made from now on (shell completion must answer quickly or not at all). */
  limitRequests(limits: RequestLimits): void {
    this.requestLimits = limits;
  }

  /** A client for a target other than the selected one (e.g. a token being logged in), same options. */
  async clientFor(target: Target): Promise<AigwClient> {
    const { AigwClient } = await import('./client/index.js');
    const limits = this.requestLimits;
    const fetchImpl = limits ? abortable(this.fetch ?? globalThis.fetch, limits.signal) : this.fetch;
    return new AigwClient(target, {
      ...(this.debugEnabled ? { debug: (line: string) => this.debug(line) } : {}),
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
      ...(this.env.CI ? { maxRetries: 1 } : {}),
      ...(limits ? { maxRetries: 0, timeoutMs: limits.timeoutMs } : {}),
      command: () => this.command,
    });
  }

  /** The account: --account-id, CLOUDFLARE_ACCOUNT_ID, the profile, the only account the token sees,
   *  a choice in a terminal, or a usage error listing the accounts. */
  accountId(): Promise<string> {
    this.accountCache ??= (async () => {
      const target = await this.target();
      if (target.accountId) return target.accountId;
      const accounts = await (await this.client()).accounts();
      const how = `Pass --account-id <id>, set CLOUDFLARE_ACCOUNT_ID, or save it: ${this.command} profile add <name> --account-id <id>`;
      const account = await pickAccount(this, accounts, undefined, true, how);
      return account!.id;
    })();
    return this.accountCache;
  }

  /** Reads all of stdin (for --with-token, -f -). */
  async readStdin(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.streams.stdin)
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    return Buffer.concat(chunks).toString('utf8');
  }
}
