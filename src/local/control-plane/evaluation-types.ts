// The evaluation types the local gateway offers, as Cloudflare documents its evaluators
// (https://developers.cloudflare.com/ai-gateway/evaluations/set-up-evaluations/), and what each makes of the logs:
// - cost: the average cost of the logs with cost data (USD);
// - speed: the average duration of the logs (ms);
// - performance (human feedback): the share of thumbs up among the logs rated up or down (percent).
// Each result is that number written as text, with the count of logs it was computed from; with no such log it
// is '' with status 2 and a description saying why. Ids, names, status codes and the number formats are local
// choices (Cloudflare documents none of them); GET /evaluation-types is where clients find the ids.
import type { LogTotals } from '../store/logs/totals.js';

export interface EvaluationType {
  id: string;
  name: string;
  type: string;
  description: string;
  mandatory: boolean;
  enable: boolean;
  created_at: string;
  modified_at: string;
}

/** When the evaluators were announced; the types never change. */
const since = '2024-10-01T00:00:00.000Z';

export const evaluationTypes: readonly EvaluationType[] = [
  {
    id: 'cost',
    name: 'Cost',
    type: 'cost',
    description:
      'Average cost of the inference requests in the datasets (only requests with cost data), in USD.',
    mandatory: true,
    enable: true,
    created_at: since,
    modified_at: since,
  },
  {
    id: 'speed',
    name: 'Speed',
    type: 'speed',
    description: 'Average duration of the inference requests in the datasets, in milliseconds.',
    mandatory: true,
    enable: true,
    created_at: since,
    modified_at: since,
  },
  {
    id: 'performance',
    name: 'Human feedback',
    type: 'performance',
    description: 'Percentage of thumbs up among the requests in the datasets rated with a thumbs up or down.',
    mandatory: false,
    enable: true,
    created_at: since,
    modified_at: since,
  },
];

const resultStatus = {
  completed: { status: 1, status_description: 'Completed' },
  noData: 2,
} as const;

export interface TypeResult {
  result: string;
  status: number;
  status_description: string;
  total_logs: number;
}

/** One type's result over the evaluation's logs. */
export function typeResult(typeId: string, totals: LogTotals): TypeResult {
  switch (typeId) {
    case 'cost':
      return average(
        totals.costSum,
        totals.costLogs,
        (n) => String(n),
        'No log in the datasets has cost data',
      );
    case 'speed':
      return average(totals.durationSum, totals.logs, round2, 'No logs in the datasets');
    case 'performance': {
      const rated = totals.thumbsUp + totals.thumbsDown;
      return average(
        totals.thumbsUp * 100,
        rated,
        round2,
        'No log in the datasets has feedback (a thumbs up or down)',
      );
    }
    default:
      throw new Error(`unknown evaluation type ${typeId}`);
  }
}

function average(sum: number, count: number, format: (n: number) => string, none: string): TypeResult {
  if (count === 0) {
    return { result: '', status: resultStatus.noData, status_description: none, total_logs: 0 };
  }
  return { result: format(sum / count), ...resultStatus.completed, total_logs: count };
}

function round2(n: number): string {
  return String(Math.round(n * 100) / 100);
}
