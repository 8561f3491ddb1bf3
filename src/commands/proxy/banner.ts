// What `aigw proxy` says once it listens: where, with what, and commands that work exactly as printed, run the way
// this aigw was run (`aigw` installed, `npx aigw` from a checkout or a project, else the full path).
import { LOCAL_PROFILE } from '../../config/names.js';
import { baseUrlFor, localTargetOptions } from '../../config/target.js';
import type { Context } from '../../context.js';
import { acceptedBeyondCloudflare } from '../../local/leniency.js';
import type { CliRun } from '../../local/runtime.js';
import type { LocalGateway } from '../../local/server.js';
import type { ProxySettings } from './options.js';

export async function printBanner(
  ctx: Context,
  gateway: LocalGateway,
  options: ProxySettings['options'],
  run: CliRun,
): Promise<void> {
  const io = ctx.io;
  const c = io.errColor;
  const account = options.accountId;
  const cli = `${run.command} ${localTargetOptions(`${gateway.url}/client/v4`, run.localGoesTo)}`;
  io.err(`${c.green('aigw proxy')} listening on ${c.bold(gateway.url)}`);
  io.err(`  data:        ${options.inMemory ? 'in memory (nothing kept)' : gateway.runtime.store.location}`);
  if (options.mock) {
    const others = Object.keys(options.upstreams ?? {}).length > 0 ? ' other' : '';
    const which = Array.isArray(options.mock) ? ` (${options.mock.join(', ')})` : ` (all${others} providers)`;
    io.err(`  upstreams:   mock${which}`);
  }
  for (const [provider, url] of Object.entries(options.upstreams ?? {}))
    io.err(`  upstream:    ${provider} → ${url}`);
  const rec = options.cassettes;
  if (rec) {
    const what = {
      record: 'recording into',
      replay: 'replaying from',
      hybrid: 'replaying (recording what is missing) from',
    };
    const offline = rec.mode === 'replay' ? ' (no request leaves this machine)' : '';
    io.err(`  recordings:  ${what[rec.mode]} ${rec.dir}${offline}`);
  }
  const auth = options.apiToken ? 'token required (set AIGW_LOCAL_TOKEN for the CLI)' : 'any token accepted';
  io.err(`  auth:        ${auth}`);
  io.warn(acceptedBeyondCloudflare(options));
  for (const warning of gateway.runtime.store.warnings) io.warn(warning);
  io.err('');
  io.err(`  CLI:         ${cli} gateway create my-gateway`);
  io.err(`  OpenAI SDK:  baseURL ${gateway.url}/v1/${account}/my-gateway/openai`);
  io.err(`  Anthropic:   baseURL ${gateway.url}/v1/${account}/my-gateway/anthropic`);
  io.err(`  API:         ${gateway.url}/client/v4/accounts/${account}/ai-gateway/gateways`);
  io.err('');
  io.err('Press Ctrl-C to stop.');
}

/**
 * How the CLI that reaches this gateway is run: this aigw as run from where the user is (ctx.command), and where
 * its `--local` goes (AIGW_LOCAL_URL or the local profile may send it elsewhere; '' when the config cannot be
 * read, so that the address is named). The banner and the gateway's own hints build their commands from it.
 */
export async function cliRun(ctx: Context): Promise<CliRun> {
  let localGoesTo = '';
  try {
    const settings = (await ctx.profiles()).settings(LOCAL_PROFILE);
    localGoesTo = baseUrlFor(LOCAL_PROFILE, {}, ctx.env, settings).url;
  } catch {
    // A config file it cannot read: name the address, which works whatever the profile says.
  }
  return { command: ctx.command, localGoesTo };
}
