// A ceiling on V8's young generation for the long-running proxy. Under load V8 keeps doubling the semi-spaces
// up to 64 MB each (128 MB of RSS for a heap that holds ~25 MB); past 16 MB the proxy gains no throughput.
// --max-semi-space-size is read only when the heap is set up, so it cannot be changed from here; the growth
// factor is read at each resize: it is set to 1 (no growth) while the young generation is at the ceiling,
// and back to V8's default 2 when V8 has shrunk it (idle), after every garbage collection.
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

const DEFAULT_GROWTH_FACTOR = 2;

/** Keeps the young generation at or under `maxSemiSpaceMb` per semi-space. Returns a function that stops. */
export function capYoungGeneration(maxSemiSpaceMb: number): () => void {
  // new_space reports both semi-spaces.
  const ceiling = 2 * maxSemiSpaceMb * 1024 * 1024;
  let growing = true;
  const check = () => {
    let size = 0;
    for (const space of getHeapSpaceStatistics()) {
      if (space.space_name === 'new_space') size = space.space_size;
    }
    const grow = size * DEFAULT_GROWTH_FACTOR <= ceiling;
    if (grow === growing) return;
    growing = grow;
    setFlagsFromString(`--semi-space-growth-factor=${grow ? DEFAULT_GROWTH_FACTOR : 1}`);
  };
  const observer = new PerformanceObserver(check);
  observer.observe({ entryTypes: ['gc'] });
  check();
  return () => {
    observer.disconnect();
    if (!growing) setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
  };
}
