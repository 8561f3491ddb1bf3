// config.json and credentials.json as the built CLI keeps them (conf, bundled with its stand-ins): private
// files, never overwritten when damaged or the wrong shape, and an error that says which file and key.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliSandbox, cliSandbox, repoRoot, startProxyProcess } from '../helpers/run-cli.js';

let sandbox: CliSandbox;
beforeEach(() => {
  sandbox = cliSandbox();
});
afterEach(() => sandbox.cleanup());

const mode = (path: string) => statSync(path).mode & 0o777;

function writeConfigFile(name: string, content: string): string {
  mkdirSync(sandbox.configDir, { recursive: true });
  const path = join(sandbox.configDir, name);
  writeFileSync(path, content);
  return path;
}

describe('the config store', () => {
  it('writes both files 0600 in a 0700 directory, and reads them back', async () => {
    const proxy = await startProxyProcess(sandbox, ['--in-memory']);
    try {
      const add = await sandbox.run(['profile', 'add', 'dev', '--base-url', proxy.apiUrl, '--with-token'], {
        stdin: 'dev-token-value-0123456789',
      });
      expect(add.code, add.stderr).toBe(0);
    } finally {
      await proxy.stop();
    }
    expect(mode(sandbox.configDir)).toBe(0o700);
    expect(mode(join(sandbox.configDir, 'config.json'))).toBe(0o600);
    expect(mode(join(sandbox.configDir, 'credentials.json'))).toBe(0o600);
    // Atomic writes leave no temporary file behind.
    expect(readdirSync(sandbox.configDir).sort()).toEqual(['config.json', 'credentials.json']);
    const list = await sandbox.run(['profile', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^dev\t.*\(local\)/m);
  });

  it('config.json with "profiles" of the wrong type: exit 1 naming the file and the key, file untouched', async () => {
    const path = writeConfigFile('config.json', '{"profiles":"nope"}');
    for (const args of [
      ['profile', 'list'],
      ['profile', 'add', 'x', '--account-id', '0123456789abcdef0123456789abcdef'],
      ['gateway', 'list'],
    ]) {
      const r = await sandbox.run(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`Error: ${path} is not valid: "profiles" must be an object`);
      expect(r.stderr).toContain('aigw does not overwrite it');
      expect(r.stderr).not.toContain('bug');
    }
    expect(readFileSync(path, 'utf8')).toBe('{"profiles":"nope"}');
  });

  it('credentials.json of the wrong shape: exit 1 naming the file and the profile, no secret shown', async () => {
    const content = '{"profiles":{"dev":{"apiKey":"key-secret-9f8e7d6c"}}}';
    const path = writeConfigFile('credentials.json', content);
    for (const args of [
      ['--profile', 'dev', 'auth', 'status'],
      ['auth', 'login', '--with-token'],
    ]) {
      const r = await sandbox.run(args, { stdin: 'another-token-0123456789' });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(`${path} is not valid: "profiles.dev" must hold "apiToken"`);
      expect(r.stdout + r.stderr).not.toContain('key-secret');
    }
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  it('a file that is not JSON is never overwritten, whatever the command', async () => {
    const path = writeConfigFile('config.json', '{"profiles": {"dev": ');
    for (const args of [
      ['profile', 'use', 'local'],
      ['profile', 'remove', 'dev', '--yes'],
    ]) {
      const r = await sandbox.run(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(`${path} is not valid`);
    }
    expect(readFileSync(path, 'utf8')).toBe('{"profiles": {"dev": ');
  });
});

describe('the CLI bundle', () => {
  const bundle = () => {
    const dir = join(repoRoot, 'dist');
    const files = [...readdirSync(dir), ...readdirSync(join(dir, 'chunks')).map((f) => join('chunks', f))];
    return files.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(dir, f), 'utf8'));
  };

  it("leaves out conf's schema validator (ajv) and the signal hooks atomically would add (when-exit)", () => {
    const code = bundle();
    // strictSchema is one of ajv's own options; SIGVTALRM is on when-exit's list of signals to hook.
    expect(code.filter((text) => text.includes('strictSchema'))).toEqual([]);
    const conf = code.filter((text) => text.includes('clearInvalidConfig'));
    expect(conf).toHaveLength(1);
    expect(conf[0]).not.toContain('SIGVTALRM');
    // node:crypto is loaded only if conf ever encrypts, which aigw never asks it to.
    expect(conf[0]).not.toMatch(/from "node:crypto"/);
  });
});
