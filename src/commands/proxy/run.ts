// Starts the local gateway, says where it listens and how to use it, and stops cleanly when asked (stop.ts).
import type { Context } from '../../context.js';
import type { ProxyFlags } from '../proxy.js';
import { type FlagGiven, proxySettings } from './options.js';
import { startFailure } from './problems.js';
import { stopWhenAsked } from './stop.js';

export async function runProxy(flags: ProxyFlags, given: FlagGiven, ctx: Context): Promise<void> {
  const settings = await proxySettings(flags, given, ctx);
  const { options } = settings;
  const { startLocalGateway } = await import('../../local/server.js');
  const { capYoungGeneration } = await import('../../local/young-generation.js');
  let gateway: Awaited<ReturnType<typeof startLocalGateway>>;
  try {
    gateway = await startLocalGateway(options);
  } catch (err) {
    throw startFailure(err, settings);
  }
  // Signals are handled from here on, before anything tells the user the gateway is up.
  const stopped = stopWhenAsked(ctx, gateway);
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
    const others = Object.keys(options.upstreams ?? {}).length > 0 ? ' other' : '';
    const which = Array.isArray(options.mock) ? ` (${options.mock.join(', ')})` : ` (all${others} providers)`;
    io.err(`  upstreams:   mock${which}`);
  }
  for (const [provider, url] of Object.entries(options.upstreams ?? {}))
    io.err(`  upstream:    ${provider} → ${url}`);
  const auth = options.apiToken ? 'token required (set AIGW_LOCAL_TOKEN for the CLI)' : 'any token accepted';
  io.err(`  auth:        ${auth}`);
  for (const warning of gateway.runtime.store.warnings) io.warn(warning);
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
