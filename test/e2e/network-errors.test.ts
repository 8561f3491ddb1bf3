// A request that gets no answer, as the built CLI reports it: the cause in words and as a code (text,
// --debug and --json), never a credential from the URL. Real sockets on 127.0.0.1 only: a port nothing
// listens on, and https servers whose certificates openssl makes for the test.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, type CliSandbox, cliSandbox } from '../helpers/run-cli.js';

const account = '0123456789abcdef0123456789abcdef';
const token = 'net-test-token-5e6f7a8b9c';
let sandbox: CliSandbox;
beforeAll(() => {
  sandbox = cliSandbox();
});
afterAll(() => sandbox.cleanup());

/** `gateway list` against `baseUrl`, with a token and an account so the request is all that can fail. */
function gatewayList(baseUrl: string, flags: string[] = [], env: Record<string, string> = {}) {
  return sandbox.run(['gateway', 'list', ...flags], {
    env: {
      CLOUDFLARE_API_TOKEN: token,
      CLOUDFLARE_ACCOUNT_ID: account,
      CLOUDFLARE_BASE_URL: baseUrl,
      ...env,
    },
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

const close = (server: Server) => new Promise((resolve) => server.close(resolve));

/** A port on 127.0.0.1 that was just free: connecting to it is refused. */
async function refusedPort(): Promise<number> {
  const server = createHttpServer();
  const port = await listen(server);
  await close(server);
  return port;
}

const lastJsonLine = (r: CliResult) => JSON.parse(r.stderr.trim().split('\n').at(-1)!);

describe('a refused connection', () => {
  it('says so in words and as ECONNREFUSED, in text, --debug and --json; exit 1', async () => {
    const port = await refusedPort();
    const url = `http://127.0.0.1:${port}/client/v4`;
    const plain = await gatewayList(url);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain(
      `Error: Could not reach 127.0.0.1:${port}: the connection was refused (nothing is listening there) (ECONNREFUSED).`,
    );
    expect(plain.stderr).not.toContain('bug');

    const debug = await gatewayList(url, ['--debug']);
    expect(debug.code).toBe(1);
    // The trace line names the cause too, not only "fetch failed".
    expect(debug.stderr).toMatch(
      /\[debug\] ✗ GET http:\/\/127\.0\.0\.1:\d+\/client\/v4\/accounts\/.* fetch failed: .*ECONNREFUSED/,
    );

    const json = await gatewayList(url, ['--json']);
    expect(json.code).toBe(1);
    expect(lastJsonLine(json).error).toMatchObject({ code: 'network', exit: 1, reason: 'ECONNREFUSED' });
  });
});

describe('credentials in the API URL', () => {
  it('are never shown, with or without --debug or --json, from the environment or a profile', async () => {
    const port = await refusedPort();
    const results: CliResult[] = [];
    for (const base of [
      `http://user:secret-pw-77@127.0.0.1:${port}/client/v4`,
      'http://user:secret-pw-77@127.0.0.1:1/client/v4',
    ]) {
      for (const flags of [[], ['--debug'], ['--json'], ['--debug', '--json']]) {
        const r = await gatewayList(base, flags);
        expect(r.code, `${base} ${flags.join(' ')}`).not.toBe(0);
        results.push(r);
      }
    }
    // A profile whose stored base URL carries them: config.json is refused, naming the key.
    writeFileSync(
      join(sandbox.configDir, 'config.json'),
      JSON.stringify({
        profiles: { pw: { baseUrl: `http://user:secret-pw-77@127.0.0.1:${port}/client/v4` } },
      }),
    );
    const profile = await sandbox.run(['--profile', 'pw', 'gateway', 'list', '--debug'], {
      env: { CLOUDFLARE_API_TOKEN: token, CLOUDFLARE_ACCOUNT_ID: account },
    });
    expect(profile.code).toBe(1);
    expect(profile.stderr).toContain('"profiles.pw.baseUrl" must not hold a user name or password');
    results.push(profile, await sandbox.run(['profile', 'list']));
    rmSync(join(sandbox.configDir, 'config.json'));
    // profile add refuses them in --base-url, without repeating them.
    const add = await sandbox.run([
      'profile',
      'add',
      'pw',
      '--base-url',
      'https://user:secret-pw-77@example.com/client/v4',
    ]);
    expect(add.code).toBe(2);
    expect(add.stderr).toContain('--base-url has a user name or password in it');
    results.push(add);
    for (const r of results) expect(r.stdout + r.stderr).not.toContain('secret-pw-77');
  });
});

/** openssl, which makes the certificates; the TLS cases need it. */
const openssl = spawnSync('openssl', ['version']).status === 0;

describe.skipIf(!openssl)('a TLS certificate the client does not trust', () => {
  let dir: string;
  const servers: Server[] = [];
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const file = (name: string) => readFileSync(join(dir, name));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aigw-tls-'));
    writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    // Self-signed for 127.0.0.1.
    run([
      'req',
      '-x509',
      ...ec,
      '-subj',
      '/CN=127.0.0.1',
      '-days',
      '1',
      '-keyout',
      'self.key',
      '-out',
      'self.pem',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]);
    // A private certificate authority, and a certificate for 127.0.0.1 it signed.
    run([
      'req',
      '-x509',
      ...ec,
      '-subj',
      '/CN=aigw test CA',
      '-days',
      '1',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
    ]);
    run(['req', ...ec, '-subj', '/CN=127.0.0.1', '-keyout', 'leaf.key', '-out', 'leaf.csr']);
    run([
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-out',
      'leaf.pem',
      '-extfile',
      'san.ext',
    ]);
  });
  afterAll(async () => {
    await Promise.all(servers.map(close));
    rmSync(dir, { recursive: true, force: true });
  });

  /** An https API on 127.0.0.1 that answers an empty gateway list. */
  async function httpsApi(key: string, cert: string): Promise<string> {
    const server = createHttpsServer({ key: file(key), cert: file(cert) }, (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          success: true,
          errors: [],
          messages: [],
          result: [],
          result_info: { page: 1, per_page: 100, count: 0, total_count: 0 },
        }),
      );
    });
    servers.push(server);
    return `https://127.0.0.1:${await listen(server)}/client/v4`;
  }

  it('self-signed: DEPTH_ZERO_SELF_SIGNED_CERT, said in words, with the way to trust it', async () => {
    const url = await httpsApi('self.key', 'self.pem');
    const r = await gatewayList(url);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "the server's TLS certificate is self-signed, so it is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)",
    );
    expect(r.stderr).toContain('NODE_EXTRA_CA_CERTS=');
    const debug = await gatewayList(url, ['--debug', '--json']);
    expect(debug.stderr).toMatch(
      /\[debug\] ✗ GET https:\/\/127\.0\.0\.1:\d+\/.*: fetch failed: self-signed certificate/,
    );
    expect(lastJsonLine(debug).error).toMatchObject({
      code: 'network',
      reason: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
  });

  it('signed by an authority Node does not know: UNABLE_TO_VERIFY_LEAF_SIGNATURE; the hint, followed, works', async () => {
    const url = await httpsApi('leaf.key', 'leaf.pem');
    const r = await gatewayList(url, ['--json']);
    expect(r.code).toBe(1);
    expect(lastJsonLine(r).error).toMatchObject({
      code: 'network',
      message: expect.stringContaining(
        "the server's TLS certificate could not be verified (its issuer is not trusted)",
      ),
      reason: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      hint: expect.stringContaining('NODE_EXTRA_CA_CERTS'),
    });
    const trusted = await gatewayList(url, ['--json'], { NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') });
    expect(trusted.stderr).toBe('');
    expect(trusted.code).toBe(0);
    expect(JSON.parse(trusted.stdout)).toEqual([]);
  });
});
