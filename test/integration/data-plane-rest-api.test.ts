// Cloudflare's REST API form of the compat endpoint (/client/v4/accounts/{account}/ai/v1/chat/completions) with
// the OpenAI SDK: the gateway is the one `cf-aig-gateway-id` names, else the account's `default`; Authorization
// carries the API token, which is never sent to a provider (the gateway's stored key is); a dynamic route runs
// as on /compat, and a route the gateway lacks is a 404.
import type Cloudflare from 'cloudflare';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Element } from '../../src/flow/elements.js';
import type { LocalGateway } from '../../src/local/server.js';
import { requiredGatewaySettings, startCheckedApi } from '../helpers/control-plane.js';
import {
  ACCOUNT,
  type FakeUpstream,
  openaiCompletion,
  startFakeUpstream,
  storedLogs,
} from '../helpers/fake-upstream.js';
import type { ContractRecorder } from '../helpers/openapi.js';
import { twoModelFlow } from '../helpers/route-flows.js';

const API_TOKEN = 'cf-api-token-test';
const STORED_KEY = 'sk-stored-openai-key';

let fake: FakeUpstream;
let gw: LocalGateway;
let cf: Cloudflare;
let recorder: ContractRecorder;

beforeAll(async () => {
  fake = await startFakeUpstream();
  ({ gw, cf, recorder } = await startCheckedApi({ upstreams: { openai: `${fake.url}/v1` } }));
  await cf.aiGateway.create({ account_id: ACCOUNT, id: 'team', ...requiredGatewaySettings });
  await cf.aiGateway.providerConfigs.create('team', {
    account_id: ACCOUNT,
    provider_slug: 'openai',
    alias: 'default',
    default_config: true,
    secret: STORED_KEY,
  });
  const flow = twoModelFlow('openai', 'primary', 'openai', 'backup') as Element[];
  gw.runtime.routes.create(ACCOUNT, 'team', 'support', flow, true, new Date());
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});
afterEach(() => recorder.assertClean());
beforeEach(() => {
  fake.clear();
  fake.fallback = (req) => ({ json: openaiCompletion(`from ${req.json().model}`, req.json().model) });
});

function client(headers: Record<string, string>) {
  return new OpenAI({
    apiKey: API_TOKEN,
    baseURL: `${gw.url}/client/v4/accounts/${ACCOUNT}/ai/v1`,
    defaultHeaders: headers,
    maxRetries: 0,
  });
}

const send = (openai: OpenAI, model: string) =>
  openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).withResponse();

const refusal = (openai: OpenAI, model: string) =>
  send(openai, model).then(
    () => expect.unreachable('the request was answered'),
    (err: unknown) => err,
  );

describe('REST API chat completions', () => {
  it('runs the route of the gateway cf-aig-gateway-id names, with its stored key and never the API token', async () => {
    fake.reply({ status: 503, json: { error: { message: 'overloaded' } } });
    const { data, response } = await send(client({ 'cf-aig-gateway-id': 'team' }), 'dynamic/support');
    expect(data.choices[0]!.message.content).toBe('from backup');
    expect(response.headers.get('cf-aig-route')).toBe('support');
    expect(response.headers.get('cf-aig-step')).toBe('1');
    expect(fake.requests.map((r) => [r.json().model, r.headers.authorization])).toEqual([
      ['primary', `Bearer ${STORED_KEY}`],
      ['backup', `Bearer ${STORED_KEY}`],
    ]);
    expect(JSON.stringify(fake.requests.map((r) => r.headers))).not.toContain(API_TOKEN);
    expect(JSON.stringify(storedLogs(gw, 'team').map((l) => l.request_head))).not.toContain(API_TOKEN);
    expect(
      storedLogs(gw, 'team')
        .slice(-2)
        .map((l) => [l.path, l.route_name]),
    ).toEqual([
      ['compat/chat/completions', 'support'],
      ['compat/chat/completions', 'support'],
    ]);
  });

  it('serves provider models too, through the same gateway', async () => {
    const { data } = await send(client({ 'cf-aig-gateway-id': 'team' }), 'openai/gpt-4o-mini');
    expect(data.choices[0]!.message.content).toBe('from gpt-4o-mini');
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${STORED_KEY}`]);
  });

  it('resolves a route against the default gateway when no gateway is named: 404 there', async () => {
    const refused = await refusal(client({}), 'dynamic/support');
    expect(refused).toBeInstanceOf(OpenAI.NotFoundError);
    expect(JSON.stringify((refused as InstanceType<typeof OpenAI.APIError>).error)).toContain(
      "Gateway 'default' has no dynamic route named 'support'",
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a request without the API token', async () => {
    const res = await fetch(`${gw.url}/client/v4/accounts/${ACCOUNT}/ai/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-aig-gateway-id': 'team' },
      body: JSON.stringify({ model: 'dynamic/support', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ success: false, error: [{ code: 2009 }] });
    expect(fake.requests).toHaveLength(0);
  });
});
