// Vitest global set-up: once the whole suite has run and passed, fails the run unless every operation the
// local control plane serves was exercised through the contract check (validateResponse in openapi.ts) by
// some test. Test workers append what they checked to files in a directory this set-up provides.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { servedRoutes } from '../../src/local/control-plane/router.js';
import { startTestGateway } from './local-gateway.js';

declare module 'vitest' {
  export interface ProvidedContext {
    contractSeenDir: string;
  }
}

let project: TestProject;
let dir: string;

export function setup(p: TestProject): void {
  project = p;
  dir = mkdtempSync(join(tmpdir(), 'aigw-contract-seen-'));
  p.provide('contractSeenDir', dir);
}

export async function teardown(): Promise<void> {
  try {
    const files = project.vitest.state.getFiles();
    const ran = new Set(files.map((f) => f.filepath));
    const all = (await project.globTestFiles()).testFiles;
    // A focused run, or a failing one, says nothing about what the whole suite covers.
    if (all.some((f) => !ran.has(f)) || files.some((f) => f.result?.state !== 'pass')) return;
    const seen = new Set(
      readdirSync(dir).flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n')),
    );
    const served = await servedOperations();
    const missing = served.filter((op) => !seen.has(op));
    console.log(
      `contract coverage: ${served.length - missing.length} of ${served.length} served operations checked`,
    );
    if (missing.length > 0) {
      throw new Error(
        `No test exercised these control-plane operations through the contract check (test/helpers/openapi.ts):\n  ${missing.join('\n  ')}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `METHOD /contract/template` for every route the control plane serves that the contract declares. */
async function servedOperations(): Promise<string[]> {
  const gw = await startTestGateway();
  try {
    return servedRoutes(gw.runtime)
      .filter((r) => r.path.startsWith('/accounts/:account_id/ai-gateway/'))
      .map((r) => `${r.method} ${r.path.replace(/:([^/]+)/g, '{$1}')}`);
  } finally {
    await gw.close();
  }
}
