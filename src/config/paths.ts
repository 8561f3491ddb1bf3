// Where aigw keeps its files: AIGW_CONFIG_DIR or ~/.config/aigw (XDG_CONFIG_HOME honoured),
// and the local gateway's data in AIGW_DATA_DIR or ~/.local/share/aigw.
import { homedir } from 'node:os';
import { join } from 'node:path';

type Env = Record<string, string | undefined>;

export function configDir(env: Env): string {
  if (env.AIGW_CONFIG_DIR) return env.AIGW_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'aigw');
}

export function dataDir(env: Env): string {
  if (env.AIGW_DATA_DIR) return env.AIGW_DATA_DIR;
  const base = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(base, 'aigw');
}
