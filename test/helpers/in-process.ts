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

export interface Question {
  kind: 'input' | 'password' | 'confirm' | 'select';
  message: string;
  /** The values offered, for a select. */
  choices?: unknown[];
}

/**
 * A prompter that answers from a script and records the questions in order; unexpected questions fail, and
 * so does an input answer the command's own validation rejects.
 */
export function scriptedPrompter(answers: {
  password?: string[];
  select?: unknown[];
  confirm?: boolean[];
  input?: string[];
}): Prompter & { asked: string[]; questions: Question[] } {
  const asked: string[] = [];
  const questions: Question[] = [];
  const next = <T>(question: Question, list: T[] | undefined): T => {
    asked.push(`${question.kind}: ${question.message}`);
    questions.push(question);
    if (!list || list.length === 0)
      throw new Error(`Unexpected ${question.kind} prompt: ${question.message}`);
    return list.shift()!;
  };
  return {
    asked,
    questions,
    input: async (o) => {
      const value = next({ kind: 'input', message: o.message }, answers.input);
      const valid = o.validate?.(value) ?? true;
      if (valid !== true) throw new Error(`The prompt rejected "${value}": ${valid}`);
      return value;
    },
    password: async (o) => next({ kind: 'password', message: o.message }, answers.password),
    confirm: async (o) => next({ kind: 'confirm', message: o.message }, answers.confirm),
    select: async <T>(o: { message: string; choices: Choice<T>[] }) => {
      const choices = o.choices.map((c) => c.value);
      const value = next({ kind: 'select', message: o.message, choices }, answers.select) as T;
      if (!choices.includes(value)) throw new Error(`${String(value)} is not a choice`);
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
    /** Where API requests go; without it, any request fails the command (nothing reaches the network). */
    fetch?: typeof fetch;
    cwd?: string;
    now?: () => Date;
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
    interrupts?: () => AbortSignal;
  } = {},
): Promise<InProcessResult> {
  const io = fakeStreams({
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    tty: options.tty === true,
  });
  const code = await main(argv, {
    streams: io.streams,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    ...(options.prompter ? { prompter: options.prompter } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.interrupts ? { interrupts: options.interrupts } : {}),
    fetch: options.fetch ?? noNetwork,
  });
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/** The fetch of a run given none: a test that meant to send nothing fails if anything is sent. */
const noNetwork: typeof fetch = async (input) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  throw new Error(`Unexpected request to ${url}: this run was given no fetch`);
};

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
