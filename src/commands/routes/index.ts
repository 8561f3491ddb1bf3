// `aigw routes ...`: registration only; each verb's module loads when it runs.
import { type Command, Option } from 'commander';
import type { Context } from '../../context.js';
import { gatewayArgument } from '../args/gateway-argument.js';

const flowFormat = `Flow file (JSON or YAML): {"elements": [...]} or a bare list of elements, as
Cloudflare's API takes them. Each element has an id, a type and outputs
({"elementId": ...}); Cloudflare's docs spellings work too (condition,
rate_limit, interval):
  elements:
    - {id: start, type: start, outputs: {next: {elementId: paid}}}
    - id: paid
      type: conditional
      properties: {conditions: {metadata.plan: {$eq: paid}}}
      outputs: {true: {elementId: big}, false: {elementId: split}}
    - {id: split, type: percentage,
       outputs: {"80%": {elementId: small}, "20%": {elementId: big}}}
    - id: big
      type: model
      properties: {provider: openai, model: gpt-4o, timeout: 30000, retries: 1}
      outputs: {success: {elementId: end}, fallback: {elementId: small}}
    - id: small
      type: model
      properties: {provider: openai, model: gpt-4o-mini, timeout: 30000,
                   retries: 0}
      outputs: {success: {elementId: end}, fallback: {elementId: end}}
    - {id: end, type: end, outputs: {}}
Other elements: rate (properties: key e.g. metadata.user_id, limit, limitType
count|cost, window in seconds, technique sliding|fixed; outputs success,
fallback). The flow is checked before anything is sent.`;

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerRoutes(program: Command, ctx: Context): void {
  const routes = program
    .command('routes')
    .alias('route')
    .summary("a gateway's dynamic routes: flows of conditions, splits, limits and models")
    .description(
      'Dynamic routes: clients send model "dynamic/<name>" and the route decides which model answers. ' +
        'The gateway may be left out when the profile has a default gateway.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ aigw routes create prod-chat support -f support.yaml
  $ aigw routes get prod-chat support
  $ aigw routes test prod-chat support --meta plan=paid
  $ aigw routes deploy prod-chat support -f support-v2.yaml`,
    );

  routes
    .command('list')
    .alias('ls')
    .addArgument(gatewayArgument())
    .summary("list a gateway's routes")
    .action(async (gateway: string | undefined) => {
      const { listCommand } = await import('./list.js');
      await listCommand(gateway, ctx);
    });

  routes
    .command('get <gw-or-id> [id]')
    .alias('show')
    .summary("show a route's deployed flow as a tree")
    .addHelpText(
      'after',
      '\nExamples:\n  $ aigw routes get prod-chat support\n  $ aigw routes get support --json',
    )
    .action(async (first: string, second: string | undefined) => {
      const { getCommand } = await import('./list.js');
      await getCommand(first, second, ctx);
    });

  routes
    .command('create <gw|name> [name]')
    .summary('create a route from a flow file (deployed at once)')
    .requiredOption('-f, --file <file>', "the flow (JSON or YAML; '-' reads stdin)")
    .addHelpText(
      'after',
      `\n${flowFormat}\n\nExamples:\n  $ aigw routes create prod-chat support -f support.yaml`,
    )
    .action(async (first: string, second: string | undefined, flags: { file: string }) => {
      const { createCommand } = await import('./change.js');
      await createCommand(first, second, flags, ctx);
    });

  routes
    .command('rename <args...>')
    .summary('rename a route: [gateway] <route> <new-name>')
    .addHelpText('after', '\nExamples:\n  $ aigw routes rename prod-chat support helpdesk')
    .action(async (args: string[]) => {
      const { renameCommand } = await import('./change.js');
      if (args.length < 2 || args.length > 3) {
        const { UsageError } = await import('../../errors.js');
        throw new UsageError('Expected [gateway] <route> <new-name>.');
      }
      await renameCommand(args, ctx);
    });

  routes
    .command('delete <gw-or-id> [id]')
    .alias('rm')
    .summary('delete a route and its versions')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText('after', '\nExamples:\n  $ aigw routes delete prod-chat old-route --yes')
    .action(async (first: string, second: string | undefined, flags: { yes?: boolean }) => {
      const { deleteCommand } = await import('./change.js');
      await deleteCommand(first, second, flags, ctx);
    });

  routes
    .command('versions <gw-or-id> [id]')
    .summary("list a route's versions (1 is the oldest)")
    .addHelpText('after', '\nExamples:\n  $ aigw routes versions prod-chat support')
    .action(async (first: string, second: string | undefined) => {
      const { versionsCommand } = await import('./deploy.js');
      await versionsCommand(first, second, ctx);
    });

  routes
    .command('deploy <gw-or-id> [id]')
    .summary('deploy a saved version, or a new flow from a file')
    // Not --version: aigw's own --version is read wherever it appears on the line (see misplacedVersion).
    .option('--to <n|id>', 'the version to deploy: its number (aigw routes versions) or id')
    .addOption(new Option('--version <n>', 'Choose the version with --to <n|id>.').hideHelp())
    .option('-f, --file <file>', 'save this flow as a new version and deploy it')
    .addHelpText(
      'after',
      '\nExamples:\n  $ aigw routes deploy prod-chat support --to 2\n  $ aigw routes deploy prod-chat support -f support-v3.yaml',
    )
    .action(async (first: string, second: string | undefined, flags: { to?: string; file?: string }) => {
      const { deployCommand } = await import('./deploy.js');
      await deployCommand(first, second, flags, ctx);
    });

  routes
    .command('rollback <gw-or-id> [id]')
    .summary('go back to the version that ran before the latest deployment')
    .addOption(
      new Option(
        '--version <n>',
        'rollback goes back to the previous deployment; to deploy a given version: aigw routes deploy --to <n|id>',
      ).hideHelp(),
    )
    .addHelpText('after', '\nExamples:\n  $ aigw routes rollback prod-chat support')
    .action(async (first: string, second: string | undefined) => {
      const { rollbackCommand } = await import('./deploy.js');
      await rollbackCommand(first, second, ctx);
    });

  routes
    .command('test <gw-or-id> [id]')
    .summary('show which model a request would reach, without calling it')
    .option('--meta <key=value>', 'request metadata (cf-aig-metadata), repeatable', collect)
    .addHelpText(
      'after',
      '\nNumbers and true/false are read as such. Percentage splits show every branch\nwith its share; rate and budget limits are taken as not reached.\n\nExamples:\n  $ aigw routes test prod-chat support --meta plan=paid --meta user_id=42',
    )
    .action(async (first: string, second: string | undefined, flags: { meta?: string[] }) => {
      const { testCommand } = await import('./test.js');
      await testCommand(first, second, flags, ctx);
    });
}
