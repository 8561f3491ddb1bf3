// `aigw logs ...`: registration only; each verb's module loads when it runs.
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { gatewayArgument } from '../args/gateway-argument.js';
import { addFilterOptions, type FilterFlags } from '../args/log-filter-options.js';

const filterHelp = `
Filters (all must hold): --status, --provider, --model, --cached, --no-cached,
--since, --until, --min-cost, --max-cost, --min-duration, --min-tokens, --meta,
--event-id, --feedback, --search, and --filter key:operator:value for any other
filter the API knows.
  keys: id, created_at, request_content_type, response_content_type,
    request_type, success, cached, provider, model, model_type, cost, tokens,
    tokens_in, tokens_out, duration, feedback, event_id, metadata.key,
    metadata.value, authentication, wholesale, compatibilityMode, dlp_action,
    user_agent
  operators: eq, neq, contains, lt, gt
The API has no filter for an exact HTTP status: --status 429 or 4xx asks it for
errors and keeps the matching codes.`;

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerLogs(program: Command, ctx: Context): void {
  const logs = program
    .command('logs')
    .alias('log')
    .summary("find, follow, read, rate, export and delete a gateway's logs")
    .description(
      "A gateway's request logs, on Cloudflare or on the local gateway (--local). Without a verb, " +
        '`aigw logs` is `aigw logs filter` (see aigw logs filter --help for its filters). The gateway ' +
        'may be left out when the profile has a default gateway.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ aigw logs prod-chat --status error --since 1h
  $ aigw logs tail prod-chat --provider openai
  $ aigw logs get prod-chat 01JC3R94FRD97JBCBX3S0ZAXKW --response
  $ aigw logs export prod-chat --since 7d --format csv -o week.csv`,
    );

  addFilterOptions(
    logs
      .command('filter', { isDefault: true })
      .addArgument(gatewayArgument())
      .alias('list')
      .summary('list the logs that match (newest first)')
      .description(
        'List the logs that match, newest first: a table in a terminal; piped, tab-separated fields ' +
          '(created, status, provider, model, tokens in, tokens out, cost, duration, cached, id); ' +
          "or the API's objects with --json.",
      ),
  )
    .option('-n, --limit <n>', 'at most this many logs (default 50; 0: all of them)')
    .option('--sort <field[:asc|desc]>', 'created_at (default), provider, model, model_type, success, cached')
    .addHelpText(
      'after',
      `${filterHelp}

Examples:
  $ aigw logs --status error          # the profile's default gateway
  $ aigw logs prod-chat --model gpt-4o-mini --since 2026-05-01 --min-cost 0.01
  $ aigw logs prod-chat --meta user=alice --feedback up --json
  $ aigw logs prod-chat --filter user_agent:contains:curl --limit 0 | cut -f10`,
    )
    .action(async (gateway: string | undefined, flags: FilterFlags & { limit?: string; sort?: string }) => {
      const { filterCommand } = await import('./filter.js');
      await filterCommand(gateway, flags, ctx);
    });

  addFilterOptions(
    logs
      .command('tail')
      .addArgument(gatewayArgument())
      .summary('follow new logs as they are written')
      .description(
        'Print each new log as it is written (the API is polled about once a second): one line per ' +
          'log in a terminal, JSON Lines when piped or with --json. With --since, the logs since then ' +
          'come first. Ctrl-C stops it (exit 0), and so does a closed pipe.',
      ),
  )
    .addHelpText(
      'after',
      `${filterHelp}

Examples:
  $ aigw logs tail prod-chat
  $ aigw logs tail prod-chat --status error --json | jq .model`,
    )
    .action(async (gateway: string | undefined, flags: FilterFlags) => {
      const { tailCommand } = await import('./tail.js');
      await tailCommand(gateway, flags, ctx);
    });

  logs
    .command('get <gw-or-id> [id]')
    .alias('show')
    .summary('show one log, and its request and response bodies')
    .description(
      'Show one log: [gateway] <id>. --request and --response add the stored bodies, JSON indented ' +
        "and a streamed answer assembled into its text (--raw prints the stream's events as stored).",
    )
    .option('--request', 'also print the request body')
    .option('--response', 'also print the response body')
    .option('--raw', 'bodies exactly as stored')
    .addHelpText(
      'after',
      `
Examples:
  $ aigw logs get prod-chat 01JC3R94FRD97JBCBX3S0ZAXKW
  $ aigw logs get 01JC3R94FRD97JBCBX3S0ZAXKW --request --response
  $ aigw logs get prod-chat 01JC3R94FRD97JBCBX3S0ZAXKW --response --raw`,
    )
    .action(
      async (
        first: string,
        second: string | undefined,
        flags: { request?: boolean; response?: boolean; raw?: boolean },
      ) => {
        const { getCommand } = await import('./get.js');
        await getCommand(first, second, flags, ctx);
      },
    );

  logs
    .command('feedback <gw-or-id> [id]')
    .summary('rate a log: thumbs up or down, a score, metadata')
    .description('Record feedback on one log ([gateway] <id>), as the dashboard does.')
    .option('--up', 'thumbs up')
    .option('--down', 'thumbs down')
    .option('--clear', 'remove the thumbs up or down')
    .option('--score <0-100>', 'a score from 0 to 100')
    .option('--meta <key=value>', 'set a metadata entry (repeatable)', collect)
    .addHelpText(
      'after',
      `
Examples:
  $ aigw logs feedback prod-chat 01JC3R94FRD97JBCBX3S0ZAXKW --up
  $ aigw logs feedback 01JC3R94FRD97JBCBX3S0ZAXKW --down --score 20
  $ aigw logs prod-chat --feedback down          # find them again`,
    )
    .action(async (first: string, second: string | undefined, flags: Record<string, unknown>) => {
      const { feedbackCommand } = await import('./feedback.js');
      await feedbackCommand(first, second, flags, ctx);
    });

  addFilterOptions(
    logs
      .command('delete')
      .addArgument(gatewayArgument())
      .alias('rm')
      .summary('delete the logs that match')
      .description(
        'Delete the logs that match (every log of the gateway when no filter is given), oldest first. ' +
          'Says how many match, then asks; elsewhere (scripts, CI, --no-input) --yes is required. ' +
          'Only what the API filters on can select logs: not --status with a code or class, ' +
          '--search, or several --meta.',
      ),
  )
    .option('-n, --limit <n>', 'delete at most this many (the oldest matching)')
    .option('--dry-run', 'only say how many logs match')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText(
      'after',
      `${filterHelp}

Examples:
  $ aigw logs delete prod-chat --status error --dry-run
  $ aigw logs delete prod-chat --until 30d --yes
  $ aigw logs delete prod-chat --meta test=true --limit 1000 --yes`,
    )
    .action(async (gateway: string | undefined, flags: FilterFlags) => {
      const { deleteCommand } = await import('./delete.js');
      await deleteCommand(gateway, flags, ctx);
    });

  addFilterOptions(
    logs
      .command('export')
      .addArgument(gatewayArgument())
      .summary('write every matching log as JSON Lines or CSV')
      .description(
        'Write every matching log (newest first) as JSON Lines or CSV, page by page, to stdout or a ' +
          'file. A progress bar shows on stderr in a terminal. --bodies adds the request and response ' +
          'bodies.',
      ),
  )
    .option('--format <jsonl|csv>', 'output format', 'jsonl')
    .option('-o, --output <file>', 'write to this file (mode 0600) instead of stdout')
    .option('--bodies', 'add the stored request and response bodies (two requests more per log)')
    .option('-n, --limit <n>', 'at most this many logs (default: all)')
    .option('--sort <field[:asc|desc]>', 'created_at (default), provider, model, model_type, success, cached')
    .addHelpText(
      'after',
      `${filterHelp}

Examples:
  $ aigw logs export prod-chat --format csv -o logs.csv
  $ aigw logs export prod-chat --since 1d --bodies > day.jsonl
  $ aigw logs export prod-chat --status error --format csv | wc -l`,
    )
    .action(async (gateway: string | undefined, flags: FilterFlags) => {
      const { exportCommand } = await import('./export.js');
      await exportCommand(gateway, flags, ctx);
    });
}
