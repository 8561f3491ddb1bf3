// `aigw logs get [gateway] <id> [--request] [--response] [--raw]`: one log's record and, when asked, the
// request and response bodies it stored: JSON pretty-printed, a streamed answer assembled into its text.
import type { LogDetail } from '../../client/logs.js';
import type { Context } from '../../context.js';
import { streamText } from '../../io/answer-text.js';
import { renderJson, renderObject } from '../../io/render.js';
import { gatewayAndId, gatewayTarget } from '../args/gateway.js';
import { logFields } from './columns.js';
import { forLogs, storedBody } from './common.js';

interface GetFlags {
  request?: boolean;
  response?: boolean;
  raw?: boolean;
}

interface LogWithBodies {
  log: LogDetail;
  request?: unknown;
  response?: unknown;
}

async function runGet(first: string, second: string | undefined, flags: GetFlags, ctx: Context) {
  const { gateway, id } = gatewayAndId(first, second);
  const target = await gatewayTarget(ctx, gateway);
  const { accountId, gatewayId, client } = target;
  return forLogs(ctx, target, id, async () => {
    const result: LogWithBodies = { log: await client.logs.get(accountId, gatewayId, id) };
    if (flags.request)
      result.request = await storedBody(() => client.logs.requestBody(accountId, gatewayId, id));
    if (flags.response)
      result.response = await storedBody(() => client.logs.responseBody(accountId, gatewayId, id));
    return result;
  });
}

/** A stored body for reading: JSON indented, a recorded stream as its answer text (unless raw). */
function bodyText(body: unknown, raw: boolean): string {
  if (typeof body !== 'string') return JSON.stringify(body, null, 2) ?? '';
  if (!raw) {
    const text = streamText(body);
    if (text !== null) return text;
  }
  try {
    return raw ? body : JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export async function getCommand(first: string, second: string | undefined, flags: GetFlags, ctx: Context) {
  const { log, request, response } = await runGet(first, second, flags, ctx);
  const io = ctx.io;
  if (ctx.json) {
    const answer = typeof response === 'string' && !flags.raw ? streamText(response) : null;
    renderJson(io, {
      ...log,
      ...(flags.request ? { request } : {}),
      ...(flags.response ? { response } : {}),
      ...(answer !== null ? { response_text: answer } : {}),
    });
    return;
  }
  renderObject(io, log, logFields, { json: false, now: ctx.now() });
  for (const [name, asked, body] of [
    ['Request', flags.request, request],
    ['Response', flags.response, response],
  ] as const) {
    if (!asked) continue;
    io.out(`\n${io.color.bold(`${name} body:`)}`);
    io.out(
      body === undefined || body === null || body === ''
        ? '(not stored)'
        : bodyText(body, flags.raw === true),
    );
  }
}
