// Live shell completion as a user meets it: the committed scripts, sourced in bash (and fish and zsh where
// installed), call the built `aigw __complete` against a running `aigw proxy`, and stay quiet and quick when
// nothing answers.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, repoRoot, sandboxWithProxy } from '../helpers/run-cli.js';

const cli = sandboxWithProxy(['--in-memory']);
const other = 'abcdefabcdefabcdefabcdefabcdef01';
const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;

/** A directory with an `aigw` that runs the built CLI, for the scripts to find on PATH. */
let shimPath: string;
let env: NodeJS.ProcessEnv;
/** A port that accepts connections and never answers. */
let silent: Server;
let silentPort: number;
const sockets: Socket[] = [];

beforeAll(async () => {
  const bin = join(cli.sandbox.home, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'aigw'), `#!/bin/sh\nexec "${process.execPath}" "${binPath}" "$@"\n`);
  chmodSync(join(bin, 'aigw'), 0o755);
  shimPath = `${bin}:${process.env.PATH}`;
  env = { ...cli.sandbox.env, PATH: shimPath };
  for (const id of ['alpha', 'beta']) {
    const r = await cli.run(['--local-url', cli.proxy.url, 'gateway', 'create', id]);
    expect(r.code, r.stderr).toBe(0);
  }
  const r = await cli.run([
    '--local-url',
    cli.proxy.url,
    '--account-id',
    other,
    'gateway',
    'create',
    'gamma',
  ]);
  expect(r.code, r.stderr).toBe(0);
  const staging = await cli.run(
    [
      'profile',
      'add',
      'staging',
      '--base-url',
      cli.proxy.apiUrl,
      '--account-id',
      other,
      '--with-token',
      '--no-verify',
    ],
    { stdin: 'staging-token-123456' },
  );
  expect(staging.code, staging.stderr).toBe(0);
  // A Cloudflare profile with no token.
  expect((await cli.run(['profile', 'add', 'bare'])).code).toBe(0);
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

function complete(kind: string, line: string) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [binPath, '__complete', kind, line], {
    cwd: cli.sandbox.home,
    env,
    encoding: 'utf8',
  });
  return {
    code: result.status,
    values: result.stdout.split('\n').filter(Boolean).sort(),
    stderr: result.stderr,
    ms: performance.now() - started,
  };
}

describe('aigw __complete', () => {
  it('lists the gateway ids of the target the line chose', () => {
    const local = complete('gateways', `aigw --local-url ${cli.proxy.url} gateway get `);
    expect(local).toMatchObject({ code: 0, values: ['alpha', 'beta'], stderr: '' });
    const account = complete(
      'gateways',
      `aigw gateway url --local-url=${cli.proxy.url} --account-id ${other} `,
    );
    expect(account.values).toEqual(['gamma']);
    const profile = complete('gateways', 'aigw --profile staging gateway delete ');
    expect(profile.values).toEqual(['gamma']);
  });

  it('lists profile names', () => {
    expect(complete('profiles', 'aigw --profile ').values).toEqual(['bare', 'local', 'staging']);
  });

  it('is silent, quick and exit 0 when offline, unauthenticated or facing a server that never answers', () => {
    for (const line of [
      'aigw --local-url 127.0.0.1:1 gateway get ',
      'aigw --profile bare gateway get ',
      'aigw --profile nope gateway get ',
      'aigw --local-url nonsense:// gateway get ',
      `aigw --local-url 127.0.0.1:${silentPort} gateway get `,
    ]) {
      const r = complete('gateways', line);
      expect(r, line).toMatchObject({ code: 0, values: [], stderr: '' });
      expect(r.ms, line).toBeLessThan(4000);
    }
    expect(complete('nonsense', 'aigw ')).toMatchObject({ code: 0, values: [], stderr: '' });
  });
});

describe('the committed scripts call it', () => {
  it('bash: gateway ids for the first argument, profile names for --profile', () => {
    const script = join(repoRoot, 'completions', 'aigw.bash');
    const bash = (line: string) => {
      const harness = `source ${JSON.stringify(script)}
COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}
read -ra COMP_WORDS <<< "$COMP_LINE"; [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _aigw; printf '%s\\n' "\${COMPREPLY[@]}"`;
      return execFileSync('bash', ['--norc', '-c', harness], { encoding: 'utf8', env })
        .split('\n')
        .filter(Boolean)
        .sort();
    };
    expect(bash(`aigw --local-url ${cli.proxy.url} gateway get `)).toEqual(['alpha', 'beta']);
    expect(bash(`aigw --local-url ${cli.proxy.url} gateway update b`)).toEqual(['beta']);
    expect(bash('aigw --profile staging gateway url ')).toEqual(['gamma']);
    // The argument is typed already: no more ids.
    expect(bash(`aigw --local-url ${cli.proxy.url} gateway get alpha `)).toEqual([]);
    expect(bash('aigw --profile st')).toEqual(['staging']);
    expect(bash('aigw profile use ')).toEqual(['bare', 'local', 'staging']);
  });

  it.skipIf(!has('fish'))('fish: the same', () => {
    const script = join(repoRoot, 'completions', 'aigw.fish');
    const fish = (line: string) =>
      execFileSync('fish', ['--no-config', '-c', `source ${script}; complete -C ${JSON.stringify(line)}`], {
        encoding: 'utf8',
        env: { ...env, XDG_CONFIG_HOME: cli.sandbox.home, XDG_DATA_HOME: cli.sandbox.home },
      })
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]!)
        .sort();
    expect(fish(`aigw --local-url ${cli.proxy.url} gateway get `)).toEqual(['alpha', 'beta']);
    expect(fish(`aigw --local-url ${cli.proxy.url} gateway get alpha `)).toEqual([]);
    expect(fish('aigw --profile ')).toEqual(['bare', 'local', 'staging']);
  });

  it.skipIf(!has('zsh'))('zsh: _aigw_dynamic offers what aigw __complete prints for the line', () => {
    const script = join(repoRoot, 'completions', '_aigw');
    const out = execFileSync(
      'zsh',
      [
        '-fc',
        `compdef() { :; }; source ${script}; compadd() { print -rl -- \${(P)2}; }
LBUFFER=${JSON.stringify(`aigw --local-url ${cli.proxy.url} gateway get `)}; _aigw_dynamic gateways`,
      ],
      { encoding: 'utf8', env },
    );
    expect(out.split('\n').filter(Boolean).sort()).toEqual(['alpha', 'beta']);
  });
});
