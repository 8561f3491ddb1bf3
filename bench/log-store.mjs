// Bundles log-store.ts (it uses the store and writer sources) and runs it: node bench/log-store.mjs [--quick]
import { runBundled } from './lib.mjs';

await runBundled('log-store', ['--expose-gc']);
