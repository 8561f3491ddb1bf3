// A fake of Cloudflare's logs API for in-process command tests: the six logs operations and a gateway GET,
// over an in-memory list of logs. Every request the client sends and every answer the fake gives is checked
// against the vendored contract, and `filters` must arrive as Cloudflare reads it: ONE query parameter
// holding a JSON array (bracketed `filters.key=` parameters fail the request).
import { validateRequest, validateResponse } from './openapi.js';

export interface FakeLog {
  id: string;
  created_at: string;
  provider: string;
  model: string;
  path: string;
  duration: number;
  success: boolean;
  cached: boolean;
  tokens_in: number | null;
  tokens_out: number | null;
  status_code?: number;
  cost?: number;
  metadata?: Record<string, string | number | boolean>;
  event_id?: string;
  feedback?: number;
  score?: number;
  request_body?: unknown;
  response_body?: unknown;
}

interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

type Filter = { key: string; operator: string; value: (string | number | boolean | null)[] };

const json = (status: number, body: unknown, contentType = 'application/json') =>
  new Response(typeof body === 'string' && contentType !== 'application/json' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': contentType },
  });

const notFound = { success: false, errors: [{ code: 7002, message: 'Not Found' }], result: {} };

export function fakeLogsApi(options: {
  gateways: Record<string, { authentication?: boolean }>;
  logs: FakeLog[];
}) {
  const state = {
    logs: options.logs,
    requests: [] as SeenRequest[],
    failures: [] as number[],
    violations: [] as string[],
  };

  const answer = (method: string, path: string, status: number, body: unknown, contentType?: string) => {
    if (contentType === undefined || contentType === 'application/json')
      validateResponse(method, path, status, body);
    return json(status, body, contentType);
  };

  const handle = (method: string, url: URL, body: unknown): Response => {
    const path = url.pathname.replace(/^\/client\/v4/, '');
    const match =
      /^\/accounts\/([^/]+)\/ai-gateway\/gateways\/([^/]+)(\/logs(?:\/([^/]+)(\/request|\/response)?)?)?$/.exec(
        path,
      );
    if (!match) return json(404, { success: false, errors: [{ code: 7003, message: 'No route' }] });
    validateRequest(method, path, url.searchParams, body);
    if ([...url.searchParams.keys()].some((k) => k.startsWith('filters') && k !== 'filters')) {
      throw new Error(`filters sent in bracket form: ${url.search}`);
    }
    const [, , gatewayId, logsPart, logId, bodyPart] = match as unknown as string[];
    const gateway = options.gateways[decodeURIComponent(gatewayId!)];
    if (!gateway) return answer(method, path, 404, notFound);
    if (!logsPart)
      return answer(method, path, 200, { success: true, result: gatewayObject(gatewayId!, gateway) });
    if (logId === undefined) {
      const filters = JSON.parse(url.searchParams.get('filters') ?? '[]') as Filter[];
      const matching = state.logs.filter((log) => filters.every((f) => matches(log, f)));
      if (method === 'DELETE') {
        const limit = Number(url.searchParams.get('limit') ?? 10_000);
        const doomed = new Set(
          [...matching]
            .sort((a, b) => a.created_at.localeCompare(b.created_at))
            .slice(0, limit)
            .map((l) => l.id),
        );
        state.logs = state.logs.filter((l) => !doomed.has(l.id));
        return answer(method, path, 200, { success: true });
      }
      return answer(method, path, 200, listPage(matching, url.searchParams));
    }
    const log = state.logs.find((l) => l.id === decodeURIComponent(logId));
    if (!log) return answer(method, path, 404, notFound);
    if (bodyPart) {
      const stored = bodyPart === '/request' ? log.request_body : log.response_body;
      if (stored === undefined) return answer(method, path, 404, notFound);
      return typeof stored === 'string'
        ? json(200, stored, 'text/event-stream')
        : answer(method, path, 200, stored);
    }
    if (method === 'PATCH') {
      const patch = body as { feedback?: number; score?: number; metadata?: Record<string, string> };
      if (patch.feedback !== undefined) log.feedback = patch.feedback;
      if (patch.score !== undefined) log.score = patch.score;
      if (patch.metadata) log.metadata = { ...log.metadata, ...patch.metadata };
      return answer(method, path, 200, { success: true, result: {} });
    }
    return answer(method, path, 200, { success: true, result: wire(log) });
  };

  const fetchImpl: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const text = request.body ? await request.text() : '';
    const body = text === '' ? undefined : JSON.parse(text);
    state.requests.push({ method: request.method, path: url.pathname, query: url.searchParams, body });
    const failure = state.failures.shift();
    if (failure !== undefined) {
      // x-should-retry: false keeps the SDK from retrying (and sleeping) before the command sees the error.
      return new Response(
        JSON.stringify({ success: false, errors: [{ code: 10000, message: `HTTP ${failure}` }] }),
        {
          status: failure,
          headers: { 'content-type': 'application/json', 'x-should-retry': 'false' },
        },
      );
    }
    try {
      return handle(request.method, url, body);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      state.violations.push(message);
      return new Response(JSON.stringify({ success: false, errors: [{ code: 7001, message }] }), {
        status: 400,
        headers: { 'content-type': 'application/json', 'x-should-retry': 'false' },
      });
    }
  };

  return {
    fetch: fetchImpl,
    get logs() {
      return state.logs;
    },
    set logs(logs: FakeLog[]) {
      state.logs = logs;
    },
    requests: state.requests,
    /** Requests or answers that broke the contract (each also answered 400). */
    violations: state.violations,
    /** The next requests answer these statuses (e.g. 429) instead. */
    failNext(...statuses: number[]) {
      state.failures.push(...statuses);
    },
    /** The list requests sent (their query). */
    listQueries: () =>
      state.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/logs')).map((r) => r.query),
  };
}

function listPage(matching: FakeLog[], query: URLSearchParams) {
  const orderBy = (query.get('order_by') ?? 'created_at') as keyof FakeLog;
  const desc = (query.get('order_by_direction') ?? 'desc') === 'desc';
  const sorted = [...matching].sort((a, b) => {
    const cmp = String(a[orderBy]).localeCompare(String(b[orderBy])) || a.id.localeCompare(b.id);
    return desc ? -cmp : cmp;
  });
  const page = Number(query.get('page') ?? 1);
  const perPage = Number(query.get('per_page') ?? 20);
  const result = sorted.slice((page - 1) * perPage, page * perPage).map(wire);
  return {
    success: true,
    result,
    result_info: { page, per_page: perPage, count: result.length, total_count: matching.length },
  };
}

/** A log as the list and get operations return it (metadata as a JSON string, no stored extras). */
function wire(log: FakeLog) {
  const { metadata, event_id, feedback, score, request_body, response_body, ...fields } = log;
  return { ...fields, ...(metadata ? { metadata: JSON.stringify(metadata) } : {}) };
}

function fieldValues(log: FakeLog, key: string): unknown[] {
  if (key === 'tokens') return [(log.tokens_in ?? 0) + (log.tokens_out ?? 0)];
  if (key === 'metadata.key') return Object.keys(log.metadata ?? {});
  if (key === 'metadata.value') return Object.values(log.metadata ?? {}).map(String);
  if (key === 'feedback') return [log.feedback ?? 0];
  return [(log as unknown as Record<string, unknown>)[key]];
}

function matches(log: FakeLog, filter: Filter): boolean {
  const values = fieldValues(log, filter.key);
  const time = (v: unknown) => (filter.key === 'created_at' ? Date.parse(String(v)) : Number(v));
  switch (filter.operator) {
    case 'eq':
      return values.some((v) => filter.value.includes(v as never));
    case 'neq':
      return values.every((v) => !filter.value.includes(v as never));
    case 'contains':
      return values.some((v) => filter.value.some((x) => String(v).includes(String(x))));
    case 'lt':
      return values.some((v) => v !== undefined && time(v) < time(filter.value[0]));
    case 'gt':
      return values.some((v) => v !== undefined && time(v) > time(filter.value[0]));
    default:
      throw new Error(`unknown operator ${filter.operator}`);
  }
}

function gatewayObject(id: string, settings: { authentication?: boolean }) {
  return {
    id: decodeURIComponent(id),
    cache_ttl: 0,
    cache_invalidate_on_update: false,
    collect_logs: true,
    rate_limiting_interval: 0,
    rate_limiting_limit: 0,
    authentication: settings.authentication ?? false,
    created_at: '2026-01-01T00:00:00Z',
    modified_at: '2026-01-01T00:00:00Z',
  };
}
