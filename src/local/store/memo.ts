// The in-memory lookups the data plane reads on every request instead of querying the store.

/**
 * Values by (account, key). Unknown keys are remembered too (as null), so a client naming random ids could
 * grow the map without bound: past `limit` entries it starts over.
 */
export class AccountMemo<T> {
  private readonly entries = new Map<string, T | null>();

  constructor(private readonly limit = 4096) {}

  /** The remembered value (null: known not to exist), or undefined when nothing is remembered. */
  get(accountId: string, key: string): T | null | undefined {
    return this.entries.get(memoKey(accountId, key));
  }

  set(accountId: string, key: string, value: T | null): void {
    if (this.entries.size >= this.limit) this.entries.clear();
    this.entries.set(memoKey(accountId, key), value);
  }

  delete(accountId: string, key: string): void {
    this.entries.delete(memoKey(accountId, key));
  }
}

function memoKey(accountId: string, key: string): string {
  return `${accountId}\u0000${key}`;
}
