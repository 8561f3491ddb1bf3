// `aigw evals types|create|list|get|delete`: evaluations of a gateway's datasets (cost, speed, performance).
// --wait polls until the evaluation is processed, with a spinner in a terminal.
import type { Evaluation, EvaluationType } from '../../client/datasets.js';
import type { Context } from '../../context.js';
import { InterruptedError, UsageError } from '../../errors.js';
import { renderList, renderObject } from '../../io/render.js';
import { Spinner } from '../../io/spinner.js';
import { confirmAndDelete, findDataset, forItems, pick } from '../args/datasets.js';
import { type GatewayTarget, gatewayAndId, gatewayTarget } from '../args/gateway.js';
import { evaluationColumns, evaluationFields, kindOf, typeColumns } from './results.js';

const MAX_DATASETS = 5;
const FIRST_POLL_MS = 500;
const MAX_POLL_MS = 5000;

const collect = (values: string[] | undefined) =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');

async function allTypes(ctx: Context, target: GatewayTarget): Promise<EvaluationType[]> {
  return forItems(ctx, target, () => target.client.evaluations.types(target.accountId));
}

export async function typesCommand(ctx: Context) {
  const client = await ctx.client();
  const accountId = await ctx.accountId();
  const types = await client.evaluations.types(accountId);
  renderList(ctx.io, types, typeColumns, { json: ctx.json, now: ctx.now() });
}

/** The type a --type value names: its id, type or name, or one of cost, speed, performance. */
function typeFor(ctx: Context, types: EvaluationType[], wanted: string): EvaluationType {
  const w = wanted.toLowerCase();
  const found =
    types.find((t) => [t.id, t.type, t.name].some((v) => v.toLowerCase() === w)) ??
    types.find((t) => kindOf(t) === w);
  if (!found) {
    throw new UsageError(`--type: "${wanted}" is not an evaluation type of this account.`, {
      hint: `Types: ${types.map((t) => t.type).join(', ')} (${ctx.hint('evals types')} lists them).`,
    });
  }
  return found;
}

function show(ctx: Context, evaluation: Evaluation, types: EvaluationType[]) {
  renderObject(ctx.io, evaluation, evaluationFields(evaluation, types), { json: ctx.json, now: ctx.now() });
}

/** Polls until the evaluation is processed; Ctrl-C stops waiting (the evaluation goes on). */
async function waitFor(ctx: Context, target: GatewayTarget, first: Evaluation): Promise<Evaluation> {
  let evaluation = first;
  if (evaluation.processed) return evaluation;
  const spinner = new Spinner(ctx.io, `Evaluating ${evaluation.name}...`);
  if (!ctx.json) spinner.start();
  try {
    for (let delay = FIRST_POLL_MS; !evaluation.processed; delay = Math.min(delay * 2, MAX_POLL_MS)) {
      await ctx.sleep(delay, ctx.interrupted);
      if (ctx.interrupted.aborted) {
        throw new InterruptedError(
          `Stopped waiting; the evaluation goes on: ${ctx.hint(`evals get ${target.gatewayId} ${evaluation.id} --wait`)}`,
        );
      }
      const id = evaluation.id;
      evaluation = await forItems(ctx, target, () =>
        target.client.evaluations.get(target.accountId, target.gatewayId, id),
      );
    }
  } finally {
    spinner.stop();
  }
  return evaluation;
}

export async function createCommand(
  gateway: string | undefined,
  flags: { name?: string; dataset?: string[]; type?: string[]; wait?: boolean },
  ctx: Context,
) {
  const name = flags.name?.trim();
  if (!name) throw new UsageError('--name is required: the name of the evaluation.');
  const datasetRefs = collect(flags.dataset);
  if (datasetRefs.length === 0)
    throw new UsageError('--dataset is required: a dataset id or name (up to 5).');
  if (datasetRefs.length > MAX_DATASETS) {
    throw new UsageError(`An evaluation reads at most ${MAX_DATASETS} datasets, not ${datasetRefs.length}.`);
  }
  const typeRefs = collect(flags.type);
  if (typeRefs.length === 0)
    throw new UsageError('--type is required: cost, speed or performance (repeatable).');
  const target = await gatewayTarget(ctx, gateway);
  const types = await allTypes(ctx, target);
  const typeIds = typeRefs.map((ref) => typeFor(ctx, types, ref).id);
  const datasetIds: string[] = [];
  for (const ref of datasetRefs) datasetIds.push((await findDataset(ctx, target, ref)).id);
  let evaluation = await forItems(ctx, target, () =>
    target.client.evaluations.create(target.accountId, target.gatewayId, { name, datasetIds, typeIds }),
  );
  if (flags.wait) evaluation = await waitFor(ctx, target, evaluation);
  show(ctx, evaluation, types);
  ctx.io.success(`Created evaluation ${evaluation.name} in gateway ${target.gatewayId}.`);
  if (!evaluation.processed && !ctx.json && ctx.io.stderrIsTTY) {
    ctx.io.err(
      `Its results, once processed: ${ctx.hint(`evals get ${target.gatewayId} ${evaluation.id} --wait`)}`,
    );
  }
}

export async function listCommand(
  gateway: string | undefined,
  flags: { name?: string; search?: string; processed?: boolean; pending?: boolean },
  ctx: Context,
) {
  if (flags.processed && flags.pending)
    throw new UsageError('--processed and --pending cannot both be given.');
  const target = await gatewayTarget(ctx, gateway);
  const query = {
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    ...(flags.search !== undefined ? { search: flags.search } : {}),
    ...(flags.processed ? { processed: true } : flags.pending ? { processed: false } : {}),
  };
  const evaluations = await forItems(ctx, target, () =>
    target.client.evaluations.list(target.accountId, target.gatewayId, query),
  );
  const types = ctx.json ? [] : await allTypes(ctx, target);
  renderList(ctx.io, evaluations, evaluationColumns(types), { json: ctx.json, now: ctx.now() });
}

async function findEvaluation(ctx: Context, target: GatewayTarget, ref: string): Promise<Evaluation> {
  const all = await forItems(ctx, target, () =>
    target.client.evaluations.list(target.accountId, target.gatewayId),
  );
  return pick(ctx, all, ref, { kind: 'Evaluation', gatewayId: target.gatewayId, list: 'evals list' });
}

export async function getCommand(
  first: string,
  second: string | undefined,
  flags: { wait?: boolean },
  ctx: Context,
) {
  const { gateway, id: ref } = gatewayAndId(first, second);
  const target = await gatewayTarget(ctx, gateway);
  let evaluation = await findEvaluation(ctx, target, ref);
  if (flags.wait) evaluation = await waitFor(ctx, target, evaluation);
  show(ctx, evaluation, await allTypes(ctx, target));
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
      kind: 'evaluation',
      command: 'evals delete',
      question: (e: Evaluation) => `Delete evaluation ${e.name} (${e.id}) and its results?`,
      done: (e: Evaluation) => `Deleted evaluation ${e.name} and its results.`,
    },
    () => findEvaluation(ctx, target, ref),
    (id) => target.client.evaluations.delete(target.accountId, target.gatewayId, id),
  );
}
