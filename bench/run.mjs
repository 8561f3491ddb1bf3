// Runs every benchmark in turn: node bench/run.mjs [--quick]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const quick = process.argv.includes('--quick');
for (const script of [
  'cli.mjs',
  'proxy.mjs',
  'proxy-cpu.mjs',
  'body-burst.mjs',
  'log-store.mjs',
  'costs.mjs',
]) {
  console.log(`\n## ${script}\n`);
  const args = [fileURLToPath(new URL(script, import.meta.url))];
  if (quick) {
    const quickArgs = { 'cli.mjs': ['--runs', '10'], 'proxy-cpu.mjs': ['10000'] };
    args.push(...(quickArgs[script] ?? ['--quick']));
  }
  const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exitCode = 1;
}
