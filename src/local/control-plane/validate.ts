// Request body validation for the management API. Schemas are written in the contract's own dialect
// (OpenAPI 3.0: `nullable`, boolean `exclusiveMinimum`) so they can be compared with it field for field.
// Besides checking, `validate` returns the cleaned value the way Cloudflare keeps it: properties the schema
// does not know are dropped and declared defaults are filled in.

export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  nullable?: boolean;
  enum?: readonly unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: 'uri' | 'date-time' | 'uuid';
  properties?: Readonly<Record<string, Schema>>;
  required?: readonly string[];
  /** false: refused; true: kept as they are, unchecked; a schema: checked; absent: dropped. */
  additionalProperties?: Schema | boolean;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  anyOf?: readonly Schema[];
  oneOf?: readonly Schema[];
}

export interface Issue {
  /** Location inside the validated value, e.g. ['otel', '0', 'url']. */
  path: string[];
  message: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

const maxIssues = 20;

export function validate<T = unknown>(schema: Schema, value: unknown): Validation<T> {
  const issues: Issue[] = [];
  const cleaned = check(schema, value, [], issues);
  return issues.length === 0
    ? { ok: true, value: cleaned as T }
    : { ok: false, issues: issues.slice(0, maxIssues) };
}

function check(schema: Schema, value: unknown, path: string[], issues: Issue[]): unknown {
  if (value === null) {
    if (schema.nullable) return null;
    // Under anyOf / oneOf, an alternative may be nullable: the alternatives decide.
    if (schema.type) {
      issues.push({ path, message: `${describe(path)} must not be null` });
      return value;
    }
  }
  if (schema.anyOf) return checkAlternatives(schema.anyOf, 'any', value, path, issues);
  if (schema.oneOf) return checkAlternatives(schema.oneOf, 'one', value, path, issues);
  if (schema.type && !hasType(schema.type, value)) {
    issues.push({
      path,
      message: `${describe(path)} must be ${article(schema.type)}, not ${typeName(value)}`,
    });
    return value;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    const allowed = schema.enum.map((v) => JSON.stringify(v)).join(', ');
    issues.push({ path, message: `${describe(path)} must be one of ${allowed}` });
    return value;
  }
  if (typeof value === 'number') checkNumber(schema, value, path, issues);
  else if (typeof value === 'string') checkString(schema, value, path, issues);
  else if (Array.isArray(value)) return checkArray(schema, value, path, issues);
  else if (isObject(value)) return checkObject(schema, value, path, issues);
  return value;
}

function checkNumber(schema: Schema, value: number, path: string[], issues: Issue[]): void {
  const { minimum, maximum } = schema;
  if (minimum !== undefined) {
    const below = schema.exclusiveMinimum ? value <= minimum : value < minimum;
    if (below) {
      const bound = schema.exclusiveMinimum ? `greater than ${minimum}` : `at least ${minimum}`;
      issues.push({ path, message: `${describe(path)} must be ${bound}` });
    }
  }
  if (maximum !== undefined) {
    const above = schema.exclusiveMaximum ? value >= maximum : value > maximum;
    if (above) {
      const bound = schema.exclusiveMaximum ? `less than ${maximum}` : `at most ${maximum}`;
      issues.push({ path, message: `${describe(path)} must be ${bound}` });
    }
  }
}

function checkString(schema: Schema, value: string, path: string[], issues: Issue[]): void {
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) {
    issues.push({ path, message: `${describe(path)} must be at least ${schema.minLength} characters long` });
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    issues.push({ path, message: `${describe(path)} must be at most ${schema.maxLength} characters long` });
  }
  if (schema.pattern !== undefined && !patternRegExp(schema.pattern).test(value)) {
    issues.push({ path, message: `${describe(path)} must match ${schema.pattern}` });
  }
  if (schema.format && !formats[schema.format](value)) {
    issues.push({ path, message: `${describe(path)} must be a valid ${schema.format}` });
  }
}

function checkArray(schema: Schema, value: unknown[], path: string[], issues: Issue[]): unknown[] {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    issues.push({ path, message: `${describe(path)} must have at least ${schema.minItems} items` });
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    issues.push({ path, message: `${describe(path)} must have at most ${schema.maxItems} items` });
  }
  const items = schema.items;
  if (!items) return value;
  return value.map((item, index) => check(items, item, [...path, String(index)], issues));
}

function checkObject(
  schema: Schema,
  value: Record<string, unknown>,
  path: string[],
  issues: Issue[],
): Record<string, unknown> {
  for (const name of schema.required ?? []) {
    if (value[name] === undefined) {
      issues.push({ path: [...path, name], message: `${describe([...path, name])} is required` });
    }
  }
  const out: Record<string, unknown> = {};
  const properties = schema.properties ?? {};
  for (const [name, propertySchema] of Object.entries(properties)) {
    if (value[name] !== undefined) out[name] = check(propertySchema, value[name], [...path, name], issues);
    else if (propertySchema.default !== undefined) out[name] = structuredClone(propertySchema.default);
  }
  const extra = schema.additionalProperties;
  for (const [name, item] of Object.entries(value)) {
    if (Object.hasOwn(properties, name) || item === undefined) continue;
    if (extra === false) {
      issues.push({ path: [...path, name], message: `${describe([...path, name])} is not allowed` });
    } else if (extra === true) {
      out[name] = item;
    } else if (extra) {
      out[name] = check(extra, item, [...path, name], issues);
    }
    // Without additionalProperties, unknown properties are accepted and dropped.
  }
  return out;
}

function checkAlternatives(
  options: readonly Schema[],
  mode: 'any' | 'one',
  value: unknown,
  path: string[],
  issues: Issue[],
): unknown {
  const attempts = options.map((option) => {
    const found: Issue[] = [];
    return { value: check(option, value, path, found), issues: found };
  });
  const passing = attempts.filter((a) => a.issues.length === 0);
  if (passing.length === 1 || (mode === 'any' && passing.length > 1)) return passing[0]!.value;
  if (passing.length > 1) {
    issues.push({ path, message: `${describe(path)} matches more than one of the allowed shapes` });
    return value;
  }
  // Report the alternative that came closest: it is most likely the one the caller meant.
  const closest = attempts.reduce((best, a) => (a.issues.length < best.issues.length ? a : best));
  issues.push(...closest.issues);
  return value;
}

function hasType(type: NonNullable<Schema['type']>, value: unknown): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}

/** Schemas are module constants, so their patterns are compiled once, not on every request. */
const compiledPatterns = new Map<string, RegExp>();

function patternRegExp(pattern: string): RegExp {
  let regExp = compiledPatterns.get(pattern);
  if (!regExp) {
    regExp = new RegExp(pattern, 'u');
    compiledPatterns.set(pattern, regExp);
  }
  return regExp;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

const formats: Record<NonNullable<Schema['format']>, (value: string) => boolean> = {
  uri: (value) => /^[a-z][a-z0-9+.-]*:/i.test(value) && URL.canParse(value),
  'date-time': (value) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value) &&
    !Number.isNaN(Date.parse(value)),
  uuid: isUuid,
};

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isInteger(value)) return 'a fractional number';
  return article(typeof value);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(path: string[]): string {
  return path.length === 0 ? 'the body' : `"${path.join('.')}"`;
}
