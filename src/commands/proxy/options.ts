// `aigw proxy` settings: a flag given on the command line (or its environment variable) wins, then the --config
// file, then the flag's default. Every value is checked before anything starts: a bad one is a usage error
// naming the flag or the file's key.
import { dataDir as defaultDataDir } from '../../config/paths.js';
import { LOCAL_ACCOUNT } from '../../config/target.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { readInput } from '../../io/files.js';
import type { LocalGatewayOptions } from '../../local/runtime.js';
import { builtInProviders, isKnownProvider } from '../../local/upstream/providers.js';
import type { ProxyFlags } from '../proxy.js';
import { type ProxyFile, readProxyFile } from './config-file.js';
import { cassetteSettings } from './recordings.js';

/** Where a value came from, for messages; `usage` when the user typed it (a flag or the file), so a bad value
 *  is a usage error rather than a problem of the machine. */
export interface Origin {
  label: string;
  usage: boolean;
}

export interface ProxySettings {
  options: Partial<LocalGatewayOptions> & Pick<LocalGatewayOptions, 'host' | 'port' | 'accountId' | 'mock'>;
  host: Origin;
  dataDir: Origin;
}

/** True when the user gave this flag (on the command line or through its environment variable). */
export type FlagGiven = (flag: keyof ProxyFlags) => boolean;

export async function proxySettings(
  flags: ProxyFlags,
  given: FlagGiven,
  ctx: Context,
): Promise<ProxySettings> {
  const file: ProxyFile = flags.config ? await readProxyFile(ctx, flags.config) : {};
  const inFile = (key: keyof ProxyFile) => `${key} in ${flags.config}`;
  const pick = <K extends keyof ProxyFlags & keyof ProxyFile>(key: K, name: string) =>
    given(key) || file[key] === undefined
      ? { value: flags[key], origin: { label: name, usage: given(key) } }
      : { value: file[key], origin: { label: inFile(key), usage: true } };

  const port = pick('port', '--port');
  const host = pick('host', '--host');
  const size = pick('maxBodySize', '--max-body-size');
  const memory = pick('maxBodyMemory', '--max-body-memory');
  const logMemory = pick('maxLogMemory', '--max-log-memory');
  const upstreams = upstreamsFrom(flags, file);
  const mock = given('mock')
    ? mockFrom(flags.mock ?? false, '--mock')
    : file.mock === undefined
      ? false
      : mockFrom(file.mock, inFile('mock'));
  if (Array.isArray(mock)) {
    const both = mock.find((p) => Object.hasOwn(upstreams, p));
    if (both) {
      throw new UsageError(`${both} is both mocked and sent to ${upstreams[both]}.`, {
        hint: `Drop ${both} from the mock list or from the upstreams.`,
      });
    }
  }
  const inMemory = flags.inMemory ?? file.inMemory ?? false;
  const options: ProxySettings['options'] = {
    port: parsePort(String(port.value ?? '8787'), port.origin.label),
    host: String(host.value ?? '127.0.0.1'),
    inMemory,
    accountId: ctx.globals.accountId || ctx.env.CLOUDFLARE_ACCOUNT_ID || file.accountId || LOCAL_ACCOUNT,
    upstreams,
    mock,
    maxBodyBytes: parseSize(String(size.value ?? '25mb'), size.origin.label),
    maxBodyMemoryBytes: parseSize(String(memory.value ?? '256mb'), memory.origin.label),
    maxLogMemoryBytes: parseSize(String(logMemory.value ?? '64mb'), logMemory.origin.label),
    allowedHosts: [...(file.allowHosts ?? []), ...(flags.allowHost ?? [])],
  };
  let dataDir: Origin = { label: 'in memory', usage: false };
  if (!inMemory) {
    const dir = given('dataDir') ? flags.dataDir : file.dataDir;
    options.dataDir = dir ?? defaultDataDir(ctx.env);
    dataDir =
      dir === undefined
        ? { label: ctx.env.AIGW_DATA_DIR ? 'AIGW_DATA_DIR' : 'the default data directory', usage: false }
        : { label: given('dataDir') ? '--data-dir' : inFile('dataDir'), usage: true };
  }
  const apiToken = (await tokenFromFile(ctx, flags)) ?? flags.apiToken ?? file.apiToken;
  if (apiToken) options.apiToken = apiToken;
  const cors = flags.cors ?? file.cors;
  if (cors) options.corsOrigin = cors;
  const cassettes = cassetteSettings(flags, file, flags.config, ctx.cwd, ctx.command);
  if (cassettes) options.cassettes = cassettes;
  const hostOrigin =
    given('host') || file.host !== undefined ? host.origin : { label: 'the default --host', usage: false };
  return { options, host: hostOrigin, dataDir };
}

/** --api-token-file: the token on the file's first line (a value in argv is visible to every user in `ps`). */
async function tokenFromFile(ctx: Context, flags: ProxyFlags): Promise<string | undefined> {
  if (flags.apiTokenFile === undefined) return undefined;
  if (flags.apiToken !== undefined) {
    throw new UsageError(
      '--api-token-file and --api-token (or AIGW_PROXY_API_TOKEN) both give the token: use one.',
    );
  }
  const token = (await readInput(ctx, '--api-token-file', flags.apiTokenFile)).split(/\r?\n/)[0]!.trim();
  if (token === '') throw new UsageError(`--api-token-file: ${flags.apiTokenFile} holds no token.`);
  return token;
}

/** The file's upstreams, then --upstream flags (a flag wins for its provider); each provider and URL checked. */
function upstreamsFrom(flags: ProxyFlags, file: ProxyFile): Record<string, string> {
  const upstreams: Record<string, string> = {};
  for (const [provider, url] of Object.entries(file.upstreams ?? {})) {
    const where = `upstreams.${provider} in ${flags.config}`;
    upstreams[checkProvider(provider, where)] = checkUrl(url, where);
  }
  for (const spec of flags.upstream ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--upstream takes provider=url, got "${spec}".`);
    const provider = checkProvider(spec.slice(0, eq), '--upstream');
    upstreams[provider] = checkUrl(spec.slice(eq + 1), `--upstream ${provider}`);
  }
  return upstreams;
}

/** --mock's forms, the file's too: true (every provider), false, "a,b", or [a, b]; each provider checked. */
function mockFrom(value: boolean | string | string[], where: string): boolean | string[] {
  if (typeof value === 'boolean') return value;
  const names = (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) {
    throw new UsageError(`${where} names no provider.`, {
      hint: 'Mock every provider with --mock (mock: true in the file), or name them: --mock openai,anthropic.',
    });
  }
  return [...new Set(names.map((name) => checkProvider(name, where)))];
}

function checkProvider(name: string, where: string): string {
  if (isKnownProvider(name) && name !== 'custom-') return name;
  throw new UsageError(`${where}: unknown provider "${name}".`, {
    hint: `Providers: ${builtInProviders.join(', ')}, or custom-{slug} for a custom provider.`,
  });
}

function checkUrl(value: string, where: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {}
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`${where}: "${value}" is not an http(s) URL.`, {
      hint: 'Give a base URL such as http://127.0.0.1:9001/v1.',
    });
  }
  return value.replace(/\/+$/, '');
}

function parsePort(value: string, where: string): number {
  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(port) || port > 65535) {
    throw new UsageError(`${where} must be a number from 0 to 65535, got "${value}".`);
  }
  return port;
}

function parseSize(value: string, where: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(value.trim());
  if (!match) throw new UsageError(`${where} takes a size like 25mb or 512kb, got "${value}".`);
  const units: Record<string, number> = {
    b: 1,
    k: 1024,
    kb: 1024,
    m: 1024 ** 2,
    mb: 1024 ** 2,
    g: 1024 ** 3,
    gb: 1024 ** 3,
  };
  return Math.floor(Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] ?? 1));
}
