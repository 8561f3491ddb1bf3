// Pricing rules of custom providers in the store. A rule belongs to one provider of the account and goes
// when its provider is deleted (a foreign key with ON DELETE CASCADE).
import { randomUUID } from 'node:crypto';
import type { Store } from './db.js';
import { definedOnly, escapeLike } from './sql.js';

export type ModelRule = 'equals' | 'starts-with' | 'contains';

/** What create and update send; `token_pricing` is an object on the way in. */
export interface CustomProviderCostFields {
  model: string;
  model_rule: ModelRule;
  cost_type: string;
  cost_in?: number;
  cost_out?: number;
  enable?: boolean;
  token_pricing?: Record<string, number>;
}

/** A stored rule as the API returns it: `token_pricing` is a JSON string here, as on Cloudflare. */
export interface CustomProviderCost {
  id: string;
  account_provider_id: string;
  model: string;
  model_rule: ModelRule;
  cost_type: string;
  cost_in?: number;
  cost_out?: number;
  enable: boolean;
  token_pricing?: string;
  changed_by: string;
  created_at: string;
  modified_at: string;
}

export interface CustomProviderCostFilter {
  /** Matches model or changed_by (substring). */
  search?: string;
  enable?: boolean;
  account_provider_id?: string;
  model_rule?: ModelRule;
  cost_type?: string;
}

const columns = `id, account_provider_id, model, model_rule, cost_type, cost_in, cost_out, enable, token_pricing,
  changed_by, created_at, modified_at`;

interface Row {
  id: string;
  account_provider_id: string;
  model: string;
  model_rule: ModelRule;
  cost_type: string;
  cost_in: number | null;
  cost_out: number | null;
  enable: number;
  token_pricing: string | null;
  changed_by: string;
  created_at: string;
  modified_at: string;
}

export class CustomProviderCostRepository {
  constructor(private readonly store: Store) {}

  get(accountId: string, id: string): CustomProviderCost | null {
    const row = this.store
      .statement(`SELECT ${columns} FROM custom_provider_costs WHERE account_id = ? AND id = ?`)
      .get(accountId, id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** Rules of an account, most recently modified first. */
  list(accountId: string, filter: CustomProviderCostFilter, page: { limit: number; offset: number }) {
    const { where, args } = whereClause(accountId, filter);
    const rows = this.store
      .statement(
        `SELECT ${columns} FROM custom_provider_costs WHERE ${where}
         ORDER BY modified_at DESC, id ASC LIMIT ? OFFSET ?`,
      )
      .all(...args, page.limit, page.offset) as unknown as Row[];
    return rows.map(fromRow);
  }

  count(accountId: string, filter: CustomProviderCostFilter): number {
    const { where, args } = whereClause(accountId, filter);
    const row = this.store
      .statement(`SELECT count(*) AS n FROM custom_provider_costs WHERE ${where}`)
      .get(...args) as { n: number };
    return row.n;
  }

  /** Inserts a rule for a provider of the account (the caller checks that the provider exists). */
  create(
    accountId: string,
    providerId: string,
    fields: CustomProviderCostFields,
    now: Date,
  ): CustomProviderCost {
    const stamp = now.toISOString();
    const id = randomUUID();
    this.store
      .statement(
        `INSERT INTO custom_provider_costs
           (account_id, id, account_provider_id, model, model_rule, cost_type, cost_in, cost_out, enable,
            token_pricing, changed_by, created_at, modified_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'manual', ?, ?)`,
      )
      .run(accountId, id, providerId, ...values(fields), stamp, stamp);
    return this.get(accountId, id)!;
  }

  /** Applies the given fields; the others keep their values. Returns null when there is no such rule. */
  update(
    accountId: string,
    id: string,
    changes: Partial<CustomProviderCostFields>,
    now: Date,
  ): CustomProviderCost | null {
    const before = this.get(accountId, id);
    if (!before) return null;
    const { token_pricing, ...kept } = before;
    const merged: CustomProviderCostFields = {
      ...kept,
      ...(token_pricing === undefined ? {} : { token_pricing: JSON.parse(token_pricing) }),
      ...definedOnly(changes),
    };
    this.store
      .statement(
        `UPDATE custom_provider_costs SET model = ?, model_rule = ?, cost_type = ?, cost_in = ?, cost_out = ?,
           enable = ?, token_pricing = ?, changed_by = 'manual', modified_at = ?
         WHERE account_id = ? AND id = ?`,
      )
      .run(...values(merged), now.toISOString(), accountId, id);
    return this.get(accountId, id);
  }

  /** Deletes a rule; returns what was deleted, or null. */
  delete(accountId: string, id: string): CustomProviderCost | null {
    const before = this.get(accountId, id);
    if (!before) return null;
    this.store
      .statement('DELETE FROM custom_provider_costs WHERE account_id = ? AND id = ?')
      .run(accountId, id);
    return before;
  }
}

/** The bound values, in column order, from model to token_pricing. */
function values(fields: CustomProviderCostFields) {
  return [
    fields.model,
    fields.model_rule,
    fields.cost_type,
    fields.cost_in ?? null,
    fields.cost_out ?? null,
    fields.enable === false ? 0 : 1,
    fields.token_pricing === undefined ? null : JSON.stringify(fields.token_pricing),
  ] as const;
}

function fromRow(row: Row): CustomProviderCost {
  const cost: CustomProviderCost = {
    id: row.id,
    account_provider_id: row.account_provider_id,
    model: row.model,
    model_rule: row.model_rule,
    cost_type: row.cost_type,
    enable: row.enable === 1,
    changed_by: row.changed_by,
    created_at: row.created_at,
    modified_at: row.modified_at,
  };
  if (row.cost_in !== null) cost.cost_in = row.cost_in;
  if (row.cost_out !== null) cost.cost_out = row.cost_out;
  if (row.token_pricing !== null) cost.token_pricing = row.token_pricing;
  return cost;
}

function whereClause(accountId: string, filter: CustomProviderCostFilter) {
  let where = 'account_id = ?';
  const args: (string | number)[] = [accountId];
  if (filter.search) {
    const pattern = `%${escapeLike(filter.search)}%`;
    where += ` AND (model LIKE ? ESCAPE '\\' OR changed_by LIKE ? ESCAPE '\\')`;
    args.push(pattern, pattern);
  }
  const exact: [string, string | number | undefined][] = [
    ['enable', filter.enable === undefined ? undefined : filter.enable ? 1 : 0],
    ['account_provider_id', filter.account_provider_id],
    ['model_rule', filter.model_rule],
    ['cost_type', filter.cost_type],
  ];
  for (const [column, value] of exact) {
    if (value === undefined) continue;
    where += ` AND ${column} = ?`;
    args.push(value);
  }
  return { where, args };
}
