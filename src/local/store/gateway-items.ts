// What a gateway's datasets and evaluations share in the store: lists of one gateway's rows, newest first,
// narrowed by an exact name, a yes/no column and a free-text search over some columns.
import type { Store } from './db.js';
import { escapeLike } from './sql.js';

export interface ItemQuery {
  /** Exactly this name. */
  name?: string;
  /** The yes/no column (enable, processed) is this. */
  flag?: boolean;
  /** A substring (case-insensitive for ASCII) of one of the searched columns. */
  search?: string;
}

export interface ItemTable {
  table: string;
  columns: string;
  flagColumn: string;
  searchColumns: readonly string[];
}

/** One page of a gateway's rows, newest first. */
export function listItems<Row>(
  store: Store,
  spec: ItemTable,
  accountId: string,
  gatewayId: string,
  query: ItemQuery,
  page: { limit: number; offset: number },
): Row[] {
  const { where, args } = whereClause(spec, accountId, gatewayId, query);
  return store
    .statement(
      `SELECT ${spec.columns} FROM ${spec.table} WHERE ${where}
       ORDER BY created_at DESC, id ASC LIMIT ? OFFSET ?`,
    )
    .all(...args, page.limit, page.offset) as unknown as Row[];
}

export function countItems(
  store: Store,
  spec: ItemTable,
  accountId: string,
  gatewayId: string,
  query: ItemQuery,
): number {
  const { where, args } = whereClause(spec, accountId, gatewayId, query);
  const row = store.statement(`SELECT count(*) AS n FROM ${spec.table} WHERE ${where}`).get(...args) as {
    n: number;
  };
  return row.n;
}

function whereClause(spec: ItemTable, accountId: string, gatewayId: string, query: ItemQuery) {
  let where = 'account_id = ? AND gateway_id = ?';
  const args: (string | number)[] = [accountId, gatewayId];
  if (query.name !== undefined) {
    where += ' AND name = ?';
    args.push(query.name);
  }
  if (query.flag !== undefined) {
    where += ` AND ${spec.flagColumn} = ?`;
    args.push(query.flag ? 1 : 0);
  }
  if (query.search) {
    const pattern = `%${escapeLike(query.search)}%`;
    where += ` AND (${spec.searchColumns.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`;
    args.push(...spec.searchColumns.map(() => pattern));
  }
  return { where, args };
}
