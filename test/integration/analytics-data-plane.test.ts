// Requests count in analytics whether or not their log is kept, as on Cloudflare: a gateway with collect_logs
// off, cf-aig-collect-log: false, and a gateway whose log limit stops inserting. Their tokens and cost count
// too. Both ways the log writer stores: on its own connection (in memory) and through its thread (a file).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import { postGraphql } from '../helpers/analytics.js';
import { ACCOUNT, createGateway, storedLogs } from '../helpers/fake-upstream.js';
import { startTestGateway } from '../helpers/local-gateway.js';

describe.each([
  ['an in-memory store', true],
  ['a file store (writer thread)', false],
])('with %s', (_name, inMemory) => {
  let gw: LocalGateway;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aigw-analytics-'));
    gw = await startTestGateway({ mock: true, inMemory, ...(inMemory ? {} : { dataDir: dir }) });
    createGateway(gw, 'plain');
    createGateway(gw, 'quiet', { collect_logs: false });
    createGateway(gw, 'full', { log_management: 1, log_management_strategy: 'STOP_INSERTING' });
  });
  afterAll(async () => {
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ask = (gateway: string, headers: Record<string, string> = {}) =>
    new OpenAI({
      apiKey: 'sk-test',
      baseURL: `${gw.url}/v1/${ACCOUNT}/${gateway}/openai`,
      maxRetries: 0,
      defaultHeaders: headers,
    }).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'count me in' }],
    });

  it('counts requests, tokens and cost of requests whose logs are not kept', async () => {
    const logged = await ask('plain');
    await ask('plain', { 'cf-aig-collect-log': 'false' });
    await ask('quiet');
    await ask('quiet', { 'cf-aig-collect-log': 'true' });
    await ask('full');
    await ask('full');
    gw.runtime.logs.flush();
    expect(
      [storedLogs(gw, 'plain'), storedLogs(gw, 'quiet'), storedLogs(gw, 'full')].map((l) => l.length),
    ).toEqual([1, 1, 1]);
    const answer = await postGraphql(gw, {
      query: `{ viewer { accounts(filter: {accountTag: "${ACCOUNT}"}) {
        aiGatewayRequestsAdaptiveGroups(limit: 10, orderBy: [gateway_ASC]) {
          count sum { cost uncachedTokensIn uncachedTokensOut } dimensions { gateway model }
        } } } }`,
    });
    expect(answer.body.errors).toBeNull();
    const groups = (
      answer.body.data as { viewer: { accounts: { aiGatewayRequestsAdaptiveGroups: unknown[] }[] } }
    ).viewer.accounts[0]!.aiGatewayRequestsAdaptiveGroups;
    const one = logged.usage!;
    const log = storedLogs(gw, 'plain')[0]!;
    const each = {
      cost: (log as { cost: number }).cost,
      uncachedTokensIn: one.prompt_tokens,
      uncachedTokensOut: one.completion_tokens,
    };
    const twice = {
      cost: (Math.round(each.cost * 1e12) * 2) / 1e12,
      uncachedTokensIn: each.uncachedTokensIn * 2,
      uncachedTokensOut: each.uncachedTokensOut * 2,
    };
    expect(each.cost).toBeGreaterThan(0);
    expect(groups).toEqual(
      ['full', 'plain', 'quiet'].map((gateway) => ({
        count: 2,
        sum: twice,
        dimensions: { gateway, model: 'gpt-4o-mini' },
      })),
    );
  });
});
