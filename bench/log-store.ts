// Log store benchmark over 1,000,000 logs: how many logs/s the batched writer stores while the event loop stays
// responsive; how long the logs API's list takes for a filtered newest page, run through the API's own handler
// (query parsing, page, count) and its parts (store/logs/queries.ts); and how long a delete of 100,000 logs
// holds the event loop at a time (store/logs/delete.ts, which the API's DELETE runs). Bundled and run by
// log-store.mjs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { logRoutes } from '../src/local/control-plane/logs.js';
import { selectionQuery } from '../src/local/control-plane/logs-query.js';
import type { RequestContext } from '../src/local/control-plane/request.js';
import { defaultLocalGatewayOptions, type StoreRuntime } from '../src/local/runtime.js';
import { CustomProviderRepository } from '../src/local/store/custom-providers.js';
import { openStore } from '../src/local/store/db.js';
import { GatewayRepository } from '../src/local/store/gateways.js';
import { deleteLogs } from '../src/local/store/logs/delete.js';
import { countLogs, listLogs, patchLog } from '../src/local/store/logs/queries.js';
import { type LogRecord, LogWriter, newLogId } from '../src/local/store/logs/writer.js';
import { ProviderKeyRepository } from '../src/local/store/provider-keys.js';
import { RouteRepository } from '../src/local/store/routes.js';
import type { LogFilter } from '../src/log-filters.js';

const quick = process.argv.includes('--quick');
const TOTAL = quick ? 200_000 : 1_000_000;
const BATCH = Number(process.env.AIGW_LOG_BATCH ?? defaultLocalGatewayOptions.logBatchSize);
const dir = mkdtempSync(join(tmpdir(), 'aigw-bench-logs-'));
const store = openStore({ dataDir: dir });
const runtime: StoreRuntime = {
  options: { ...defaultLocalGatewayOptions, logBatchSize: BATCH },
  store,
  gateways: new GatewayRepository(store),
  customProviders: new CustomProviderRepository(store),
};
const settings = {
  cache_ttl: 0,
  cache_invalidate_on_update: false,
  collect_logs: true,
  rate_limiting_interval: 0,
  rate_limiting_limit: 0,
};
runtime.gateways.create('local', 'bench', settings, new Date());
const writer = new LogWriter(runtime);
// How long each write turn holds the event loop: that is what a request arriving meanwhile waits.
const turns: number[] = [];
const writeBatch = (writer as unknown as { writeBatch: () => void }).writeBatch.bind(writer);
(writer as unknown as { writeBatch: () => void }).writeBatch = () => {
  const t = performance.now();
  writeBatch();
  turns.push(performance.now() - t);
};

const providers = ['openai', 'anthropic', 'google-ai-studio', 'workers-ai', 'groq'];
const models = [
  'gpt-4o-mini',
  'claude-sonnet-4-5',
  'gemini-2.5-flash',
  '@cf/meta/llama-3.1-8b-instruct',
  'llama-3.3-70b',
];
const requestBody = Buffer.from(
  JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(200) }] }),
);
const responseBody = Buffer.from(JSON.stringify({ choices: [{ message: { content: 'y'.repeat(300) } }] }));
const start = Date.parse('2026-01-01T00:00:00Z');

function record(i: number): LogRecord {
  const k = i % providers.length;
  const createdMs = start + i * 1000;
  return {
    id: newLogId(createdMs),
    accountId: 'local',
    gatewayId: 'bench',
    createdAt: new Date(createdMs),
    provider: providers[k]!,
    model: models[k]!,
    modelType: null,
    path: 'chat/completions',
    requestType: null,
    statusCode: i % 20 === 0 ? 500 : 200,
    success: i % 20 !== 0,
    cached: i % 7 === 0,
    duration: 100 + (i % 900),
    tokensIn: 10 + (i % 4000),
    tokensOut: 5 + (i % 1000),
    cost: ((i % 1000) + 1) / 100_000,
    customCost: false,
    metadata: i % 3 === 0 ? { user: `u${i % 100}` } : null,
    step: null,
    eventId: i % 10_000 === 0 ? `ev-${i}` : null,
    userAgent: 'bench',
    authentication: false,
    requestContentType: 'application/json',
    responseContentType: 'application/json',
    requestSize: requestBody.length,
    responseSize: responseBody.length,
    requestHead: { 'content-type': 'application/json' },
    responseHead: { 'content-type': 'application/json' },
    requestBody,
    responseBody,
    error: null,
  };
}

// 1. Write rate: records arrive as fast as the loop can enqueue them, 200 per tick; the writer batches.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const writeStarted = performance.now();
let i = 0;
await new Promise<void>((resolve) => {
  const tick = () => {
    for (let n = 0; n < 200 && i < TOTAL; n++) writer.enqueue(record(i++), {});
    if (i < TOTAL) setImmediate(tick);
    else resolve();
  };
  tick();
});
writer.flush();
const writeSeconds = (performance.now() - writeStarted) / 1000;
loopDelay.disable();
const rate = TOTAL / writeSeconds;

// 2. The logs API's list over the stored logs: newest page of 50 with a filter, as GET .../logs answers it.
// Human feedback on 100 logs spread over the table (a sparse filter).
for (let n = 0; n < 100; n++) {
  const id = (
    store.db.prepare('SELECT id FROM logs WHERE seq = ?').get(1 + n * Math.floor(TOTAL / 100)) as {
      id: string;
    }
  ).id;
  patchLog(store, 'local', 'bench', id, { feedback: 1 });
}
const routes = new RouteRepository(store, runtime.gateways);
const list = logRoutes({
  ...runtime,
  logs: writer,
  routes,
  providerKeys: new ProviderKeyRepository(store),
}).find((route) => route.path.endsWith('/logs'))!.GET!;
const median = (run: () => unknown) => {
  run();
  const times: number[] = [];
  for (let r = 0; r < 10; r++) {
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
};
const midpoint = new Date(start + (TOTAL / 2) * 1000).toISOString();
const cases: [string, LogFilter[], Record<string, string>?][] = [
  ['no filter', []],
  ['provider eq anthropic', [{ key: 'provider', operator: 'eq', value: ['anthropic'] }]],
  ['success eq false', [{ key: 'success', operator: 'eq', value: [false] }]],
  ['cached eq true', [{ key: 'cached', operator: 'eq', value: [true] }]],
  [
    'model eq gpt-4o-mini, created_at lt the midpoint',
    [
      { key: 'model', operator: 'eq', value: ['gpt-4o-mini'] },
      { key: 'created_at', operator: 'lt', value: [midpoint] },
    ],
  ],
  ['cost gt 0.009 (no index)', [{ key: 'cost', operator: 'gt', value: [0.009] }]],
  ['feedback eq 1 (100 logs)', [{ key: 'feedback', operator: 'eq', value: [1] }]],
  ['event_id eq (1 log)', [{ key: 'event_id', operator: 'eq', value: [`ev-${TOTAL / 2}`] }]],
  [
    'metadata user = u42 (1 log in 300)',
    [
      { key: 'metadata.key', operator: 'eq', value: ['user'] },
      { key: 'metadata.value', operator: 'eq', value: ['u42'] },
    ],
  ],
  [
    'provider eq anthropic, meta_info',
    [{ key: 'provider', operator: 'eq', value: ['anthropic'] }],
    { meta_info: 'true' },
  ],
  ['search "u42" (no index)', [], { search: 'u42' }],
];
const params = { account_id: 'local', gateway_id: 'bench' };
const listed = cases.map(([name, filters, extra]) => {
  const url = new URL('http://local/client/v4/accounts/local/ai-gateway/gateways/bench/logs');
  url.searchParams.set('per_page', '50');
  if (filters.length > 0) url.searchParams.set('filters', JSON.stringify(filters));
  for (const [k, v] of Object.entries(extra ?? {})) url.searchParams.set(k, v);
  const selection = selectionQuery(url, 'local', 'bench', true);
  const page = { order: 'created_at', direction: 'desc', limit: 50, offset: 0 } as const;
  return {
    name,
    api: median(() => list({ params, url } as unknown as RequestContext)),
    page: median(() => listLogs(store, selection, page)),
    count: median(() => countLogs(store, selection)),
    total: countLogs(store, selection),
  };
});

// 3. A delete of 100,000 logs (provider eq openai, oldest first) while the event loop is watched: the longest
// single chunk, and the longest the loop waited for any reason (selection thread start included), with the main
// thread's CPU time in that wait: a wait with little CPU is the machine running something else, not a hold.
const deleteCount = quick ? 20_000 : 100_000;
const chunks: { ms: number; cpuMs: number }[] = [];
let phase = 'selecting';
const longest = { ms: 0, cpuMs: 0, phase };
let lastTick = performance.now();
let lastCpu = process.threadCpuUsage();
const probe = setInterval(() => {
  const now = performance.now();
  const cpu = process.threadCpuUsage(lastCpu);
  if (now - lastTick > longest.ms) {
    Object.assign(longest, { ms: now - lastTick, cpuMs: (cpu.user + cpu.system) / 1000, phase });
  }
  lastTick = now;
  lastCpu = process.threadCpuUsage();
}, 1);
// The garbage the phases above left is collected first, so that the delete's window holds the delete's own.
(globalThis as { gc?: () => void }).gc?.();
// Garbage collection pauses the event loop too: its longest pause in the same window, to tell the two apart.
let longestGc = 0;
const gcWatch = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longestGc = Math.max(longestGc, entry.duration);
});
gcWatch.observe({ entryTypes: ['gc'] });
const deleteStarted = performance.now();
const deleted = await deleteLogs(
  store,
  {
    accountId: 'local',
    gatewayId: 'bench',
    conditions: [{ key: 'provider', operator: 'eq', values: ['openai'] }],
  },
  {
    order: 'created_at',
    direction: 'asc',
    limit: deleteCount,
    onChunk: (chunk) => {
      phase = 'deleting';
      chunks.push(chunk);
    },
  },
);
const deleteSeconds = (performance.now() - deleteStarted) / 1000;
clearInterval(probe);
gcWatch.disconnect();
store.close();
rmSync(dir, { recursive: true, force: true });

const n = (v: number) => v.toLocaleString('en-US');
console.log(`| measure | result | budget |\n|---|---|---|`);
console.log(
  `| logs written through the batched writer | ${n(Math.round(rate))} logs/s (${n(TOTAL)} in ${writeSeconds.toFixed(1)} s) | >= 20,000 logs/s |`,
);
turns.sort((a, b) => a - b);
const turnAt = (p: number) => turns[Math.min(turns.length - 1, Math.floor(turns.length * p))]!.toFixed(2);
console.log(
  `| event loop held per write turn (batch ${BATCH}) | p50 ${turnAt(0.5)} ms, p99 ${turnAt(0.99)} ms, max ${turnAt(1)} ms | no stalls |`,
);
console.log(
  `| event-loop delay while writing, producer included | p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms | - |`,
);
for (const r of listed) {
  console.log(
    `| GET logs, newest 50, ${r.name} (${n(r.total)} match), over ${n(TOTAL)} logs | ${r.api.toFixed(2)} ms (page ${r.page.toFixed(2)} ms + count ${r.count.toFixed(2)} ms) | <= 50 ms |`,
  );
}
const worst = (field: 'ms' | 'cpuMs') => Math.max(...chunks.map((c) => c[field])).toFixed(2);
const typical = chunks.map((c) => c.ms).sort((a, b) => a - b)[Math.floor(chunks.length / 2)]!;
console.log(
  `| delete ${n(deleted)} of ${n(TOTAL)} logs (provider eq openai), in ${n(chunks.length)} chunks | ${deleteSeconds.toFixed(1)} s; longest chunk ${worst('ms')} ms wall, ${worst('cpuMs')} ms CPU (p50 ${typical.toFixed(2)} ms); longest event-loop wait ${longest.ms.toFixed(1)} ms (${longest.cpuMs.toFixed(1)} ms CPU, ${longest.phase}); longest GC pause ${longestGc.toFixed(1)} ms | <= 10 ms at a time |`,
);
