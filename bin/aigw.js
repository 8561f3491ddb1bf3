#!/usr/bin/env node
// Entry point: refuse an unsupported Node in one line, then load the bundled CLI.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 22)) {
  process.stderr.write(
    `aigw requires Node.js 22.22 or newer (24 LTS recommended); this is Node.js ${process.versions.node}.\n`,
  );
  process.exit(1);
}
const { run } = await import('../dist/cli.js');
await run(process.argv.slice(2));
