// Commands run in this process (main() with fake streams and a scripted prompter) against an in-memory local
// gateway started for one test file: every request and response is checked against the contract, and at the
// end no command's output or error may hold any of the secrets the file names. With `accountPerTest`, each test
// works in an account of its own (the local gateway keeps accounts apart, as Cloudflare does): it sees only
// what it made, whatever ran before it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { LocalGatewayOptions } from '../../src/local/runtime.js';
import type { LocalGateway } from '../../src/local/server.js';
import { type InProcessResult, runInProcess, scriptedPrompter } from './in-process.js';
import { apiBase, startTestGateway } from './local-gateway.js';
import { ContractRecorder, contractFetch } from './openapi.js';

export interface LocalCommands {
  readonly gw: LocalGateway;
  readonly dir: string;
  /** The account the commands work in: `local`, or this test's own with `accountPerTest`. */
  readonly account: string;
  readonly contract: ContractRecorder;
  /** Runs `aigw --local <argv>` (`env` adds variables); a prompter that fails on any question unless one is given. */
  run(
    argv: string[],
    options?: Omit<NonNullable<Parameters<typeof runInProcess>[1]>, 'env' | 'cwd' | 'fetch'> & {
      env?: Record<string, string>;
    },
  ): Promise<InProcessResult>;
}

/** `setUp` runs once the gateway runs, or before each test in its account with `accountPerTest`. */
export function localCommands(
  secrets: readonly string[],
  setUp?: (gw: LocalGateway, accountId: string) => void,
  options: { accountPerTest?: boolean; gateway?: Partial<LocalGatewayOptions> } = {},
): LocalCommands {
  let gw: LocalGateway | undefined;
  let dir = '';
  let account = 'local';
  const contract = new ContractRecorder();
  const checkedFetch = contractFetch(contract);
  const results: InProcessResult[] = [];
  beforeAll(async () => {
    gw = await startTestGateway(options.gateway);
    dir = mkdtempSync(join(tmpdir(), 'aigw-commands-'));
    if (!options.accountPerTest) setUp?.(gw, account);
  });
  if (options.accountPerTest) {
    beforeEach(() => {
      account = randomBytes(16).toString('hex');
      setUp?.(gw!, account);
    });
  }
  afterAll(async () => {
    contract.assertClean();
    for (const { stdout, stderr } of results) {
      for (const secret of secrets) {
        expect(stdout).not.toContain(secret);
        expect(stderr).not.toContain(secret);
      }
    }
    await gw?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get gw() {
      return gw!;
    },
    get dir() {
      return dir;
    },
    get account() {
      return account;
    },
    contract,
    async run(argv, options = {}) {
      const result = await runInProcess(['--local', ...argv], {
        ...options,
        env: {
          AIGW_LOCAL_URL: apiBase(gw!),
          AIGW_CONFIG_DIR: join(dir, 'config'),
          NO_COLOR: '1',
          ...(account === 'local' ? {} : { CLOUDFLARE_ACCOUNT_ID: account }),
          ...options.env,
        },
        cwd: dir,
        prompter: options.prompter ?? scriptedPrompter({}),
        fetch: checkedFetch,
      });
      results.push(result);
      return result;
    },
  };
}
