// A full garbage collection on demand, for the long-running proxy: after a burst of large request bodies
// (pipeline/body.ts), an idle proxy would otherwise keep them resident until it next allocates enough.
// V8 gives gc() only to contexts made while --expose-gc is set: the flag is set for the moment one small
// context is made, and that context is made anew each time (about 1 ms; rare) so none stays alive between.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  gc();
}
