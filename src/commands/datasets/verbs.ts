// `aigw datasets create|list|get|update|delete`: a gateway's datasets (saved log filters that evaluations read).
import type { Dataset, DatasetFields } from '../../client/datasets.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { type Column, renderList, renderObject } from '../../io/render.js';
import { confirmAndDelete, findDataset, forItems } from '../args/datasets.js';
import { gatewayAndId, gatewayTarget } from '../args/gateway.js';
import type { FilterFlags } from '../args/log-filter-options.js';
import { datasetFilters, filtersText, hasFilterFlags } from './filters.js';

export interface DatasetFlags extends FilterFlags {
  name?: string;
  enable?: boolean;
  disable?: boolean;
}

const columns: Column<Dataset>[] = [
  { header: 'ID', value: (d) => d.id },
  { header: 'NAME', value: (d) => d.name },
  { header: 'ENABLED', value: (d) => d.enable },
  { header: 'FILTERS', value: filtersText },
  { header: 'CREATED', value: (d) => d.created_at, time: true },
];

const fields: Column<Dataset>[] = [
  { header: 'ID', value: (d) => d.id },
  { header: 'Name', value: (d) => d.name },
  { header: 'Gateway', value: (d) => d.gateway_id },
  { header: 'Enabled', value: (d) => d.enable },
  { header: 'Filters', value: filtersText },
  { header: 'Created', value: (d) => d.created_at, time: true },
  { header: 'Modified', value: (d) => d.modified_at, time: true },
];

function show(ctx: Context, dataset: Dataset): void {
  renderObject(ctx.io, dataset, fields, { json: ctx.json, now: ctx.now() });
}

/** `--enable` / `--disable`: undefined when neither is given. */
function enableFlag(flags: DatasetFlags): boolean | undefined {
  if (flags.enable && flags.disable) throw new UsageError('--enable and --disable cannot both be given.');
  return flags.enable ? true : flags.disable ? false : undefined;
}

export async function createCommand(gateway: string | undefined, flags: DatasetFlags, ctx: Context) {
  const name = flags.name?.trim();
  if (!name) throw new UsageError('--name is required: the name of the dataset.');
  const filters = datasetFilters(flags, ctx.now());
  const enable = enableFlag(flags) ?? true;
  const target = await gatewayTarget(ctx, gateway);
  const created = await forItems(ctx, target, () =>
    target.client.datasets.create(target.accountId, target.gatewayId, { name, enable, filters }),
  );
  show(ctx, created);
  ctx.io.success(`Created dataset ${name} in gateway ${target.gatewayId}.`);
}

export async function listCommand(
  gateway: string | undefined,
  flags: { name?: string; search?: string; enabled?: boolean; disabled?: boolean },
  ctx: Context,
) {
  if (flags.enabled && flags.disabled) throw new UsageError('--enabled and --disabled cannot both be given.');
  const target = await gatewayTarget(ctx, gateway);
  const query = {
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    ...(flags.search !== undefined ? { search: flags.search } : {}),
    ...(flags.enabled ? { enable: true } : flags.disabled ? { enable: false } : {}),
  };
  const datasets = await forItems(ctx, target, () =>
    target.client.datasets.list(target.accountId, target.gatewayId, query),
  );
  renderList(ctx.io, datasets, columns, { json: ctx.json, now: ctx.now() });
  if (datasets.length === 0 && !ctx.json && ctx.io.stderrIsTTY) {
    ctx.io.err(
      `No datasets in gateway ${target.gatewayId}. Make one with: ${ctx.hint(`datasets create ${target.gatewayId} --name errors --status error`)}`,
    );
  }
}

export async function getCommand(first: string, second: string | undefined, ctx: Context) {
  const { gateway, id: ref } = gatewayAndId(first, second);
  const target = await gatewayTarget(ctx, gateway);
  show(ctx, await findDataset(ctx, target, ref));
}

export async function updateCommand(
  first: string,
  second: string | undefined,
  flags: DatasetFlags,
  ctx: Context,
) {
  const { gateway, id: ref } = gatewayAndId(first, second);
  const enable = enableFlag(flags);
  const filters = hasFilterFlags(flags) ? datasetFilters(flags, ctx.now()) : undefined;
  if (flags.name === undefined && enable === undefined && filters === undefined) {
    throw new UsageError('Nothing to change: give --name, --enable or --disable, or filter flags.', {
      hint: "Filter flags replace the dataset's filters.",
    });
  }
  if (flags.name !== undefined && flags.name.trim() === '')
    throw new UsageError('--name: the name is empty.');
  const target = await gatewayTarget(ctx, gateway);
  const current = await findDataset(ctx, target, ref);
  const next: DatasetFields = {
    name: flags.name?.trim() ?? current.name,
    enable: enable ?? current.enable,
    filters: filters ?? current.filters,
  };
  const updated = await forItems(ctx, target, () =>
    target.client.datasets.replace(target.accountId, target.gatewayId, current.id, next),
  );
  show(ctx, updated);
  ctx.io.success(`Updated dataset ${updated.name}.`);
}

export async function deleteCommand(
  first: string,
  second: string | undefined,
  flags: { yes?: boolean },
  ctx: Context,
) {
  const { gateway, id: ref } = gatewayAndId(first, second);
  const target = await gatewayTarget(ctx, gateway);
  await confirmAndDelete(
    ctx,
    target,
    ref,
    flags,
    {
      kind: 'dataset',
      command: 'datasets delete',
      question: (d: Dataset) =>
        `Delete dataset ${d.name} (${d.id}) of gateway ${target.gatewayId}? Its logs stay.`,
      done: (d: Dataset) => `Deleted dataset ${d.name}; its logs stay.`,
    },
    () => findDataset(ctx, target, ref),
    (id) => target.client.datasets.delete(target.accountId, target.gatewayId, id),
  );
}
