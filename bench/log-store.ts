// Log store benchmark: how many logs/s the batched writer stores while the event loop stays responsive,
// and how long filtered list queries take over 1,000,000 logs. Bundled and run by log-store.mjs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { defaultLocalGatewayOptions, type StoreRuntime } from '../src/local/runtime.js';
import { CustomProviderRepository } from '../src/local/store/custom-providers.js';
import { openStore } from '../src/local/store/db.js';
import { GatewayRepository } from '../src/local/store/gateways.js';
import { type LogRecord, LogWriter, newLogId } from '../src/local/store/logs/writer.js';

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
    eventId: null,
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

// 2. Filtered list queries over the stored logs, as the logs list endpoint runs them.
const db = store.db;
const q = (sql: string, ...params: (string | number)[]) => {
  const stmt = db.prepare(sql);
  stmt.all(...params);
  const times: number[] = [];
  for (let r = 0; r < 20; r++) {
    const t = performance.now();
    stmt.all(...params);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
};
const base = "FROM logs WHERE account_id = 'local' AND gateway_id = 'bench'";
const midpoint = start + (TOTAL / 2) * 1000;
const queries: [string, number][] = [
  ['newest 50, no filter', q(`SELECT * ${base} ORDER BY created_ms DESC LIMIT 50`)],
  [
    'provider = anthropic, newest 50',
    q(`SELECT * ${base} AND provider = ? ORDER BY created_ms DESC LIMIT 50`, 'anthropic'),
  ],
  ['success = false, newest 50', q(`SELECT * ${base} AND success = 0 ORDER BY created_ms DESC LIMIT 50`)],
  [
    'time range + model, newest 50',
    q(
      `SELECT * ${base} AND model = ? AND created_ms < ? ORDER BY created_ms DESC LIMIT 50`,
      'gpt-4o-mini',
      midpoint,
    ),
  ],
  [
    'cost > 0.009 (no index), newest 50',
    q(`SELECT * ${base} AND cost > 0.009 ORDER BY created_ms DESC LIMIT 50`),
  ],
  ['count, provider = anthropic', q(`SELECT count(*) ${base} AND provider = ?`, 'anthropic')],
];
store.close();
rmSync(dir, { recursive: true, force: true });

console.log(`| measure | result | budget |\n|---|---|---|`);
console.log(
  `| logs written through the batched writer | ${Math.round(rate).toLocaleString('en-US')} logs/s (${TOTAL.toLocaleString('en-US')} in ${writeSeconds.toFixed(1)} s) | >= 20,000 logs/s |`,
);
turns.sort((a, b) => a - b);
const turnAt = (p: number) => turns[Math.min(turns.length - 1, Math.floor(turns.length * p))]!.toFixed(2);
console.log(
  `| event loop held per write turn (batch ${BATCH}) | p50 ${turnAt(0.5)} ms, p99 ${turnAt(0.99)} ms, max ${turnAt(1)} ms | no stalls |`,
);
console.log(
  `| event-loop delay while writing, producer included | p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms | - |`,
);
for (const [name, ms] of queries) {
  console.log(`| ${name}, over ${TOTAL.toLocaleString('en-US')} logs | ${ms.toFixed(2)} ms | <= 50 ms |`);
}
