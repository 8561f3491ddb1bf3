// `aigw evals ...`: registration only; the verbs load when they run.
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { gatewayArgument } from '../args/gateway-argument.js';
import { datasetsDeprecation } from '../help.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerEvals(program: Command, ctx: Context): void {
  const evals = program
    .command('evals')
    .alias('eval')
    .summary("evaluate a gateway's datasets: cost, speed, human feedback (deprecated)")
    .description(
      "Evaluations of a gateway's datasets (aigw datasets): the average cost, the average duration and " +
        'the share of thumbs up of their logs, computed once when the evaluation is processed. The ' +
        'gateway may be left out when the profile has a default gateway.',
    )
    .addHelpText(
      'after',
      `
${datasetsDeprecation}

Examples:
  $ aigw evals types
  $ aigw evals create prod-chat --name baseline --dataset errors \\
      --type cost --type speed --wait
  $ aigw evals get prod-chat baseline`,
    );

  evals
    .command('types')
    .summary("the account's evaluation types")
    .description('List the evaluation types (evaluators) the account offers: cost, speed, performance.')
    .addHelpText('after', '\nExamples:\n  $ aigw evals types\n  $ aigw --local evals types --json')
    .action(async () => {
      const { typesCommand } = await import('./verbs.js');
      await typesCommand(ctx);
    });

  evals
    .command('create')
    .addArgument(gatewayArgument())
    .summary('evaluate datasets')
    .description(
      'Create an evaluation of up to 5 datasets (by id or name) with one or more types. The API ' +
        'processes it after answering: --wait polls until it is done (a spinner in a terminal).',
    )
    .option('--name <name>', 'the name of the evaluation (required)')
    .option('--dataset <id-or-name>', 'a dataset to read (repeatable, or a comma list)', collect)
    .option(
      '--type <type>',
      'cost | speed | performance, or a type id (repeatable, or a comma list)',
      collect,
    )
    .option('--wait', 'wait until it is processed, then show its results')
    .addHelpText(
      'after',
      `
${datasetsDeprecation}

Examples:
  $ aigw evals create prod-chat --name errors --dataset errors --type cost,speed
  $ aigw evals create --name feedback --dataset liked --dataset slow-openai \\
      --type performance --wait --json`,
    )
    .action(async (gateway: string | undefined, flags: Record<string, never>) => {
      const { createCommand } = await import('./verbs.js');
      await createCommand(gateway, flags, ctx);
    });

  evals
    .command('list')
    .addArgument(gatewayArgument())
    .alias('ls')
    .summary("list a gateway's evaluations and their results")
    .description("List a gateway's evaluations, newest first, with their results in a line.")
    .option('--name <name>', 'only evaluations with exactly this name')
    .option('--search <text>', 'only evaluations whose id or name contains this text')
    .option('--processed', 'only processed evaluations')
    .option('--pending', 'only evaluations not processed yet')
    .addHelpText(
      'after',
      '\nExamples:\n  $ aigw evals list prod-chat\n  $ aigw evals list prod-chat --pending --json',
    )
    .action(async (gateway: string | undefined, flags: Record<string, never>) => {
      const { listCommand } = await import('./verbs.js');
      await listCommand(gateway, flags, ctx);
    });

  evals
    .command('get <gw-or-id> [id]')
    .alias('show')
    .summary('show an evaluation and its results per type')
    .description('Show one evaluation ([gateway] <id or name>) with one line per evaluation type.')
    .option('--wait', 'wait until it is processed')
    .addHelpText(
      'after',
      '\nExamples:\n  $ aigw evals get prod-chat baseline\n  $ aigw evals get prod-chat baseline --wait --json',
    )
    .action(async (first: string, second: string | undefined, flags: { wait?: boolean }) => {
      const { getCommand } = await import('./verbs.js');
      await getCommand(first, second, flags, ctx);
    });

  evals
    .command('delete <gw-or-id> [id]')
    .alias('rm')
    .summary('delete an evaluation and its results')
    .description(
      'Delete an evaluation ([gateway] <id or name>). Asks in a terminal; elsewhere (scripts, CI, ' +
        '--no-input) --yes is required.',
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText('after', '\nExamples:\n  $ aigw evals delete prod-chat baseline --yes')
    .action(async (first: string, second: string | undefined, flags: { yes?: boolean }) => {
      const { deleteCommand } = await import('./verbs.js');
      await deleteCommand(first, second, flags, ctx);
    });
}
