// The human filter flags of `aigw logs` for a dataset: compiled as for the logs, then held to what a dataset
// takes (aig_DatasetFilter: fewer keys, no neq, and, as Cloudflare documents, one value per filter). A flag
// that does not apply is refused, saying which do.
import type { Dataset } from '../../client/datasets.js';
import { UsageError } from '../../errors.js';
import { type DatasetFilter, datasetFilterKeys, datasetFilterOperators } from '../../log-filters.js';
import type { FilterFlags } from '../args/log-filter-options.js';
import { compileFilters } from '../args/log-filters.js';

const applies =
  'Datasets take --status error|success, --provider, --model, --cached, --no-cached, --since, --until, ' +
  '--min-cost, --max-cost, --min-duration, --min-tokens, --feedback, and --filter with the keys ' +
  `${datasetFilterKeys.join(', ')} and the operators ${datasetFilterOperators.join(', ')}.`;

const filterFlagNames: (keyof FilterFlags)[] = [
  'status',
  'provider',
  'model',
  'cached',
  'since',
  'until',
  'minCost',
  'maxCost',
  'minDuration',
  'minTokens',
  'meta',
  'eventId',
  'feedback',
  'search',
  'filter',
];

/** Whether any filter flag was given (an update then replaces the dataset's filters). */
export function hasFilterFlags(flags: FilterFlags): boolean {
  return filterFlagNames.some((name) => flags[name] !== undefined);
}

export function datasetFilters(flags: FilterFlags, now: Date): DatasetFilter[] {
  const notForDatasets: [string, unknown][] = [
    ['--meta', flags.meta?.length ? flags.meta : undefined],
    ['--event-id', flags.eventId],
    ['--search', flags.search],
  ];
  for (const [flag, value] of notForDatasets) {
    if (value !== undefined) throw new UsageError(`${flag} does not apply to datasets.`, { hint: applies });
  }
  const compiled = compileFilters(flags, now);
  if (compiled.localOnly.length > 0) {
    throw new UsageError(
      `${compiled.localOnly[0]} does not apply to datasets: they tell errors from successes only.`,
      {
        hint: 'Use --status error or --status success.',
      },
    );
  }
  return compiled.filters.map((filter) => {
    const key = filter.key as DatasetFilter['key'];
    if (!datasetFilterKeys.includes(key)) {
      throw new UsageError(`Datasets cannot filter on ${filter.key}.`, { hint: applies });
    }
    if (!datasetFilterOperators.includes(filter.operator as DatasetFilter['operator'])) {
      throw new UsageError(
        `Datasets have no ${filter.operator} operator (${filter.key}:${filter.operator}).`,
        {
          hint: applies,
        },
      );
    }
    if (filter.value.length !== 1) {
      throw new UsageError(
        `A dataset filter takes one value: ${filter.key} has ${filter.value.length} (${filter.value.join(', ')}).`,
        { hint: "Cloudflare joins a dataset's filters with AND: make one dataset per value." },
      );
    }
    if (filter.value[0] === null) throw new UsageError(`A dataset filter has no null value (${filter.key}).`);
    return filter as DatasetFilter;
  });
}

const signs: Record<DatasetFilter['operator'], string> = { eq: '=', contains: 'contains', lt: '<', gt: '>' };

/** A dataset's filters as people read them: `success = false, provider = openai`; `all logs` when none. */
export function filtersText(dataset: Pick<Dataset, 'filters'>): string {
  if (dataset.filters.length === 0) return 'all logs';
  return dataset.filters
    .map((f) => `${f.key} ${signs[f.operator] ?? f.operator} ${f.value.map((v) => String(v)).join(' | ')}`)
    .join(', ');
}
