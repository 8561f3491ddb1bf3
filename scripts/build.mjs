// Bundles the CLI into dist/ with esbuild. Heavy modules (the cloudflare SDK, the local gateway)
// stay in separate chunks loaded on demand, so `aigw --version` pays only for what it uses.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
});
