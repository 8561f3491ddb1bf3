// Starts the local gateway, says where it listens and how to use it, and stops cleanly on Ctrl-C/SIGTERM.
import { dataDir as defaultDataDir } from '../../config/paths.js';
import { LOCAL_ACCOUNT } from '../../config/target.js';
import type { Context } from '../../context.js';
import { AigwError, UsageError } from '../../errors.js';
import { parseData, readInput } from '../../io/files.js';
import type { LocalGatewayOptions } from '../../local/runtime.js';
import type { ProxyFlags } from '../proxy.js';

export async function runProxy(flags: ProxyFlags, ctx: Context): Promise<void> {
  const options = await proxyOptions(flags, ctx);
  const { startLocalGateway } = await import('../../local/server.js');
  const { capYoungGeneration } = await import('../../local/young-generation.js');
  let gateway: Awaited<ReturnType<typeof startLocalGateway>>;
  try {
    gateway = await startLocalGateway(options);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new AigwError(`Port ${options.port} on ${options.host} is already in use.`, {
        hint: 'Is another aigw proxy running? Pick another port with --port (0 picks a free one).',
      });
    }
    if (code === 'EACCES') throw new AigwError(`Not allowed to listen on ${options.host}:${options.port}.`);
    throw err;
  }
  // Signals are handled from here on, before anything tells the user the gateway is up.
  const stopped = stopOnSignal(ctx, gateway);
  const io = ctx.io;
  const c = io.errColor;
  const account = options.accountId;
  const localFlag =
    gateway.port === 8787 && options.host === '127.0.0.1'
      ? '--local'
      : `--local-url ${gateway.url}/client/v4`;
  io.err(`${c.green('aigw proxy')} listening on ${c.bold(gateway.url)}`);
  io.err(`  data:        ${options.inMemory ? 'in memory (nothing kept)' : gateway.runtime.store.location}`);
  if (options.mock) {
    const which = Array.isArray(options.mock) ? ` (${options.mock.join(', ')})` : ' (all providers)';
    io.err(`  upstreams:   mock${which}`);
  }
  for (const [provider, url] of Object.entries(options.upstreams ?? {}))
    io.err(`  upstream:    ${provider} → ${url}`);
  const auth = options.apiToken ? 'token required (set AIGW_LOCAL_TOKEN for the CLI)' : 'any token accepted';
  io.err(`  auth:        ${auth}`);
  io.err('');
  io.err(`  CLI:         aigw ${localFlag} gateway create my-gateway`);
  io.err(`  OpenAI SDK:  baseURL ${gateway.url}/v1/${account}/my-gateway/openai`);
  io.err(`  Anthropic:   baseURL ${gateway.url}/v1/${account}/my-gateway/anthropic`);
  io.err(`  API:         ${gateway.url}/client/v4/accounts/${account}/ai-gateway/gateways`);
  io.err('');
  io.err('Press Ctrl-C to stop.');
  if (ctx.json) io.out(JSON.stringify({ url: gateway.url, port: gateway.port, account_id: account }));
  // A long-running proxy keeps a small young generation (RSS is a budget; throughput does not suffer).
  const uncap = capYoungGeneration(16);
  try {
    await stopped;
  } finally {
    uncap();
  }
}

/** Resolves once SIGINT or SIGTERM has stopped the gateway (pending logs flushed); a second signal exits now. */
function stopOnSignal(ctx: Context, gateway: { close(): Promise<void> }): Promise<void> {
  const io = ctx.io;
  return new Promise<void>((resolve, reject) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        io.err('Stopping now.');
        process.exit(130);
      }
      stopping = true;
      io.err(`\n${signal}: stopping (flushing logs)...`);
      gateway.close().then(
        () => {
          io.err('Stopped.');
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
          // Nothing of ours is left running; don't let a stray handle keep the process alive.
          setTimeout(() => process.exit(process.exitCode ?? 0), 1_000).unref();
          resolve();
        },
        (err: unknown) => reject(err),
      );
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

interface ProxyFile {
  port?: number;
  host?: string;
  dataDir?: string;
  inMemory?: boolean;
  apiToken?: string;
  accountId?: string;
  upstreams?: Record<string, string>;
  mock?: boolean | string[];
  maxBodySize?: string | number;
  cors?: string;
  allowHosts?: string[];
}

export async function proxyOptions(flags: ProxyFlags, ctx: Context): Promise<Partial<LocalGatewayOptions>> {
  const file = flags.config ? await readProxyFile(ctx, flags.config) : {};
  const port = parsePort(
    flags.port !== '8787' || file.port === undefined ? (flags.port ?? '8787') : String(file.port),
  );
  const upstreams: Record<string, string> = { ...(file.upstreams ?? {}) };
  for (const spec of flags.upstream ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--upstream takes provider=url, got "${spec}".`);
    upstreams[spec.slice(0, eq)] = checkUrl(spec.slice(eq + 1), '--upstream');
  }
  for (const url of Object.values(upstreams)) checkUrl(url, 'upstreams');
  const mock =
    flags.mock === undefined || flags.mock === false
      ? (file.mock ?? false)
      : flags.mock === true
        ? true
        : flags.mock
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
  const inMemory = flags.inMemory ?? file.inMemory ?? false;
  const options: Partial<LocalGatewayOptions> = {
    port,
    host: flags.host !== '127.0.0.1' ? (flags.host ?? '127.0.0.1') : (file.host ?? '127.0.0.1'),
    inMemory,
    accountId: ctx.globals.accountId || ctx.env.CLOUDFLARE_ACCOUNT_ID || file.accountId || LOCAL_ACCOUNT,
    upstreams,
    mock,
    maxBodyBytes: parseSize(
      flags.maxBodySize !== '25mb' ? (flags.maxBodySize ?? '25mb') : String(file.maxBodySize ?? '25mb'),
    ),
    allowedHosts: [...(file.allowHosts ?? []), ...(flags.allowHost ?? [])],
  };
  if (!inMemory) options.dataDir = flags.dataDir ?? file.dataDir ?? defaultDataDir(ctx.env);
  const apiToken = flags.apiToken ?? file.apiToken;
  if (apiToken) options.apiToken = apiToken;
  const cors = flags.cors ?? file.cors;
  if (cors) options.corsOrigin = cors;
  return options;
}

async function readProxyFile(ctx: Context, path: string): Promise<ProxyFile> {
  const data = await parseData('--config', path, await readInput(ctx, '--config', path));
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(
      `--config: ${path} must hold an object of settings (port, host, upstreams, mock, ...).`,
    );
  }
  return data as ProxyFile;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a number from 0 to 65535, got "${value}".`);
  }
  return port;
}

function checkUrl(value: string, flag: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    return value.replace(/\/+$/, '');
  } catch {
    throw new UsageError(`${flag}: "${value}" is not an http(s) URL.`);
  }
}

export function parseSize(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(value.trim());
  if (!match) throw new UsageError(`--max-body-size takes a size like 25mb or 512kb, got "${value}".`);
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
