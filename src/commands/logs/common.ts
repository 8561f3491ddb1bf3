// What the logs verbs share: which gateway (the argument, or the profile's default), the account and the
// client, and not-found errors that name the gateway or the log.
import type { Context } from '../../context.js';
import { NotFoundError } from '../../errors.js';
import { forGatewayItem, type GatewayTarget } from '../args/gateway.js';

/** Runs `what`; a 404 becomes a message naming the log (when one is asked for) or else the gateway. */
export function forLogs<T>(
  ctx: Context,
  target: GatewayTarget,
  logId: string | undefined,
  what: () => Promise<T>,
): Promise<T> {
  const item = { name: `Log ${logId}`, plural: 'logs', list: `logs ${target.gatewayId}` };
  return forGatewayItem(ctx, target, what, logId === undefined ? undefined : item);
}

/** A stored request or response body, or null when the log kept none (the API answers 404 then). */
export async function storedBody(read: () => Promise<unknown>): Promise<unknown> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}
