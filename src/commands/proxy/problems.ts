// Why the local gateway could not start, said as what is wrong and what to do: a value the user typed (a flag or
// the --config file) is a usage error (exit 2); the machine in the way is an environment error (exit 1). Anything
// else is left as it is: a bug.
import { EnvironmentError, UsageError } from '../../errors.js';
import { StoreError } from '../../local/store/db.js';
import type { Origin, ProxySettings } from './options.js';

export function startFailure(err: unknown, settings: ProxySettings): unknown {
  if (err instanceof StoreError) return storeFailure(err, settings.dataDir);
  const code = (err as NodeJS.ErrnoException).code;
  const { host, port } = settings.options;
  const where = `${host}:${port}`;
  const typed = (message: string, hint: string) =>
    settings.host.usage ? new UsageError(message, { hint }) : new EnvironmentError(message, { hint });
  switch (code) {
    case 'EADDRINUSE':
      return new EnvironmentError(`Port ${port} on ${host} is already in use.`, {
        hint: 'Is another aigw proxy running? Pick another port with --port (0 picks a free one).',
      });
    case 'EADDRNOTAVAIL':
      return typed(
        `${named(settings.host, host)} is not an address of this machine, so aigw proxy cannot listen there.`,
        'Use 127.0.0.1 (the default), or an address one of its network interfaces has.',
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return typed(
        `${named(settings.host, host)} does not resolve to an address.`,
        'Give an IP address, such as 127.0.0.1 (the default).',
      );
    case 'EACCES':
    case 'EPERM':
      return new EnvironmentError(`Not allowed to listen on ${where}.`, {
        hint: 'Ports below 1024 need privileges: pick a higher one with --port (0 picks a free one).',
      });
    default:
      return err;
  }
}

function storeFailure(err: StoreError, dataDir: Origin): UsageError | EnvironmentError {
  const elsewhere = 'use another --data-dir, or --in-memory to keep nothing';
  switch (err.problem) {
    case 'directory': {
      const message = `${named(dataDir, err.path)} ${err.detail}.`;
      const hint = `Point ${dataDir.usage ? dataDir.label : '--data-dir'} at a directory you can write, or use --in-memory.`;
      return dataDir.usage ? new UsageError(message, { hint }) : new EnvironmentError(message, { hint });
    }
    case 'newer':
      return new EnvironmentError(`The database ${err.message}.`, {
        hint: `Run that newer aigw on it, or ${elsewhere}.`,
      });
    case 'not-aigw':
      return new EnvironmentError(`${err.message}.`, {
        hint: `Move the file away (aigw then starts a new database there), or ${elsewhere}.`,
      });
  }
}

/** How to name a value in a message: `--host 10.0.0.1` when typed as a flag, else the value and where it came
 *  from, e.g. `/srv/aigw (dataDir in aigw.proxy.yaml)`. */
function named(origin: Origin, value: string): string {
  return origin.label.startsWith('--') ? `${origin.label} ${value}` : `${value} (${origin.label})`;
}
