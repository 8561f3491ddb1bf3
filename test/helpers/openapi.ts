// Checks requests and responses against Cloudflare's AI Gateway contract (OpenAPI 3.0.3), so that the local
// control plane is held to the same wire format as api.cloudflare.com.
//
// The contract's schemas are OpenAPI 3.0 (`nullable`, boolean `exclusiveMinimum`); they are rewritten to
// JSON Schema draft-07 before ajv compiles them.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import { inject } from 'vitest';

// ajv-formats is CommonJS: under NodeNext its plugin is the `default` of the module's default export.
const addFormats = ajvFormats.default.default;

export const contractUrl = new URL('../../contract/ai-gateway.openapi.json', import.meta.url);

type Json = Record<string, unknown>;

export interface Operation {
  method: string;
  template: string;
  operationId: string;
  definition: Json;
  params: Record<string, string>;
}

const contractId = 'https://aigw.invalid/ai-gateway.openapi.json';
const prefix = '/client/v4';

let loaded: ReturnType<typeof load> | undefined;

/** The contract document as published (untransformed). */
function loadContract(): Json {
  return contract().document;
}

/** A component schema of the contract by name (e.g. aig_GatewayCreateRequest), as published. */
export function contractSchema(name: string): unknown {
  const schema = componentSchemas()[name];
  if (schema === undefined) throw new Error(`the contract has no schema ${name}`);
  return schema;
}

/**
 * A schema with the contract's references inlined and documentation-only keywords dropped, so that the control
 * plane's own schemas can be compared with the contract's field for field.
 */
export function plainSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(plainSchema);
  if (typeof node !== 'object' || node === null) return node;
  const ref = (node as Json).$ref;
  if (typeof ref === 'string') return plainSchema(contractSchema(ref.replace('#/components/schemas/', '')));
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' || key === 'example' || key.startsWith('x-')) continue;
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, plainSchema(v)]))
        : plainSchema(value);
  }
  return out;
}

function componentSchemas(): Record<string, unknown> {
  return (loadContract().components as { schemas: Record<string, unknown> }).schemas;
}

function contract() {
  loaded ??= load();
  return loaded;
}

function load() {
  const document = JSON.parse(readFileSync(contractUrl, 'utf8')) as Json;
  const components = document.components as { schemas: Record<string, unknown> };
  const schemas = Object.fromEntries(
    Object.entries(components.schemas).map(([k, v]) => [k, toJsonSchema(v)]),
  );
  const strict = new Ajv({ strict: false, allErrors: true });
  const lenient = new Ajv({ strict: false, allErrors: true, coerceTypes: 'array' });
  for (const ajv of [strict, lenient]) {
    addFormats(ajv);
    ajv.addSchema({ $id: contractId, components: { schemas } });
  }
  const paths = document.paths as Record<string, Record<string, Json>>;
  const templates = Object.keys(paths)
    .map((template) => {
      const names: string[] = [];
      const source = template
        .split('/')
        .map((part) => {
          const param = /^\{(.+)\}$/.exec(part);
          if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(param[1]!);
          return '([^/]+)';
        })
        .join('/');
      return { template, names, regex: new RegExp(`^${source}/?$`), literals: template.split('{').length };
    })
    // Literal segments win over parameters (/custom-providers/costs before /custom-providers/{id}).
    .sort((a, b) => a.literals - b.literals);
  return { document, paths, templates, strict, lenient, compiled: new Map<string, ValidateFunction>() };
}

/** OpenAPI 3.0 schema -> JSON Schema draft-07, with component references made absolute. */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key.startsWith('x-')) continue;
    if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, toJsonSchema(v)]));
    } else if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) {
      out[key] = `${contractId}${value}`;
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  for (const [bound, limit] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (out[bound] === true) {
      out[bound] = out[limit];
      delete out[limit];
    } else if (out[bound] === false) {
      delete out[bound];
    }
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    } else {
      return { anyOf: [out, { type: 'null' }] };
    }
  } else {
    delete out.nullable;
  }
  return out;
}

/** The operation a concrete path (with or without /client/v4, with or without a query) belongs to. */
export function findOperation(method: string, path: string): Operation | null {
  const { paths, templates } = contract();
  let bare = path.split('?')[0]!;
  if (bare.startsWith(prefix)) bare = bare.slice(prefix.length);
  for (const { template, names, regex } of templates) {
    const match = regex.exec(bare);
    if (!match) continue;
    const definition = paths[template]![method.toLowerCase()];
    if (!definition) continue;
    const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
    return {
      method: method.toUpperCase(),
      template,
      operationId: String(definition.operationId),
      definition,
      params,
    };
  }
  return null;
}

/** Tells the suite's coverage check (contract-coverage.ts) that a test checked an answer of `operation`. */
function noteChecked(operation: Operation): void {
  const dir = inject('contractSeenDir');
  if (dir) appendFileSync(join(dir, `${process.pid}.txt`), `${operation.method} ${operation.template}\n`);
}

/** Errors outside what an operation declares must still be Cloudflare error envelopes. */
const genericError = {
  type: 'object',
  required: ['success', 'errors'],
  properties: {
    success: { const: false },
    errors: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'integer' }, message: { type: 'string', minLength: 1 } },
      },
    },
  },
};

/** Throws unless `body` is what the contract says `method path` answers with `status`. */
export function validateResponse(method: string, path: string, status: number, body: unknown): void {
  const operation = findOperation(method, path);
  const where = `${method.toUpperCase()} ${path} -> ${status}`;
  if (!operation && status < 400) throw new Error(`${where}: the contract has no such operation`);
  if (operation) noteChecked(operation);
  const responses = (operation?.definition.responses ?? {}) as Record<string, Json>;
  const declared = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  const content = declared?.content as Record<string, { schema?: unknown }> | undefined;
  let key: string;
  let schema: () => unknown;
  if (content) {
    const json = content['application/json'];
    if (!json?.schema) throw new Error(`${where}: the contract declares no JSON body for this response`);
    key = `${operation!.operationId} ${status}`;
    schema = () => toJsonSchema(json.schema);
  } else if (declared) {
    if (body !== undefined && body !== '') throw new Error(`${where}: the contract declares no body`);
    return;
  } else if (status >= 400) {
    key = 'generic error';
    schema = () => genericError;
  } else {
    throw new Error(`${where}: status ${status} is not declared by ${operation!.operationId}`);
  }
  check(contract().strict, key, schema, body, where);
  if (typeof body === 'object' && body !== null && 'success' in body) {
    const expected = status < 400;
    if ((body as { success: unknown }).success !== expected) {
      throw new Error(`${where}: success is ${String((body as Json).success)} on a ${status}`);
    }
  }
}

export type Query = URLSearchParams | Record<string, string | string[]>;

/** Throws unless the path parameters, query and body are what the contract accepts for `method path`. */
export function validateRequest(method: string, path: string, query: Query | undefined, body: unknown): void {
  const operation = findOperation(method, path);
  const where = `${method.toUpperCase()} ${path}`;
  if (!operation) throw new Error(`${where}: the contract has no such operation`);
  const { definition, operationId } = operation;
  const parameters = (definition.parameters ?? []) as {
    name: string;
    in: string;
    required?: boolean;
    schema: unknown;
  }[];
  for (const location of ['path', 'query'] as const) {
    const declared = parameters.filter((p) => p.in === location);
    const schema = () => ({
      type: 'object',
      properties: Object.fromEntries(declared.map((p) => [p.name, toJsonSchema(p.schema)])),
      required: declared.filter((p) => p.required).map((p) => p.name),
      additionalProperties: false,
    });
    const values = location === 'path' ? { ...operation.params } : queryObject(query, declared);
    check(contract().lenient, `${operationId} ${location}`, schema, values, `${where} (${location})`);
  }
  const requestBody = definition.requestBody as
    | { required?: boolean; content?: Record<string, Json> }
    | undefined;
  if (!requestBody) {
    if (body !== undefined) throw new Error(`${where}: the contract declares no request body`);
    return;
  }
  if (body === undefined) {
    if (requestBody.required) throw new Error(`${where}: a request body is required`);
    return;
  }
  const schema = requestBody.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${where}: the contract declares no JSON request body`);
  check(contract().strict, `${operationId} body`, () => toJsonSchema(schema), body, `${where} (body)`);
}

function queryObject(query: Query | undefined, declared: { name: string; schema: unknown }[]): Json {
  const entries: [string, string][] =
    query instanceof URLSearchParams
      ? [...query.entries()]
      : Object.entries(query ?? {}).flatMap(([k, v]) =>
          Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v]],
        );
  const out: Json = {};
  for (const [name, value] of entries) {
    const schema = declared.find((p) => p.name === name)?.schema as Json | undefined;
    const structured = schema?.type === 'array' || schema?.type === 'object';
    // A structured parameter travels JSON-encoded in a single value. The contract declares the logs'
    // `filters` as an array with no serialization style; Cloudflare reads it as ONE parameter holding the JSON
    // array (the SDK's `filters.key=...` flattening is ignored: cloudflare-typescript #2723), so it is checked
    // here as JSON text.
    const parsed = structured && /^[[{]/.test(value) ? safeJson(value) : value;
    if (schema?.type === 'array') {
      const list = (out[name] as unknown[] | undefined) ?? [];
      out[name] = Array.isArray(parsed) ? [...list, ...parsed] : [...list, parsed];
    } else if (name in out) {
      out[name] = [out[name], parsed].flat();
    } else {
      out[name] = parsed;
    }
  }
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Validates with the schema compiled once per key (`schema` is only built the first time). */
function check(ajv: Ajv, key: string, schema: () => unknown, value: unknown, where: string): void {
  const { compiled } = contract();
  const cacheKey = `${ajv === contract().strict ? 's' : 'l'} ${key}`;
  let validator = compiled.get(cacheKey);
  if (!validator) {
    validator = ajv.compile(schema() as object);
    compiled.set(cacheKey, validator);
  }
  if (!validator(value)) throw new Error(`${where}: ${describeErrors(validator.errors ?? [])}`);
}

function describeErrors(errors: ErrorObject[]): string {
  return errors
    .slice(0, 10)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`)
    .join('; ');
}

export interface Exchange {
  method: string;
  path: string;
  status: number;
  operationId?: string;
  /** Outside /accounts/{account_id}/ai-gateway: the contract does not cover it. */
  skipped: boolean;
  /** Why the request breaks the contract (negative tests send such requests on purpose). */
  requestViolation?: string;
  violation?: string;
}

/** Keeps every exchange a contractFetch saw, so a test can check none broke the contract. */
export class ContractRecorder {
  readonly exchanges: Exchange[] = [];

  get violations(): string[] {
    return this.exchanges.flatMap((e) => (e.violation ? [`${e.method} ${e.path}: ${e.violation}`] : []));
  }

  /** Exchanges whose response was checked against the contract. */
  get validated(): Exchange[] {
    return this.exchanges.filter((e) => !e.skipped);
  }

  assertClean(): void {
    if (this.violations.length > 0) throw new Error(`Contract violations:\n${this.violations.join('\n')}`);
  }
}

/** The operations that answer a log's stored body as it was (see contractFetch). */
const rawBodyOperations = new Set([
  'aig-config-get-gateway-log-request',
  'aig-config-get-gateway-log-response',
]);

const aiGatewayPath = /^\/accounts\/[^/]+\/ai-gateway(\/|$)/;

/**
 * A fetch for `new Cloudflare({ fetch })` that checks every AI Gateway request and response against the
 * contract. A request the contract rejects may be sent (negative tests do), but must then be refused with a
 * 4xx; a response that breaks the contract fails the call (and is kept in the recorder).
 */
export function contractFetch(
  recorder = new ContractRecorder(),
  inner: typeof fetch = globalThis.fetch,
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    const text = request.body ? await request.clone().text() : '';
    const response = await inner(request);
    const exchange: Exchange = { method: request.method, path, status: response.status, skipped: false };
    recorder.exchanges.push(exchange);
    if (!aiGatewayPath.test(path)) {
      exchange.skipped = true;
      return response;
    }
    exchange.operationId = findOperation(request.method, path)?.operationId;
    try {
      const body = text === '' ? undefined : JSON.parse(text);
      validateRequest(request.method, path, url.searchParams, body);
    } catch (err) {
      exchange.requestViolation = err instanceof Error ? err.message : String(err);
    }
    const responseText = await response.clone().text();
    const contentType = response.headers.get('content-type') ?? '';
    // A log's stored body comes back raw with its own content type: the contract declares JSON only, but a
    // streamed answer is the events it was (text/event-stream). Those bodies have no schema to check.
    if (
      rawBodyOperations.has(exchange.operationId ?? '') &&
      response.ok &&
      !contentType.includes('application/json')
    ) {
      exchange.skipped = true;
      return response;
    }
    try {
      if (!contentType.includes('application/json'))
        throw new Error(`content-type is "${contentType}", not JSON`);
      validateResponse(request.method, path, response.status, JSON.parse(responseText));
      if (exchange.requestViolation && response.status < 400) {
        throw new Error(
          `answered ${response.status} to a request the contract rejects: ${exchange.requestViolation}`,
        );
      }
    } catch (err) {
      exchange.violation = err instanceof Error ? err.message : String(err);
      throw new Error(`Contract violation: ${exchange.violation}`);
    }
    return response;
  };
}
