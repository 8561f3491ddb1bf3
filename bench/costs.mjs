// Bundles costs.ts (it uses the store and GraphQL sources) and runs it: node bench/costs.mjs [--quick]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const out = fileURLToPath(new URL('../bench/results/costs.bench.mjs', import.meta.url));
await build({
  entryPoints: [fileURLToPath(new URL('costs.ts', import.meta.url))],
  outfile: out,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
});
const result = spawnSync(process.execPath, [out, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exitCode = result.status ?? 1;
