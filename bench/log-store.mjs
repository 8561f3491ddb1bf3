// Bundles log-store.ts (it uses the store and writer sources) and runs it: node bench/log-store.mjs [--quick]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const out = fileURLToPath(new URL('../bench/results/log-store.bench.mjs', import.meta.url));
await build({
  entryPoints: [fileURLToPath(new URL('log-store.ts', import.meta.url))],
  outfile: out,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
});
const result = spawnSync(process.execPath, ['--expose-gc', out, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exitCode = result.status ?? 1;
