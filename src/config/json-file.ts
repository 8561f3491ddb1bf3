// A small JSON settings file: read once, written atomically (temp file + rename) with mode 0600.
// A file that is not valid JSON is an error naming the file; it is never overwritten.
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { AigwError } from '../errors.js';

export class JsonFile<T extends object> {
  private data: T;

  constructor(
    readonly path: string,
    defaults: T,
  ) {
    this.data = { ...defaults, ...read<T>(path) };
  }

  get<K extends keyof T>(key: K): T[K] {
    return this.data[key];
  }

  set<K extends keyof T>(key: K, value: T[K]): void {
    this.data = { ...this.data, [key]: value };
    this.write();
  }

  delete(key: keyof T): void {
    const copy = { ...this.data };
    delete copy[key];
    this.data = copy;
    this.write();
  }

  private write(): void {
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.path);
  }
}

function read<T>(path: string): Partial<T> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new AigwError(`Cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new Error('not a JSON object');
    return value as Partial<T>;
  } catch (err) {
    throw new AigwError(`${path} is not valid: ${(err as Error).message}`, {
      hint: 'Fix the file by hand, or move it away to start again (aigw does not overwrite it).',
    });
  }
}
