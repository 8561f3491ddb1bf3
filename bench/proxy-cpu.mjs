// Where the proxy's time goes: CPU per request for each of its threads (main, log writer, V8 helpers),
// from /proc/<pid>/task/*/stat, over N requests at 32 concurrent (logging on, cache off); and its RSS idle
// and after the run. Linux only.
//   node bench/proxy-cpu.mjs [requests=40000]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { bin, fmt, root, rssMb, startJsonChild, stop } from './lib.mjs';

const N = Number(process.argv[2] ?? 40_000);
const TICK_US = 1e6 / 100; // /proc stat times are in clock ticks (USER_HZ = 100 on Linux)
const dataDir = mkdtempSync(join(tmpdir(), 'aigw-bench-cpu-'));
const upstream = await startJsonChild([join(root, 'bench/upstream.mjs')]);
const proxy = await startJsonChild([
  bin,
  ...['proxy', '--port', '0', '--json', '--data-dir', dataDir],
  ...['--upstream', `openai=http://127.0.0.1:${upstream.info.port}/v1`],
]);
const pid = proxy.child.pid;
await fetch(`${proxy.info.url}/client/v4/accounts/local/ai-gateway/gateways`, {
  method: 'POST',
  headers: { authorization: 'Bearer local', 'content-type': 'application/json' },
  body: JSON.stringify({
    id: 'bench',
    cache_ttl: 0,
    cache_invalidate_on_update: false,
    collect_logs: true,
    rate_limiting_interval: 0,
    rate_limiting_limit: 0,
  }),
});

const pool = new Pool(proxy.info.url, { connections: 32, pipelining: 1, keepAliveTimeout: 60_000 });
const request = {
  method: 'POST',
  path: '/v1/local/bench/openai/chat/completions',
  headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench-key' },
  body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }] }),
};
async function drive(n) {
  let left = n;
  const worker = async () => {
    while (left-- > 0) await (await pool.request(request)).body.arrayBuffer();
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

/** CPU ticks (user + system) per thread, grouped by thread name. */
function ticksByThread() {
  const groups = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    groups.set(name, (groups.get(name) ?? 0) + Number(fields[11]) + Number(fields[12]));
  }
  return groups;
}

await drive(5_000); // warm-up: pools, JIT, the log thread
const idleRss = rssMb(pid);
const before = ticksByThread();
const started = performance.now();
await drive(N);
const seconds = (performance.now() - started) / 1000;
const after = ticksByThread();
const afterRss = rssMb(pid);
await pool.close();
await stop(proxy.child);
await stop(upstream.child);
rmSync(dataDir, { recursive: true, force: true });

console.log(`${N.toLocaleString('en-US')} requests at 32 concurrent, ${fmt(N / seconds, 0)} req/s\n`);
console.log('| thread | CPU per request |\n|---|---|');
let total = 0;
for (const [name, ticks] of after) {
  const us = ((ticks - (before.get(name) ?? 0)) * TICK_US) / N;
  total += us;
  if (us >= 0.5) console.log(`| ${name} | ${fmt(us, 1)} µs |`);
}
console.log(`| whole process | ${fmt(total, 1)} µs |`);
console.log(`\nRSS: ${fmt(idleRss, 0)} MB after warm-up, ${fmt(afterRss, 0)} MB after the run`);
