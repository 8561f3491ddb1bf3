// The dynamic route request bodies as Cloudflare's contract declares them (aig_RouteElement, inlined, and the
// create / version / rename / deploy bodies). Two additions, both kept because a flow needs them to run as
// Cloudflare documents it: a conditional's `conditions` is kept whole (the contract says only "object"; the
// validator would otherwise drop its keys), and a rate element may say `technique` (sliding or fixed), which
// Cloudflare's docs name and the contract does not. A unit test compares these with the contract.
import type { Schema } from './validate.js';

const output: Schema = {
  type: 'object',
  properties: { elementId: { type: 'string' } },
  required: ['elementId'],
};

const id: Schema = { type: 'string' };

function element(type: string, outputs: Schema, properties?: Schema): Schema {
  return {
    type: 'object',
    properties: {
      id,
      outputs,
      ...(properties ? { properties } : {}),
      type: { type: 'string', enum: [type] },
    },
    required: properties ? ['id', 'outputs', 'type', 'properties'] : ['id', 'outputs', 'type'],
  };
}

function named(...names: string[]): Schema {
  return {
    type: 'object',
    properties: Object.fromEntries(names.map((n) => [n, output])),
    required: names,
  };
}

const anyOutputs: Schema = { type: 'object', additionalProperties: output };

export const routeElementSchema: Schema = {
  oneOf: [
    element('start', named('next')),
    element('conditional', named('true', 'false'), {
      type: 'object',
      properties: { conditions: { type: 'object', additionalProperties: true } },
    }),
    element('percentage', anyOutputs),
    element('rate', named('success', 'fallback'), {
      type: 'object',
      properties: {
        key: { type: 'string' },
        limit: { type: 'number' },
        limitType: { type: 'string', enum: ['count', 'cost'] },
        window: { type: 'number' },
        technique: { type: 'string', enum: ['sliding', 'fixed'] },
      },
      required: ['limitType', 'key', 'limit', 'window'],
    }),
    element('model', named('success', 'fallback'), {
      type: 'object',
      properties: {
        model: { type: 'string' },
        provider: { type: 'string' },
        retries: { type: 'number' },
        timeout: { type: 'number' },
      },
      required: ['provider', 'model', 'timeout', 'retries'],
    }),
    element('end', anyOutputs),
  ],
};

const elements: Schema = { type: 'array', items: routeElementSchema };
const name: Schema = { type: 'string', minLength: 1 };

export const routeCreateSchema: Schema = {
  type: 'object',
  properties: { elements, name },
  required: ['name', 'elements'],
};

export const routeVersionSchema: Schema = {
  type: 'object',
  properties: { elements },
  required: ['elements'],
};

export const routeRenameSchema: Schema = {
  type: 'object',
  properties: { name },
  required: ['name'],
};

export const routeDeploySchema: Schema = {
  type: 'object',
  properties: { version_id: { type: 'string' } },
  required: ['version_id'],
};
