// The dynamic routes management API of the local gateway (routes, versions, deployments), driven by the official
// cloudflare SDK; every request and response is checked against Cloudflare's contract, `data` and `route`
// envelopes included.
import type Cloudflare from 'cloudflare';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import { apiError, checkedApiForFile, requiredGatewaySettings } from '../helpers/control-plane.js';
import type { ContractRecorder } from '../helpers/openapi.js';
import { twoModelFlow } from '../helpers/route-flows.js';

const account_id = '3ebbcb006d4d46d7bb6a8c7f14676cb0';
const file = checkedApiForFile();
const tick = file.tick;
let gw: LocalGateway;
let cf: Cloudflare;
let recorder: ContractRecorder;

beforeAll(() => {
  ({ gw, recorder, cf } = file.api!);
});

// Each test's routes live in two gateways of its own.
let gwId = '';
let otherId = '';
let gateways = 0;
beforeEach(async () => {
  gateways++;
  gwId = `gw-${gateways}`;
  otherId = `other-${gateways}`;
  for (const id of [gwId, otherId]) {
    await cf.aiGateway.create({ account_id, id, ...requiredGatewaySettings });
  }
});

// The SDK's element types predate `technique`; the flows here are checked against the contract instead.
// biome-ignore lint/suspicious/noExplicitAny: see above
const routes = () => cf.aiGateway.dynamicRouting as any;

const flow = twoModelFlow('openai', 'gpt-4o-mini', 'anthropic', 'claude-sonnet-4-5');

/** Creates a route running `flow` in a gateway of this test. */
const newRoute = (gateway: string, name: string) =>
  routes().create(gateway, { account_id, name, elements: flow });

describe('create, get, list', () => {
  it('creates a route with its flow as a deployed first version', async () => {
    const stamp = new Date(file.clock).toISOString();
    const created = await routes().create(gwId, { account_id, name: 'support', elements: flow });
    expect(created).toMatchObject({
      id: expect.any(String),
      name: 'support',
      gateway_id: gwId,
      elements: flow,
      created_at: stamp,
      modified_at: stamp,
      version: { active: 'true', is_valid: true, created_at: stamp },
      deployment: { version_id: created.version.version_id, created_at: stamp },
    });
    // A version's `data` is its flow as JSON text.
    expect(JSON.parse(created.version.data)).toEqual(flow);
    expect(await routes().get(created.id, { account_id, gateway_id: gwId })).toEqual(created);

    const listed = await routes().list(gwId, { account_id });
    expect(listed.success).toBe(true);
    expect(listed.data).toMatchObject({ page: 1, per_page: 20, order_by: 'created_at' });
    expect(listed.data.routes).toEqual([{ ...created, account_tag: account_id }]);
  });

  it('keeps conditions whole and a rate element’s technique', async () => {
    const elements = [
      { id: 's', type: 'start', outputs: { next: { elementId: 'if' } } },
      {
        id: 'if',
        type: 'conditional',
        properties: { conditions: { $or: [{ 'metadata.plan': { $eq: 'paid' } }, { 'metadata.vip': true }] } },
        outputs: { true: { elementId: 'm' }, false: { elementId: 'rl' } },
      },
      {
        id: 'rl',
        type: 'rate',
        properties: { key: 'metadata.user', limit: 3, limitType: 'count', window: 60, technique: 'fixed' },
        outputs: { success: { elementId: 'm' }, fallback: { elementId: 'e' } },
      },
      {
        id: 'm',
        type: 'model',
        properties: { provider: 'openai', model: 'gpt-4o', timeout: 1000, retries: 0 },
        outputs: { success: { elementId: 'e' }, fallback: { elementId: 'e' } },
      },
      { id: 'e', type: 'end', outputs: {} },
    ];
    const created = await routes().create(gwId, { account_id, name: 'kept', elements });
    expect(created.elements).toEqual(elements);
  });

  it('pages, newest first', async () => {
    await newRoute(gwId, 'support');
    await newRoute(gwId, 'kept');
    const page = await routes().list(gwId, { account_id, per_page: 1, page: 2 });
    expect(page.data.routes.map((r: { name: string }) => r.name)).toEqual(['support']);
    expect(page.data).toMatchObject({ page: 2, per_page: 1 });
  });

  it('refuses a flow that cannot run, listing every problem (7001)', async () => {
    const broken = [
      { id: 's', type: 'start', outputs: { next: { elementId: 'nowhere' } } },
      { id: 'p', type: 'percentage', outputs: { '30%': { elementId: 's' }, half: { elementId: 's' } } },
    ];
    const err = await apiError(routes().create(gwId, { account_id, name: 'broken', elements: broken }));
    expect(err.status).toBe(400);
    const messages = err.errors.map((e) => e.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"nowhere", which is not an element'),
        expect.stringContaining('output "half" is not a percentage'),
        expect.stringContaining('leads back to the start'),
      ]),
    );
    expect(err.errors.every((e) => e.code === 7001)).toBe(true);
  });

  it('refuses an element the contract does not describe, and a second route by the same name', async () => {
    const bad = [{ id: 'm', type: 'model', properties: { provider: 'openai' }, outputs: {} }];
    const shape = await apiError(routes().create(gwId, { account_id, name: 'x', elements: bad }));
    expect(shape.status).toBe(400);
    expect(shape.errors[0]).toMatchObject({ code: 7001 });

    await newRoute(gwId, 'support');
    const twice = await apiError(routes().create(gwId, { account_id, name: 'support', elements: flow }));
    expect(twice.status).toBe(400);
    expect(twice.errors[0]!.message).toContain('already has a route named "support"');
  });

  it('answers 404 for an unknown gateway or route', async () => {
    expect((await apiError(routes().list('nope', { account_id }))).status).toBe(404);
    const missing = await apiError(routes().get('0000', { account_id, gateway_id: gwId }));
    expect(missing.status).toBe(404);
    expect(missing.errors[0]!.code).toBe(7002);
  });
});

describe('versions and deployments', () => {
  it('saves versions without deploying them, deploys one, and rolls back', async () => {
    const route = await routes().create(otherId, { account_id, name: 'ab', elements: flow });
    const first = route.version.version_id;
    tick();
    const swapped = twoModelFlow('anthropic', 'claude-sonnet-4-5', 'openai', 'gpt-4o-mini');
    const saved = await routes().createVersion(route.id, {
      account_id,
      gateway_id: otherId,
      elements: swapped,
    });
    expect(saved).toMatchObject({ id: route.id, name: 'ab', elements: swapped });
    expect(saved.modified_at).toBe(new Date(file.clock).toISOString());
    // Not deployed yet: the route still runs the first version.
    expect((await routes().get(route.id, { account_id, gateway_id: otherId })).elements).toEqual(flow);

    const versions = (await routes().listVersions(route.id, { account_id, gateway_id: otherId })).data
      .versions;
    expect(versions.map((v: { active: string }) => v.active)).toEqual(['false', 'true']);
    const second = versions[0].version_id;
    expect(versions[1].version_id).toBe(first);

    const detail = await routes().getVersion(second, { account_id, gateway_id: otherId, id: route.id });
    expect(detail).toMatchObject({ id: route.id, version_id: second, elements: swapped, active: 'false' });

    tick();
    const deployed = await routes().createDeployment(route.id, {
      account_id,
      gateway_id: otherId,
      version_id: second,
    });
    expect(deployed.elements).toEqual(swapped);
    const now = await routes().get(route.id, { account_id, gateway_id: otherId });
    expect(now.version.version_id).toBe(second);
    expect(now.deployment.version_id).toBe(second);

    tick();
    await routes().createDeployment(route.id, { account_id, gateway_id: otherId, version_id: first });
    expect((await routes().get(route.id, { account_id, gateway_id: otherId })).elements).toEqual(flow);
    const deployments = (await routes().listDeployments(route.id, { account_id, gateway_id: otherId })).data
      .deployments;
    expect(deployments.map((d: { version_id: string }) => d.version_id)).toEqual([first, second, first]);
  });

  it('keeps a version that cannot run as is_valid false, and refuses to deploy it', async () => {
    const route = await routes().create(otherId, { account_id, name: 'drafts', elements: flow });
    const draft = flow.filter((e) => e.type !== 'end');
    await routes().createVersion(route.id, { account_id, gateway_id: otherId, elements: draft });
    const [latest] = (await routes().listVersions(route.id, { account_id, gateway_id: otherId })).data
      .versions;
    expect(latest.is_valid).toBe(false);
    const err = await apiError(
      routes().createDeployment(route.id, { account_id, gateway_id: otherId, version_id: latest.version_id }),
    );
    expect(err.status).toBe(400);
    expect(err.errors[0]!.message).toContain('not an element');
    const unknown = await apiError(
      routes().createDeployment(route.id, { account_id, gateway_id: otherId, version_id: 'v-none' }),
    );
    expect(unknown.errors[0]).toMatchObject({ code: 7001, path: ['body', 'version_id'] });
  });
});

describe('rename and delete', () => {
  it('renames with the {success, route} envelope, and refuses a taken or empty name with the route', async () => {
    await newRoute(otherId, 'ab');
    const route = await routes().create(otherId, { account_id, name: 'old-name', elements: flow });
    tick();
    const renamed = await routes().update(route.id, { account_id, gateway_id: otherId, name: 'new-name' });
    expect(renamed).toMatchObject({
      success: true,
      route: {
        id: route.id,
        name: 'new-name',
        account_tag: account_id,
        modified_at: new Date(file.clock).toISOString(),
      },
    });
    const taken = await apiError(routes().update(route.id, { account_id, gateway_id: otherId, name: 'ab' }));
    expect(taken.status).toBe(400);
    expect((taken.error as { route: { name: string } }).route.name).toBe('new-name');
    const empty = await apiError(routes().update(route.id, { account_id, gateway_id: otherId, name: '' }));
    expect(empty.status).toBe(400);
  });

  it('deletes a route with its versions, and a gateway with its routes', async () => {
    await newRoute(otherId, 'ab');
    const route = await routes().create(otherId, { account_id, name: 'short-lived', elements: flow });
    const deleted = await routes().delete(route.id, { account_id, gateway_id: otherId });
    expect(deleted).toMatchObject({ id: route.id, name: 'short-lived', elements: flow });
    expect((await apiError(routes().get(route.id, { account_id, gateway_id: otherId }))).status).toBe(404);

    expect(gw.runtime.routes.deployedByName(account_id, otherId, 'ab')).not.toBeNull();
    await cf.aiGateway.delete(otherId, { account_id });
    const count = (table: string) =>
      (
        gw.runtime.store.db
          .prepare(`SELECT count(*) AS n FROM ${table} WHERE gateway_id = ?`)
          .get(otherId) as {
          n: number;
        }
      ).n;
    expect([count('routes'), count('route_versions'), count('route_deployments')]).toEqual([0, 0, 0]);
    await cf.aiGateway.create({ account_id, id: otherId, ...requiredGatewaySettings });
    expect((await routes().list(otherId, { account_id })).data.routes).toEqual([]);
    // The data plane's lookup forgot them too.
    expect(gw.runtime.routes.deployedByName(account_id, otherId, 'ab')).toBeNull();
  });
});

describe('contract coverage', () => {
  it('checks all ten route operations against the contract', async () => {
    const before = recorder.exchanges.length;
    const made = await newRoute(gwId, 'covered');
    const at = { account_id, gateway_id: gwId };
    await routes().get(made.id, at);
    await routes().list(gwId, { account_id });
    const swapped = twoModelFlow('anthropic', 'claude-sonnet-4-5', 'openai', 'gpt-4o-mini');
    await routes().createVersion(made.id, { ...at, elements: swapped });
    const [latest] = (await routes().listVersions(made.id, at)).data.versions;
    await routes().getVersion(latest.version_id, { ...at, id: made.id });
    await routes().createDeployment(made.id, { ...at, version_id: latest.version_id });
    await routes().listDeployments(made.id, at);
    await routes().update(made.id, { ...at, name: 'covered-again' });
    await routes().delete(made.id, at);
    const validated = recorder.exchanges.slice(before).filter((e) => !e.skipped);
    const operations = new Set(validated.map((e) => e.operationId));
    const routeOps = [...operations].filter((o) => o?.includes('dynamic-route')).sort();
    expect(routeOps).toEqual([
      'aig-config-delete-gateway-dynamic-route',
      'aig-config-get-gateway-dynamic-route',
      'aig-config-get-gateway-dynamic-route-version',
      'aig-config-list-gateway-dynamic-route-deployments',
      'aig-config-list-gateway-dynamic-route-versions',
      'aig-config-list-gateway-dynamic-routes',
      'aig-config-post-gateway-dynamic-route',
      'aig-config-post-gateway-dynamic-route-deployment',
      'aig-config-post-gateway-dynamic-route-version',
      'aig-config-update-gateway-dynamic-route',
    ]);
  });
});
