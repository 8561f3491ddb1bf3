// A gateway's datasets in the store: a name, an enable flag and log filters (aig_DatasetFilter), kept as given.
// They are deleted with their gateway (a foreign key); evaluations keep their own copies.
import { randomUUID } from 'node:crypto';
import type { DatasetFilter } from '../../log-filters.js';
import type { Store } from './db.js';
import { countItems, type ItemQuery, type ItemTable, listItems } from './gateway-items.js';

/** What create and update (a full replace) send. */
export interface DatasetFields {
  name: string;
  enable: boolean;
  filters: DatasetFilter[];
}

/** A dataset as the API returns it (aig_Dataset). */
export interface Dataset extends DatasetFields {
  id: string;
  gateway_id: string;
  created_at: string;
  modified_at: string;
}

interface Row {
  id: string;
  gateway_id: string;
  name: string;
  enable: number;
  filters: string;
  created_at: string;
  modified_at: string;
}

const table: ItemTable = {
  table: 'datasets',
  columns: 'id, gateway_id, name, enable, filters, created_at, modified_at',
  flagColumn: 'enable',
  searchColumns: ['id', 'name', 'filters'],
};

export class DatasetRepository {
  constructor(private readonly store: Store) {}

  get(accountId: string, gatewayId: string, id: string): Dataset | null {
    const row = this.store
      .statement(`SELECT ${table.columns} FROM datasets WHERE account_id = ? AND gateway_id = ? AND id = ?`)
      .get(accountId, gatewayId, id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** A gateway's datasets, newest first; `flag` is enable, and `search` reads the id, name and filters. */
  list(accountId: string, gatewayId: string, query: ItemQuery, page: { limit: number; offset: number }) {
    return listItems<Row>(this.store, table, accountId, gatewayId, query, page).map(fromRow);
  }

  count(accountId: string, gatewayId: string, query: ItemQuery): number {
    return countItems(this.store, table, accountId, gatewayId, query);
  }

  create(accountId: string, gatewayId: string, fields: DatasetFields, now: Date): Dataset {
    const stamp = now.toISOString();
    const id = randomUUID();
    this.store
      .statement(
        `INSERT INTO datasets (account_id, gateway_id, id, name, enable, filters, created_at, modified_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        accountId,
        gatewayId,
        id,
        fields.name,
        fields.enable ? 1 : 0,
        JSON.stringify(fields.filters),
        stamp,
        stamp,
      );
    return this.get(accountId, gatewayId, id)!;
  }

  /** Replaces name, enable and filters; null when there is no such dataset. */
  replace(
    accountId: string,
    gatewayId: string,
    id: string,
    fields: DatasetFields,
    now: Date,
  ): Dataset | null {
    const result = this.store
      .statement(
        `UPDATE datasets SET name = ?, enable = ?, filters = ?, modified_at = ?
         WHERE account_id = ? AND gateway_id = ? AND id = ?`,
      )
      .run(
        fields.name,
        fields.enable ? 1 : 0,
        JSON.stringify(fields.filters),
        now.toISOString(),
        accountId,
        gatewayId,
        id,
      );
    return Number(result.changes) > 0 ? this.get(accountId, gatewayId, id) : null;
  }

  /** Deletes a dataset; returns what was deleted, or null. */
  delete(accountId: string, gatewayId: string, id: string): Dataset | null {
    const before = this.get(accountId, gatewayId, id);
    if (!before) return null;
    this.store
      .statement('DELETE FROM datasets WHERE account_id = ? AND gateway_id = ? AND id = ?')
      .run(accountId, gatewayId, id);
    return before;
  }
}

function fromRow(row: Row): Dataset {
  return {
    id: row.id,
    gateway_id: row.gateway_id,
    name: row.name,
    enable: row.enable === 1,
    filters: JSON.parse(row.filters) as DatasetFilter[],
    created_at: row.created_at,
    modified_at: row.modified_at,
  };
}
