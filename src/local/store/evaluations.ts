// A gateway's evaluations in the store. An evaluation is created unprocessed, with one pending result per
// evaluation type; once its logs are read (evaluate.ts in ../control-plane) it is completed with its results.
// It keeps copies of its datasets as they were when it was created, and the time bounding the logs it reads.
import { randomUUID } from 'node:crypto';
import type { Dataset } from './datasets.js';
import type { Store } from './db.js';
import { countItems, type ItemQuery, type ItemTable, listItems } from './gateway-items.js';

/** A dataset as an evaluation embeds it (aig_EvaluationDataset). */
interface EvaluationDataset extends Dataset {
  account_id: string;
  account_tag: string;
}

/** One evaluation type's result (aig_EvaluationResult); `result` is a number written as text, or ''. */
export interface EvaluationResult {
  id: string;
  evaluation_id: string;
  evaluation_type_id: string;
  result: string;
  status: number;
  status_description: string;
  total_logs: number;
  created_at: string;
  modified_at: string;
}

/** An evaluation as the API returns it (aig_Evaluation). */
export interface Evaluation {
  id: string;
  gateway_id: string;
  name: string;
  created_at: string;
  modified_at: string;
  datasets: EvaluationDataset[];
  results: EvaluationResult[];
  processed: boolean;
  total_logs: number;
}

/** What computing an evaluation needs: its datasets and types, and the newest log time it reads. */
export interface EvaluationWork {
  datasets: EvaluationDataset[];
  typeIds: string[];
  untilMs: number;
}

/** What a result says before the evaluation is processed. */
const pendingStatus = { status: 0, status_description: 'In progress' } as const;

interface Row {
  id: string;
  gateway_id: string;
  name: string;
  datasets: string;
  until_ms: number;
  processed: number;
  total_logs: number;
  results: string;
  created_at: string;
  modified_at: string;
}

const table: ItemTable = {
  table: 'evaluations',
  columns:
    'id, gateway_id, name, datasets, until_ms, processed, total_logs, results, created_at, modified_at',
  flagColumn: 'processed',
  searchColumns: ['id', 'name'],
};

export class EvaluationRepository {
  constructor(private readonly store: Store) {}

  get(accountId: string, gatewayId: string, id: string): Evaluation | null {
    const row = this.row(accountId, gatewayId, id);
    return row ? fromRow(row) : null;
  }

  /** What computing a stored evaluation needs, or null when there is no such evaluation. */
  work(accountId: string, gatewayId: string, id: string): EvaluationWork | null {
    const row = this.row(accountId, gatewayId, id);
    if (!row) return null;
    const evaluation = fromRow(row);
    return {
      datasets: evaluation.datasets,
      typeIds: evaluation.results.map((r) => r.evaluation_type_id),
      untilMs: row.until_ms,
    };
  }

  /** A gateway's evaluations, newest first; `flag` is processed, and `search` reads the id and name. */
  list(accountId: string, gatewayId: string, query: ItemQuery, page: { limit: number; offset: number }) {
    return listItems<Row>(this.store, table, accountId, gatewayId, query, page).map(fromRow);
  }

  count(accountId: string, gatewayId: string, query: ItemQuery): number {
    return countItems(this.store, table, accountId, gatewayId, query);
  }

  /** A new, unprocessed evaluation of the logs written up to `now`, with a pending result per type. */
  create(
    accountId: string,
    gatewayId: string,
    fields: { name: string; datasets: Dataset[]; typeIds: string[] },
    now: Date,
  ): Evaluation {
    const stamp = now.toISOString();
    const id = randomUUID();
    const datasets: EvaluationDataset[] = fields.datasets.map((d) => ({
      ...d,
      account_id: accountId,
      account_tag: accountId,
    }));
    const results: EvaluationResult[] = fields.typeIds.map((typeId) => ({
      id: randomUUID(),
      evaluation_id: id,
      evaluation_type_id: typeId,
      result: '',
      ...pendingStatus,
      total_logs: 0,
      created_at: stamp,
      modified_at: stamp,
    }));
    this.store
      .statement(
        `INSERT INTO evaluations (account_id, gateway_id, id, name, datasets, until_ms, results, created_at,
           modified_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        accountId,
        gatewayId,
        id,
        fields.name,
        JSON.stringify(datasets),
        now.getTime(),
        JSON.stringify(results),
        stamp,
        stamp,
      );
    return this.get(accountId, gatewayId, id)!;
  }

  /** Marks an evaluation processed with its results (by type id); false when it is gone meanwhile. */
  complete(
    accountId: string,
    gatewayId: string,
    id: string,
    outcome: {
      totalLogs: number;
      results: Map<string, Pick<EvaluationResult, 'result' | 'status' | 'status_description' | 'total_logs'>>;
    },
    now: Date,
  ): boolean {
    const before = this.get(accountId, gatewayId, id);
    if (!before) return false;
    const stamp = now.toISOString();
    const results = before.results.map((r) => ({
      ...r,
      ...outcome.results.get(r.evaluation_type_id),
      modified_at: stamp,
    }));
    const changed = this.store
      .statement(
        `UPDATE evaluations SET processed = 1, total_logs = ?, results = ?, modified_at = ?
         WHERE account_id = ? AND gateway_id = ? AND id = ? AND processed = 0`,
      )
      .run(outcome.totalLogs, JSON.stringify(results), stamp, accountId, gatewayId, id).changes;
    return Number(changed) > 0;
  }

  /** Deletes an evaluation and its results; returns what was deleted, or null. */
  delete(accountId: string, gatewayId: string, id: string): Evaluation | null {
    const before = this.get(accountId, gatewayId, id);
    if (!before) return null;
    this.store
      .statement('DELETE FROM evaluations WHERE account_id = ? AND gateway_id = ? AND id = ?')
      .run(accountId, gatewayId, id);
    return before;
  }

  private row(accountId: string, gatewayId: string, id: string): Row | undefined {
    return this.store
      .statement(
        `SELECT ${table.columns} FROM evaluations WHERE account_id = ? AND gateway_id = ? AND id = ?`,
      )
      .get(accountId, gatewayId, id) as Row | undefined;
  }
}

function fromRow(row: Row): Evaluation {
  return {
    id: row.id,
    gateway_id: row.gateway_id,
    name: row.name,
    created_at: row.created_at,
    modified_at: row.modified_at,
    datasets: JSON.parse(row.datasets) as EvaluationDataset[],
    results: JSON.parse(row.results) as EvaluationResult[],
    processed: row.processed === 1,
    total_logs: row.total_logs,
  };
}
