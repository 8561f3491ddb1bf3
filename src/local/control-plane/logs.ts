// /accounts/{account_id}/ai-gateway/gateways/{gateway_id}/logs: list (filters, search, order, pages,
// meta_info), delete (filters, order, limit), one log, its feedback (PATCH), its request and response bodies.
//
// Envelopes as Cloudflare's: the list carries result_info; delete answers {success} alone; PATCH answers
// result {}; the bodies come back raw (the bytes as logged, with their content type), not in an envelope.
// Reads first write the logs still queued in the log writer, so a log is there as soon as its answer was sent.
import { listOrders } from '../../log-filters.js';
import type { Runtime } from '../runtime.js';
import { deleteLogs } from '../store/logs/delete.js';
import {
  countLogs,
  deleteOrders,
  getLog,
  type LogPatch,
  listLogs,
  logBody,
  logStats,
  patchLog,
} from '../store/logs/queries.js';
import { notFound, ok, type Reply, validationError } from './envelope.js';
import { gatewayInPath } from './gateways.js';
import { enumQuery, selectionQuery } from './logs-query.js';
import { booleanQuery, integerQuery, pageQuery, resultInfo } from './request.js';
import type { Route } from './router.js';

const logs = '/accounts/:account_id/ai-gateway/gateways/:gateway_id/logs';
const directions = ['asc', 'desc'] as const;
/** per_page bounds of the logs list (smaller than the other AI Gateway lists). */
const logsPerPage = { defaultPerPage: 20, minPerPage: 1, maxPerPage: 50 } as const;
const deleteLimit = { min: 1, max: 10_000 };

export function logRoutes(runtime: Runtime): Route[] {
  const store = runtime.store;
  /** The gateway's id once it is known to exist (404, code 7002, otherwise), with queued logs written. */
  const gatewayOf = (params: Record<string, string>): string => {
    const { gatewayId } = gatewayInPath(runtime, params);
    runtime.logs.flush();
    return gatewayId;
  };
  const existing = (params: Record<string, string>) => {
    const gatewayId = gatewayOf(params);
    const log = getLog(store, params.account_id!, gatewayId, params.id!);
    if (!log) throw notFound(`no log with id "${params.id}"`);
    return log;
  };
  const body = (which: 'request' | 'response') => ({
    path: `${logs}/:id/${which}`,
    GET: ({ params }: { params: Record<string, string> }): Reply => {
      const found = logBody(store, params.account_id!, gatewayOf(params), params.id!, which);
      if (!found) throw notFound(`no log with id "${params.id}"`);
      if (!found.body || found.body.length === 0) throw notFound(`log "${params.id}" holds no ${which} body`);
      return {
        status: 200,
        body: found.body,
        headers: { 'content-type': found.contentType ?? 'application/octet-stream' },
      };
    },
  });

  return [
    {
      path: logs,
      GET: ({ params, url }) => {
        const page = pageQuery(url, logsPerPage);
        const order = enumQuery(url, 'order_by', listOrders, 'created_at');
        const direction = enumQuery(
          url,
          'order_by_direction',
          directions,
          enumQuery(url, 'direction', directions, 'desc'),
        );
        const metaInfo = booleanQuery(url, 'meta_info') === true;
        const selection = selectionQuery(url, params.account_id!, params.gateway_id!, true);
        gatewayOf(params);
        const items = listLogs(store, selection, {
          order,
          direction,
          limit: page.perPage,
          offset: page.offset,
        });
        const info = resultInfo(page, items.length, countLogs(store, selection));
        return ok(items, metaInfo ? { ...info, ...logStats(store, selection) } : info);
      },
      DELETE: async ({ params, url }) => {
        const order = enumQuery(url, 'order_by', deleteOrders, 'created_at');
        const direction = enumQuery(url, 'order_by_direction', directions, 'asc');
        const limit = integerQuery(url, 'limit', deleteLimit) ?? deleteLimit.max;
        const selection = selectionQuery(url, params.account_id!, params.gateway_id!, false);
        gatewayOf(params);
        await deleteLogs(store, selection, { order, direction, limit });
        return { status: 200, body: { success: true } };
      },
    },
    {
      path: `${logs}/:id`,
      GET: ({ params }) => ok(existing(params)),
      PATCH: async (ctx) => {
        existing(ctx.params);
        const patch = await ctx.body<LogPatch>();
        if (typeof patch.feedback === 'number' && !Number.isInteger(patch.feedback)) {
          throw validationError([{ path: ['body', 'feedback'], message: '"feedback" must be -1, 0 or 1' }]);
        }
        patchLog(store, ctx.params.account_id!, ctx.params.gateway_id!, ctx.params.id!, patch);
        return ok({});
      },
    },
    body('request'),
    body('response'),
  ];
}
