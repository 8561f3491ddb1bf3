// The control plane validates dynamic route bodies with its own schemas; these are the contract's, but for the
// two documented additions (conditions kept whole, a rate element's technique).
import { describe, expect, it } from 'vitest';
import {
  routeCreateSchema,
  routeDeploySchema,
  routeElementSchema,
  routeRenameSchema,
  routeVersionSchema,
} from '../../src/local/control-plane/route-schema.js';
import { validate } from '../../src/local/control-plane/validate.js';
import { contractSchema, findOperation, plainSchema } from '../helpers/openapi.js';
import { twoModelFlow } from '../helpers/route-flows.js';

type Json = Record<string, unknown>;

/** The contract's request body schema of an operation, references inlined. */
function bodyOf(method: string, path: string): unknown {
  const op = findOperation(method, path)!;
  const body = op.definition.requestBody as { content: Record<string, { schema: unknown }> };
  return plainSchema(body.content['application/json']!.schema);
}

/** Ours, without the two additions. */
function withoutAdditions(schema: unknown): unknown {
  const copy = structuredClone(plainSchema(schema)) as Json;
  const alternatives = (copy.oneOf ?? ((copy.properties as Json)?.elements as Json)?.items) as unknown;
  const list = (Array.isArray(alternatives) ? alternatives : ((alternatives as Json)?.oneOf ?? [])) as Json[];
  for (const alt of list) {
    const props = (alt.properties as Json).properties as Json | undefined;
    const inner = props?.properties as Json | undefined;
    if (inner?.technique) delete inner.technique;
    const conditions = inner?.conditions as Json | undefined;
    if (conditions) delete conditions.additionalProperties;
  }
  return copy;
}

const base = '/accounts/a/ai-gateway/gateways/g/routes';

describe('dynamic route body schemas', () => {
  it('are the contract’s, but for conditions kept whole and technique', () => {
    expect(withoutAdditions(routeElementSchema)).toEqual(plainSchema(contractSchema('aig_RouteElement')));
    expect(withoutAdditions(routeCreateSchema)).toEqual(bodyOf('POST', base));
    expect(withoutAdditions(routeVersionSchema)).toEqual(bodyOf('POST', `${base}/r/versions`));
    expect(plainSchema(routeRenameSchema)).toEqual(bodyOf('PATCH', `${base}/r`));
    expect(plainSchema(routeDeploySchema)).toEqual(bodyOf('POST', `${base}/r/deployments`));
  });

  it('keep a nested query as written and drop what no element has', () => {
    const conditions = { $and: [{ 'metadata.plan': { $in: ['paid', 'team'] } }, { 'body.stream': true }] };
    const flow = [
      ...twoModelFlow('openai', 'a', 'openai', 'b'),
      {
        id: 'c',
        type: 'conditional',
        properties: { conditions },
        outputs: { true: { elementId: 'a' }, false: { elementId: 'b' } },
        colour: 'red',
      },
    ];
    const checked = validate<{ elements: Json[] }>(routeCreateSchema, { name: 'r', elements: flow });
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const c = checked.value.elements.at(-1)!;
    expect(c.properties).toEqual({ conditions });
    expect(c).not.toHaveProperty('colour');
  });
});
