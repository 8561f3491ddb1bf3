// `aigw cassettes list|show|prune DIR`: the recordings `aigw proxy --record` made. Registration only.
import type { Command } from 'commander';
import type { Context } from '../../context.js';

export function registerCassettes(program: Command, ctx: Context): void {
  const cassettes = program
    .command('cassettes')
    .summary('what aigw proxy --record saved, and which recordings replay no longer uses')
    .description(
      'The recordings in a directory written by `aigw proxy --record DIR` (one JSON file per provider ' +
        'exchange), by provider, path and model; and, once `aigw proxy --replay DIR` has run, which of them ' +
        'that replay run did not use.',
    );
  cassettes
    .command('list')
    .summary('the recordings in a directory')
    .argument('<dir>', 'a directory of recordings')
    .addHelpText(
      'after',
      `
Columns: file, provider, method, path, model, status, stream (its event
count), used (by the last replay run: yes or no; - when no replay ran),
recorded.

Examples:
  $ aigw cassettes list cassettes/
  $ aigw cassettes list cassettes/ --json`,
    )
    .action(async (dir: string) => {
      const { listCommand } = await import('./run.js');
      listCommand(dir, ctx);
    });
  cassettes
    .command('show')
    .summary('one recording: its request and its answer')
    .argument('<dir>', 'a directory of recordings')
    .argument('<recording>', 'its file name or hash (a unique prefix is enough)')
    .addHelpText(
      'after',
      `
Examples:
  $ aigw cassettes show cassettes/ 3f9c0a1b
  $ aigw cassettes show cassettes/ openai-chat-completions-3f9c0a1b.json --json`,
    )
    .action(async (dir: string, which: string) => {
      const { showCommand } = await import('./run.js');
      showCommand(dir, which, ctx);
    });
  cassettes
    .command('prune')
    .summary('delete the recordings the last replay run did not use')
    .argument('<dir>', 'a directory of recordings')
    .option('--dry-run', 'list what would be deleted, delete nothing')
    .addHelpText(
      'after',
      `
Examples:
  $ aigw proxy --replay cassettes/   # run the tests against it, stop it
  $ aigw cassettes prune cassettes/ --dry-run
  $ aigw cassettes prune cassettes/`,
    )
    .action(async (dir: string, flags: { dryRun?: boolean }) => {
      const { pruneCommand } = await import('./run.js');
      pruneCommand(dir, flags, ctx);
    });
}
