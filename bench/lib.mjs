// Shared pieces for the benchmarks: percentiles, child processes that print a JSON line when ready, RSS.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const bin = fileURLToPath(new URL('../bin/aigw.js', import.meta.url));

export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export const median = (values) => percentile(values, 50);

/**
 * Spawns `node args...` and resolves with the child and the first JSON line it prints. `stderr`: a file
 * descriptor to send the child's stderr to instead of this process (which would then spend the load
 * generator's time reading it).
 */
export function startJsonChild(args, env = {}, stderr = 'pipe') {
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', stderr],
    env: { ...process.env, ...env },
  });
  let err = '';
  child.stderr?.on('data', (d) => {
    err += d;
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, info: JSON.parse(line) });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}\n${err}`)));
  });
}

/** Starts the built `aigw proxy` on a free port, its data in `dataDir`, with OpenAI at `upstreamUrl`. */
export function startProxy(dataDir, upstreamUrl, extraArgs = [], stderr = 'pipe') {
  const args = ['proxy', '--port', '0', '--json', '--data-dir', dataDir];
  return startJsonChild([bin, ...args, '--upstream', `openai=${upstreamUrl}/v1`, ...extraArgs], {}, stderr);
}

export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/**
 * Bundles a TypeScript bench (it imports the product's sources) into bench/results/ and runs it with this
 * process's arguments and `nodeFlags`; the exit code is the bench's.
 */
export async function runBundled(name, nodeFlags = []) {
  const { spawnSync } = await import('node:child_process');
  const { build } = await import('esbuild');
  const out = fileURLToPath(new URL(`../bench/results/${name}.bench.mjs`, import.meta.url));
  await build({
    entryPoints: [fileURLToPath(new URL(`${name}.ts`, import.meta.url))],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    packages: 'external',
    logLevel: 'warning',
  });
  const result = spawnSync(process.execPath, [...nodeFlags, out, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exitCode = result.status ?? 1;
}
