// Starts the local gateway, says where it listens and how to use it, and stops cleanly when asked (stop.ts).
import type { Context } from '../../context.js';
import type { ProxyFlags } from '../proxy.js';
import { accessLog } from './access-log.js';
import { cliRun, printBanner } from './banner.js';
import { logStoreLine } from './log-store-lines.js';
import { type FlagGiven, proxySettings } from './options.js';
import { startFailure } from './problems.js';
import { stopWhenAsked } from './stop.js';

export async function proxyCommand(flags: ProxyFlags, given: FlagGiven, ctx: Context): Promise<void> {
  const settings = await proxySettings(flags, given, ctx);
  const { options } = settings;
  const access = accessLog(flags, ctx.io);
  if (access) options.onAccess = access.onAccess;
  options.onLogStore = (event) => {
    // After the access lines gathered so far, so that stderr stays in order.
    access?.flush();
    ctx.io.err(logStoreLine(event));
  };
  const { startLocalGateway } = await import('../../local/server.js');
  const { capYoungGeneration } = await import('../../local/young-generation.js');
  // Memory comes back after a burst of large bodies (see pipeline/body.ts).
  options.collectGarbage = (await import('../../local/collect.js')).collectGarbage;
  const cli = await cliRun(ctx);
  let gateway: Awaited<ReturnType<typeof startLocalGateway>>;
  try {
    gateway = await startLocalGateway({ ...options, cli });
  } catch (err) {
    throw startFailure(err, settings);
  }
  // Signals are handled from here on, before anything tells the user the gateway is up.
  const stopped = stopWhenAsked(ctx, gateway);
  await printBanner(ctx, gateway, options, cli);
  if (ctx.json) {
    ctx.io.out(JSON.stringify({ url: gateway.url, port: gateway.port, account_id: options.accountId }));
  }
  // A long-running proxy keeps a small young generation (RSS is a budget; throughput does not suffer).
  const uncap = capYoungGeneration(16);
  try {
    await stopped;
  } finally {
    access?.flush();
    uncap();
  }
}
