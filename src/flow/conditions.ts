// A conditional element's `conditions`: a MongoDB-style query over what a request carries, as Cloudflare writes
// them ({"metadata.plan": {"$eq": "paid"}}). A field is a dotted path whose first part says where to look:
// `metadata` (cf-aig-metadata), `body` (the JSON request body) or `headers` (request headers, lower-case names).
//
//   {"metadata.plan": "paid"}                         equality (the value is not an operator object)
//   {"metadata.tier": {"$gte": 2, "$lt": 5}}          every operator of a field must hold
//   {"metadata.plan": "paid", "body.stream": true}    every field must hold
//   {"$or": [{...}, {...}]}, {"$and": [...]}          any / all of the queries
//
// Operators: $eq $ne $in $nin $gt $gte $lt $lte $exists. A missing field equals null (so {"$ne": "x"} holds and
// {"$eq": null} holds); $gt and friends compare numbers with numbers and strings with strings, anything else is
// false. An empty query holds.

type Scalar = string | number | boolean;

/** What a request carries, as conditions and rate keys read it. */
export interface RequestFacts {
  metadata: Readonly<Record<string, Scalar>>;
  body?: unknown;
  /** Lower-case names. */
  headers?: Readonly<Record<string, string>>;
}

const ROOTS = ['metadata', 'body', 'headers'] as const;
const FIELD_OPERATORS = new Set(['$eq', '$ne', '$in', '$nin', '$gt', '$gte', '$lt', '$lte', '$exists']);
const LOGICAL = new Set(['$and', '$or']);

/** The value a dotted path names in the request, or undefined. */
export function lookup(facts: RequestFacts, path: string): unknown {
  const dot = path.indexOf('.');
  const root = dot === -1 ? path : path.slice(0, dot);
  const rest = dot === -1 ? '' : path.slice(dot + 1);
  if (root === 'headers') return rest === '' ? undefined : facts.headers?.[rest.toLowerCase()];
  if (root === 'metadata') return rest === '' ? undefined : facts.metadata[rest];
  if (root !== 'body') return undefined;
  let value: unknown = facts.body;
  for (const part of rest === '' ? [] : rest.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Whether the request matches the query (see the top of this file). */
export function matches(query: unknown, facts: RequestFacts): boolean {
  if (!isPlainObject(query)) return false;
  for (const [key, condition] of Object.entries(query)) {
    if (key === '$and') {
      if (!Array.isArray(condition) || !condition.every((q) => matches(q, facts))) return false;
    } else if (key === '$or') {
      if (!Array.isArray(condition) || !condition.some((q) => matches(q, facts))) return false;
    } else if (!fieldHolds(lookup(facts, key), condition)) {
      return false;
    }
  }
  return true;
}

function fieldHolds(value: unknown, condition: unknown): boolean {
  if (!isOperatorObject(condition)) return equal(value, condition);
  for (const [op, operand] of Object.entries(condition)) {
    if (!operatorHolds(op, value, operand)) return false;
  }
  return true;
}

function operatorHolds(op: string, value: unknown, operand: unknown): boolean {
  switch (op) {
    case '$eq':
      return equal(value, operand);
    case '$ne':
      return !equal(value, operand);
    case '$in':
      return Array.isArray(operand) && operand.some((o) => equal(value, o));
    case '$nin':
      return Array.isArray(operand) && !operand.some((o) => equal(value, o));
    case '$exists':
      return (value !== undefined) === Boolean(operand);
    case '$gt':
      return compare(value, operand, (c) => c > 0);
    case '$gte':
      return compare(value, operand, (c) => c >= 0);
    case '$lt':
      return compare(value, operand, (c) => c < 0);
    case '$lte':
      return compare(value, operand, (c) => c <= 0);
    default:
      return false;
  }
}

function compare(a: unknown, b: unknown, test: (c: number) => boolean): boolean {
  if (typeof a === 'number' && typeof b === 'number') return test(a - b);
  if (typeof a === 'string' && typeof b === 'string') return test(a < b ? -1 : a > b ? 1 : 0);
  return false;
}

function equal(a: unknown, b: unknown): boolean {
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

/** What is wrong with a query, for route checks (an empty list: it is fine). */
export function conditionProblems(query: unknown, where = 'conditions'): string[] {
  if (!isPlainObject(query)) return [`${where} must be an object`];
  const problems: string[] = [];
  for (const [key, condition] of Object.entries(query)) {
    if (LOGICAL.has(key)) {
      if (!Array.isArray(condition) || condition.length === 0) {
        problems.push(`${where}: ${key} takes a non-empty list of queries`);
        continue;
      }
      condition.forEach((q, i) => {
        problems.push(...conditionProblems(q, `${where}.${key}[${i}]`));
      });
      continue;
    }
    if (key.startsWith('$')) {
      problems.push(`${where}: unknown operator ${key} (known: $and, $or)`);
      continue;
    }
    const root = key.split('.')[0]!;
    if (!(ROOTS as readonly string[]).includes(root) || !key.includes('.')) {
      problems.push(`${where}: field "${key}" must start with metadata., body. or headers.`);
    }
    if (!isPlainObject(condition)) continue;
    const keys = Object.keys(condition);
    if (!keys.some((k) => k.startsWith('$'))) continue;
    for (const [op, operand] of Object.entries(condition)) {
      if (!FIELD_OPERATORS.has(op)) {
        problems.push(
          `${where}: unknown operator ${op} on "${key}" (known: ${[...FIELD_OPERATORS].join(' ')})`,
        );
      } else if ((op === '$in' || op === '$nin') && !Array.isArray(operand)) {
        problems.push(`${where}: ${op} on "${key}" takes a list`);
      }
    }
  }
  return problems;
}

/** A query as one line for people: `metadata.plan = "paid"`, `metadata.tier >= 2 and ...`. */
export function describeCondition(query: unknown): string {
  if (!isPlainObject(query)) return JSON.stringify(query) ?? String(query);
  const parts = Object.entries(query).map(([key, condition]) => {
    if (LOGICAL.has(key) && Array.isArray(condition)) {
      const joined = condition.map(describeCondition).join(key === '$or' ? ' or ' : ' and ');
      return condition.length > 1 ? `(${joined})` : joined;
    }
    if (!isOperatorObject(condition)) return `${key} = ${JSON.stringify(condition)}`;
    return Object.entries(condition)
      .map(([op, operand]) => `${key} ${SYMBOLS[op] ?? op} ${JSON.stringify(operand)}`)
      .join(' and ');
  });
  return parts.length === 0 ? 'always' : parts.join(' and ');
}

const SYMBOLS: Record<string, string> = {
  $eq: '=',
  $ne: '!=',
  $in: 'in',
  $nin: 'not in',
  $gt: '>',
  $gte: '>=',
  $lt: '<',
  $lte: '<=',
  $exists: 'exists:',
};
