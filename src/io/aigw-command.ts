// How the user runs this aigw, for the commands messages print (hints, the proxy's banner), so that each works
// exactly as pasted: `aigw` installed, `npx aigw` from a checkout or a project, else the full path.
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { shellQuote } from './shell-quote.js';

/**
 * How to run this aigw from where the user is: `npx aigw` when npm exec started it or it is a project's
 * dependency (its bin on PATH only inside npm), `aigw` when that name on PATH is this aigw, `npx aigw` from
 * inside its own checkout, else node and the script by full path.
 */
export function aigwCommand(
  env: Record<string, string | undefined>,
  cwd: string,
  script = process.argv[1] ?? '',
  node = process.execPath,
): string {
  const self = realpath(script);
  if (env.npm_command === 'exec' && /^'?aigw\b/.test(env.npm_lifecycle_script ?? '')) return 'npx aigw';
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'aigw'))
    .find((candidate) => existsSync(candidate));
  if (onPath && realpath(onPath) === self) {
    return onPath.includes(`node_modules${join('/', '.bin')}`) ? 'npx aigw' : 'aigw';
  }
  const checkout = dirname(dirname(self));
  const inside = relative(checkout, resolve(cwd));
  if (!inside.startsWith('..') && existsSync(join(checkout, 'package.json'))) return 'npx aigw';
  return `${shellQuote(node)} ${shellQuote(self)}`;
}

function realpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
