// The filter flags of every verb that selects logs (logs filter, tail, delete, export; datasets create, update).
// Declarations only: log-filters.ts turns them into API filters when a verb runs.
import type { Command } from 'commander';

export interface FilterFlags {
  status?: string;
  provider?: string;
  model?: string;
  cached?: boolean;
  since?: string;
  until?: string;
  minCost?: string;
  maxCost?: string;
  minDuration?: string;
  minTokens?: string;
  meta?: string[];
  eventId?: string;
  feedback?: string;
  search?: string;
  filter?: string[];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function addFilterOptions(cmd: Command): Command {
  return cmd
    .option('--status <status>', 'error | success | an HTTP status (429) | 4xx | 5xx')
    .option('--provider <name>', 'only this provider (a comma list for several)')
    .option('--model <name>', 'only this model (a comma list for several)')
    .option('--cached', 'only answers served from the cache')
    .option('--no-cached', 'only answers not served from the cache')
    .option('--since <when>', 'newer than: a duration (15m, 1h, 7d), an RFC 3339 time or a date (2026-05-01)')
    .option('--until <when>', 'older than: a duration ago, an RFC 3339 time or a date')
    .option('--min-cost <usd>', 'cost above this many dollars')
    .option('--max-cost <usd>', 'cost below this many dollars')
    .option('--min-duration <time>', 'took longer than this (2s, 500ms, or milliseconds)')
    .option('--min-tokens <n>', 'more tokens than this (in + out)')
    .option('--meta <key=value>', 'metadata entry (cf-aig-metadata) equal to this (repeatable)', collect)
    .option('--event-id <id>', 'the cf-aig-event-id the request carried')
    .option('--feedback <up|down>', 'feedback given with: aigw logs feedback')
    .option('--search <text>', "the API's free-text search over log metadata")
    .option(
      '--filter <key:op:value>',
      'any API filter, e.g. user_agent:contains:curl, tokens_out:gt:1000 (repeatable; a comma list of values)',
      collect,
    );
}
