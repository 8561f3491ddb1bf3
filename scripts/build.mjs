// Bundles the CLI into dist/ with esbuild. Dependencies are bundled too (the cloudflare SDK through its
// tree-shakable entry: ~130 KB instead of ~2,000 files), and heavy parts (the SDK, the local gateway,
// prompts) sit in chunks loaded on demand, so `aigw --version` pays only for what it uses.
import { renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// conf's imports the CLI should not pay for on every start (each stand-in says why). Only imports made
// from inside conf's own dependency tree are replaced, so any other use of these modules stays real.
const standIns = [
  { filter: /^ajv(-formats)?(\/.*)?$/, from: '/node_modules/conf/', file: 'ajv.mjs' },
  { filter: /^node:crypto$/, from: '/node_modules/conf/', file: 'lazy-crypto.cjs' },
  { filter: /^semver$/, from: '/node_modules/conf/', file: 'lazy-semver.cjs' },
  { filter: /^when-exit$/, from: '/node_modules/atomically/', file: 'when-exit.mjs' },
];
const confStandIns = {
  name: 'conf-stand-ins',
  setup(b) {
    for (const { filter, from, file } of standIns) {
      b.onResolve({ filter }, (args) =>
        args.importer.replaceAll('\\', '/').includes(from)
          ? { path: fileURLToPath(new URL(`./stand-ins/${file}`, import.meta.url)) }
          : undefined,
      );
    }
  },
};

// Built beside dist/ and swapped in, so a CLI started during a build never finds dist/ half gone.
const next = `dist.${process.pid}.tmp`;
rmSync(next, { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: next,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  plugins: [confStandIns],
  // CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __aigwCreateRequire } from 'node:module'; const require = __aigwCreateRequire(import.meta.url);",
  },
});
rmSync('dist', { recursive: true, force: true });
renameSync(next, 'dist');
