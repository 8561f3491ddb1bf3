// What the logs verbs share: which gateway (the argument, or the profile's default), the account and the
// client, and not-found errors that name the gateway or the log.
import type { AigwClient } from '../../client/index.js';
import type { Context } from '../../context.js';
import { NotFoundError } from '../../errors.js';
import { resolveGateway } from '../args/gateway.js';
import { forGateway } from '../gateway/common.js';

export interface LogsTarget {
  accountId: string;
  gatewayId: string;
  client: AigwClient;
}

export async function logsTarget(ctx: Context, gateway: string | undefined): Promise<LogsTarget> {
  const gatewayId = await resolveGateway(ctx, gateway);
  const accountId = await ctx.accountId();
  return { accountId, gatewayId, client: await ctx.client() };
}

/** `[gateway] <id>`: one positional is the log id, two are the gateway and the id. */
export function gatewayAndId(first: string, second: string | undefined): { gateway?: string; id: string } {
  return second === undefined ? { id: first } : { gateway: first, id: second };
}

/** Runs `what`; a 404 becomes a message naming the log (when one is asked for) or else the gateway. */
export async function forLogs<T>(
  ctx: Context,
  target: LogsTarget,
  logId: string | undefined,
  what: () => Promise<T>,
): Promise<T> {
  const { accountId, gatewayId, client } = target;
  try {
    return await what();
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    // The same 404 answers an unknown gateway and an unknown log: only the gateway's own GET tells.
    if (logId !== undefined && (await gatewayFound(client, accountId, gatewayId))) {
      const local = (await ctx.target()).local ? ' (local gateway)' : '';
      throw new NotFoundError(
        err.status,
        err.errors,
        `Log ${logId} was not found in gateway ${gatewayId}${local}.`,
        `List its logs with: ${ctx.hint(`logs ${gatewayId}`)}`,
      );
    }
    return forGateway(ctx, accountId, gatewayId, () => Promise.reject(err));
  }
}

async function gatewayFound(client: AigwClient, accountId: string, gatewayId: string): Promise<boolean> {
  try {
    await client.gateways.get(accountId, gatewayId);
    return true;
  } catch (err) {
    if (err instanceof NotFoundError) return false;
    throw err;
  }
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
