// `aigw routes test [gateway] <route> --meta k=v`: which model a request with that metadata would reach through
// the deployed flow, and where it would fall back, without calling anything. The walk is the local gateway's
// own (src/flow); percentage splits show each branch with its share, and limits are taken as not reached.
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { RequestFacts } from '../../flow/conditions.js';
import { flowOf } from '../../flow/elements.js';
import { outcomes } from '../../flow/walk.js';
import { renderJson } from '../../io/render.js';
import { gatewayAndId, gatewayTarget } from '../args/gateway.js';
import { findRoute } from './common.js';

/** `plan=paid`, `tier=3` (a number), `beta=true` (a boolean), as cf-aig-metadata would carry them. */
function parseMeta(pairs: string[]): RequestFacts['metadata'] {
  const out: Record<string, string | number | boolean> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--meta ${pair}: expected key=value.`);
    const raw = pair.slice(eq + 1);
    out[pair.slice(0, eq)] =
      raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
  return out;
}

interface Reach {
  share: number;
  model: string | null;
  element: string | null;
  path: string[];
  fallbacks: string[];
  end?: string;
}

export async function testCommand(
  first: string,
  second: string | undefined,
  flags: { meta?: string[] },
  ctx: Context,
): Promise<void> {
  const { gateway, id: name } = gatewayAndId(first, second);
  const facts: RequestFacts = { metadata: parseMeta(flags.meta ?? []) };
  const target = await gatewayTarget(ctx, gateway);
  const route = await findRoute(ctx, target, name);
  const flow = flowOf(route.elements);
  const reaches: Reach[] = outcomes(flow, flow.start?.id ?? '', facts).map(({ share, stop }) => {
    const path = stop.turns.map((t) => `${t.elementId}:${t.output}`);
    if (stop.kind !== 'model') {
      return {
        share,
        model: null,
        element: null,
        path,
        fallbacks: [],
        end: stop.kind === 'end' ? 'end' : stop.message,
      };
    }
    // Where it goes when that model fails, and when the next one fails too.
    const fallbacks: string[] = [];
    let from = stop.element.outputs.fallback.elementId;
    for (let i = 0; i < flow.elements.size; i++) {
      const next = outcomes(flow, from, facts)[0]?.stop;
      if (next?.kind !== 'model') break;
      fallbacks.push(`${next.element.properties.provider}/${next.element.properties.model}`);
      from = next.element.outputs.fallback.elementId;
    }
    const { provider, model } = stop.element.properties;
    return { share, model: `${provider}/${model}`, element: stop.element.id, path, fallbacks };
  });
  if (ctx.json) {
    renderJson(ctx.io, { route: route.name, metadata: facts.metadata, reaches });
    return;
  }
  for (const r of reaches) {
    const share =
      reaches.length > 1 ? `${(r.share * 100).toFixed((r.share * 100) % 1 === 0 ? 0 : 1)}%  ` : '';
    const head = r.model ?? `no model (${r.end})`;
    ctx.io.out(`${share}${head}`);
    ctx.io.out(`  via ${r.path.join(' → ')}`);
    if (r.fallbacks.length > 0) ctx.io.out(`  falls back to ${r.fallbacks.join(', then ')}`);
  }
}
