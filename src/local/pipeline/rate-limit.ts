// Gateway-wide rate limits, in memory per account + gateway: `limit` requests per `interval` seconds,
// `fixed` (calendar windows aligned to the epoch, like 12:00-12:10) or `sliding` (the last N seconds).
// A request that is refused does not count.

export type Technique = 'fixed' | 'sliding';

interface Bucket {
  limit: number;
  intervalMs: number;
  technique: Technique;
  /** fixed: start of the current window and its count. */
  windowStart: number;
  count: number;
  /** sliding: ring of the last `limit` admission times. */
  ring: Float64Array | null;
  head: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** Admits a request (returns 0) or returns the whole seconds to wait before retrying (>= 1). */
  take(key: string, limit: number, intervalSeconds: number, technique: Technique, nowMs: number): number {
    const intervalMs = intervalSeconds * 1000;
    let b = this.buckets.get(key);
    if (!b || b.limit !== limit || b.intervalMs !== intervalMs || b.technique !== technique) {
      b = {
        limit,
        intervalMs,
        technique,
        windowStart: 0,
        count: 0,
        ring: technique === 'sliding' ? new Float64Array(limit).fill(Number.NEGATIVE_INFINITY) : null,
        head: 0,
      };
      this.buckets.set(key, b);
    }
    if (b.ring) {
      // The oldest of the last `limit` admissions must have left the window.
      const oldest = b.ring[b.head]!;
      if (nowMs - oldest < intervalMs) return Math.max(1, Math.ceil((oldest + intervalMs - nowMs) / 1000));
      b.ring[b.head] = nowMs;
      b.head = (b.head + 1) % limit;
      return 0;
    }
    const windowStart = nowMs - (nowMs % intervalMs);
    if (windowStart !== b.windowStart) {
      b.windowStart = windowStart;
      b.count = 0;
    }
    if (b.count >= limit) return Math.max(1, Math.ceil((windowStart + intervalMs - nowMs) / 1000));
    b.count++;
    return 0;
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }
}
