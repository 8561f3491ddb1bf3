// `aigw proxy --config`: a flag the user typed wins over the file, even when it equals its default, and a mock
// asked for in the file is honoured, so no request leaves for the real provider.
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstream.js';
import { validateResponse } from '../helpers/openapi.js';
import { type CliSandbox, cliSandbox, type RunningProxy, startProxyProcess } from '../helpers/run-cli.js';

let sandbox: CliSandbox;
beforeEach(() => {
  sandbox = cliSandbox();
});
afterEach(() => sandbox.cleanup());

function settingsFile(text: string): string {
  const file = join(sandbox.home, 'aigw.proxy.yaml');
  writeFileSync(file, text);
  return file;
}

/** Holds 127.0.0.1:port, unless something already does (then it is taken all the same). */
async function occupy(port: number): Promise<Server | null> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EADDRINUSE' ? resolve(null) : reject(err),
    );
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function banner(proxy: RunningProxy): Promise<string> {
  for (let i = 0; i < 100 && !proxy.stderr().includes('Ctrl-C'); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return proxy.stderr();
}

describe('aigw proxy --config', () => {
  it('lets a typed --port win over the file even when it is the default 8787', async () => {
    const held = await occupy(8787);
    try {
      const file = settingsFile('port: 0\ninMemory: true\n');
      // Bounded: a proxy that listened elsewhere would run until stopped.
      const result = await sandbox.run(['proxy', '--config', file, '--port', '8787'], { timeoutMs: 10_000 });
      // The file's port 0 would have listened anywhere; 8787 was asked for, and it is taken.
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Port 8787 on 127.0.0.1 is already in use');
    } finally {
      held?.close();
    }
  });

  it('lets a typed --host win over the file even when it is the default', async () => {
    const file = settingsFile('host: 10.255.255.1\ninMemory: true\n');
    const proxy = await startProxyProcess(sandbox, ['--config', file, '--host', '127.0.0.1']);
    try {
      expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      expect(await proxy.stop()).toBe(0);
    }
  });

  describe('mock named in the file', () => {
    let provider: FakeUpstream;
    beforeEach(async () => {
      provider = await startFakeUpstream();
    });
    afterEach(() => provider.close());

    it('answers from the mock, and the real provider receives nothing', async () => {
      // The "real" provider is a custom provider whose base URL records every request it gets.
      const file = settingsFile('inMemory: true\nmock: custom-acme\n');
      const proxy = await startProxyProcess(sandbox, ['--config', file]);
      try {
        expect(await banner(proxy)).toMatch(/upstreams:\s+mock \(custom-acme\)/);
        const path = '/accounts/local/ai-gateway/custom-providers';
        const created = await fetch(`${proxy.apiUrl}${path}`, {
          method: 'POST',
          headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Acme', slug: 'acme', base_url: `${provider.url}/v1` }),
        });
        const body = await created.json();
        validateResponse('POST', path, created.status, body);
        expect(created.status).toBe(200);

        const chat = await fetch(`${proxy.url}/v1/local/default/custom-acme/chat/completions`, {
          method: 'POST',
          headers: { authorization: 'Bearer sk-real-key', 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'acme-1', messages: [{ role: 'user', content: 'hello' }] }),
        });
        expect(chat.status).toBe(200);
        const answer = (await chat.json()) as { choices: { message: { content: string } }[] };
        expect(answer.choices[0]!.message.content).toBe('Mock reply to: "hello"');
        expect(provider.requests).toHaveLength(0);
      } finally {
        expect(await proxy.stop()).toBe(0);
      }
    });
  });
});
