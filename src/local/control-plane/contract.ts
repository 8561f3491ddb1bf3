// The control plane's request validation, compiled from the vendored contract: every request body a route
// takes is checked against the schema Cloudflare's OpenAPI declares for that operation, references inlined.
// The contract is bundled into the local gateway's chunk (only `aigw proxy` loads this module, never the
// CLI's start-up path), so the installed package needs no contract/ folder at run time.
import document from '../../../contract/ai-gateway.openapi.json' with { type: 'json' };
import type { Schema } from './validate.js';

type Json = Record<string, unknown>;

interface Operation {
  parameters?: { name: string; in: string; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
}

const paths = document.paths as unknown as Record<string, Record<string, Operation>>;
const components = document.components.schemas as unknown as Record<string, unknown>;

/** Keywords that only document (descriptions, examples, generator hints); the validator never reads them. */
function documentation(key: string): boolean {
  return key === 'description' || key === 'example' || key.startsWith('x-');
}

/** A contract schema with its references inlined and its documentation dropped. */
function compile(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(compile);
  if (typeof node !== 'object' || node === null) return node;
  const ref = (node as Json).$ref;
  if (typeof ref === 'string') return componentSchema(ref.replace('#/components/schemas/', ''));
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (documentation(key)) continue;
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Json).map(([name, v]) => [name, compile(v)]))
        : compile(value);
  }
  return out;
}

const compiled = new Map<string, Schema>();

/** A component schema of the contract by name (e.g. aig_LogFilter), compiled once. */
export function componentSchema(name: string): Schema {
  let schema = compiled.get(name);
  if (!schema) {
    if (!Object.hasOwn(components, name)) throw new Error(`the contract has no schema ${name}`);
    schema = compile(components[name]) as Schema;
    compiled.set(name, schema);
  }
  return schema;
}

/**
 * The request body schema of an operation, `path` written as the router writes it (below /client/v4, `:name`
 * for a parameter). Null when the contract declares no JSON body for it; an error when it has no such operation.
 */
export function requestBodySchema(method: string, path: string): Schema | null {
  const schema = operation(method, path).requestBody?.content?.['application/json']?.schema;
  return schema === undefined ? null : (compile(schema) as Schema);
}

/** The schema of one query parameter of an operation (`path` as in requestBodySchema). */
export function queryParameterSchema(method: string, path: string, name: string): Schema {
  const parameter = operation(method, path).parameters?.find((p) => p.in === 'query' && p.name === name);
  if (!parameter) throw new Error(`the contract has no query parameter ${name} for ${method} ${path}`);
  return compile(parameter.schema) as Schema;
}

function operation(method: string, path: string): Operation {
  const template = path.replace(/:([^/]+)/g, '{$1}');
  const found = paths[template]?.[method.toLowerCase()];
  if (!found) throw new Error(`the contract has no operation ${method} ${template}`);
  return found;
}
