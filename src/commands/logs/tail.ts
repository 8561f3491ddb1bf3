// `aigw logs tail [gateway] [filters]`: follows a gateway's new logs. The logs API has no stream, so this
// polls about once a second for the newest logs, moving a cursor (the newest created_at seen, less an
// overlap for logs written late) and skipping ids already shown. It backs off while the API rate-limits
// or cannot be reached, and ends cleanly (exit 0) on Ctrl-C.
import type { Log, LogQuery } from '../../client/logs.js';
import { LOGS_PER_PAGE } from '../../client/logs.js';
import type { Context } from '../../context.js';
import { ApiError, NetworkError } from '../../errors.js';
import { renderJsonLine } from '../../io/render.js';
import { type GatewayTarget, gatewayTarget } from '../args/gateway.js';
import type { FilterFlags } from '../args/log-filter-options.js';
import { type CompiledFilters, compileFilters } from '../args/log-filters.js';
import { logLine } from './columns.js';
import { forLogs } from './common.js';

const POLL_MS = 1000;
const MAX_BACKOFF_MS = 30_000;
/** Logs may be written a little after their created_at (batching; Cloudflare's pipeline). */
const OVERLAP_MS = 60_000;
/** Pages read in one poll at most (50 logs each), so a burst cannot stall the output. */
const MAX_PAGES = 20;
const SEEN_LIMIT = 20_000;

/** Ids already shown, forgetting the oldest beyond a bound (a Set iterates in insertion order). */
class SeenIds {
  private readonly ids = new Set<string>();
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > SEEN_LIMIT) this.ids.delete(this.ids.values().next().value!);
  }
}

class LogFollower {
  private readonly seen = new SeenIds();
  private cursor: number | undefined;

  constructor(
    private readonly target: GatewayTarget,
    private readonly compiled: CompiledFilters,
  ) {}

  /** The logs that are new since the last poll, oldest first. */
  async poll(signal: AbortSignal, maxPages = MAX_PAGES): Promise<Log[]> {
    const { accountId, gatewayId, client } = this.target;
    const filters = [...this.compiled.filters];
    if (this.cursor !== undefined) {
      filters.push({
        key: 'created_at',
        operator: 'gt',
        value: [new Date(this.cursor - OVERLAP_MS).toISOString()],
      });
    }
    const query: LogQuery = { ...this.compiled, filters, orderBy: 'created_at', direction: 'desc' };
    const fresh: Log[] = [];
    for (let page = 1; page <= maxPages; page++) {
      const { logs } = await client.logs.page(accountId, gatewayId, query, page, LOGS_PER_PAGE, signal);
      let reachedKnown = false;
      for (const log of logs) {
        const at = Date.parse(log.created_at);
        if (!Number.isNaN(at)) this.cursor = Math.max(this.cursor ?? at, at);
        if (this.seen.has(log.id)) {
          reachedKnown = true;
          continue;
        }
        this.seen.add(log.id);
        if (!this.compiled.keep || this.compiled.keep(log)) fresh.push(log);
      }
      if (reachedKnown || logs.length < LOGS_PER_PAGE) break;
    }
    return fresh.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  }
}

async function runTail(
  gateway: string | undefined,
  flags: FilterFlags,
  ctx: Context,
  emit: (log: Log) => void,
): Promise<void> {
  const compiled = compileFilters(flags, ctx.now());
  const target = await gatewayTarget(ctx, gateway);
  const follower = new LogFollower(target, compiled);
  const signal = ctx.interrupted;
  // Without --since, what exists at the start is only the baseline; with it, those logs are shown first.
  let baseline = flags.since === undefined;
  let waiting = true;
  let backoff = 0;
  while (!signal.aborted) {
    try {
      const fresh = await forLogs(ctx, target, undefined, () =>
        follower.poll(signal, baseline ? 1 : MAX_PAGES),
      );
      if (!baseline) for (const log of fresh) emit(log);
      baseline = false;
      if (waiting) {
        ctx.io.err(`Following the logs of gateway ${target.gatewayId} (Ctrl-C to stop)...`);
        waiting = false;
      }
      if (backoff > 0) ctx.io.err('Reconnected.');
      backoff = 0;
    } catch (err) {
      if (signal.aborted) break;
      if (!transient(err)) throw err;
      backoff = Math.min(Math.max(backoff * 2, 2 * POLL_MS), MAX_BACKOFF_MS);
      ctx.io.warn(`${(err as Error).message} Trying again in ${Math.round(backoff / 1000)} s.`);
    }
    await ctx.sleep(backoff || POLL_MS, signal);
  }
}

/** Rate limits, server errors and an unreachable API pass; anything else (auth, not found) ends the tail. */
function transient(err: unknown): boolean {
  if (err instanceof NetworkError) return true;
  return err instanceof ApiError && (err.status === 429 || err.status >= 500);
}

export async function tailCommand(gateway: string | undefined, flags: FilterFlags, ctx: Context) {
  const io = ctx.io;
  const lines = io.stdoutIsTTY && !ctx.json;
  await runTail(gateway, flags, ctx, (log) => {
    if (lines) io.out(logLine(log, io.color));
    else renderJsonLine(io, log);
  });
}
