// What became of the log records: written, kept in memory while the store fails, or dropped and why. The
// health endpoint shows it; `aigw proxy` says each change on stderr (LogStoreEvent) and counts it at shutdown.
import type { ThreadEvent } from './thread-main.js';

/** A change worth telling the user about; each cause of drops is told once, its later drops only counted. */
export type LogStoreEvent =
  | { kind: 'failing'; cause: string; pending: number }
  | { kind: 'recovered'; written: number }
  | { kind: 'dropped'; cause: string; count: number };

export interface LogHealth {
  /** Records queued or kept while writes fail, not yet stored. */
  pending: number;
  written: number;
  dropped: number;
  /** The store's error while writes fail, else null. */
  failing: string | null;
  /** Why records were dropped, with how many each time (most first). */
  drops: { cause: string; count: number }[];
}

export class LogOutcomes {
  /** Records stored, and dropped, on the main connection (the thread counts its own). */
  written = 0;
  dropped = 0;
  failing: string | null = null;
  private readonly drops = new Map<string, number>();

  constructor(
    private readonly maxHeldBytes: number,
    private readonly tell: ((event: LogStoreEvent) => void) | undefined,
  ) {}

  /** Records dropped on the main connection. */
  drop(cause: string, count: number): void {
    this.dropped += count;
    this.count(cause, count);
  }

  /** What the log thread reports (its totals are in its shared slots; this keeps the causes). */
  fromThread(event: ThreadEvent): void {
    if (event.kind === 'failing') {
      this.failing = event.cause;
      this.tell?.({ kind: 'failing', cause: event.cause, pending: event.held });
    } else if (event.kind === 'recovered') {
      this.failing = null;
      this.tell?.(event);
    } else if (event.reason === 'row') {
      this.count(notStored(event.cause), event.count);
    } else if (event.reason === 'bound') {
      const bound = `over the log memory bound of ${megabytes(this.maxHeldBytes)} while writes failed`;
      this.count(`${bound}: ${event.cause}`, event.count);
    } else {
      // Said by the last line at shutdown, which comes next.
      this.count(`writes still failing at shutdown: ${event.cause}`, event.count, false);
    }
  }

  causes(): LogHealth['drops'] {
    return [...this.drops].map(([cause, count]) => ({ cause, count })).sort((a, b) => b.count - a.count);
  }

  private count(cause: string, count: number, tell = true): void {
    const before = this.drops.get(cause);
    this.drops.set(cause, (before ?? 0) + count);
    if (before === undefined && tell) this.tell?.({ kind: 'dropped', cause, count });
  }
}

function megabytes(bytes: number): string {
  const mb = bytes / 1024 ** 2;
  if (mb >= 1) return `${Number(mb.toFixed(1))} MB`;
  return `${Number((bytes / 1024).toFixed(1))} KB`;
}

/** Why a row was not stored, from its error: on one line and short (SQLite's messages name no value). */
export function notStored(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim().slice(0, 200);
  return `could not be stored (${text})`;
}
