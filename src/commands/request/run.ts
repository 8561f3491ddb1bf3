// `aigw request [gateway] "prompt"`: sends one request through a gateway's data plane (Cloudflare's gateway
// host, or the local gateway), with the provider's key from its usual environment variable and the gateway
// token when the gateway requires one; streams the answer as it arrives, then reports status, cache status,
// log id, tokens, cost (read back from the gateway's log) and time. Keys are never printed.
import type { AigwClient } from '../../client/index.js';
import type { LogDetail } from '../../client/logs.js';
import { networkFailure } from '../../client/network.js';
import type { Context } from '../../context.js';
import { ApiError, AuthError, NetworkError, NotFoundError } from '../../errors.js';
import { answerText, answerUsage, StreamAnswer } from '../../io/answer-text.js';
import { formatCost, formatMs } from '../../io/numbers.js';
import { renderJson } from '../../io/render.js';
import { forGateway } from '../args/gateway.js';
import { prepare, type RequestFlags } from './prepare.js';

interface RequestReport {
  url: string;
  status: number;
  ok: boolean;
  provider: string;
  model: string | null;
  cache_status: string | null;
  log_id: string | null;
  event_id: string | null;
  step: string | null;
  tokens_in: number | null;
  tokens_out: number | null;
  cost: number | null;
  duration_ms: number;
  /** The answer's text, when the body is a known answer shape. */
  text: string | null;
  /** The body: parsed JSON, text, or null for a stream. */
  body: unknown;
}

/** The gateway's settings, when the API can tell (`default` is created on first use, so it may not exist). */
async function gatewaySettings(ctx: Context, client: AigwClient, accountId: string, gatewayId: string) {
  try {
    return await forGateway(ctx, accountId, gatewayId, () => client.gateways.get(accountId, gatewayId));
  } catch (err) {
    if (err instanceof NotFoundError && gatewayId === 'default') return undefined;
    if (err instanceof AuthError) {
      ctx.debug(`cannot read gateway ${gatewayId}'s settings (${err.message}); sending anyway`);
      return undefined;
    }
    throw err;
  }
}

async function runRequest(
  first: string | undefined,
  second: string | undefined,
  flags: RequestFlags,
  ctx: Context,
  onText: (text: string) => void,
): Promise<RequestReport> {
  const prepared = await prepare(first, second, flags, ctx);
  const { gatewayId, headers, secrets } = prepared;
  const target = await ctx.target();
  const accountId = await ctx.accountId();
  const client = await ctx.client();
  const gateway = await gatewaySettings(ctx, client, accountId, gatewayId);
  if (gateway?.authentication || (gateway === undefined && ctx.env.CF_AIG_TOKEN)) {
    const token =
      ctx.env.CF_AIG_TOKEN || (target.credential.kind === 'token' ? target.credential.token : undefined);
    if (!token) {
      throw new AuthError(`Gateway ${gatewayId} requires a gateway token.`, {
        hint: 'Set CF_AIG_TOKEN to a token with AI Gateway Run permission.',
      });
    }
    headers['cf-aig-authorization'] = `Bearer ${token}`;
    secrets.push(token);
  }

  const url = `${client.dataPlaneUrl(accountId, gatewayId)}/${prepared.path}`;
  const started = ctx.now().getTime();
  let response: Response;
  try {
    response = await client.fetch(url, { method: 'POST', headers, body: JSON.stringify(prepared.body) });
  } catch (err) {
    const failure = networkFailure(err);
    const why = failure ? `: ${failure.text}${failure.code ? ` (${failure.code})` : ''}` : '';
    throw new NetworkError(`Could not reach the gateway at ${new URL(url).host}${why}.`, {
      hint: target.local
        ? `Is the local gateway running? Start it with: ${ctx.command} proxy --mock`
        : 'Check your connection.',
      cause: err,
      reason: failure?.code,
    });
  }
  const answer = await readAnswer(response, onText);
  const report: RequestReport = {
    url,
    status: response.status,
    ok: response.ok,
    provider: prepared.provider,
    model: prepared.model,
    cache_status: response.headers.get('cf-aig-cache-status'),
    log_id: response.headers.get('cf-aig-log-id'),
    event_id: response.headers.get('cf-aig-event-id'),
    step: response.headers.get('cf-aig-step'),
    tokens_in: answer.usage?.tokensIn ?? null,
    tokens_out: answer.usage?.tokensOut ?? null,
    cost: null,
    duration_ms: ctx.now().getTime() - started,
    text: answer.text,
    body: answer.body,
  };
  if (report.log_id && gateway?.collect_logs !== false) {
    const log = await loggedRecord(ctx, client, accountId, gatewayId, report.log_id);
    if (log) {
      report.tokens_in = log.tokens_in ?? report.tokens_in;
      report.tokens_out = log.tokens_out ?? report.tokens_out;
      report.cost = log.cost ?? null;
    }
  }
  return redact(report, secrets);
}

interface Answer {
  text: string | null;
  body: unknown;
  usage: { tokensIn: number | null; tokensOut: number | null } | null;
}

/** Reads the answer: a stream event by event (its text passed on as it comes), anything else whole. */
async function readAnswer(response: Response, onText: (text: string) => void): Promise<Answer> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('text/event-stream') && response.body && response.ok) {
    const stream = new StreamAnswer();
    const decoder = new TextDecoder();
    let raw = '';
    let text = '';
    for await (const chunk of response.body) {
      const part = decoder.decode(chunk as Uint8Array, { stream: true });
      raw += part;
      const delta = stream.push(part);
      text += delta;
      if (delta) onText(delta);
    }
    const rest = stream.push(decoder.decode()) + stream.end();
    text += rest;
    if (rest) onText(rest);
    // A stream whose events aigw does not know: show it as it came.
    if (stream.events === 0 || text === '') return { text: null, body: raw, usage: stream.usage };
    return { text, body: null, usage: stream.usage };
  }
  const raw = await response.text();
  let body: unknown = raw;
  try {
    body = raw === '' ? null : JSON.parse(raw);
  } catch {
    // not JSON: kept as text
  }
  const text = response.ok ? answerText(body) : null;
  return { text, body, usage: answerUsage(body) };
}

/** The gateway's log of the request, for its cost. Logs are written a moment after the answer; waits ~2 s. */
async function loggedRecord(
  ctx: Context,
  client: AigwClient,
  accountId: string,
  gatewayId: string,
  id: string,
) {
  for (const wait of [0, 50, 100, 200, 400, 600, 750]) {
    await ctx.sleep(wait);
    try {
      return await client.logs.get(accountId, gatewayId, id);
    } catch (err) {
      if (err instanceof NotFoundError) continue;
      ctx.debug(`cannot read log ${id}: ${(err as Error).message}`);
      return null;
    }
  }
  return null satisfies LogDetail | null;
}

/** Whatever the answer echoes of a key or token sent with it is masked before anything is printed. */
function redact(report: RequestReport, secrets: string[]): RequestReport {
  const words = secrets.filter((s) => s.length >= 8);
  if (words.length === 0) return report;
  const scrub = (value: unknown): unknown => {
    if (typeof value === 'string') return words.reduce((t, w) => t.replaceAll(w, '****'), value);
    if (Array.isArray(value)) return value.map(scrub);
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
    return value;
  };
  return scrub(report) as RequestReport;
}

/** The message of an error body, in the gateway's or a provider's shape. */
function errorMessage(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 500);
  const b = body as { error?: unknown; errors?: unknown; message?: unknown } | null;
  const first = (list: unknown) =>
    Array.isArray(list) ? (list[0] as { message?: unknown; code?: unknown }) : undefined;
  const item = first(b?.error) ?? first(b?.errors) ?? (b?.error as { message?: unknown } | undefined);
  const message =
    typeof item?.message === 'string' ? item.message : typeof b?.message === 'string' ? b.message : '';
  const code =
    typeof (item as { code?: unknown })?.code === 'number'
      ? ` [code ${(item as { code: number }).code}]`
      : '';
  return message ? `${message}${code}` : JSON.stringify(body).slice(0, 500);
}

/** The error a failed answer ends the command with (auth failures exit 4). */
function failure(report: RequestReport): Error {
  const what = `${report.status} from ${report.provider}${report.log_id ? ` (log ${report.log_id})` : ''}: ${errorMessage(report.body)}`;
  if (report.status === 401 || report.status === 403) {
    const gateway = /\b2009\b/.test(JSON.stringify(report.body));
    return new AuthError(`The ${gateway ? 'gateway' : 'provider'} refused the request: ${what}`, {
      hint: gateway
        ? 'The gateway requires a token: set CF_AIG_TOKEN.'
        : `Check the ${report.provider} key (its usual environment variable).`,
    });
  }
  return new ApiError(report.status, [], `The request failed: ${what}`);
}

/** The report line on stderr: status, cache, log id, tokens, cost, time. */
function reportLine(report: RequestReport, ctx: Context): string {
  const c = ctx.io.errColor;
  const parts = [
    report.ok ? c.green(String(report.status)) : c.red(String(report.status)),
    report.cache_status ? `cache ${report.cache_status}` : '',
    report.log_id ? `log ${report.log_id}` : '',
    report.tokens_in !== null || report.tokens_out !== null
      ? `tokens ${report.tokens_in ?? '-'} in / ${report.tokens_out ?? '-'} out`
      : '',
    report.cost !== null ? formatCost(report.cost) : '',
    formatMs(report.duration_ms),
  ];
  return c.dim(parts.filter(Boolean).join(' · '));
}

export async function requestCommand(
  first: string | undefined,
  second: string | undefined,
  flags: RequestFlags,
  ctx: Context,
): Promise<void> {
  const io = ctx.io;
  let last = '';
  const report = await runRequest(first, second, flags, ctx, (text) => {
    if (ctx.json) return;
    io.stdout.write(text);
    last = text;
  });
  if (ctx.json) {
    renderJson(io, report);
  } else {
    if (last === '' && report.ok) {
      const shown =
        report.text ?? (typeof report.body === 'string' ? report.body : JSON.stringify(report.body, null, 2));
      io.stdout.write(shown);
      last = shown;
    }
    if (last !== '' && !last.endsWith('\n')) io.stdout.write('\n');
    io.err(reportLine(report, ctx));
  }
  if (!report.ok) throw failure(report);
}
