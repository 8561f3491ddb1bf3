// The proxy's settings file (`--config`, JSON or YAML). Every key is checked: an unknown key or a value of the
// wrong type is a usage error naming the key and the file, so a typo never quietly falls back to a default.
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { parseData, readInput } from '../../io/files.js';

export interface ProxyFile {
  port?: number;
  host?: string;
  dataDir?: string;
  inMemory?: boolean;
  apiToken?: string;
  accountId?: string;
  upstreams?: Record<string, string>;
  /** Like the flag: true (every provider), false, "openai,anthropic" or [openai, anthropic]. */
  mock?: boolean | string | string[];
  maxBodySize?: string | number;
  maxBodyMemory?: string | number;
  maxLogMemory?: string | number;
  cors?: string;
  allowHosts?: string[];
  record?: string;
  replay?: string;
  recordMissing?: boolean;
  replaySpeed?: string;
  replayIgnore?: string[];
}

/** A problem with a value (null when it is fine). */
type Check = (value: unknown) => string | null;

const text: Check = (v) => (typeof v === 'string' && v.trim() !== '' ? null : 'must be a non-empty string');
const flag: Check = (v) => (typeof v === 'boolean' ? null : 'must be true or false');
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

const checks: Record<keyof ProxyFile, Check> = {
  port: (v) =>
    Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535
      ? null
      : 'must be a whole number from 0 to 65535',
  host: text,
  dataDir: text,
  inMemory: flag,
  apiToken: text,
  accountId: text,
  upstreams: (v) =>
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Object.values(v).every((u) => typeof u === 'string')
      ? null
      : 'must map provider names to base URLs, e.g. { openai: "http://127.0.0.1:9001/v1" }',
  mock: (v) =>
    typeof v === 'boolean' || typeof v === 'string' || strings(v)
      ? null
      : 'must be true, false, a list like "openai,anthropic", or an array of provider names',
  maxBodySize: (v) =>
    typeof v === 'string' || (Number.isInteger(v) && (v as number) > 0)
      ? null
      : 'must be a size like "25mb" or a number of bytes',
  maxBodyMemory: (v) =>
    typeof v === 'string' || (Number.isInteger(v) && (v as number) > 0)
      ? null
      : 'must be a size like "256mb" or a number of bytes',
  maxLogMemory: (v) =>
    typeof v === 'string' || (Number.isInteger(v) && (v as number) >= 0)
      ? null
      : 'must be a size like "64mb" or a number of bytes',
  cors: text,
  allowHosts: (v) => (strings(v) ? null : 'must be a list of host names'),
  record: text,
  replay: text,
  recordMissing: flag,
  replaySpeed: (v) => (v === 'instant' || v === 'recorded' ? null : 'must be "instant" or "recorded"'),
  replayIgnore: (v) =>
    strings(v)
      ? null
      : 'must be a list of provider:path:fields rules, e.g. ["openai:/chat/completions:user"]',
};

const proxyFileKeys = Object.keys(checks) as (keyof ProxyFile)[];

/** Values never repeated in a message. */
const secret = new Set<string>(['apiToken']);

export async function readProxyFile(ctx: Context, path: string): Promise<ProxyFile> {
  const data = await parseData('--config', path, await readInput(ctx, '--config', path));
  const where = `--config ${path}`;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(`${where} must hold an object of settings (port, host, upstreams, mock, ...).`, {
      hint: `Keys: ${proxyFileKeys.join(', ')}.`,
    });
  }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (!Object.hasOwn(checks, key)) {
      problems.push(`unknown key "${key}"${suggestion(key)}`);
      continue;
    }
    const problem = checks[key as keyof ProxyFile](value);
    if (problem) problems.push(`${key} ${problem}${secret.has(key) ? '' : `, not ${show(value)}`}`);
  }
  if (problems.length > 0) {
    throw new UsageError(problems.map((p) => `${where}: ${p}.`).join('\n'), {
      hint: `Keys: ${proxyFileKeys.join(', ')} (aigw proxy --help describes them).`,
    });
  }
  return data as ProxyFile;
}

/** The key a flag-style or singular spelling means: data-dir -> dataDir, upstream -> upstreams. */
function suggestion(key: string): string {
  const bare = (k: string) => k.toLowerCase().replace(/[-_]/g, '').replace(/s$/, '');
  const close = proxyFileKeys.find((k) => bare(k) === bare(key));
  return close ? ` (did you mean "${close}"?)` : '';
}

function show(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
