// When `aigw proxy` stops: on Ctrl-C or SIGTERM, and, when npm started it, once npm is gone. `npx aigw proxy &`
// puts npm (and a shell) between the script and the proxy; killing the PID the script holds ends npm and the shell,
// but the signal does not reach the proxy, which would keep listening. So a proxy started by npm watches its parent
// (and, behind a shell, npm itself) and stops as if sent SIGTERM when it goes.
import { readFileSync } from 'node:fs';
import type { Context } from '../../context.js';
import type { LogHealth } from '../../local/store/logs/outcomes.js';
import { stoppedLine } from './log-store-lines.js';

const PARENT_POLL_MS = 500;

interface Stoppable {
  close(): Promise<void>;
  runtime: { logs: { health(): LogHealth } };
}

/**
 * Resolves once the gateway has stopped (pending logs flushed), after a last line that counts the logs written
 * and dropped; a second signal exits at once. Dropped logs do not change the exit code: they were said when
 * they happened and are counted in that line, and the proxy did stop as asked.
 */
export function stopWhenAsked(ctx: Context, gateway: Stoppable): Promise<void> {
  const io = ctx.io;
  return new Promise<void>((resolve, reject) => {
    let stopping = false;
    let watch: NodeJS.Timeout | undefined;
    const stop = (why: string) => {
      if (stopping) {
        io.err('Stopping now.');
        process.exit(130);
      }
      stopping = true;
      clearInterval(watch);
      io.err(`\n${why}: stopping (flushing logs)...`);
      gateway.close().then(
        () => {
          io.err(stoppedLine(gateway.runtime.logs.health()));
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
          // Nothing of ours is left running; don't let a stray handle keep the process alive.
          setTimeout(() => process.exit(process.exitCode ?? 0), 1_000).unref();
          resolve();
        },
        (err: unknown) => reject(err),
      );
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    if (startedByNpm(ctx.env)) {
      const gone = parentGone();
      watch = setInterval(() => {
        if (gone()) stop('npm exited');
      }, PARENT_POLL_MS);
      watch.unref();
    }
  });
}

/** npm (npx, npm exec, npm run) started this process, directly or through a shell. */
function startedByNpm(env: Context['env']): boolean {
  return env.npm_lifecycle_event !== undefined && env.npm_execpath !== undefined;
}

/** A test of whether what started this process has gone: the parent changed (we were orphaned), or, when the
 *  parent is a shell npm ran, npm itself has exited. */
function parentGone(): () => boolean {
  const parent = process.ppid;
  const npm = shellParent(parent);
  return () => process.ppid !== parent || (npm !== null && !alive(npm));
}

/** The parent of `pid` when `pid` is a shell, on systems with /proc; else null. */
function shellParent(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid ...; comm may hold spaces and parentheses, so read from the last ')'.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (!/^(sh|dash|bash|zsh|ash)$/.test(comm)) return null;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return ppid > 1 ? ppid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
