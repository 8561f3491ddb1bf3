// Pieces of the fault suite (bench/faults.mjs): `aigw proxy` run as a user runs it (the built bin, a temporary
// HOME, a data directory of its own), a 32-concurrent load that remembers every answer's log id, and the
// count of what the store kept.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Pool } from 'undici';
import { bin, startJsonChild } from './lib.mjs';

export const chatBody = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Say hello' }],
});

/** A streamed chat completion: the upstream sends two events 2 ms apart. */
export const streamBody = JSON.stringify({
  model: 'gpt-4o-mini',
  stream: true,
  messages: [{ role: 'user', content: 'Say hello' }],
});

/** A temporary HOME with an empty config; the proxy's data directory is inside it. */
export function sandbox() {
  const home = mkdtempSync(join(tmpdir(), 'aigw-faults-'));
  const env = { ...process.env };
  // Nothing of the developer's own set-up, and not "started by npm" when the suite runs as `npm run faults`.
  for (const key of Object.keys(env))
    if (/^(CLOUDFLARE_|AIGW_|npm_)/.test(key) || key === 'FORCE_COLOR') delete env[key];
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    AIGW_CONFIG_DIR: join(home, '.config', 'aigw'),
  });
  return {
    home,
    env,
    dataDir: join(home, 'data'),
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

/**
 * Starts `aigw proxy` on a free port with its stderr in a file; `stderr()` reads what it printed so far.
 * `stop(signal)` resolves with its exit code once it has exited.
 */
export async function startProxy(box, upstreamUrl, extra = []) {
  const errFile = join(box.home, `proxy-${Date.now()}.err`);
  const { child, info } = await startJsonChild(
    [
      bin,
      'proxy',
      '--port',
      '0',
      '--json',
      '--quiet',
      '--data-dir',
      box.dataDir,
      '--upstream',
      `openai=${upstreamUrl}/v1`,
      ...extra,
    ],
    box.env,
    openSync(errFile, 'w'),
  );
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return {
    url: info.url,
    pid: child.pid,
    child,
    exited,
    stderr: () => readFileSync(errFile, 'utf8'),
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export async function api(proxy, method, path, payload) {
  const res = await fetch(`${proxy.url}/client/v4/accounts/local/ai-gateway${path}`, {
    method,
    headers: { authorization: 'Bearer local', 'content-type': 'application/json' },
    body: payload ? JSON.stringify(payload) : undefined,
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Creates a gateway as a user does, with `aigw gateway create` (its defaults: logs on, no cache). */
export function createGateway(proxy, box, id) {
  const result = spawnSync(process.execPath, [bin, '--local-url', proxy.url, 'gateway', 'create', id], {
    env: box.env,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`gateway create ${id}: ${result.stderr}`);
}

/** The gateway's log count as the logs API gives it. */
export async function apiLogCount(proxy, gateway) {
  const page = await api(proxy, 'GET', `/gateways/${gateway}/logs?per_page=1`);
  return page.result_info.total_count;
}

/** The local health endpoint's figures, when the proxy has one (null otherwise). */
export async function health(proxy) {
  try {
    const res = await fetch(`${proxy.url}/_aigw/health`);
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

/** The ids of the logs stored for `gateway`, read from the database file (read-only, beside the proxy or not). */
export function storedIds(dataDir, gateway) {
  const db = new DatabaseSync(join(dataDir, 'aigw.db'), { readOnly: true });
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    const rows = db.prepare('SELECT id FROM logs WHERE gateway_id = ?').all(gateway);
    return new Set(rows.map((r) => r.id));
  } finally {
    db.close();
  }
}

/** SQLite's own check of the database file: "ok" when it is sound. */
export function integrity(dataDir) {
  const db = new DatabaseSync(join(dataDir, 'aigw.db'), { readOnly: true });
  try {
    return db
      .prepare('PRAGMA integrity_check')
      .all()
      .map((r) => r.integrity_check)
      .join('; ');
  } finally {
    db.close();
  }
}

/**
 * A load of `concurrency` workers sending chat completions until stop() (or until the proxy refuses
 * connections: it has gone). `gatewayFor(i)` picks the gateway of the i-th request; `headers` are added.
 * Every answer is kept: gateway, status, log id, when it was answered (Date.now()), and the body of a non-200.
 */
export function startLoad(
  proxy,
  { concurrency = 32, gatewayFor = () => 'faults', headers = {}, body = chatBody },
) {
  const pool = new Pool(proxy.url, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
  const answers = [];
  const failures = [];
  let refused = 0;
  let stopped = false;
  let n = 0;
  const worker = async () => {
    while (!stopped) {
      const gateway = gatewayFor(n++);
      try {
        const res = await pool.request({
          method: 'POST',
          path: `/v1/local/${gateway}/openai/chat/completions`,
          headers: { 'content-type': 'application/json', authorization: 'Bearer sk-fault', ...headers },
          body,
        });
        const text = await res.body.text();
        answers.push({
          gateway,
          status: res.statusCode,
          logId: res.headers['cf-aig-log-id'] ?? null,
          retryAfter: res.headers['retry-after'] ?? null,
          body: res.statusCode === 200 ? null : text,
          at: Date.now(),
        });
      } catch (err) {
        // Refused: nothing listens any more; the request never reached a proxy.
        if (err.code === 'ECONNREFUSED') {
          refused++;
          return;
        }
        failures.push({ gateway, error: err.code ?? err.message, at: Date.now() });
      }
    }
  };
  const running = Promise.all(Array.from({ length: concurrency }, worker));
  return {
    answers,
    failures,
    get refused() {
      return refused;
    },
    /** Stops sending and resolves once every worker's last request is over. */
    async stop() {
      stopped = true;
      await running;
      await pool.destroy();
    },
    /** Resolves when the workers end by themselves (the proxy went away). */
    ended: running,
  };
}

/** Answered requests whose log id is not among `ids`. */
export function missing(answers, ids) {
  return answers.filter((a) => a.logId !== null && !ids.has(a.logId));
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `count()` gives the same value twice `ms` apart (the writer has caught up), at most `limitMs`. */
export async function settled(count, ms = 300, limitMs = 5_000) {
  const deadline = Date.now() + limitMs;
  let last = await count();
  while (Date.now() < deadline) {
    await sleep(ms);
    const now = await count();
    if (now === last) return now;
    last = now;
  }
  return last;
}

/** Lines of a stack trace (`    at f (file:1:2)`) in what a process printed. */
export function stackLines(text) {
  return text.split('\n').filter((l) => /^\s+at .+:\d+:\d+\)?$/.test(l)).length;
}
