// For a test file that runs CLI commands in this process against an in-memory local gateway: the gateway, a temp
// working directory, and a run() whose every API request and answer is checked against the contract.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { LocalGatewayOptions } from '../../src/local/runtime.js';
import type { LocalGateway } from '../../src/local/server.js';
import { runInProcess, scriptedPrompter } from './in-process.js';
import { apiBase, startTestGateway } from './local-gateway.js';
import { ContractRecorder, contractFetch } from './openapi.js';

export function cliAgainstLocalGateway(name: string, options: Partial<LocalGatewayOptions> = {}) {
  const contract = new ContractRecorder();
  const checkedFetch = contractFetch(contract);
  const file = {
    gw: null as unknown as LocalGateway,
    dir: '',
    contract,
    /** `aigw --local <argv>` with the file's config dir and cwd; `tty` fakes a terminal. */
    run: (argv: string[], options: { tty?: boolean } = {}) =>
      runInProcess(['--local', ...argv], {
        ...options,
        env: { AIGW_LOCAL_URL: apiBase(file.gw), AIGW_CONFIG_DIR: join(file.dir, 'config'), NO_COLOR: '1' },
        cwd: file.dir,
        // A prompter that fails on any question.
        prompter: scriptedPrompter({}),
        fetch: checkedFetch,
      }),
  };
  beforeAll(async () => {
    file.gw = await startTestGateway(options);
    file.dir = mkdtempSync(join(tmpdir(), `aigw-${name}-`));
  });
  afterAll(async () => {
    contract.assertClean();
    await file.gw.close();
    rmSync(file.dir, { recursive: true, force: true });
  });
  return file;
}
