// Quoting a word for a POSIX shell, so a command aigw prints works when pasted.

/** `word` as is when the shell reads it back unchanged, else in single quotes. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
