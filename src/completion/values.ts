// The live values the completion scripts ask for with the hidden `aigw __complete <kind> <line>`: gateway
// ids of the target the line chose (--local, --local-url, --profile, --account-id on it count), or profile
// names. A TAB must never hang, prompt or print an error: everything is bounded by a short deadline, and any
// failure (offline, no credentials, several accounts) is an empty answer.
import type { GlobalOptions } from '../config/target.js';
import type { Context } from '../context.js';
import { type DynamicKind, dynamicKinds } from './dynamic.js';

/** How long a TAB may wait for the API, all requests together. */
const completionDeadlineMs = 1500;

export async function completionValues(kind: string, line: string, ctx: Context): Promise<string[]> {
  if (!(dynamicKinds as readonly string[]).includes(kind)) return [];
  const deadline = AbortSignal.timeout(completionDeadlineMs);
  const expired = new Promise<string[]>((resolve) =>
    deadline.addEventListener('abort', () => resolve([]), { once: true }),
  );
  const work = (async () => {
    ctx.setGlobals({ ...targetOptionsOn(words(line)), input: false });
    ctx.limitRequests({ timeoutMs: completionDeadlineMs, signal: deadline });
    return lookUp(kind as DynamicKind, ctx);
  })().catch(() => []);
  return Promise.race([work, expired]);
}

async function lookUp(kind: DynamicKind, ctx: Context): Promise<string[]> {
  if (kind === 'profiles') return (await ctx.profiles()).names();
  const accountId = await ctx.accountId();
  const gateways = await (await ctx.client()).gateways.list(accountId);
  return gateways.map((g) => g.id);
}

/** The words of a command line as a POSIX shell splits them (quotes and backslashes; no expansions). */
export function words(line: string): string[] {
  const out: string[] = [];
  let word: string | null = null;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i]!;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i]!;
    } else if (/\s/.test(c)) {
      if (word !== null) out.push(word);
      word = null;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) out.push(word);
  return out;
}

const valueOptions: Record<string, keyof GlobalOptions> = {
  '--local-url': 'localUrl',
  '--profile': 'profile',
  '--account-id': 'accountId',
};

/** The options on a command line that choose the target. */
export function targetOptionsOn(argv: string[]): GlobalOptions {
  const globals: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') break;
    if (word === '--local') globals.local = true;
    const eq = word.indexOf('=');
    const name = eq > 0 ? word.slice(0, eq) : word;
    const key = valueOptions[name];
    if (!key) continue;
    const value = eq > 0 ? word.slice(eq + 1) : argv[++i];
    if (value !== undefined) globals[key] = value;
  }
  return globals as GlobalOptions;
}
