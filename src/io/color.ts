// Colour policy: off with NO_COLOR, CLICOLOR=0, --no-color, or when the stream is not a terminal;
// forced on with CLICOLOR_FORCE or FORCE_COLOR. chalk's own detection ignores NO_COLOR, so we decide.

export function colorEnabled(
  env: Record<string, string | undefined>,
  isTTY: boolean,
  noColorFlag: boolean,
): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.CLICOLOR_FORCE ?? env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  if (env.CLICOLOR === '0') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}
