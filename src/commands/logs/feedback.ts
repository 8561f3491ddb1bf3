// `aigw logs feedback [gateway] <id> --up|--down|--score N|--meta k=v`: rates a log (the API's PATCH).
import type { LogFeedback } from '../../client/logs.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { renderJson } from '../../io/render.js';
import { gatewayAndId, gatewayTarget } from '../args/gateway.js';
import { metaPair } from '../args/log-filters.js';
import { forLogs } from './common.js';

interface FeedbackFlags {
  up?: boolean;
  down?: boolean;
  clear?: boolean;
  score?: string;
  meta?: string[];
}

/** The PATCH body the flags ask for; a usage error when they ask for nothing or contradict each other. */
function feedbackBody(flags: FeedbackFlags): LogFeedback {
  const votes = [flags.up, flags.down, flags.clear].filter(Boolean).length;
  if (votes > 1) throw new UsageError('Give one of --up, --down and --clear.');
  const body: LogFeedback = {};
  if (flags.up) body.feedback = 1;
  if (flags.down) body.feedback = -1;
  if (flags.clear) body.feedback = 0;
  if (flags.score !== undefined) {
    const score = Number(flags.score);
    if (flags.score.trim() === '' || !Number.isFinite(score) || score < 0 || score > 100) {
      throw new UsageError(`--score: "${flags.score}" is not a number from 0 to 100.`);
    }
    body.score = score;
  }
  if (flags.meta && flags.meta.length > 0) {
    body.metadata = Object.fromEntries(flags.meta.map(metaPair));
  }
  if (Object.keys(body).length === 0) {
    throw new UsageError('Nothing to record.', {
      hint: 'Give --up, --down, --clear, --score <0-100> or --meta key=value.',
    });
  }
  return body;
}

export async function feedbackCommand(
  first: string,
  second: string | undefined,
  flags: FeedbackFlags,
  ctx: Context,
): Promise<void> {
  const body = feedbackBody(flags);
  const { gateway, id } = gatewayAndId(first, second);
  const target = await gatewayTarget(ctx, gateway);
  const { accountId, gatewayId, client } = target;
  if (body.metadata) {
    // The API replaces a log's metadata with what it is sent: the entries --meta does not name stay.
    const log = await forLogs(ctx, target, id, () => client.logs.get(accountId, gatewayId, id));
    body.metadata = { ...metadataOf(log.metadata), ...body.metadata };
  }
  await forLogs(ctx, target, id, () => client.logs.patch(accountId, gatewayId, id, body));
  if (ctx.json) renderJson(ctx.io, { id, gateway: gatewayId, ...body });
  else if (!ctx.io.stdoutIsTTY) ctx.io.out(id);
  const what = [
    body.feedback === 1
      ? 'thumbs up'
      : body.feedback === -1
        ? 'thumbs down'
        : body.feedback === 0
          ? 'no rating'
          : '',
    body.score !== undefined ? `score ${body.score}` : '',
    body.metadata ? `metadata ${Object.keys(body.metadata).join(', ')}` : '',
  ].filter(Boolean);
  ctx.io.success(`Recorded ${what.join(', ')} on log ${id}.`);
}

/** A log's metadata as the API gives it (an object's JSON text, or the object): its entries, or none. */
function metadataOf(metadata: unknown): Record<string, string | number | boolean> {
  let value = metadata;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return {};
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string | number | boolean] =>
      ['string', 'number', 'boolean'].includes(typeof entry[1]),
    ),
  );
}
