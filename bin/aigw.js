#!/usr/bin/env node
// Entry point: refuse an unsupported Node in one line, then load the bundled CLI.
import { checkNode } from './check-node.js';

const problem = checkNode(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  // Answered without loading the CLI: scripts call this often.
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  // The proxy gives memory back after bursts of large bodies only with malloc set up for it (bin/malloc.js);
  // other commands do not load that module at all.
  const env = args.includes('proxy')
    ? (await import('./malloc.js')).withMallocTunables(args, process.env, process.platform)
    : null;
  if (env && typeof process.execve === 'function') {
    try {
      process.execve(
        process.execPath,
        [process.execPath, ...process.execArgv, ...process.argv.slice(1)],
        env,
      );
    } catch {
      // Not started again (not allowed here, say): the proxy runs as is.
    }
  }
  // Reuse V8's compiled code between runs (start-up time is a budget).
  const { enableCompileCache } = await import('node:module');
  enableCompileCache?.();
  const { run } = await import('../dist/cli.js');
  await run(args);
}
