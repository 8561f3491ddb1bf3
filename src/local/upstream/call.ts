// One upstream attempt as an undici dispatch handler. Once the answer's head is in, `plan` says what to do
// with its body: read it whole into one buffer (no stream, no per-chunk events: the usual JSON answer),
// relay it as a stream (paused while its reader is slow), or discard it (a retried attempt).
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
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
    // No other time limit: as on Cloudflare, without cf-aig-request-timeout the gateway waits for the provider
    // (the client's own timeout, or its going away, ends the wait).
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
    this.cancel.off('abort', this.onAbort);
    this.firstByte();
  }

  /** The timeout runs to the first byte of the body, as Cloudflare documents it ("the first part of the
   *  response"): a head followed by silence is still a timeout. */
  private firstByte(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  onRequestStart(controller: Controller): void {
    this.controller = controller;
    if (this.reason) controller.abort(this.reason);
  }

  onResponseStart(controller: Controller, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return; // 1xx: the answer is still to come
    this.plan = this.planner(statusCode, headers, this.last);
    const res: UpstreamResponse = { statusCode, headers, body: null, whole: null, prefix: null };
    if (this.plan === 'discard') this.firstByte();
    if (this.plan === 'stream') res.body = this.openStream(controller);
    // A `whole` body is answered once in; a stream once its first byte is in while a timeout runs, so that a
    // stall before it fails the attempt (retried, or 504) rather than a response already under way.
    if (this.plan === 'whole' || (this.plan === 'stream' && this.timer !== null)) {
      this.head = res;
      return;
    }
    this.settled = true;
    this.resolve(res);
  }

  /** Answers a stream held back until its first byte. */
  private answerStream(): void {
    if (this.plan !== 'stream' || this.head === null) return;
    const res = this.head;
    this.head = null;
    this.settled = true;
    this.resolve(res);
  }

  private openStream(controller: Controller): Readable {
    const stream = new Readable({
      read: () => {
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
    this.firstByte();
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
    this.answerStream();
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
    this.answerStream();
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
