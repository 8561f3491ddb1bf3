// The upstream stage with recordings: in replay an exchange is answered from its file (no request leaves the
// machine), in record it goes to the provider and its answer is saved as it reaches the client, in hybrid it
// is replayed when recorded and recorded when not. What comes back is the same Outcome a live exchange gives,
// so relay, cache, usage, costs and logs run on top unchanged. A replayed answer carries `cf-aig-replayed`
// (the recording's hash), which the log record's response head keeps.
import type { IncomingHttpHeaders } from 'node:http';
import { pipeline, Readable, Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { GatewayCode, GatewayError } from '../pipeline/errors.js';
import type { UpstreamStep } from '../pipeline/state.js';
import { redactHeaders } from '../store/logs/redact.js';
import { type Cancel, sleep } from '../upstream/cancel.js';
import type { UpstreamPools } from '../upstream/pools.js';
import { type Outcome, planFor, type RetryPolicy, sendWithRetries } from '../upstream/retry.js';
import { bodyValue, type CanonicalRequest, canonicalRequest, requestHash, safeQuery } from './canonical.js';
import { type CassetteStore, RECORDING_FORMAT, type Recording, type StreamEvent } from './store.js';

/** Headers never saved or replayed: the body's framing is the gateway's own business. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date']);

export async function upstreamExchange(
  pools: UpstreamPools,
  cassettes: CassetteStore | null,
  step: UpstreamStep,
  policy: RetryPolicy,
  cancel: Cancel,
): Promise<Outcome> {
  const request = { method: step.method, headers: step.headers, body: step.body };
  if (cassettes === null) return sendWithRetries(pools, step.target, request, policy, cancel);
  const { mode, ignore } = cassettes.options;
  const path = step.path.split('?')[0]!;
  const canonical = canonicalRequest(
    step.provider,
    step.method,
    path,
    safeQuery(step.target.path),
    bodyValue(step.body),
    ignore,
  );
  const hash = requestHash(canonical);
  if (mode !== 'record') {
    const hit = cassettes.find(hash);
    if (hit) {
      cassettes.markUsed(hash);
      return replay(hit, step.method, cassettes.options.speed === 'recorded', cancel);
    }
    if (mode === 'replay')
      return { kind: 'failure', error: notRecorded(cassettes, canonical, hash), attempts: 0 };
  }
  const sent = performance.now();
  const outcome = await sendWithRetries(pools, step.target, request, policy, cancel);
  if (outcome.kind !== 'response') return outcome;
  const headMs = Math.round(performance.now() - sent);
  const base: Recording = {
    format: RECORDING_FORMAT,
    hash,
    recorded_at: cassettes.now().toISOString(),
    model: step.model,
    request: { ...canonical, headers: savedHeaders(pairs(step.headers)), body: bodyValue(step.body) },
    response: { status: outcome.res.statusCode, headers: savedHeaders(outcome.res.headers), head_ms: headMs },
  };
  const { res } = outcome;
  if (res.body === null) {
    Object.assign(base.response, bodyFields(res.whole ?? outcome.body ?? Buffer.alloc(0)));
    cassettes.save(base);
    return outcome;
  }
  res.body = tap(res.body, res.prefix, res.headers, (fields) => {
    Object.assign(base.response, fields);
    cassettes.save(base);
  });
  return outcome;
}

function notRecorded(cassettes: CassetteStore, canonical: CanonicalRequest, hash: string): GatewayError {
  const { dir } = cassettes.options;
  const near = cassettes.closest(canonical);
  const closest = near
    ? ` The closest recording is ${near.file}${near.differs.length > 0 ? `, which differs at ${near.differs.slice(0, 3).join(', ')}` : ''}.`
    : ' The directory holds no recording.';
  return new GatewayError(
    404,
    GatewayCode.NotRecorded,
    `No recording for this request: ${canonical.method} ${canonical.provider}/${canonical.path}, hash ${hash}, in ${dir}.${closest} ` +
      `Record it with aigw proxy --record ${dir} (or --replay ${dir} --record-missing).`,
  );
}

/** A flat [name, value, ...] list as an object (repeated names joined). */
function pairs(flat: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i]!.toLowerCase();
    out[name] = out[name] === undefined ? flat[i + 1]! : `${out[name]}, ${flat[i + 1]}`;
  }
  return out;
}

/** Only the headers the log redaction rule keeps (no credential can reach a file), framing dropped. */
function savedHeaders(headers: IncomingHttpHeaders | Record<string, string>): Record<string, string> {
  const out = redactHeaders(headers);
  for (const name of FRAMING) delete out[name];
  return out;
}

function bodyFields(body: Buffer): Partial<Recording['response']> {
  if (body.length === 0) return { text: '' };
  const text = body.toString('utf8');
  try {
    return { json: JSON.parse(text) };
  } catch {
    return Buffer.from(text, 'utf8').equals(body) ? { text } : { base64: body.toString('base64') };
  }
}

function isEventStream(headers: IncomingHttpHeaders): boolean {
  return String(headers['content-type'] ?? '').startsWith('text/event-stream');
}

/**
 * Passes a streamed answer through untouched and, once it ended whole, hands over what it carried: an event
 * stream as its events (split at blank lines) with their time after the head, anything else as one body.
 * A stream that fails or is cut is not saved.
 */
function tap(
  body: Readable,
  prefix: Buffer[] | null,
  headers: IncomingHttpHeaders,
  done: (fields: Partial<Recording['response']>) => void,
): Readable {
  const start = performance.now();
  const sse = isEventStream(headers);
  const decoder = new StringDecoder('utf8');
  const events: StreamEvent[] = [];
  const chunks: Buffer[] = prefix ? [...prefix] : [];
  let pending = '';
  const take = (chunk: Buffer) => {
    if (!sse) {
      chunks.push(chunk);
      return;
    }
    pending += decoder.write(chunk);
    const at = Math.round(performance.now() - start);
    for (let m = /\r?\n\r?\n/.exec(pending); m !== null; m = /\r?\n\r?\n/.exec(pending)) {
      events.push({ at_ms: at, data: pending.slice(0, m.index + m[0].length) });
      pending = pending.slice(m.index + m[0].length);
    }
  };
  if (sse && prefix) for (const chunk of prefix) take(chunk);
  if (sse) chunks.length = 0;
  const through = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      take(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      if (sse) {
        pending += decoder.end();
        if (pending !== '') events.push({ at_ms: Math.round(performance.now() - start), data: pending });
        done({ events });
      } else {
        done(bodyFields(Buffer.concat(chunks)));
      }
      callback();
    },
  });
  pipeline(body, through, () => {});
  return through;
}

/** A recording as the Outcome the provider's answer gave: read whole when a live one would be, else a stream. */
async function replay(
  rec: Recording,
  method: string,
  recordedSpeed: boolean,
  cancel: Cancel,
): Promise<Outcome> {
  const { response } = rec;
  const headers: IncomingHttpHeaders = { ...response.headers, 'cf-aig-replayed': rec.hash };
  if (recordedSpeed && response.head_ms > 0) {
    try {
      await sleep(response.head_ms, cancel);
    } catch {
      return { kind: 'aborted', attempts: 0 };
    }
  }
  const events: StreamEvent[] = response.events ?? [{ at_ms: 0, data: '' }];
  const whole =
    response.events === undefined
      ? response.json !== undefined
        ? Buffer.from(JSON.stringify(response.json))
        : response.base64 !== undefined
          ? Buffer.from(response.base64, 'base64')
          : Buffer.from(response.text ?? '', 'utf8')
      : null;
  if (whole !== null) headers['content-length'] = String(whole.length);
  const plan = planFor(method)(response.status, headers, true);
  if (whole !== null && plan === 'whole' && response.json !== undefined && whole.length > 0) {
    const res = { statusCode: response.status, headers, body: null, whole, prefix: null };
    return { kind: 'response', res, attempts: 1, body: whole, json: response.json, prefix: null };
  }
  const body = whole !== null ? Readable.from([whole]) : Readable.from(paced(events, recordedSpeed, cancel));
  const res = { statusCode: response.status, headers, body, whole: null, prefix: null };
  return { kind: 'response', res, attempts: 1, body: null, json: undefined, prefix: null };
}

async function* paced(events: StreamEvent[], recordedSpeed: boolean, cancel: Cancel): AsyncGenerator<Buffer> {
  let last = 0;
  for (const event of events) {
    if (recordedSpeed && event.at_ms > last) await sleep(event.at_ms - last, cancel);
    last = Math.max(last, event.at_ms);
    yield Buffer.from(event.data, 'utf8');
  }
}
