import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthError,
  describeApiErrors,
  ExitCode,
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
