// The counters of dynamic routes' rate and budget elements, in memory: per route element and per key value (the
// request's `metadata.user_id`, say), a request count or a cost sum over a window of seconds, `sliding` (the
// last N seconds) or `fixed` (windows aligned to the epoch). Requests a limit sends to its fallback do not count.

type Technique = 'sliding' | 'fixed';

interface Counter {
  /** fixed: the current window's start and sum. */
  start: number;
  sum: number;
  /** sliding: what was counted when, oldest first. */
  times: number[];
  amounts: number[];
}

/** Past this many counters the oldest are forgotten (keys are as many as the values requests bring). */
const MAX_COUNTERS = 100_000;

export class RouteLimits {
  private readonly counters = new Map<string, Counter>();

  /** What the window holds now for `key`. */
  used(key: string, windowSeconds: number, technique: Technique, nowMs: number): number {
    const counter = this.counters.get(key);
    return counter ? this.settle(counter, windowSeconds * 1000, technique, nowMs) : 0;
  }

  /** Counts `amount` (1 for a request, its cost for a budget) for `key` at `nowMs`. */
  add(key: string, amount: number, windowSeconds: number, technique: Technique, nowMs: number): void {
    let counter = this.counters.get(key);
    if (!counter) {
      if (this.counters.size >= MAX_COUNTERS) this.counters.delete(this.counters.keys().next().value!);
      counter = { start: 0, sum: 0, times: [], amounts: [] };
      this.counters.set(key, counter);
    }
    this.settle(counter, windowSeconds * 1000, technique, nowMs);
    counter.sum += amount;
    if (technique === 'sliding') {
      counter.times.push(nowMs);
      counter.amounts.push(amount);
    }
  }

  /** Drops what left the window; returns what is left. */
  private settle(counter: Counter, windowMs: number, technique: Technique, nowMs: number): number {
    if (technique === 'fixed') {
      const start = nowMs - (nowMs % windowMs);
      if (start !== counter.start) {
        counter.start = start;
        counter.sum = 0;
        counter.times.length = 0;
        counter.amounts.length = 0;
      }
      return counter.sum;
    }
    let drop = 0;
    while (drop < counter.times.length && counter.times[drop]! <= nowMs - windowMs) {
      counter.sum -= counter.amounts[drop]!;
      drop++;
    }
    if (drop > 0) {
      counter.times.splice(0, drop);
      counter.amounts.splice(0, drop);
    }
    if (counter.times.length === 0) counter.sum = 0;
    return counter.sum;
  }
}
