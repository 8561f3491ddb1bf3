// Proxy benchmark: the same requests sent directly to a loopback upstream and through `aigw proxy`
// (logging on, cache off; then cache hits), and through a bare pass-through (the floor, bench/passthrough.mjs),
// in one run, so the ratios hold on any machine.
//   node bench/proxy.mjs [--quick] [--access-log]   (--access-log: the proxy writes text access lines to a file)
import { mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { fmt, median, percentile, root, rssMb, startJsonChild, startProxy, stop } from './lib.mjs';

const quick = process.argv.includes('--quick');
const accessLog = process.argv.includes('--access-log');
const SEQ = quick ? 2000 : 5000;
const LOAD_SECONDS = quick ? 3 : 10;
const SOAK_SECONDS = quick ? 10 : 60;
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }] });
const streamBody = JSON.stringify({
  model: 'gpt-4o-mini',
  stream: true,
  messages: [{ role: 'user', content: 'Hi' }],
});
const headers = { 'content-type': 'application/json', authorization: 'Bearer sk-bench-key' };

const dataDir = mkdtempSync(join(tmpdir(), 'aigw-bench-'));
const upstream = await startJsonChild([join(root, 'bench/upstream.mjs')]);
const upstreamUrl = `http://127.0.0.1:${upstream.info.port}`;
const proxy = await startProxy(
  dataDir,
  upstreamUrl,
  accessLog ? ['--log-format', 'text'] : [],
  // The access lines go to a file, as they would to a terminal: not through this process.
  accessLog ? openSync(join(dataDir, 'access.log'), 'w') : 'pipe',
);
const proxyUrl = proxy.info.url;
// The floor: a bare pass-through proxy (bench/passthrough.mjs) in front of the same upstream.
const floor = await startJsonChild([join(root, 'bench/passthrough.mjs'), upstreamUrl]);
const floorUrl = `http://127.0.0.1:${floor.info.port}`;

async function api(method, path, payload) {
  const res = await fetch(`${proxyUrl}/client/v4/accounts/local/ai-gateway${path}`, {
    method,
    headers: { authorization: 'Bearer local', 'content-type': 'application/json' },
    body: payload ? JSON.stringify(payload) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}
const gatewayFields = {
  cache_invalidate_on_update: false,
  collect_logs: true,
  rate_limiting_interval: 0,
  rate_limiting_limit: 0,
  rate_limiting_technique: 'fixed',
};
await api('POST', '/gateways', { id: 'bench', cache_ttl: 0, ...gatewayFields });
await api('POST', '/gateways', { id: 'bench-cache', cache_ttl: 3600, ...gatewayFields });

const direct = { origin: upstreamUrl, path: '/v1/chat/completions' };
const proxied = { origin: proxyUrl, path: '/v1/local/bench/openai/chat/completions' };
const cached = { origin: proxyUrl, path: '/v1/local/bench-cache/openai/chat/completions' };
const bare = { origin: floorUrl, path: '/v1/chat/completions' };

const pools = new Map();
const poolFor = (origin, connections) => {
  const key = `${origin}#${connections}`;
  if (!pools.has(key))
    pools.set(key, new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 }));
  return pools.get(key);
};

async function once(target, pool, payload = body) {
  const started = process.hrtime.bigint();
  const res = await pool.request({ method: 'POST', path: target.path, headers, body: payload });
  await res.body.arrayBuffer();
  if (res.statusCode !== 200) throw new Error(`${target.origin}${target.path}: HTTP ${res.statusCode}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function firstByte(target, pool) {
  const started = process.hrtime.bigint();
  const res = await pool.request({ method: 'POST', path: target.path, headers, body: streamBody });
  let first = null;
  for await (const _ of res.body) {
    first ??= Number(process.hrtime.bigint() - started) / 1e6;
  }
  return first;
}

/** Sequential latencies of each target, interleaved in blocks so drift hits all of them alike. */
async function sequential(targets, n, fn = once) {
  const pools = targets.map((t) => poolFor(t.origin, 1));
  for (let i = 0; i < 300; i++) for (let t = 0; t < targets.length; t++) await fn(targets[t], pools[t]);
  const latencies = targets.map(() => []);
  const block = 250;
  for (let done = 0; done < n; done += block) {
    for (let t = 0; t < targets.length; t++)
      for (let i = 0; i < block; i++) latencies[t].push(await fn(targets[t], pools[t]));
  }
  return latencies;
}

async function throughput(target, concurrency, seconds) {
  const pool = poolFor(target.origin, concurrency);
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      await once(target, pool);
      count++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return count / seconds;
}

const results = {};
console.error(`upstream ${upstreamUrl}, proxy ${proxyUrl}, ${quick ? 'quick' : 'full'} run`);

const [d, f, p] = await sequential([direct, bare, proxied], SEQ);
results.sequential = {
  floor_p50_ms: median(f),
  floor_p99_ms: percentile(f, 99),
  floor_overhead_p50_ms: median(f) - median(d),
  floor_overhead_p99_ms: percentile(f, 99) - percentile(d, 99),
  direct_p50_ms: median(d),
  direct_p99_ms: percentile(d, 99),
  proxy_p50_ms: median(p),
  proxy_p99_ms: percentile(p, 99),
  overhead_p50_ms: median(p) - median(d),
  overhead_p99_ms: percentile(p, 99) - percentile(d, 99),
};
console.error('sequential done');

// Direct and proxied alternate in rounds (after a warm-up of each, which opens the 32 connections), so a
// slow spell of the machine lands on both rather than on whichever ran during it.
await throughput(direct, 32, 0.5);
await throughput(proxied, 32, 0.5);
await throughput(bare, 32, 0.5);
const ROUNDS = quick ? 3 : 5;
let directSum = 0;
let proxySum = 0;
let floorSum = 0;
for (let round = 0; round < ROUNDS; round++) {
  directSum += await throughput(direct, 32, LOAD_SECONDS / ROUNDS);
  proxySum += await throughput(proxied, 32, LOAD_SECONDS / ROUNDS);
  floorSum += await throughput(bare, 32, LOAD_SECONDS / ROUNDS);
}
const directRate = directSum / ROUNDS;
const proxyRate = proxySum / ROUNDS;
const floorRate = floorSum / ROUNDS;
results.throughput = {
  direct_rps: directRate,
  proxy_rps: proxyRate,
  floor_rps: floorRate,
  ratio: proxyRate / directRate,
  ratio_to_floor: proxyRate / floorRate,
};
console.error('throughput done');

await once(cached, poolFor(cached.origin, 1));
const [, hits] = await sequential([direct, cached], quick ? 1000 : 3000);
results.cache_hit = { p50_ms: median(hits), p99_ms: percentile(hits, 99) };
console.error('cache hits done');

const [fd, fp] = await sequential([direct, proxied], quick ? 300 : 1000, firstByte);
results.streaming_first_byte = {
  direct_p50_ms: median(fd),
  proxy_p50_ms: median(fp),
  overhead_p50_ms: median(fp) - median(fd),
};

// Long streams through the proxy: sample the proxy's RSS while each flows.
async function streamThrough(bytes) {
  const before = rssMb(proxy.child.pid);
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(proxy.child.pid));
  }, 20);
  const started = performance.now();
  const res = await poolFor(proxyUrl, 1).request({
    method: 'POST',
    path: proxied.path,
    headers: { ...headers, 'x-bench-stream-bytes': String(bytes) },
    body: streamBody,
  });
  let streamed = 0;
  for await (const chunk of res.body) streamed += chunk.length;
  clearInterval(sampler);
  return {
    bytes: streamed,
    seconds: (performance.now() - started) / 1000,
    rss_before_mb: before,
    rss_peak_mb: peak,
    rss_growth_mb: peak - before,
  };
}
// Streams of 100, 100, 300 and 300 MB: memory is flat when the last one adds (next to) nothing, whatever
// the size streamed; the first ones also pay for buffers and the heap growing to their working size.
results.streams = [];
for (const mb of [100, 100, 300, 300])
  results.streams.push({ mb, ...(await streamThrough(mb * 1024 * 1024)) });
console.error('long streams done');

// The same soak through the floor, at the same time, so both see the same machine.
await Promise.all([throughput(proxied, 32, SOAK_SECONDS), throughput(bare, 32, SOAK_SECONDS)]);
results.memory = {
  soak_seconds: SOAK_SECONDS,
  proxy_rss_mb: rssMb(proxy.child.pid),
  floor_rss_mb: rssMb(floor.child.pid),
};

for (const pool of pools.values()) await pool.close();
await stop(proxy.child);
await stop(floor.child);
await stop(upstream.child);
rmSync(dataDir, { recursive: true, force: true });

const budget = [
  [
    'proxy overhead p50 (sequential, logging on)',
    `+${fmt(results.sequential.overhead_p50_ms, 3)} ms`,
    '<= +0.25 ms',
    results.sequential.overhead_p50_ms <= 0.25,
  ],
  [
    'proxy overhead p99',
    `+${fmt(results.sequential.overhead_p99_ms, 3)} ms`,
    '<= +1.5 ms',
    results.sequential.overhead_p99_ms <= 1.5,
  ],
  [
    'throughput, 32 concurrent, vs direct',
    `${fmt(results.throughput.ratio * 100, 1)}% (${fmt(results.throughput.proxy_rps, 0)} vs ${fmt(results.throughput.direct_rps, 0)} req/s)`,
    '>= 40%',
    results.throughput.ratio >= 0.4,
  ],
  [
    'against the floor: overhead p50 over a bare pass-through',
    `+${fmt(results.sequential.overhead_p50_ms - results.sequential.floor_overhead_p50_ms, 3)} ms (floor +${fmt(results.sequential.floor_overhead_p50_ms, 3)} ms)`,
    '<= +0.05 ms',
    results.sequential.overhead_p50_ms - results.sequential.floor_overhead_p50_ms <= 0.05,
  ],
  [
    'against the floor: overhead p99 over a bare pass-through',
    `+${fmt(results.sequential.overhead_p99_ms - results.sequential.floor_overhead_p99_ms, 3)} ms (floor +${fmt(results.sequential.floor_overhead_p99_ms, 3)} ms)`,
    '<= +0.5 ms',
    results.sequential.overhead_p99_ms - results.sequential.floor_overhead_p99_ms <= 0.5,
  ],
  [
    'against the floor: throughput, 32 concurrent',
    `${fmt(results.throughput.ratio_to_floor * 100, 1)}% (floor ${fmt(results.throughput.floor_rps, 0)} req/s)`,
    '>= 90%',
    results.throughput.ratio_to_floor >= 0.9,
  ],
  [
    'cache hit end to end p50',
    `${fmt(results.cache_hit.p50_ms, 3)} ms`,
    '<= 0.5 ms',
    results.cache_hit.p50_ms <= 0.5,
  ],
  [
    'streaming first byte overhead p50',
    `+${fmt(results.streaming_first_byte.overhead_p50_ms, 3)} ms`,
    '<= +1 ms',
    results.streaming_first_byte.overhead_p50_ms <= 1,
  ],
  [
    'streams of 100, 100, 300, 300 MB: proxy RSS growth during each',
    results.streams.map((r) => `${fmt(r.rss_growth_mb, 1)}`).join(', ') + ' MB',
    'flat (last < 10 MB)',
    results.streams.at(-1).rss_growth_mb < 10,
  ],
  [
    `proxy RSS after ${SOAK_SECONDS} s at 32 concurrent`,
    `${fmt(results.memory.proxy_rss_mb, 1)} MB`,
    '<= 120 MB',
    results.memory.proxy_rss_mb <= 120,
  ],
  [
    `against the floor: RSS after ${SOAK_SECONDS} s at 32 concurrent`,
    `${fmt(results.memory.proxy_rss_mb, 1)} MB (floor ${fmt(results.memory.floor_rss_mb, 1)} MB)`,
    'no higher',
    results.memory.proxy_rss_mb <= results.memory.floor_rss_mb,
  ],
];
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/proxy.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('| measure | result | budget | ok |\n|---|---|---|---|');
for (const [name, value, limit, ok] of budget)
  console.log(`| ${name} | ${value} | ${limit} | ${ok ? 'yes' : 'NO'} |`);
console.log(
  `\ndirect p50 ${fmt(results.sequential.direct_p50_ms, 3)} ms, p99 ${fmt(results.sequential.direct_p99_ms, 3)} ms; floor p50 ${fmt(results.sequential.floor_p50_ms, 3)} ms, p99 ${fmt(results.sequential.floor_p99_ms, 3)} ms; proxy p50 ${fmt(results.sequential.proxy_p50_ms, 3)} ms, p99 ${fmt(results.sequential.proxy_p99_ms, 3)} ms`,
);
