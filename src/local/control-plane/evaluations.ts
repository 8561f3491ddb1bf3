// /accounts/{account_id}/ai-gateway/evaluation-types (list), and a gateway's evaluations under
// /gateways/{gateway_id}/evaluations: list (name, processed, search), create, get, delete. Deprecated by
// Cloudflare (unavailable to new accounts); served locally as for accounts that have them.
//
// Like Cloudflare's, an evaluation is processed after it is created: POST answers it unprocessed, with a pending
// result per type, and the logs are read in the background (in chunks, see ../store/logs/totals.ts). It reads
// the logs of its datasets written up to its creation, once: a snapshot, which later logs do not change. An
// evaluation left unprocessed by a stopped gateway is taken up again when it is next read.
import type { Runtime } from '../runtime.js';
import { DatasetRepository } from '../store/datasets.js';
import { EvaluationRepository } from '../store/evaluations.js';
import { logTotals } from '../store/logs/totals.js';
import { datasetConditions } from './datasets.js';
import { type ApiError, notFound, ok, validationError } from './envelope.js';
import { type EvaluationType, evaluationTypes, type TypeResult, typeResult } from './evaluation-types.js';
import { gatewayInPath } from './gateways.js';
import { enumQuery } from './logs-query.js';
import { aiGatewayPerPage, booleanQuery, pageQuery, resultInfo, stringQuery } from './request.js';
import type { Route } from './router.js';

const evaluations = '/accounts/:account_id/ai-gateway/gateways/:gateway_id/evaluations';

interface CreateBody {
  name: string;
  dataset_ids: string[];
  evaluation_type_ids: string[];
}

/** per_page bounds of the evaluation types list. */
const typesPerPage = { defaultPerPage: 20, minPerPage: 5, maxPerPage: 50 } as const;
const typeOrders = [
  'mandatory',
  'id',
  'name',
  'type',
  'enable',
  'description',
  'created_at',
  'modified_at',
] as const;

export function evaluationRoutes(runtime: Runtime): Route[] {
  const repo = new EvaluationRepository(runtime.store);
  const datasets = new DatasetRepository(runtime.store);
  const startProcessing = processor(runtime, repo);
  const gatewayOf = (params: Record<string, string>) => gatewayInPath(runtime, params);

  return [
    {
      path: '/accounts/:account_id/ai-gateway/evaluation-types',
      GET: ({ url }) => {
        const page = pageQuery(url, typesPerPage);
        const order = enumQuery(url, 'order_by', typeOrders, 'mandatory');
        const direction = enumQuery(url, 'order_by_direction', ['asc', 'desc'], 'desc');
        const sign = direction === 'desc' ? -1 : 1;
        const sorted = [...evaluationTypes].sort(
          (a, b) => sign * compare(a[order], b[order]) || compare(a.id, b.id),
        );
        const items = sorted.slice(page.offset, page.offset + page.perPage);
        return ok(items, resultInfo(page, items.length, sorted.length));
      },
    },
    {
      path: evaluations,
      GET: ({ params, url }) => {
        const page = pageQuery(url, aiGatewayPerPage);
        const filter = {
          name: stringQuery(url, 'name'),
          flag: booleanQuery(url, 'processed'),
          search: stringQuery(url, 'search'),
        };
        const { accountId, gatewayId } = gatewayOf(params);
        const items = repo.list(accountId, gatewayId, filter, { limit: page.perPage, offset: page.offset });
        for (const item of items) if (!item.processed) startProcessing(accountId, gatewayId, item.id);
        return ok(items, resultInfo(page, items.length, repo.count(accountId, gatewayId, filter)));
      },
      POST: async (ctx) => {
        const { accountId, gatewayId } = gatewayOf(ctx.params);
        const body = await ctx.body<CreateBody>();
        const issues: { path: string[]; message: string }[] = [];
        if (body.name.trim() === '')
          issues.push({ path: ['body', 'name'], message: '"name" must not be empty' });
        if (body.evaluation_type_ids.length === 0) {
          issues.push({
            path: ['body', 'evaluation_type_ids'],
            message: 'at least one evaluation type is required (GET /evaluation-types lists them)',
          });
        }
        body.evaluation_type_ids.forEach((id, i) => {
          if (!evaluationTypes.some((t) => t.id === id)) {
            issues.push({
              path: ['body', 'evaluation_type_ids', String(i)],
              message: `no evaluation type with id "${id}"`,
            });
          }
        });
        const found = body.dataset_ids.map((id, i) => {
          const dataset = datasets.get(accountId, gatewayId, id);
          if (!dataset) {
            issues.push({
              path: ['body', 'dataset_ids', String(i)],
              message: `no dataset with id "${id}" in gateway "${gatewayId}"`,
            });
          }
          return dataset;
        });
        if (issues.length > 0) throw validationError(issues);
        // Logs still queued were written before this evaluation: they are part of it.
        runtime.logs.flush();
        const created = repo.create(
          accountId,
          gatewayId,
          {
            name: body.name,
            datasets: unique(found.map((d) => d!)),
            typeIds: unique(body.evaluation_type_ids),
          },
          runtime.options.now(),
        );
        startProcessing(accountId, gatewayId, created.id);
        return ok(created);
      },
    },
    {
      path: `${evaluations}/:id`,
      GET: ({ params }) => {
        const { accountId, gatewayId } = gatewayOf(params);
        const found = repo.get(accountId, gatewayId, params.id!);
        if (!found) throw evaluationNotFound(params.id!);
        if (!found.processed) startProcessing(accountId, gatewayId, found.id);
        return ok(found);
      },
      DELETE: ({ params }) => {
        const { accountId, gatewayId } = gatewayOf(params);
        const deleted = repo.delete(accountId, gatewayId, params.id!);
        if (!deleted) throw evaluationNotFound(params.id!);
        return ok(deleted);
      },
    },
  ];
}

/**
 * Starts processing an evaluation unless that is under way: on the next turn of the event loop, so the request
 * that asked is answered first. A failure (other than the gateway stopping) completes it with error results.
 */
function processor(runtime: Runtime, repo: EvaluationRepository) {
  const running = new Set<string>();
  return (accountId: string, gatewayId: string, id: string): void => {
    const key = JSON.stringify([accountId, gatewayId, id]);
    if (running.has(key)) return;
    running.add(key);
    const store = runtime.store;
    const run = async () => {
      await new Promise((resolve) => setImmediate(resolve));
      if (!store.db.isOpen) return;
      const work = repo.work(accountId, gatewayId, id);
      if (!work) return;
      let results: Map<string, TypeResult>;
      let totalLogs = 0;
      try {
        const totals = await logTotals(store, {
          accountId,
          gatewayId,
          datasets: work.datasets.map(datasetConditions),
          untilMs: work.untilMs,
        });
        if (!totals) return;
        totalLogs = totals.logs;
        results = new Map(work.typeIds.map((typeId) => [typeId, typeResult(typeId, totals)]));
      } catch (err) {
        if (!store.db.isOpen) return;
        const failed = {
          result: '',
          status: 2,
          status_description: `Failed: ${message(err)}`,
          total_logs: 0,
        };
        results = new Map(work.typeIds.map((typeId) => [typeId, failed]));
      }
      repo.complete(accountId, gatewayId, id, { totalLogs, results }, runtime.options.now());
    };
    run()
      .catch(() => undefined)
      .finally(() => running.delete(key));
  };
}

function unique<T extends string | { id: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = typeof item === 'string' ? item : item.id;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function compare(a: EvaluationType[keyof EvaluationType], b: EvaluationType[keyof EvaluationType]): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function evaluationNotFound(id: string): ApiError {
  return notFound(`no evaluation with id "${id}"`);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
