import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import { generateCompletion, type Shell } from '../../src/completion/generate.js';
import { targetOptionsOn, words } from '../../src/completion/values.js';
import { Context } from '../../src/context.js';
import { fakeCloudflare, fakeStreams, runInProcess, scriptedPrompter } from '../helpers/in-process.js';
import { repoRoot } from '../helpers/run-cli.js';

function generate(shell: Shell): string {
  const ctx = new Context({ streams: fakeStreams().streams, env: {}, cwd: repoRoot });
  return generateCompletion(buildProgram(ctx), shell);
}

const files: Record<Shell, string> = { bash: 'aigw.bash', zsh: '_aigw', fish: 'aigw.fish' };
const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
const scratch = mkdtempSync(join(tmpdir(), 'aigw-completion-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('committed completion scripts', () => {
  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    it(`completions/${files[shell]} matches the command tree`, () => {
      const committed = readFileSync(join(repoRoot, 'completions', files[shell]), 'utf8');
      expect(committed === generate(shell), 'completions/ is out of date: run npm run completions').toBe(
        true,
      );
    });
  }
});

describe('bash completion', () => {
  const script = join(scratch, 'aigw.bash');
  writeFileSync(script, generate('bash'));
  /** What bash offers after the given words (the last one is being completed). */
  const complete = (...words: string[]): string[] => {
    const harness = `source ${JSON.stringify(script)}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1))
cd ${JSON.stringify(scratch)}; _aigw; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return execFileSync('bash', ['--norc', '-c', harness], { encoding: 'utf8' }).split('\n').filter(Boolean);
  };

  it('offers top-level commands, then verbs at every depth', () => {
    expect(complete('aigw', '')).toEqual(
      expect.arrayContaining(['auth', 'profile', 'completion', 'proxy', 'help']),
    );
    expect(complete('aigw', 'pro')).toEqual(['profile', 'providers', 'proxy']);
    expect(complete('aigw', 'auth', '')).toEqual(['login', 'logout', 'status']);
    expect(complete('aigw', 'profile', '')).toEqual(['add', 'list', 'remove', 'show', 'use']);
  });

  it("offers a command's own flags plus the global ones", () => {
    const flags = complete('aigw', 'auth', 'login', '--');
    expect(flags).toContain('--with-token');
    expect(flags).toContain('--profile');
    expect(flags).toContain('--json');
    expect(flags).not.toContain('--all');
    expect(complete('aigw', 'profile', 'remove', 'x', '-')).toContain('-y');
  });

  it('skips global flags and their values when finding the command', () => {
    expect(complete('aigw', '--profile', 'staging', 'auth', 'st')).toEqual(['status']);
    expect(complete('aigw', '--json', 'profile', 'u')).toEqual(['use']);
  });

  it('offers argument choices and lets flag values complete as files', () => {
    expect(complete('aigw', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    writeFileSync(join(scratch, 'token.txt'), '');
    expect(complete('aigw', 'proxy', '--config', 'tok')).toEqual(['token.txt']);
  });
});

describe.skipIf(!has('fish'))('fish completion', () => {
  const script = join(scratch, 'aigw.fish');
  writeFileSync(script, generate('fish'));
  const complete = (line: string): string[] =>
    execFileSync('fish', ['--no-config', '-c', `source ${script}; complete -C ${JSON.stringify(line)}`], {
      encoding: 'utf8',
      env: { ...process.env, HOME: scratch, XDG_CONFIG_HOME: scratch, XDG_DATA_HOME: scratch },
    })
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[0]!);

  it('offers verbs at depth, flags, and choices', () => {
    expect(complete('aigw auth ')).toEqual(['login', 'logout', 'status']);
    expect(complete('aigw --profile x profile ')).toEqual(['add', 'list', 'remove', 'show', 'use']);
    expect(complete('aigw auth login --')).toContain('--with-token');
    expect(complete('aigw completion ')).toEqual(['bash', 'fish', 'zsh']);
  });
});

describe.skipIf(!has('zsh'))('zsh completion', () => {
  it('parses and registers _aigw with compdef', () => {
    const script = join(scratch, '_aigw');
    writeFileSync(script, generate('zsh'));
    execFileSync('zsh', ['-n', script]);
    const out = execFileSync(
      'zsh',
      [
        '-fc',
        `autoload -U compinit; compinit -u -d ${scratch}/zcompdump; source ${script}; print -r -- $_comps[aigw]; whence -w _aigw__auth__login`,
      ],
      { encoding: 'utf8' },
    );
    expect(out).toContain('_aigw\n');
    expect(out).toContain('_aigw__auth__login: function');
  });
});

describe('aigw __complete', () => {
  it('reads the target options off the line as a shell splits it', () => {
    expect(words(`aigw --profile 'my prof' --local-url="127.0.0.1:9" gateway get a\\ b `)).toEqual([
      'aigw',
      '--profile',
      'my prof',
      '--local-url=127.0.0.1:9',
      'gateway',
      'get',
      'a b',
    ]);
    expect(
      targetOptionsOn([
        'aigw',
        '--local',
        '--account-id=abc',
        'gateway',
        '--profile',
        'p',
        '--',
        '--local-url',
        'x',
      ]),
    ).toEqual({ local: true, accountId: 'abc', profile: 'p' });
  });

  it('never asks, even in a terminal where the token sees several accounts: no values, no output', async () => {
    const token = 'cf-token-several-accounts-1234';
    const api = fakeCloudflare({
      token,
      accounts: [
        { id: 'a'.repeat(32), name: 'One' },
        { id: 'b'.repeat(32), name: 'Two' },
      ],
    });
    const prompter = scriptedPrompter({});
    const r = await runInProcess(['__complete', 'gateways', 'aigw gateway get '], {
      env: { AIGW_CONFIG_DIR: join(scratch, 'config'), CLOUDFLARE_API_TOKEN: token },
      tty: true,
      prompter,
      fetch: api.fetch,
    });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(prompter.asked).toEqual([]);
    expect(api.requests.map((q) => q.path)).toEqual(['/client/v4/accounts']);
  });

  it('is not offered by completion or help', () => {
    expect(generate('bash')).not.toContain("'__complete'");
    expect(generate('bash')).toContain('aigw __complete "$1"');
  });
});
