// Cancellation for one client request and its upstream attempts. An EventEmitter (undici accepts one as a
// request `signal`) costs less per request than an AbortController and its EventTarget plumbing.
import { EventEmitter } from 'node:events';

export class Cancel extends EventEmitter {
  cancelled = false;
  reason: Error | null = null;

  constructor() {
    super();
    // Every attempt of every universal step may listen; the emitter lives only as long as its request.
    this.setMaxListeners(0);
  }

  cancel(reason: Error): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.reason = reason;
    this.emit('abort');
  }
}

/** The proxy cut the request itself: it was still running when the shutdown grace period ended. */
export class CutAtShutdown extends Error {
  constructor() {
    super('cut by the proxy at shutdown');
  }
}

export class ClientGone extends Error {
  constructor() {
    super('client disconnected');
  }
}

/** Resolves after `ms`, or rejects as soon as `cancel` fires. */
export function sleep(ms: number, cancel: Cancel): Promise<void> {
  return new Promise((resolve, reject) => {
    if (cancel.cancelled) {
      reject(cancel.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancel.reason);
    };
    const timer = setTimeout(() => {
      cancel.off('abort', onAbort);
      resolve();
    }, ms);
    cancel.once('abort', onAbort);
  });
}
