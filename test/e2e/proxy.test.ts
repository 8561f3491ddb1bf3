// `aigw proxy` as a user runs it: what it prints, its settings file, bad input, and a clean stop that
// keeps every log.

import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateResponse } from '../helpers/openapi.js';
import {
  bannerCommand,
  binPath,
  type CliSandbox,
  cliSandbox,
  runPasted,
  startProxyProcess,
} from '../helpers/run-cli.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sandbox: CliSandbox;
beforeEach(() => {
  sandbox = cliSandbox();
});
afterEach(() => sandbox.cleanup());

const gatewayBody = {
  cache_ttl: 0,
  cache_invalidate_on_update: false,
  collect_logs: true,
  rate_limiting_interval: 0,
  rate_limiting_limit: 0,
};

describe('aigw proxy', () => {
  it('says where it listens and how to use it, and answers both planes', async () => {
    const proxy = await startProxyProcess(sandbox, ['--mock']);
    try {
      const created = await fetch(`${proxy.apiUrl}/accounts/local/ai-gateway/gateways`, {
        method: 'POST',
        headers: { authorization: 'Bearer anything', 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'demo', ...gatewayBody }),
      });
      expect(created.status).toBe(200);
      const chat = await fetch(`${proxy.url}/v1/local/demo/openai/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] }),
      });
      expect(chat.status).toBe(200);
      expect(chat.headers.get('cf-aig-log-id')).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      const body = (await chat.json()) as { choices: { message: { content: string } }[] };
      expect(body.choices[0]!.message.content).toContain('hello');
    } finally {
      expect(await proxy.stop()).toBe(0);
    }
  });

  it('prints the URLs for the CLI and the SDKs on stderr', async () => {
    const child = sandbox.spawn(['proxy', '--port', '0', '--in-memory']);
    let err = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner:\n${err}`)), 15_000);
      child.stderr?.setEncoding('utf8').on('data', (d: string) => {
        err += d;
        if (err.includes('Ctrl-C')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const exited = new Promise<[number | null, string | null]>((resolve) =>
      child.once('exit', (code, signal) => resolve([code, signal])),
    );
    child.kill('SIGINT');
    const [code, signal] = await exited;
    expect(err).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(err).toContain('in memory');
    expect(err).toMatch(/OpenAI SDK:\s+baseURL http:\/\/127\.0\.0\.1:\d+\/v1\/local\/my-gateway\/openai/);
    // One line says what passes here that Cloudflare would refuse.
    const accepted = err.split('\n').filter((l) => l.includes('Accepted here, refused by Cloudflare:'));
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toContain(
      'any bearer token (no --api-token), the default gateway without cf-aig-authorization',
    );
    expect(accepted[0]).toContain('a cf-aig-byok-alias with no stored key');
    expect(accepted[0]).toContain(
      "dynamic routes on a gateway without authentication or with the request's own provider key",
    );
    expect(accepted[0]).not.toContain('mocked providers');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });

  it('prints a CLI command that works exactly as pasted, from anywhere', async () => {
    const proxy = await startProxyProcess(sandbox, ['--in-memory']);
    try {
      for (let i = 0; i < 100 && !proxy.stderr().includes('Ctrl-C'); i++) await sleep(50);
      const command = bannerCommand(proxy.stderr());
      // Started by path, with no aigw on PATH: the command names node and the script in full.
      expect(command).toBe(
        `${process.execPath} ${realpathSync(binPath)} --local-url ${proxy.url} gateway create my-gateway`,
      );
      const pasted = await runPasted(sandbox, command);
      expect(pasted.stderr).not.toContain('Error');
      expect(pasted.code).toBe(0);
      const path = '/accounts/local/ai-gateway/gateways/my-gateway';
      const res = await fetch(`${proxy.apiUrl}${path}`, { headers: { authorization: 'Bearer x' } });
      validateResponse('GET', path, res.status, await res.json());
      expect(res.status).toBe(200);

      // The data plane's unknown-gateway answer names the same CLI, and its command works as pasted too.
      const unknown = await fetch(`${proxy.url}/v1/local/from-hint/openai/chat/completions`, {
        method: 'POST',
        body: '{}',
      });
      const { error } = (await unknown.json()) as { error: { code: number; message: string }[] };
      expect(error[0]!.code).toBe(2001);
      const hint = error[0]!.message.split('create it with: ')[1]!;
      expect(hint).toBe(`${command.replace(/ gateway create my-gateway$/, '')} gateway create from-hint`);
      expect((await runPasted(sandbox, hint)).code).toBe(0);
      const createdPath = '/accounts/local/ai-gateway/gateways/from-hint';
      const created = await fetch(`${proxy.apiUrl}${createdPath}`, {
        headers: { authorization: 'Bearer x' },
      });
      validateResponse('GET', createdPath, created.status, await created.json());
      expect(created.status).toBe(200);
    } finally {
      expect(await proxy.stop()).toBe(0);
    }
  });

  it('reads its settings from a YAML file and keeps the token secret', async () => {
    const file = join(sandbox.home, 'aigw.proxy.yaml');
    writeFileSync(file, 'inMemory: true\napiToken: file-secret-token\nmock: true\n');
    const proxy = await startProxyProcess(sandbox, ['--config', file]);
    try {
      const denied = await fetch(`${proxy.apiUrl}/accounts/local/ai-gateway/gateways`, {
        headers: { authorization: 'Bearer wrong' },
      });
      expect(denied.status).toBe(403);
      const allowed = await fetch(`${proxy.apiUrl}/accounts/local/ai-gateway/gateways`, {
        headers: { authorization: 'Bearer file-secret-token' },
      });
      expect(allowed.status).toBe(200);
      // A token is checked, and the mock answers without provider keys: the start-up line says the latter only.
      for (let i = 0; i < 100 && !proxy.stderr().includes('Ctrl-C'); i++) await sleep(50);
      const accepted = proxy
        .stderr()
        .split('\n')
        .find((l) => l.includes('refused by Cloudflare'));
      expect(accepted).toContain('mocked providers without a provider key');
      expect(accepted).not.toContain('any bearer token');
      expect(proxy.stderr()).not.toContain('file-secret-token');
    } finally {
      await proxy.stop();
    }
  });

  it('rejects bad settings with exit 2 before listening', async () => {
    const badUpstream = await sandbox.run(['proxy', '--upstream', 'openai', '--in-memory']);
    expect(badUpstream.code).toBe(2);
    expect(badUpstream.stderr).toContain('--upstream takes provider=url');
    const badPort = await sandbox.run(['proxy', '--port', '99999', '--in-memory']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port');
    const file = join(sandbox.home, 'broken.yaml');
    writeFileSync(file, 'port: [unclosed\n');
    const badFile = await sandbox.run(['proxy', '--config', file]);
    expect(badFile.code).toBe(2);
    expect(badFile.stderr).toContain('is not valid YAML');
    expect(badFile.stderr).not.toContain('    at ');
  });

  it('says when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await sandbox.run(['proxy', '--port', String(port), '--in-memory']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('flushes every log on SIGTERM and finds them again after a restart', async () => {
    const dataDir = join(sandbox.home, 'gw-data');
    const proxy = await startProxyProcess(sandbox, ['--mock', '--data-dir', dataDir]);
    const count = 40;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        fetch(`${proxy.url}/v1/local/default/openai/chat/completions`, {
          method: 'POST',
          headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `n${i}` }] }),
        }).then((r) => r.arrayBuffer()),
      ),
    );
    expect(await proxy.stop()).toBe(0);
    expect(existsSync(join(dataDir, 'aigw.db'))).toBe(true);

    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(join(dataDir, 'aigw.db'), { readOnly: true });
    const row = db.prepare("SELECT count(*) AS n FROM logs WHERE gateway_id = 'default'").get() as {
      n: number;
    };
    db.close();
    expect(row.n).toBe(count);

    const again = await startProxyProcess(sandbox, ['--mock', '--data-dir', dataDir]);
    try {
      const res = await fetch(`${again.apiUrl}/accounts/local/ai-gateway/gateways/default`, {
        headers: { authorization: 'Bearer x' },
      });
      expect(res.status).toBe(200);
    } finally {
      await again.stop();
    }
  });

  it('refuses requests addressed to a non-loopback name', async () => {
    const proxy = await startProxyProcess(sandbox, ['--in-memory']);
    try {
      const { request } = await import('node:http');
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          `${proxy.url}/client/v4/accounts`,
          { headers: { host: 'attacker.example' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(403);
    } finally {
      await proxy.stop();
    }
  });
});
