// `aigw costs`: registration only; the report loads when it runs.
import type { Command } from 'commander';
import { Argument } from 'commander';
import { completeWith } from '../../completion/dynamic.js';
import type { Context } from '../../context.js';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function registerCosts(program: Command, ctx: Context): void {
  program
    .command('costs')
    .summary('requests, tokens and cost by model, provider, gateway, day or hour')
    .description(
      'Where the money and tokens went: requests, tokens in and out, the share answered from cache, errors ' +
        "and cost per group, with a total, from the account's analytics (Cloudflare's, or the local gateway's " +
        'with --local). Requests whose logs were not kept count too. All gateways unless some are named.\n\n' +
        'In a terminal: a table with a bar per row (its share of the cost) and, by day or hour, a sparkline ' +
        'of the period, in the local time zone. Piped: tab-separated rows without header or total, days and ' +
        'hours in UTC. Needs the "Account Analytics Read" permission on Cloudflare.',
    )
    .addArgument(completeWith(new Argument('[gateway...]', 'only these gateways'), 'gateways'))
    .option(
      '--since <when>',
      'start: a duration back from now (24h, 7d, 2w), a date or an RFC 3339 time',
      '7d',
    )
    .option('--until <when>', 'end (default: now), in the same forms')
    .option(
      '--by <grouping>',
      'model, provider, gateway, day or hour (default: model); twice for a breakdown, e.g. --by day --by model',
      collect,
    )
    .option(
      '--timezone <zone>',
      'time zone of days and hours: UTC or an IANA name (default: local in a terminal, else UTC)',
    )
    .option(
      '--format <format>',
      'table, tsv, csv or json (default: table in a terminal, tsv piped; --json = json)',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ aigw costs --since 7d --by model
  $ aigw costs prod-chat --since 2026-03-01 --until 2026-04-01 --by day
  $ aigw costs prod-chat staging --by gateway --by model
  $ aigw costs --by provider --by model --format csv > costs.csv
  $ aigw costs --since 24h --by hour --timezone Europe/Paris
  $ aigw --local costs --by gateway --json`,
    )
    .action(async (gateways: string[], flags) => {
      const { costsCommand } = await import('./run.js');
      await costsCommand(gateways, flags, ctx);
    });
}
