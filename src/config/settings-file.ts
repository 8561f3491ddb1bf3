// A small JSON settings file kept by conf: written atomically (temp file + rename) with mode 0600, read
// back on every access so a change another aigw made in between is not lost. A file that is not valid
// JSON, or not the shape aigw writes, is an error naming the file and the bad key; it is never cleared
// or overwritten (clearInvalidConfig is off, and nothing here replaces the whole store).
import { basename, dirname } from 'node:path';
import Conf from 'conf';
import { AigwError } from '../errors.js';

/** What is wrong with a file's content (the key and what it should hold, never its value), or undefined. */
export type ShapeCheck = (data: Record<string, unknown>) => string | undefined;

export class SettingsFile<T extends Record<string, unknown>> {
  private readonly conf: Conf<T>;

  constructor(
    readonly path: string,
    check: ShapeCheck,
  ) {
    this.conf = this.guard(
      () =>
        new Conf<T>({
          cwd: dirname(path),
          configName: basename(path, '.json'),
          configFileMode: 0o600,
          clearInvalidConfig: false,
          // Profile names are keys inside `profiles`; a dot in one is not a path.
          accessPropertiesByDotNotation: false,
          deserialize: (text) => parse(path, text, check) as T,
        }),
    );
  }

  get<K extends keyof T & string>(key: K): T[K] | undefined {
    return this.guard(() => this.conf.get(key));
  }

  set<K extends keyof T & string>(key: K, value: T[K]): void {
    this.guard(() => this.conf.set(key, value as Exclude<T[K], undefined>));
  }

  delete(key: keyof T & string): void {
    this.guard(() => this.conf.delete(key));
  }

  /** File system failures (a file aigw may not read, a full disk) say which file, instead of a bare errno. */
  private guard<R>(what: () => R): R {
    try {
      return what();
    } catch (err) {
      if (err instanceof AigwError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code) throw new AigwError(`Cannot use ${this.path}: ${(err as Error).message}`, { cause: err });
      throw err;
    }
  }
}

function parse(path: string, text: string, check: ShapeCheck): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalid(path, (err as Error).message);
  }
  if (!isObject(value)) throw invalid(path, `it holds ${kindOf(value)}, not a JSON object`);
  const problem = check(value);
  if (problem) throw invalid(path, problem);
  return value;
}

function invalid(path: string, problem: string): AigwError {
  return new AigwError(`${path} is not valid: ${problem}`, {
    hint: 'Fix the file by hand, or move it away to start again (aigw does not overwrite it).',
  });
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A value's kind for an error message ("a string", "an array"), which never shows the value itself. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}
