// `npx aigw proxy` from the checkout, as a CI script runs it: its banner's command works as pasted, and killed by
// the PID the script holds (npm's), it stops listening by itself, since npm does not pass the signal on.
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateResponse } from '../helpers/openapi.js';
import { bannerCommand, type CliSandbox, cliSandbox, repoRoot, runPasted } from '../helpers/run-cli.js';

let sandbox: CliSandbox;
let npx: ChildProcess | undefined;
beforeEach(() => {
  sandbox = cliSandbox();
});
afterEach(() => {
  // Whatever happened, nothing of this test keeps running: npx has its own process group.
  if (npx?.pid) {
    try {
      process.kill(-npx.pid, 'SIGKILL');
    } catch {}
  }
  sandbox.cleanup();
});

/** The checkout's shell: the project's Node first on PATH (as `npm ci` leaves it), npm offline. */
const npmEnv = () => ({
  ...sandbox.env,
  PATH: [join(repoRoot, 'node_modules', '.bin'), sandbox.env.PATH].join(delimiter),
  npm_config_offline: 'true',
  npm_config_update_notifier: 'false',
});

/** `npx aigw ...` in the checkout. */
function startNpx(args: string[]): { child: ChildProcess; stderr: () => string } {
  const child = spawn('npx', ['aigw', ...args], {
    cwd: repoRoot,
    env: npmEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  child.stdout?.resume();
  return { child, stderr: () => err };
}

async function until<T>(
  what: string,
  ms: number,
  probe: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npx aigw proxy', () => {
  it('prints a CLI command that works as pasted in the checkout', async () => {
    const started = startNpx(['proxy', '--port', '0', '--in-memory']);
    npx = started.child;
    const banner = await until('the banner', 30_000, () =>
      started.stderr().includes('Ctrl-C') ? started.stderr() : undefined,
    );
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)![1]!;
    const command = bannerCommand(banner);
    expect(command).toBe(`npx aigw --local-url ${url} gateway create my-gateway`);
    const pasted = await runPasted(sandbox, command, { cwd: repoRoot, env: npmEnv() });
    expect(pasted.stderr).not.toContain('Error');
    expect(pasted.code).toBe(0);
    const path = '/accounts/local/ai-gateway/gateways/my-gateway';
    const res = await fetch(`${url}/client/v4${path}`, { headers: { authorization: 'Bearer x' } });
    validateResponse('GET', path, res.status, await res.json());
    expect(res.status).toBe(200);
  });

  it('stops listening when the npx process it runs under is killed', async () => {
    const started = startNpx(['proxy', '--port', '0', '--in-memory']);
    npx = started.child;
    const port = await until('the banner', 30_000, () => {
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(started.stderr());
      return match ? Number(match[1]) : undefined;
    });
    expect(await listening(port)).toBe(true);

    // What `kill $!` does in the script: SIGTERM to npm, nothing to the proxy.
    process.kill(npx.pid!, 'SIGTERM');
    const stoppedAfter = Date.now();
    await until('the port to close', 5_000, async () => ((await listening(port)) ? undefined : true));
    expect(Date.now() - stoppedAfter).toBeLessThan(5_000);
    await until('the proxy to say it stopped', 5_000, () =>
      started.stderr().includes('Stopped:') ? true : undefined,
    );
    expect(started.stderr()).toContain('npm exited: stopping (flushing logs)...');
  });
});
