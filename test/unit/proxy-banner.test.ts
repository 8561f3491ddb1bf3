// How the proxy's banner says to run aigw, so that its command works as pasted: `aigw` when installed, `npx aigw`
// under npm exec, in a project or in the checkout, else node and the script by full path.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aigwCommand } from '../../src/io/aigw-command.js';

const root = mkdtempSync(join(tmpdir(), 'aigw banner '));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A checkout (or an installed package): package.json and bin/aigw.js.
const checkout = join(root, 'aigw');
mkdirSync(join(checkout, 'bin'), { recursive: true });
writeFileSync(join(checkout, 'package.json'), '{"name":"aigw"}');
const script = join(checkout, 'bin', 'aigw.js');
writeFileSync(script, '');

function pathDir(name: string, target: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  symlinkSync(target, join(dir, 'aigw'));
  return dir;
}
const globalBin = pathDir('global-bin', script);
const projectBin = pathDir(join('project', 'node_modules', '.bin'), script);
const otherAigw = join(root, 'other.js');
writeFileSync(otherAigw, '');
const otherBin = pathDir('other-bin', otherAigw);
const elsewhere = join(root, 'elsewhere');
mkdirSync(elsewhere);

const node = '/opt/node 24/bin/node';
const run = (env: Record<string, string>, cwd = elsewhere) => aigwCommand(env, cwd, script, node);

describe('aigwCommand', () => {
  it('is npx aigw when npm exec ran aigw', () => {
    expect(run({ npm_command: 'exec', npm_lifecycle_script: "'aigw'", PATH: projectBin })).toBe('npx aigw');
  });

  it('is aigw when that name on PATH is this aigw', () => {
    expect(run({ PATH: [otherBin.replace('other', 'missing'), globalBin].join(':') })).toBe('aigw');
  });

  it('is npx aigw when only a project or npm put it on PATH', () => {
    expect(run({ npm_command: 'run-script', PATH: projectBin })).toBe('npx aigw');
  });

  it('does not take another aigw on PATH, or an npm exec of another tool, for this one', () => {
    const full = `'${node}' '${script}'`;
    expect(run({ PATH: otherBin })).toBe(full);
    expect(run({ npm_command: 'exec', npm_lifecycle_script: 'vitest', PATH: '' })).toBe(full);
  });

  it('is npx aigw inside its own checkout', () => {
    expect(run({ PATH: '' }, checkout)).toBe('npx aigw');
    expect(run({ PATH: '' }, join(checkout, 'bin'))).toBe('npx aigw');
  });

  it('is node and the script by full path otherwise, quoted for the shell', () => {
    expect(run({})).toBe(`'${node}' '${script}'`);
  });
});
