// Secrets in apply files are references, never values: `{env: OPENAI_API_KEY}` (an environment variable) or
// `{file: ./secrets/openai}` (a file, relative to the apply file). A literal secret in the file is refused before
// any request, and no message ever repeats it. References are read only once the whole file is valid.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { show } from './spec.js';

export type SecretRef = { env: string } | { file: string };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const refForms = '{env: OPENAI_API_KEY} or {file: ./secrets/openai}';

/** The reference `raw` holds, or undefined with the problem added to `errors` (never quoting a secret). */
export function secretRefFromSpec(raw: unknown, field: string, errors: string[]): SecretRef | undefined {
  if (raw === undefined) {
    errors.push(`${field} is missing: name where the secret comes from, ${refForms}`);
    return undefined;
  }
  if (typeof raw === 'string' || typeof raw === 'number') {
    errors.push(
      `${field} holds a secret written in the file: an apply file never holds secrets, only where they come ` +
        `from: ${refForms}`,
    );
    return undefined;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    errors.push(`${field} must be ${refForms}, not a ${Array.isArray(raw) ? 'list' : show(raw)}`);
    return undefined;
  }
  const { env, file, ...rest } = raw as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    errors.push(`${field}: unknown key ${unknown.map(show).join(', ')} (expected env or file)`);
    return undefined;
  }
  if ((env === undefined) === (file === undefined)) {
    errors.push(`${field} must name one source: ${refForms}`);
    return undefined;
  }
  if (env !== undefined) {
    if (typeof env !== 'string' || !ENV_NAME.test(env)) {
      errors.push(`${field}.env must be an environment variable's name (letters, digits and _)`);
      return undefined;
    }
    return { env };
  }
  if (typeof file !== 'string' || file === '') {
    errors.push(`${field}.file must be a path`);
    return undefined;
  }
  return { file };
}

/** How messages and plans name a reference: `$OPENAI_API_KEY`, `file ./secrets/openai`. */
export function describeRef(ref: SecretRef): string {
  return 'env' in ref ? `$${ref.env}` : `file ${ref.file}`;
}

/** A reference to read, and what it is for in messages ("gateways[0] (prod) keys[0] (openai/default)"). */
export interface SecretNeed {
  ref: SecretRef;
  what: string;
}

/**
 * The secrets the references point at, in order; every one that cannot be read is listed in one usage error
 * (exit 2), before any request. Files are relative to `baseDir` (the apply file's folder).
 */
export async function readSecrets(ctx: Context, needs: SecretNeed[], baseDir: string): Promise<string[]> {
  const problems: string[] = [];
  const values: string[] = [];
  for (const { ref, what } of needs) {
    let value: string | undefined;
    if ('env' in ref) {
      value = ctx.env[ref.env]?.trim();
      if (!value) problems.push(`${what}: the environment variable ${ref.env} is not set`);
    } else {
      try {
        value = (await readFile(resolve(baseDir, ref.file), 'utf8')).trim();
        if (!value) problems.push(`${what}: ${ref.file} is empty`);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        problems.push(`${what}: cannot read ${ref.file}: ${code === 'ENOENT' ? 'no such file' : code}`);
      }
    }
    if (value && /[\u0000-\u001f\u007f]/.test(value)) {
      problems.push(`${what}: the secret in ${describeRef(ref)} has line breaks or control characters`);
    }
    values.push(value ?? '');
  }
  if (problems.length > 0) {
    const message =
      problems.length === 1
        ? `${problems[0]}.`
        : `${problems.length} secrets cannot be read:\n${problems.map((p) => `  ${p}`).join('\n')}`;
    throw new UsageError(message, { hint: 'Nothing was changed. Set them, then apply again.' });
  }
  return values;
}
