// Runs the built CLI (bin/aigw.js) as a user would: a separate process with a temporary HOME and
// config dir, no inherited Cloudflare credentials, and stdin closed unless given.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { createDefaults } from '../../src/gateway-defaults.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const binPath = join(repoRoot, 'bin', 'aigw.js');
/** How hints name aigw in a sandbox: it is started by path, with no aigw on PATH, so node and the script. */
export const aigwAsRun = `${process.execPath} ${realpathSync(binPath)}`;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliSandbox {
  home: string;
  configDir: string;
  env: Record<string, string>;
  /** Runs a command to its end; with `timeoutMs`, one still running then is killed (code null). */
  run(
    args: string[],
    options?: { stdin?: string; env?: Record<string, string | undefined>; timeoutMs?: number },
  ): Promise<CliResult>;
  /** Starts a long-running command (proxy, logs tail); the caller stops it. */
  spawn(args: string[], options?: { env?: Record<string, string | undefined> }): ChildProcess;
  cleanup(): void;
}

/** Environment variables that would leak the developer's own setup into a test. */
const scrubbed = [
  'CLOUDFLARE_API_TOKEN',
  'CLOUDFLARE_API_KEY',
  'CLOUDFLARE_EMAIL',
  'CLOUDFLARE_ACCOUNT_ID',
  'CLOUDFLARE_BASE_URL',
  'AIGW_PROFILE',
  'AIGW_LOCAL_URL',
  'AIGW_LOCAL_TOKEN',
  'AIGW_PROXY_API_TOKEN',
  'AIGW_DEBUG',
  'AIGW_FORCE_TTY',
  'FORCE_COLOR',
  'CLICOLOR_FORCE',
  'NO_COLOR',
];

export function cliSandbox(): CliSandbox {
  const home = mkdtempSync(join(tmpdir(), 'aigw-e2e-'));
  const configDir = join(home, '.config', 'aigw');
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !scrubbed.includes(key)) env[key] = value;
  }
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    AIGW_CONFIG_DIR: configDir,
    AIGW_DATA_DIR: join(home, 'data'),
    CI: 'true',
  });
  const merge = (extra?: Record<string, string | undefined>) => {
    const out: Record<string, string> = { ...env };
    for (const [k, v] of Object.entries(extra ?? {})) {
      if (v === undefined) delete out[k];
      else out[k] = v;
    }
    return out;
  };
  return {
    home,
    configDir,
    env,
    run(args, options = {}) {
      const child = spawn(process.execPath, [binPath, ...args], {
        cwd: home,
        env: merge(options.env),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      // A command that exits before reading its stdin (--version) closes the pipe first: not an error here.
      child.stdin.on('error', () => {});
      child.stdin.end(options.stdin ?? '');
      return outcome(child, options.timeoutMs);
    },
    spawn(args, options = {}) {
      return spawn(process.execPath, [binPath, ...args], {
        cwd: home,
        env: merge(options.env),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    },
    cleanup() {
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface RunningProxy {
  url: string;
  apiUrl: string;
  process: ChildProcess;
  /** What it printed on stderr so far (the banner once started). */
  stderr(): string;
  stop(): Promise<number | null>;
}

/** Starts `aigw proxy --port 0 --json` in the sandbox and waits until it prints where it listens. */
export function startProxyProcess(sandbox: CliSandbox, extraArgs: string[] = []): Promise<RunningProxy> {
  const child = sandbox.spawn(['proxy', '--port', '0', '--json', ...extraArgs]);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`aigw proxy did not start in time.\nstderr:\n${err}`));
    }, 15_000);
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      const { url } = JSON.parse(line) as { url: string };
      resolve({
        url,
        apiUrl: `${url}/client/v4`,
        process: child,
        stderr: () => err,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) {
              done(child.exitCode);
              return;
            }
            child.once('exit', (code) => done(code));
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`aigw proxy exited with ${code}.\nstderr:\n${err}`));
    });
  });
}

export interface SandboxWithProxy {
  /** The current test's sandbox with `sandboxPerTest`, else the file's (the one the proxy runs in). */
  readonly sandbox: CliSandbox;
  readonly proxy: RunningProxy;
  /** Every result of run(), for checks across all of a file's runs (e.g. no token in any output). */
  readonly results: CliResult[];
  run(
    args: string[],
    options?: { stdin?: string; env?: Record<string, string | undefined> },
  ): Promise<CliResult>;
}

/**
 * A sandbox with `aigw proxy <proxyArgs>` running in it, started before a file's tests and stopped after.
 * With `sandboxPerTest`, each test runs the CLI in a sandbox of its own (its own HOME and config dir, made
 * before it and removed after), so no test sees the profiles or settings an earlier one saved. With
 * `secrets`, after each test: it ran a command, and no output of its commands holds any of them.
 */
export function sandboxWithProxy(
  proxyArgs: string[],
  options: { sandboxPerTest?: boolean; secrets?: readonly string[] } = {},
): SandboxWithProxy {
  let sandbox: CliSandbox | undefined;
  let own: CliSandbox | undefined;
  let proxy: RunningProxy | undefined;
  const results: CliResult[] = [];
  beforeAll(async () => {
    sandbox = cliSandbox();
    proxy = await startProxyProcess(sandbox, proxyArgs);
  });
  afterAll(async () => {
    await proxy?.stop();
    sandbox?.cleanup();
  });
  if (options.sandboxPerTest) {
    beforeEach(() => {
      own = cliSandbox();
      return () => {
        own?.cleanup();
        own = undefined;
      };
    });
  }
  const { secrets } = options;
  if (secrets) {
    let checked = 0;
    afterEach(() => {
      const runs = results.slice(checked);
      checked = results.length;
      expect(runs.length).toBeGreaterThan(0);
      for (const r of runs) {
        for (const secret of secrets) {
          expect(r.stdout).not.toContain(secret);
          expect(r.stderr).not.toContain(secret);
        }
      }
    });
  }
  return {
    get sandbox() {
      return own ?? sandbox!;
    },
    get proxy() {
      return proxy!;
    },
    results,
    async run(args, runOptions = {}) {
      const result = await (own ?? sandbox!).run(args, runOptions);
      results.push(result);
      return result;
    },
  };
}

/**
 * Creates a gateway on a running proxy through its management API, as set-up for a test (not what it tests):
 * the fields the CLI sends for an unset flag, then `settings`.
 */
export async function createGatewayOn(
  proxy: RunningProxy,
  id: string,
  settings: Record<string, unknown> = {},
  accountId = 'local',
): Promise<void> {
  const res = await fetch(`${proxy.apiUrl}/accounts/${accountId}/ai-gateway/gateways`, {
    method: 'POST',
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    body: JSON.stringify({ id, ...createDefaults, ...settings }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`creating gateway ${id}: ${res.status} ${text}`);
}

/** The command after `CLI:` in aigw proxy's start-up banner. */
export function bannerCommand(banner: string): string {
  const line = banner.split('\n').find((l) => l.trimStart().startsWith('CLI:'));
  if (!line) throw new Error(`no CLI line in the banner:\n${banner}`);
  return line.trim().replace(/^CLI:\s+/, '');
}

/** Runs a command line as pasted into a shell (sh -c), with the sandbox's environment. */
export function runPasted(
  sandbox: CliSandbox,
  line: string,
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const child = spawn('sh', ['-c', line], {
    cwd: options.cwd ?? sandbox.home,
    env: options.env ?? sandbox.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return outcome(child);
}

/** What a child printed and how it ended; with `timeoutMs`, one still running then is killed (code null). */
function outcome(child: ChildProcess, timeoutMs?: number): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = timeoutMs ? setTimeout(() => child.kill('SIGKILL'), timeoutMs) : null;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
