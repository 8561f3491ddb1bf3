// `aigw proxy` on Linux runs with glibc's mmap threshold fixed at its default, 128 KB. Left alone, glibc raises
// the threshold to the size of the largest block freed so far (up to 32 MB), and from then on puts large
// request bodies and their copies in its main heap, which goes back to the system only from its top: after a
// burst of large bodies, hundreds of MB stayed resident in an idle proxy. Fixed, every block of 128 KB or more
// is mapped on its own and unmapped as soon as it is freed. glibc reads the setting only when a process starts,
// so the proxy starts itself again with it (process.execve: same pid, arguments and streams), unless the
// environment already sets it. Elsewhere (musl, macOS, Windows) the variable means nothing and nothing is done.
const TUNABLE = 'glibc.malloc.mmap_threshold';
const THRESHOLD = 128 * 1024;
/** Global options that take a value, which may stand before the command. */
const WITH_VALUE = new Set(['--account-id', '--local-url']);

function command(args) {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (WITH_VALUE.has(arg)) i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return null;
}

/** The environment to start `aigw proxy` again with, or null to go on as is. */
export function withMallocTunables(args, env, platform) {
  if (platform !== 'linux' || command(args) !== 'proxy') return null;
  if (args.includes('--help') || args.includes('-h')) return null;
  const current = env.GLIBC_TUNABLES;
  if (current?.includes(TUNABLE) || env.MALLOC_MMAP_THRESHOLD_ !== undefined) return null;
  const setting = `${TUNABLE}=${THRESHOLD}`;
  return { ...env, GLIBC_TUNABLES: current ? `${current}:${setting}` : setting };
}
