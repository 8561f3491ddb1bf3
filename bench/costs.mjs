// Bundles costs.ts (it uses the store and GraphQL sources) and runs it: node bench/costs.mjs [--quick]
import { runBundled } from './lib.mjs';

await runBundled('costs');
