// Fault suite: drives `aigw proxy` (the built bin, a temporary HOME and data directory) with a 32-concurrent load
// against a loopback upstream while it injects one fault at a time, and reports for each how many requests were
// sent, answered (any HTTP status), logged (stored in the database) and lost (answered with a log id that was
// never stored). Loopback only; every fault is bounded in time and the whole run stops by itself.
//   node bench/faults.mjs [--quick] [--only a,b,c,d,e,f,g]
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  apiLogCount,
  createGateway,
  health,
  integrity,
  missing,
  sandbox,
  settled,
  sleep,
  stackLines,
  startLoad,
  startProxy,
  storedIds,
  streamBody,
} from './fault-lib.mjs';
import { fmt, root, rssMb, startJsonChild, stop } from './lib.mjs';

const quick = process.argv.includes('--quick');
const only = process.argv.includes('--only')
  ? process.argv[process.argv.indexOf('--only') + 1].split(',')
  : null;
// Load before the fault, the fault itself, load after it (ms).
const BEFORE = quick ? 1_000 : 3_000;
const FAULT = quick ? 1_500 : 4_000;
const AFTER = quick ? 1_000 : 3_000;
const FAULT_LIMIT_MS = 30_000;
const RUN_LIMIT_MS = 180_000;

// Whatever happens, the run ends: a fault past its bound is reported as a hang, the whole run past its own exits.
const children = new Set();
const watchdog = setTimeout(() => {
  console.error(`faults: the run went past ${RUN_LIMIT_MS / 1000} s; stopping`);
  for (const child of children) child.kill('SIGKILL');
  process.exit(2);
}, RUN_LIMIT_MS);
watchdog.unref();

const upstream = await startJsonChild([join(root, 'bench/upstream.mjs')]);
children.add(upstream.child);
const upstreamUrl = `http://127.0.0.1:${upstream.info.port}`;

/** Starts a proxy in `box` and remembers it for the watchdog. */
async function proxyIn(box, extra) {
  const proxy = await startProxy(box, upstreamUrl, extra);
  children.add(proxy.child);
  proxy.exited.then(() => children.delete(proxy.child));
  return proxy;
}

/** The figures every fault reports, from the load's answers and the ids stored for `gateway`. */
function figures(load, ids) {
  const lost = missing(load.answers, ids);
  return {
    sent: load.answers.length + load.failures.length,
    answered: load.answers.length,
    no_answer: load.failures.length,
    logged: ids.size,
    lost: lost.length,
    lostAnswers: lost,
    failed_with: tally(load.failures.map((f) => f.error)),
  };
}

function shutdownLine(proxy) {
  return proxy.stderr().trim().split('\n').at(-1) ?? '';
}

/**
 * A store that fails for FAULT ms mid-load: `inject(proxy)` starts the failure and returns what ends it and
 * describes it; `proxyArgs` are added to the proxy's command line. Reports the health endpoint's figures during and after, and what the proxy said on stderr.
 */
async function storeFault(box, inject, proxyArgs = []) {
  const proxy = await proxyIn(box, proxyArgs);
  await createGateway(proxy, box, 'faults');
  const load = startLoad(proxy, {});
  await sleep(BEFORE);
  const { restore, what } = inject(proxy);
  const failing = load.answers.length;
  await sleep(FAULT);
  const duringFault = load.answers.length - failing;
  const whileFailing = await health(proxy);
  restore();
  await sleep(AFTER);
  await load.stop();
  // Until the logs kept while writes failed are written (health says so when the proxy has it), at most 5 s.
  if (await health(proxy)) await until(async () => (await health(proxy)).logs.pending === 0, 5_000);
  else await settled(() => apiLogCount(proxy, 'faults'));
  const seen = await health(proxy);
  const code = await proxy.stop();
  return {
    ...figures(load, storedIds(box.dataDir, 'faults')),
    exit: code,
    stack_lines: stackLines(proxy.stderr()),
    note: `${what}; integrity check: ${integrity(box.dataDir)}; ${duringFault} answered during the ${FAULT / 1000} s; health at the end of them: ${healthFigures(whileFailing)}, after the load: ${healthFigures(seen)}; said: ${quoted(logStoreLines(proxy.stderr()))}; last line: "${shutdownLine(proxy)}"`,
  };
}

const faults = {
  /** (a) A store whose writes fail: a trigger added from another connection aborts every insert into logs. */
  a: (box) => storeFault(box, () => abortInserts(box)),

  /** (g) As (a), with 1 MB to keep logs in while writes fail: past it, logs are dropped, and counted. */
  g: (box) => storeFault(box, () => abortInserts(box), ['--max-log-memory', '1mb']),

  /**
   * (f) A full disk: the proxy's file size limit (RLIMIT_FSIZE, lowered with prlimit: no root needed) drops to
   * the current size of its database files, so every write that grows one fails (EFBIG, which SQLite reports as
   * "database or disk is full"); lifting the limit is space freed.
   */
  f: (box) =>
    storeFault(box, (proxy) => {
      const sizes = ['aigw.db', 'aigw.db-wal'].map((f) => join(box.dataDir, f)).map((f) => statSync(f).size);
      const full = Math.max(...sizes);
      prlimit(proxy.pid, `${full}:unlimited`);
      return {
        restore: () => prlimit(proxy.pid, 'unlimited:unlimited'),
        what: `files limited to their size then (${fmt(full / 1024 / 1024, 1)} MB)`,
      };
    }),

  /** (b) kill -9 mid-load, then a restart on the same data directory. */
  async b(box) {
    const proxy = await proxyIn(box);
    await createGateway(proxy, box, 'faults');
    const load = startLoad(proxy, {});
    await sleep(BEFORE);
    const killedAt = Date.now();
    await proxy.stop('SIGKILL');
    await load.ended;
    await load.stop();
    const again = await proxyIn(box);
    const viaApi = await apiLogCount(again, 'faults');
    const result = figures(load, storedIds(box.dataDir, 'faults'));
    const oldest = result.lostAnswers.length
      ? `the lost were answered at most ${Math.max(...result.lostAnswers.map((a) => killedAt - a.at))} ms before the kill`
      : 'none lost';
    await again.stop();
    return {
      ...result,
      exit: 'SIGKILL',
      stack_lines: stackLines(proxy.stderr()) + stackLines(again.stderr()),
      note: `after the restart the logs API counts ${viaApi}, integrity check: ${integrity(box.dataDir)}; ${oldest}`,
    };
  },

  /** (c) SIGTERM mid-load: answers take 50 ms upstream, so about 32 are in flight when the signal comes. */
  async c(box) {
    const proxy = await proxyIn(box);
    await createGateway(proxy, box, 'faults');
    // Half the clients ask for streams (their head goes out before SIGTERM, their end after it).
    const headers = { 'x-bench-delay-ms': '50' };
    const plain = startLoad(proxy, { concurrency: 16, headers });
    const streams = startLoad(proxy, { concurrency: 16, headers, body: streamBody });
    await sleep(BEFORE);
    const termAt = Date.now();
    const code = await proxy.stop('SIGTERM');
    const stoppedIn = Date.now() - termAt;
    await Promise.all([plain.ended, streams.ended]);
    await Promise.all([plain.stop(), streams.stop()]);
    const load = {
      answers: [...plain.answers, ...streams.answers],
      failures: [...plain.failures, ...streams.failures],
    };
    const result = figures(load, storedIds(box.dataDir, 'faults'));
    const afterTerm = load.answers.filter((a) => a.at >= termAt).length;
    const failedIn = load.failures.map((f) => f.at - termAt);
    const failedWhen = failedIn.length
      ? `, ${Math.min(...failedIn)} to ${Math.max(...failedIn)} ms after it`
      : '';
    return {
      ...result,
      exit: code,
      stack_lines: stackLines(proxy.stderr()),
      note: `exited ${stoppedIn} ms after SIGTERM; ${afterTerm} answered after it${failedWhen}; last line: "${shutdownLine(proxy)}"`,
    };
  },

  /** (d) 64 concurrent 20 MB bodies (default --max-body-memory) on top of the load. */
  async d(box) {
    const proxy = await proxyIn(box);
    await createGateway(proxy, box, 'faults');
    await sleep(500);
    const idle = rssMb(proxy.pid);
    let peak = idle;
    const sampler = setInterval(() => {
      if (proxy.child.exitCode === null && proxy.child.signalCode === null)
        peak = Math.max(peak, rssMb(proxy.pid));
      else clearInterval(sampler);
    }, 20);
    const load = startLoad(proxy, {});
    // Shorter load around the burst: the burst itself and the 10 s after it take most of this fault's 20 s.
    const around = quick ? 500 : 1_500;
    await sleep(around);
    const big = Buffer.from(
      JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'x'.repeat(20 * 1024 * 1024) }],
      }),
    );
    const burstAt = Date.now();
    const burst = startLoad(proxy, { concurrency: 64, body: big });
    // One request per worker: stop as soon as each has sent its first.
    await burst.stop();
    const burstMs = Date.now() - burstAt;
    await sleep(around);
    await load.stop();
    const busy = rssMb(proxy.pid);
    const restMs = quick ? 3_000 : 10_000;
    await sleep(restMs);
    clearInterval(sampler);
    const rest = rssMb(proxy.pid);
    await settled(() => apiLogCount(proxy, 'faults'));
    const code = await proxy.stop();
    const ids = storedIds(box.dataDir, 'faults');
    const all = {
      answers: [...load.answers, ...burst.answers],
      failures: [...load.failures, ...burst.failures],
    };
    const refused = burst.answers.filter((a) => a.status === 503);
    const enveloped = refused.filter(
      (a) => a.retryAfter !== null && JSON.parse(a.body).error?.[0]?.code === 2011,
    );
    return {
      ...figures(all, ids),
      exit: code,
      stack_lines: stackLines(proxy.stderr()),
      note: `big (${burstMs} ms): ${burst.answers.filter((a) => a.status === 200).length} answered 200, ${refused.length} got 503 (${enveloped.length} with Retry-After and code 2011), ${missing(burst.answers, ids).length} of them not logged; RSS ${fmt(idle, 0)} MB idle, peak ${fmt(peak, 0)} MB, ${fmt(busy, 0)} MB when the load ended, ${fmt(rest, 0)} MB ${restMs / 1000} s later`,
    };
  },

  /** (e) A gateway deleted under load; a second gateway takes half the load beside it. */
  async e(box) {
    const proxy = await proxyIn(box);
    await createGateway(proxy, box, 'doomed');
    await createGateway(proxy, box, 'bystander');
    const load = startLoad(proxy, { gatewayFor: (i) => (i % 2 ? 'doomed' : 'bystander') });
    await sleep(BEFORE);
    const res = await fetch(`${proxy.url}/client/v4/accounts/local/ai-gateway/gateways/doomed`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer local' },
    });
    await res.arrayBuffer();
    const deletedAt = Date.now();
    const rightAfter = storedIds(box.dataDir, 'doomed').size;
    await sleep(FAULT);
    await load.stop();
    await settled(() => apiLogCount(proxy, 'bystander'));
    const later = storedIds(box.dataDir, 'doomed').size;
    await createGateway(proxy, box, 'doomed');
    const recreated = await apiLogCount(proxy, 'doomed');
    const code = await proxy.stop();
    const bystander = {
      answers: load.answers.filter((a) => a.gateway === 'bystander'),
      failures: load.failures.filter((a) => a.gateway === 'bystander'),
    };
    const doomedAfter = load.answers.filter((a) => a.gateway === 'doomed' && a.at > deletedAt);
    const statuses = tally(doomedAfter.map((a) => a.status));
    return {
      ...figures(bystander, storedIds(box.dataDir, 'bystander')),
      exit: code,
      stack_lines: stackLines(proxy.stderr()),
      doomed_rows: rightAfter + later + recreated,
      note: `DELETE answered ${res.status}; rows of the deleted gateway right after: ${rightAfter}, ${FAULT / 1000} s later: ${later}; the gateway created again lists ${recreated} logs; ${doomedAfter.length} requests to it answered after the delete (${statuses}); figures are the bystander's`,
    };
  },
};

/** A trigger, added from a connection of its own, aborts every insert into logs until restore(). */
function abortInserts(box) {
  const db = new DatabaseSync(join(box.dataDir, 'aigw.db'));
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec("CREATE TRIGGER fault_disk_full BEFORE INSERT ON logs BEGIN SELECT RAISE(ABORT, 'disk full'); END");
  const restore = () => {
    db.exec('DROP TRIGGER fault_disk_full');
    db.close();
  };
  return { restore, what: 'every insert into logs aborted' };
}

/** Sets the file size limit (soft:hard, bytes) of a running process. */
function prlimit(pid, limits) {
  execFileSync('prlimit', ['--pid', String(pid), `--fsize=${limits}`]);
}

/** How many times each value occurs, as "value xN" joined. */
function tally(values) {
  const counts = new Map();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) => `${v} x${n}`).join(', ');
}

/** Polls `done()` every 100 ms until it is true or `limitMs` have passed. */
async function until(done, limitMs) {
  const deadline = Date.now() + limitMs;
  while (!(await done()) && Date.now() < deadline) await sleep(100);
}

/** GET /_aigw/health's status and log counts, or "none" when the proxy has no such endpoint. */
function healthFigures(answer) {
  if (!answer) return 'none';
  const { pending, written, dropped } = answer.logs ?? {};
  return `${answer.status}, pending ${pending}, written ${written}, dropped ${dropped}`;
}

/** What the proxy said about its log writes on stderr. */
function logStoreLines(text) {
  return text.split('\n').filter((l) => /log writes|dropping logs/.test(l));
}

const quoted = (lines) => (lines.length ? lines.map((l) => `"${l}"`).join(', ') : 'nothing');

const names = {
  a: 'store writes fail (trigger)',
  b: 'kill -9, restart',
  c: 'SIGTERM',
  d: '64 x 20 MB bodies',
  e: 'gateway deleted',
  f: 'disk full (file size limit)',
  g: 'store writes fail, 1 MB to keep logs',
};
const results = {};
console.error(`upstream ${upstreamUrl}, ${quick ? 'quick' : 'full'} run`);
for (const key of Object.keys(names)) {
  if (only && !only.includes(key)) continue;
  const box = sandbox();
  const started = Date.now();
  let timer;
  try {
    const run = faults[key](box);
    // Past its bound, what the fault still does fails (its proxy is killed below): nothing to report then.
    run.catch(() => {});
    results[key] = await Promise.race([
      run,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`hung: no result after ${FAULT_LIMIT_MS / 1000} s`)),
          FAULT_LIMIT_MS,
        );
      }),
    ]);
  } catch (err) {
    results[key] = { error: err.message };
  } finally {
    clearTimeout(timer);
    for (const child of children) if (child !== upstream.child) child.kill('SIGKILL');
    box.cleanup();
  }
  results[key].seconds = (Date.now() - started) / 1000;
  delete results[key].lostAnswers;
  console.error(`${key} (${names[key]}): ${JSON.stringify(results[key])}`);
}
await stop(upstream.child);

mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/faults.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('| fault | sent | answered | no answer | logged | lost | exit | stack traces | notes |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const [key, r] of Object.entries(results)) {
  if (r.error) console.log(`| (${key}) ${names[key]} | | | | | | | | ${r.error} |`);
  else
    console.log(
      `| (${key}) ${names[key]} | ${r.sent} | ${r.answered} | ${r.no_answer} | ${r.logged} | ${r.lost} | ${r.exit} | ${r.stack_lines} | ${r.note}${r.failed_with ? `; no answer: ${r.failed_with}` : ''} |`,
    );
}
