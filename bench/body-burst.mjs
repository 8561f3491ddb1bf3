// Memory under a burst of large request bodies: starts the built proxy in front of a loopback upstream, sends
// N concurrent requests of M MB each at once, samples the proxy's RSS every 500 ms from the burst until 15 s
// after it, and prints idle / peak / 10 s after, with where the resident memory is (/proc/PID/smaps_rollup).
//   node bench/body-burst.mjs [--concurrency 64] [--mb 20] [--json]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { fmt, root, startJsonChild, startProxy, stop } from './lib.mjs';

const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const CONCURRENCY = arg('--concurrency', 64);
const MB = arg('--mb', 20);
const SAMPLE_MS = 500;
const AFTER_SECONDS = 15;

/** Resident memory by kind, in MB: anonymous (heap, buffers, malloc) and file-backed (code, libraries). */
function rollup(pid) {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0) / 1024;
  return { rss: kb('Rss'), anonymous: kb('Anonymous'), file: kb('Rss') - kb('Anonymous') };
}

const dataDir = mkdtempSync(join(tmpdir(), 'aigw-burst-'));
const upstream = await startJsonChild([join(root, 'bench/upstream.mjs')]);
const proxy = await startProxy(dataDir, `http://127.0.0.1:${upstream.info.port}`, [], 'ignore');
const pid = proxy.child.pid;
const path = '/v1/local/default/openai/chat/completions';
const headers = { 'content-type': 'application/json', authorization: 'Bearer sk-bench-key' };
const small = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
const prefix = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"';
const suffix = '"}]}';
const large = Buffer.alloc(MB * 1024 * 1024, 'x');
large.write(prefix, 0);
large.write(suffix, large.length - suffix.length);

const pool = new Pool(proxy.info.url, { connections: CONCURRENCY, pipelining: 1 });
async function send(body) {
  try {
    const res = await pool.request({ method: 'POST', path, headers, body });
    await res.body.arrayBuffer();
    return res.statusCode;
  } catch {
    // A refused body (503, connection closed) may reset the upload before its answer is read.
    return 'reset';
  }
}

// Idle: after a few small requests (the gateway, the log store and the upstream connection are set up).
for (let i = 0; i < 20; i++) await send(small);
await sleep(2000);
const idle = rollup(pid);

const samples = [];
let peak = idle;
const sampler = setInterval(() => {
  const now = rollup(pid);
  samples.push(now.rss);
  if (now.rss > peak.rss) peak = now;
}, SAMPLE_MS);
const started = performance.now();
const statuses = await Promise.all(Array.from({ length: CONCURRENCY }, () => send(large)));
const burstSeconds = (performance.now() - started) / 1000;
let after10 = null;
for (let waited = 0; waited < AFTER_SECONDS * 1000; waited += SAMPLE_MS) {
  await sleep(SAMPLE_MS);
  if (waited + SAMPLE_MS === 10_000) after10 = rollup(pid);
}
clearInterval(sampler);
const end = rollup(pid);

await pool.close();
await stop(proxy.child);
await stop(upstream.child);
rmSync(dataDir, { recursive: true, force: true });

const counts = {};
for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
const target = 1.5 * idle.rss + 30;
const result = {
  concurrency: CONCURRENCY,
  mb: MB,
  burst_seconds: burstSeconds,
  statuses: counts,
  idle,
  peak,
  after_10s: after10,
  after_15s: end,
  samples_mb: samples.map((s) => Math.round(s)),
  target_mb: target,
};
if (process.argv.includes('--json')) console.log(JSON.stringify(result));
const line = (name, r) =>
  `| ${name} | ${fmt(r.rss, 1)} MB | ${fmt(r.anonymous, 1)} MB | ${fmt(r.file, 1)} MB |`;
console.log(
  `${CONCURRENCY} concurrent ${MB} MB requests in ${fmt(burstSeconds, 1)} s: ${Object.entries(counts)
    .map(([s, n]) => `${n} x ${s}`)
    .join(', ')}\n`,
);
console.log('| proxy | RSS | anonymous | file-backed |\n|---|---|---|---|');
console.log(line('idle', idle));
console.log(line('peak', peak));
console.log(line('10 s after the burst', after10));
console.log(line('15 s after the burst', end));
console.log(
  `\nafter 10 s ${after10.rss <= target ? '<=' : '>'} 1.5 x idle + 30 MB (${fmt(target, 1)} MB); samples every ${SAMPLE_MS} ms: ${samples.map((s) => Math.round(s)).join(' ')}`,
);
