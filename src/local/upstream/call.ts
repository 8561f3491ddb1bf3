// One upstream attempt as an undici dispatch handler. Once the answer's head is in, `plan` says what to do
// with its body: read it whole into one buffer (no stream, no per-chunk events: the usual JSON answer),
// relay it as a stream (paused while its reader is slow), or discard it (a retried attempt).
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { type Dispatcher, errors } from 'undici';
import type { Cancel } from './cancel.js';

/** A body relayed as it arrives. */
export type BodyStream = Readable;

export interface UpstreamResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The rest of the body as a stream; null when it was read whole (or discarded). */
  body: BodyStream | null;
  /** The whole body, when the plan was `whole` and it fit the limit. */
  whole: Buffer | null;
  /** What was read of a `whole` body before it outgrew the limit; `body` streams the rest. */
  prefix: Buffer[] | null;
}

export type Plan = 'whole' | 'stream' | 'discard';

/** Decides how a body is read, from the head of the answer. */
export type Planner = (statusCode: number, headers: IncomingHttpHeaders, last: boolean) => Plan;

/** The reason an attempt fails when its first byte does not arrive in time. */
export class FirstByteTimeout extends Error {}

/** A discarded body longer than this closes its connection rather than being read to the end. */
const DISCARD_LIMIT = 64 * 1024;

type Controller = Dispatcher.DispatchController;

function noop(): void {}

/**
 * Hung upstreams: an attempt with no head, or no body bytes, for this long fails. One shared sweep per second
 * watches every attempt in flight (undici's own headers and body timers, two timer objects per request
 * that outlive young collections, are off).
 */
export const IDLE_LIMIT_MS = 300_000;
const SWEEP_MS = 1_000;
const IDLE_SWEEPS = IDLE_LIMIT_MS / SWEEP_MS;
// Attempts in flight, as an intrusive doubly linked list (a Set of them kept ~2.7 KB per request alive
// past young collections).
let first: UpstreamCall | null = null;
let sweeps = 0;
let sweeper: NodeJS.Timeout | null = null;

function watch(call: UpstreamCall): void {
  call.next = first;
  if (first) first.prev = call;
  first = call;
  if (sweeper === null) {
    sweeper = setInterval(sweep, SWEEP_MS);
    sweeper.unref();
  }
}

function sweep(): void {
  sweeps++;
  if (first === null) {
    clearInterval(sweeper!);
    sweeper = null;
    return;
  }
  for (let call: UpstreamCall | null = first; call !== null; ) {
    const next: UpstreamCall | null = call.next;
    call.checkIdle();
    call = next;
  }
}

function unwatch(call: UpstreamCall): void {
  if (call.prev) call.prev.next = call.next;
  else if (first === call) first = call.next;
  else return; // not in the list
  if (call.next) call.next.prev = call.prev;
  call.prev = null;
  call.next = null;
}

export class UpstreamCall implements Dispatcher.DispatchHandler {
  private controller: Controller | null = null;
  private reason: Error | null = null;
  private timer: NodeJS.Timeout | null = null;
  private plan: Plan = 'stream';
  private chunks: Buffer[] = [];
  private size = 0;
  private stream: Readable | null = null;
  /** The promise has its answer (or its error). */
  private settled = false;
  /** The body is complete, or failed: nothing to abort. */
  private settledBody = false;
  /** A `whole` answer's head, until its body is in. */
  private head: UpstreamResponse | null = null;
  private readonly onAbort: () => void;
  prev: UpstreamCall | null = null;
  next: UpstreamCall | null = null;
  /** The sweep count when the upstream last showed signs of life. */
  private seen = sweeps;

  constructor(
    private readonly cancel: Cancel,
    private readonly planner: Planner,
    private readonly last: boolean,
    private readonly wholeLimit: number,
    timeoutMs: number | null,
    private readonly resolve: (res: UpstreamResponse) => void,
    private readonly reject: (err: Error) => void,
  ) {
    this.onAbort = () => this.abort(cancel.reason ?? new Error('client disconnected'));
    cancel.once('abort', this.onAbort);
    watch(this);
    if (timeoutMs !== null) {
      this.timer = setTimeout(() => this.abort(new FirstByteTimeout('timeout')), timeoutMs);
    }
  }

  private abort(reason: Error): void {
    if (this.reason) return;
    this.reason = reason;
    // A stream nobody reads yet must not turn this into an uncaught 'error'.
    if (this.stream) this.stream.on('error', noop).destroy(reason);
    if (this.controller) this.controller.abort(reason);
  }

  private done(): void {
    unwatch(this);
    this.cancel.off('abort', this.onAbort);
    if (this.timer) clearTimeout(this.timer);
  }

  checkIdle(): void {
    if (sweeps - this.seen < IDLE_SWEEPS) return;
    this.abort(
      this.head !== null || this.stream !== null
        ? new errors.BodyTimeoutError()
        : new errors.HeadersTimeoutError(),
    );
  }

  onRequestStart(controller: Controller): void {
    this.controller = controller;
    if (this.reason) controller.abort(this.reason);
  }

  onResponseStart(controller: Controller, statusCode: number, headers: IncomingHttpHeaders): void {
    this.seen = sweeps;
    if (statusCode < 200) return; // 1xx: the answer is still to come
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.plan = this.planner(statusCode, headers, this.last);
    const res: UpstreamResponse = { statusCode, headers, body: null, whole: null, prefix: null };
    if (this.plan === 'whole') {
      this.head = res;
      return;
    }
    this.settled = true;
    if (this.plan === 'stream') res.body = this.openStream(controller);
    this.resolve(res);
  }

  private openStream(controller: Controller): Readable {
    const stream = new Readable({
      read: () => {
        this.seen = sweeps;
        controller.resume();
      },
      destroy: (err, cb) => {
        this.done();
        if (!this.settledBody) controller.abort(err ?? new Error('upstream body destroyed'));
        cb(err);
      },
    });
    this.stream = stream;
    return stream;
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    this.seen = sweeps;
    if (this.plan === 'whole') {
      this.chunks.push(chunk);
      this.size += chunk.length;
      if (this.size > this.wholeLimit) {
        // Too large to hold: what came so far is the prefix, the rest streams.
        this.plan = 'stream';
        this.settled = true;
        const res = this.head!;
        this.head = null;
        res.prefix = this.chunks;
        this.chunks = [];
        res.body = this.openStream(controller);
        this.resolve(res);
      }
      return;
    }
    if (this.plan === 'discard') {
      this.size += chunk.length;
      if (this.size > DISCARD_LIMIT) controller.abort(new Error('discarded'));
      return;
    }
    if (this.stream && !this.stream.push(chunk)) controller.pause();
  }

  onResponseEnd(): void {
    this.settledBody = true;
    this.done();
    if (this.plan === 'whole') {
      const res = this.head!;
      this.head = null;
      const { chunks } = this;
      res.whole = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.size);
      this.chunks = [];
      this.settled = true;
      this.resolve(res);
      return;
    }
    this.stream?.push(null);
  }

  onResponseError(_controller: Controller, err: Error): void {
    this.settledBody = true;
    this.done();
    if (!this.settled) {
      this.settled = true;
      this.reject(this.reason ?? err);
      return;
    }
    if (this.stream && !this.stream.destroyed) this.stream.on('error', noop).destroy(err);
  }
}
