// `aigw logs export [gateway] [filters] --format jsonl|csv [-o file] [--bodies]`: every matching log, written
// page by page as it arrives (memory stays flat however many logs there are), with a progress bar on stderr
// in a terminal.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Log } from '../../client/logs.js';
import type { Context } from '../../context.js';
import { AigwError, UsageError } from '../../errors.js';
import { Progress } from '../../io/progress.js';
import { type GatewayTarget, gatewayTarget } from '../args/gateway.js';
import type { FilterFlags } from '../args/log-filter-options.js';
import { compileFilters, parseSort } from '../args/log-filters.js';
import { forLogs, storedBody } from './common.js';
import { parseLimit } from './filter.js';

interface ExportFlags extends FilterFlags {
  format?: string;
  output?: string;
  bodies?: boolean;
  limit?: string;
  sort?: string;
}

/** The CSV columns: every field of a log the list returns. */
const csvFields = [
  'id',
  'created_at',
  'provider',
  'model',
  'model_type',
  'path',
  'status_code',
  'success',
  'cached',
  'duration',
  'tokens_in',
  'tokens_out',
  'cost',
  'custom_cost',
  'metadata',
  'step',
  'request_type',
  'request_content_type',
  'response_content_type',
] as const;

type Row = Log & { request?: unknown; response?: unknown };

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvHeader(bodies: boolean): string {
  return [...csvFields, ...(bodies ? ['request', 'response'] : [])].join(',');
}

function csvRow(row: Row, bodies: boolean): string {
  const fields: unknown[] = csvFields.map((f) => row[f]);
  if (bodies) fields.push(row.request, row.response);
  return fields.map(csvField).join(',');
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

export async function exportCommand(gateway: string | undefined, flags: ExportFlags, ctx: Context) {
  const format = (flags.format ?? 'jsonl').toLowerCase();
  if (format !== 'jsonl' && format !== 'csv') {
    throw new UsageError(`--format: "${flags.format}" is not jsonl or csv.`);
  }
  const compiled = compileFilters(flags, ctx.now());
  const sort = parseSort(flags.sort);
  const limit = parseLimit(flags.limit, 0);
  const target = await gatewayTarget(ctx, gateway);
  const { accountId, gatewayId, client } = target;
  const toFile = flags.output !== undefined && flags.output !== '-';
  const out: Writable = toFile
    ? createWriteStream(resolve(ctx.cwd, flags.output!), { mode: 0o600 })
    : ctx.io.stdout;
  if (toFile)
    await once(out, 'open').catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`-o: cannot write ${flags.output}: ${err.code ?? err.message}.`);
    });
  // The bar would mix with the data when both go to the same terminal.
  const progress = new Progress(ctx.io, `Exporting ${gatewayId}`, () => ctx.now().getTime());
  const showProgress = progress.visible && (toFile || !ctx.io.stdoutIsTTY);
  let exported = 0;
  try {
    if (format === 'csv') await write(out, `${csvHeader(flags.bodies === true)}\n`);
    await forLogs(ctx, target, undefined, async () => {
      const onTotal = (total: number | undefined) =>
        progress.setTotal(limit > 0 ? Math.min(limit, total ?? limit) : total);
      const logs = client.logs.list(accountId, gatewayId, { ...compiled, ...sort }, { limit, onTotal });
      for await (const log of logs) {
        const row: Row = flags.bodies ? { ...log, ...(await bodiesOf(target, log.id)) } : log;
        await write(
          out,
          format === 'csv' ? `${csvRow(row, flags.bodies === true)}\n` : `${JSON.stringify(row)}\n`,
        );
        exported++;
        if (showProgress) progress.advance();
      }
    });
  } catch (err) {
    if (toFile && err instanceof AigwError) {
      const note = `${flags.output} holds only the first ${exported} logs.`;
      err.hint = err.hint ? `${err.hint}\n${note}` : note;
    }
    throw err;
  } finally {
    progress.finish();
    if (toFile) {
      out.end();
      await once(out, 'close');
    }
  }
  ctx.io.success(
    `Exported ${exported} log${exported === 1 ? '' : 's'} of gateway ${gatewayId}${toFile ? ` to ${flags.output}` : ''}.`,
  );
}

/** A log's stored bodies; a log kept without its payload has none. */
async function bodiesOf(target: GatewayTarget, id: string) {
  const { accountId, gatewayId, client } = target;
  return {
    request: await storedBody(() => client.logs.requestBody(accountId, gatewayId, id)),
    response: await storedBody(() => client.logs.responseBody(accountId, gatewayId, id)),
  };
}
