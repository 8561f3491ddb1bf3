import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthError,
  describeApiErrors,
  ExitCode,
  errorJson,
  exitCodeFor,
  formatError,
  InterruptedError,
  NetworkError,
  NotFoundError,
  UsageError,
} from '../../src/errors.js';
import { runInProcess } from '../helpers/in-process.js';

describe('exit codes', () => {
  it('maps each typed error to its code', () => {
    expect(exitCodeFor(new UsageError('x'))).toBe(2);
    expect(exitCodeFor(new AuthError('x'))).toBe(4);
    expect(exitCodeFor(new ApiError(400, []))).toBe(1);
    expect(exitCodeFor(new NotFoundError(404, []))).toBe(1);
    expect(exitCodeFor(new NetworkError('x'))).toBe(1);
    expect(exitCodeFor(new InterruptedError())).toBe(130);
    expect(exitCodeFor(new Error('boom'))).toBe(1);
    const promptExit = Object.assign(new Error('User force closed the prompt'), { name: 'ExitPromptError' });
    expect(exitCodeFor(promptExit)).toBe(ExitCode.interrupted);
  });
});

describe('formatError', () => {
  it('prints the message and the hint; the stack only when debugging', () => {
    const err = new AuthError('No credentials.', { hint: 'Run: aigw auth login' });
    expect(formatError(err, false)).toBe('Error: No credentials.\nRun: aigw auth login');
    const debug = formatError(err, true);
    expect(debug).toContain('Run: aigw auth login');
    expect(debug).toContain('at ');
  });

  it('an unexpected error says it is a bug, with a stack only in debug', () => {
    const plain = formatError(new TypeError('x is undefined'), false);
    expect(plain).toContain('Error: x is undefined');
    expect(plain).toContain('--debug');
    expect(plain).not.toMatch(/\n\s+at /);
    expect(formatError(new TypeError('x is undefined'), true)).toMatch(/\n\s+at /);
  });

  it('API errors carry Cloudflare codes and fields', () => {
    expect(describeApiErrors(400, [{ code: 7001, message: 'Bad name', path: ['body', 'id'] }])).toBe(
      'Bad name (field: id) [code 7001]',
    );
    expect(describeApiErrors(502, [])).toBe('The API answered HTTP 502');
  });

  it('a closed prompt is reported as interrupted', () => {
    expect(formatError(Object.assign(new Error('x'), { name: 'ExitPromptError' }), false)).toBe(
      'Interrupted',
    );
  });
});

describe('main maps errors to exit codes', () => {
  it('unknown command and unknown option: exit 2', async () => {
    const cmd = await runInProcess(['nonsense']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain("unknown command 'nonsense'");
    const opt = await runInProcess(['profile', 'list', '--bogus']);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toContain("unknown option '--bogus'");
  });

  it('missing credentials: exit 4 and the fix; --debug adds the stack', async () => {
    const { tempConfigDir } = await import('../helpers/in-process.js');
    const tmp = tempConfigDir();
    try {
      const env = { AIGW_CONFIG_DIR: tmp.dir };
      const r = await runInProcess(['auth', 'status'], { env });
      expect(r.code).toBe(4);
      expect(r.stderr).toContain('Run: aigw auth login');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      const d = await runInProcess(['auth', 'status', '--debug'], { env });
      expect(d.code).toBe(4);
      expect(d.stderr).toMatch(/\n\s+at /);
    } finally {
      tmp.cleanup();
    }
  });

  it('no arguments prints help and exits 0; --version exits 0', async () => {
    const none = await runInProcess([]);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('Usage: aigw');
    const version = await runInProcess(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('errors under --json: one JSON object on stderr, same exit codes', () => {
  const jsonError = (stderr: string) => {
    const lines = stderr.trim().split('\n');
    return JSON.parse(lines.at(-1)!) as { error: Record<string, unknown> };
  };

  it("commander's usage errors: unknown command, unknown option, missing argument, missing value", async () => {
    const cases: [string[], Record<string, unknown>][] = [
      [['nonsense', '--json'], { message: "unknown command 'nonsense'", hint: 'Run with --help for usage.' }],
      [['profile', 'lst', '--json'], { message: "unknown command 'lst'", hint: 'Did you mean list?' }],
      [
        ['--json', 'profile', 'list', '--jsn'],
        { message: "unknown option '--jsn'", hint: 'Did you mean --json?' },
      ],
      [['profile', 'add', '--json'], { message: "missing required argument 'name'" }],
      [['--json', 'profile', 'list', '--profile'], { message: "option '--profile <name>' argument missing" }],
    ];
    for (const [argv, expected] of cases) {
      const r = await runInProcess(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      // Nothing but the JSON line: a script can parse stderr whole.
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(jsonError(r.stderr)).toEqual({
        error: { code: 'usage', exit: 2, hint: expect.any(String), ...expected },
      });
    }
  });

  it('--json after -- is an argument, not the flag: the error stays text', async () => {
    const r = await runInProcess(['nonsense', '--', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Error: unknown command 'nonsense'");
  });

  it("the command's own errors: auth (exit 4), not found with Cloudflare's items (exit 1)", async () => {
    const { tempConfigDir } = await import('../helpers/in-process.js');
    const tmp = tempConfigDir();
    try {
      const auth = await runInProcess(['gateway', 'list', '--json'], { env: { AIGW_CONFIG_DIR: tmp.dir } });
      expect(auth.code).toBe(4);
      expect(jsonError(auth.stderr).error).toMatchObject({
        code: 'auth',
        exit: 4,
        hint: expect.stringContaining('aigw auth login'),
      });
      const notFound: typeof fetch = async () =>
        new Response(
          JSON.stringify({
            success: false,
            errors: [{ code: 7002, message: 'Not Found' }],
            messages: [],
            result: null,
          }),
          { status: 404, headers: { 'content-type': 'application/json' } },
        );
      const env = {
        AIGW_CONFIG_DIR: tmp.dir,
        CLOUDFLARE_API_TOKEN: 'token-0123456789',
        CLOUDFLARE_ACCOUNT_ID: '0123456789abcdef0123456789abcdef',
      };
      const r = await runInProcess(['gateway', 'get', 'nosuch', '--json'], { env, fetch: notFound });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(jsonError(r.stderr).error).toMatchObject({
        code: 'not_found',
        exit: 1,
        status: 404,
        errors: [{ code: 7002, message: 'Not Found' }],
      });
      expect(r.stderr).not.toContain('token-0123456789');
    } finally {
      tmp.cleanup();
    }
  });

  it('a bug is "internal" with the bug hint; the stack only with --debug', () => {
    expect(errorJson(new TypeError('x is undefined'), false)).toEqual({
      error: { code: 'internal', message: 'x is undefined', exit: 1, hint: expect.stringContaining('bug') },
    });
    expect(errorJson(new TypeError('x'), true).error.stack).toMatch(/\n\s+at /);
    expect(errorJson(Object.assign(new Error('x'), { name: 'ExitPromptError' }), false)).toEqual({
      error: { code: 'interrupted', message: 'Interrupted', exit: 130 },
    });
    expect(errorJson(new NetworkError('Could not reach x.'), false).error.code).toBe('network');
  });
});
