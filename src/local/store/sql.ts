// Small pieces the repositories share: LIKE escaping and dropping undefined fields from a partial update.

/** Escapes `\`, `%` and `_` for a `LIKE ? ESCAPE '\'` pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The fields of a partial update that were given (undefined ones would overwrite stored values). */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
