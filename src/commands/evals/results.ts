// How evaluations read: each result by its evaluation type (cost as dollars, speed as time, performance as the
// share of thumbs up), with the count of logs it comes from, or the reason there is none.
import type { Evaluation, EvaluationType } from '../../client/datasets.js';
import { formatCost, formatMs } from '../../io/numbers.js';
import type { Column } from '../../io/render.js';

type Result = Evaluation['results'][number];
type Kind = 'cost' | 'speed' | 'performance';

/** Which of Cloudflare's evaluators a type is, by its type, name or id. */
export function kindOf(type: Pick<EvaluationType, 'id' | 'name' | 'type'>): Kind | undefined {
  const words = [type.type, type.name, type.id].map((w) => w.toLowerCase());
  if (words.some((w) => w.includes('cost'))) return 'cost';
  if (words.some((w) => w.includes('speed') || w.includes('latency') || w.includes('duration')))
    return 'speed';
  if (words.some((w) => w.includes('performance') || w.includes('feedback'))) return 'performance';
  return undefined;
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** One result as people read it: "$0.0012 average over 3 logs", "67% thumbs up (3 rated logs)". */
function resultText(result: Result, type: EvaluationType | undefined): string {
  const value = Number(result.result);
  if (result.result === '' || !Number.isFinite(value)) return result.status_description || 'no result';
  const kind = type && kindOf(type);
  if (kind === 'cost') return `${formatCost(value)} average over ${plural(result.total_logs, 'log')}`;
  if (kind === 'speed')
    return `${formatMs(Math.round(value))} average over ${plural(result.total_logs, 'log')}`;
  if (kind === 'performance') return `${value}% thumbs up (${plural(result.total_logs, 'rated log')})`;
  return `${result.result} (${plural(result.total_logs, 'log')})`;
}

function typeLabel(result: Result, types: EvaluationType[]): [string, EvaluationType | undefined] {
  const type = types.find((t) => t.id === result.evaluation_type_id);
  return [type?.name ?? result.evaluation_type_id, type];
}

/** The results in a line: "Cost: $0.0012 average over 3 logs; Speed: ...". */
function resultsLine(evaluation: Evaluation, types: EvaluationType[]): string {
  if (!evaluation.processed) return 'in progress';
  return evaluation.results
    .map((r) => {
      const [label, type] = typeLabel(r, types);
      return `${label}: ${resultText(r, type)}`;
    })
    .join('; ');
}

const datasetNames = (e: Evaluation) => e.datasets.map((d) => d.name).join(', ');

export function evaluationColumns(types: EvaluationType[]): Column<Evaluation>[] {
  return [
    { header: 'ID', value: (e) => e.id },
    { header: 'NAME', value: (e) => e.name },
    { header: 'PROCESSED', value: (e) => e.processed },
    { header: 'LOGS', value: (e) => e.total_logs },
    { header: 'DATASETS', value: datasetNames },
    { header: 'RESULTS', value: (e) => resultsLine(e, types) },
    { header: 'CREATED', value: (e) => e.created_at, time: true },
  ];
}

/** The fields of one evaluation: one line per result, named by its evaluation type. */
export function evaluationFields(evaluation: Evaluation, types: EvaluationType[]): Column<Evaluation>[] {
  const results: Column<Evaluation>[] = evaluation.results.map((r, i) => {
    const [label, type] = typeLabel(r, types);
    return {
      header: label,
      value: (e) => (e.processed ? resultText(e.results[i]!, type) : e.results[i]!.status_description),
    };
  });
  return [
    { header: 'ID', value: (e) => e.id },
    { header: 'Name', value: (e) => e.name },
    { header: 'Gateway', value: (e) => e.gateway_id },
    { header: 'Datasets', value: datasetNames },
    { header: 'Processed', value: (e) => e.processed },
    { header: 'Logs', value: (e) => e.total_logs },
    ...results,
    { header: 'Created', value: (e) => e.created_at, time: true },
  ];
}

export const typeColumns: Column<EvaluationType>[] = [
  { header: 'ID', value: (t) => t.id },
  { header: 'TYPE', value: (t) => t.type },
  { header: 'NAME', value: (t) => t.name },
  { header: 'MANDATORY', value: (t) => t.mandatory },
  { header: 'ENABLED', value: (t) => t.enable },
  { header: 'DESCRIPTION', value: (t) => t.description },
];
