// Runs main() in this process with fake streams, environment and prompter, for fast command tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli.js';
import type { ContextDeps } from '../../src/context.js';
import type { Choice, Prompter } from '../../src/io/prompter.js';

export interface FakeStreams {
  streams: ContextDeps['streams'];
  stdout(): string;
  stderr(): string;
}

/** Streams that record what is written; `tty` makes all three look like terminals. */
export function fakeStreams(options: { stdin?: string; tty?: boolean } = {}): FakeStreams {
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  const stdout = new PassThrough() as PassThrough & { isTTY?: boolean };
  const stderr = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (options.tty) {
    stdin.isTTY = true;
    stdout.isTTY = true;
    stderr.isTTY = true;
  }
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  stderr.on('data', (d: Buffer) => {
    err += d.toString('utf8');
  });
  stdin.end(options.stdin ?? '');
  return { streams: { stdin, stdout, stderr }, stdout: () => out, stderr: () => err };
}

/** A prompter that answers from a script and records the questions; unexpected questions fail. */
export function scriptedPrompter(answers: {
  password?: string[];
  select?: unknown[];
  confirm?: boolean[];
  input?: string[];
}): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const next = <T>(kind: string, list: T[] | undefined, message: string): T => {
    asked.push(`${kind}: ${message}`);
    if (!list || list.length === 0) throw new Error(`Unexpected ${kind} prompt: ${message}`);
    return list.shift()!;
  };
  return {
    asked,
    input: async (o) => next('input', answers.input, o.message),
    password: async (o) => next('password', answers.password, o.message),
    confirm: async (o) => next('confirm', answers.confirm, o.message),
    select: async <T>(o: { message: string; choices: Choice<T>[] }) => {
      const value = next('select', answers.select, o.message) as T;
      if (!o.choices.some((c) => c.value === value)) throw new Error(`${String(value)} is not a choice`);
      return value;
    },
  };
}

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runInProcess(
  argv: string[],
  options: {
    env?: Record<string, string | undefined>;
    stdin?: string;
    tty?: boolean;
    prompter?: Prompter;
    fetch?: typeof fetch;
  } = {},
): Promise<InProcessResult> {
  const io = fakeStreams({
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    tty: options.tty === true,
  });
  const code = await main(argv, {
    streams: io.streams,
    env: options.env ?? {},
    cwd: process.cwd(),
    ...(options.prompter ? { prompter: options.prompter } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/** A throwaway config directory. */
export function tempConfigDir(): { dir: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'aigw-unit-'));
  return { dir: join(root, 'aigw'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * A fake Cloudflare API for the client: /user/tokens/verify and /accounts, with the given valid token and
 * accounts; every request is recorded (method, path, authorization).
 */
export function fakeCloudflare(options: { token: string; accounts: { id: string; name: string }[] }) {
  const requests: { method: string; path: string; authorization: string | null }[] = [];
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const headers = new Headers(init?.headers);
    const authorization = headers.get('authorization');
    requests.push({ method: init?.method ?? 'GET', path: url.pathname, authorization });
    if (authorization !== `Bearer ${options.token}`) {
      return json(401, {
        success: false,
        errors: [{ code: 1000, message: 'Invalid API Token' }],
        messages: [],
        result: null,
      });
    }
    if (url.pathname.endsWith('/user/tokens/verify'))
      return json(200, { success: true, errors: [], messages: [], result: { id: 'tok1', status: 'active' } });
    if (url.pathname.endsWith('/accounts')) {
      const page = Number(url.searchParams.get('page') ?? '1');
      const result = page === 1 ? options.accounts : [];
      return json(200, {
        success: true,
        errors: [],
        messages: [],
        result,
        result_info: { page, per_page: 50, count: result.length, total_count: options.accounts.length },
      });
    }
    return json(404, {
      success: false,
      errors: [{ code: 7003, message: 'No route' }],
      messages: [],
      result: null,
    });
  };
  return { fetch: fetchImpl, requests };
}
