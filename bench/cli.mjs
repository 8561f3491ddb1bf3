// CLI start-up benchmark: wall time of `aigw --version` and `aigw gateway list --local` (SDK loaded,
// one HTTP round trip to a running local gateway) against `node -e 0`, interleaved, in one run.
//   node bench/cli.mjs [--runs 30]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, fmt, median, startJsonChild, stop } from './lib.mjs';

const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 30;
const home = mkdtempSync(join(tmpdir(), 'aigw-bench-cli-'));
const env = { ...process.env, HOME: home, AIGW_CONFIG_DIR: join(home, 'config'), CI: '1' };
delete env.CLOUDFLARE_API_TOKEN;

const proxy = await startJsonChild([bin, 'proxy', '--port', '0', '--json', '--in-memory']);
const apiUrl = `${proxy.info.url}/client/v4`;
for (const id of ['alpha', 'beta', 'gamma']) {
  const res = await fetch(`${apiUrl}/accounts/local/ai-gateway/gateways`, {
    method: 'POST',
    headers: { authorization: 'Bearer local', 'content-type': 'application/json' },
    body: JSON.stringify({
      id,
      cache_ttl: 0,
      cache_invalidate_on_update: false,
      collect_logs: true,
      rate_limiting_interval: 0,
      rate_limiting_limit: 0,
    }),
  });
  if (!res.ok) throw new Error(`creating ${id}: ${res.status}`);
}

const commands = {
  'node -e 0': ['-e', '0'],
  'aigw --version': [bin, '--version'],
  'aigw gateway list --local': [bin, 'gateway', 'list', '--local', '--local-url', apiUrl],
};
const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
function time(args) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}
for (const args of Object.values(commands)) time(args); // warm the file cache and V8's compile cache
for (let i = 0; i < RUNS; i++) {
  for (const [name, args] of Object.entries(commands)) times[name].push(time(args));
}
await stop(proxy.child);
rmSync(home, { recursive: true, force: true });

const base = median(times['node -e 0']);
const budgets = { 'aigw --version': 2, 'aigw gateway list --local': 5 };
console.log(`| command | median wall time | vs node -e 0 | budget |\n|---|---|---|---|`);
for (const [name, list] of Object.entries(times)) {
  const m = median(list);
  const ratio = m / base;
  const budget = budgets[name];
  console.log(
    `| ${name} | ${fmt(m, 1)} ms | ${fmt(ratio, 2)}x | ${budget ? `<= ${budget}x ${ratio <= budget ? '(ok)' : '(OVER)'}` : '-'} |`,
  );
}
console.log(`\n${RUNS} runs each, interleaved.`);
