// GET /_aigw/health: the local gateway's own status, not part of Cloudflare's API. "degraded" while logs wait
// in memory for a store that fails, and once any log was dropped; logs says how many are pending, written
// and dropped (and why), so a script or a supervisor can tell that nothing was lost.
import type { ServerResponse } from 'node:http';
import pkg from '../../package.json' with { type: 'json' };
import { sendJson } from './http.js';
import type { Runtime } from './runtime.js';

export const HEALTH_PATH = '/_aigw/health';

export function answerHealth(
  res: ServerResponse,
  method: string | undefined,
  runtime: Runtime,
  startedMs: number,
) {
  if (method !== 'GET' && method !== 'HEAD') {
    sendJson(
      res,
      405,
      { success: false, errors: [{ code: 10000, message: `${HEALTH_PATH} answers GET` }] },
      {
        allow: 'GET, HEAD',
      },
    );
    return;
  }
  const logs = runtime.logs.health();
  const degraded = logs.failing !== null || logs.dropped > 0;
  sendJson(
    res,
    200,
    {
      status: degraded ? 'degraded' : 'ok',
      version: pkg.version,
      uptime: Math.max(0, Math.floor((runtime.options.now().getTime() - startedMs) / 1000)),
      logs,
    },
    { 'cache-control': 'no-store' },
  );
}
