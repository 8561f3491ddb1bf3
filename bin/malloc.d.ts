/** The environment to start `aigw proxy` again with (glibc's mmap threshold fixed), or null to go on as is. */
export function withMallocTunables(
  args: readonly string[],
  env: Record<string, string | undefined>,
  platform: string,
): Record<string, string | undefined> | null;
