// `aigw gateway ...`: registration only; each verb's module loads when it runs.
import { type Command, Option } from 'commander';
import type { Context } from '../../context.js';
import { gatewayArgument } from '../args/gateway-argument.js';
import { addSettingOptions, type SettingFlags } from './setting-options.js';

/** The apply file's format, for `gateway apply --help` (plan.ts checks files against it). */
const applyFileFormat = `File format (JSON or YAML):
  {
    "gateways": [
      { "id": "prod-chat", "cache_ttl": "1h", "rate_limit": "100/60s" },
      { "id": "staging", "cache_ttl": 0, "rate_limiting_limit": 10,
        "rate_limiting_interval": 60, "authentication": true,
        "log_limit": "100k", "log_strategy": "delete-oldest" }
    ]
  }
  A bare list of gateways works too. Every gateway needs an id; any other key is
  optional:
  - any API field (cache_ttl, collect_logs, authentication, retry_max_attempts,
    dlp, guardrails, otel, ...);
  - friendly forms: cache_ttl "1h"; rate_limit "100/60s" | "off" |
    {limit, interval, technique}; retry_delay "2s"; log_limit (= log_management)
    "100k"; log_strategy "delete-oldest"; retries (= retry_max_attempts).
  - routes: [{name, elements}] (a route's flow, as aigw routes create -f takes
    it): created and deployed, a changed flow deployed as a new version;
    with --prune, routes the gateway does not list are deleted.
  - keys: [{provider, alias, default, rate_limit, secret}] (provider keys, by
    reference: secret is {env: OPENAI_API_KEY} or {file: ./secrets/openai},
    never the key itself): created, replaced when default or rate_limit
    differ, rotated when the secret changed; with --prune, keys the gateway
    does not list are deleted. A digest of each secret (salted, never the
    secret) is kept in the config dir to know when it changed.
  A top-level providers: [{slug, base_url, name, description, link, position,
  beta, enable, headers: {x-api-key: {env: ACME_API_KEY}}}] manages custom
  providers the same way (header values by reference); with --prune, the
  custom providers it does not list are deleted. A file with only providers
  leaves the gateways alone.
  Only the keys a gateway names are compared and changed; its other settings
  keep their current values (new gateways get aigw's defaults: no cache, no rate
  limit, logs on).`;

// Descriptions are single paragraphs: commander wraps them to the terminal.
const defaults =
  'Defaults for a new gateway: no caching (cache TTL 0), no rate limit (fixed window), logs collected, ' +
  "cache kept on update, no authentication. The API's own defaults apply to everything else.";

// Text after the options is printed as written: lines of at most 80 columns.
const notCovered = `Nested settings (dlp, guardrails, otel, spend_limits, stripe) have no flags of
their own: set them with --set (JSON values, dotted paths) or --from-file. aigw
checks them against the API's schemas before sending anything: an unknown key
or a missing required one is an error (exit 2).`;

export function registerGateway(program: Command, ctx: Context): void {
  const gateway = program
    .command('gateway')
    .alias('gateways')
    .summary('create, list, change and delete AI gateways')
    .description('Manage the AI gateways of an account (on Cloudflare, or the local gateway with --local).')
    .addHelpText(
      'after',
      `
Examples:
  $ aigw gateway create prod-chat --cache-ttl 1h --rate-limit 100/60s
  $ aigw gateway list
  $ aigw gateway apply -f gateways.yaml --dry-run
  $ aigw gateway export prod-chat -o prod-chat.yaml
  $ aigw --local gateway url dev --snippet`,
    );

  addSettingOptions(
    gateway
      .command('create [id]')
      .summary('create a gateway')
      .description(
        'Create a gateway. In a terminal, asks for the id when none is given and, with no setting flags, for ' +
          `the main settings; elsewhere the id is required and the flags (or the defaults) are used as given.\n\n${defaults}`,
      ),
  )
    .addHelpText(
      'after',
      `
${notCovered}

Examples:
  $ aigw gateway create prod-chat
  $ aigw gateway create prod-chat --cache-ttl 1h --rate-limit 100/60s
  $ aigw gateway create chat --rate-limit 10/min --rate-limit-technique sliding
  $ aigw gateway create audit --log-limit 1m --log-strategy delete-oldest
  $ aigw gateway create safe \\
      --set 'guardrails={"prompt":{"S1":"BLOCK"},"response":{}}'
  $ aigw gateway create ci-gw --from-file gateway.yaml --json`,
    )
    .action(async (id: string | undefined, flags: SettingFlags) => {
      const { createCommand } = await import('./create.js');
      await createCommand(id, flags, ctx);
    });

  gateway
    .command('list')
    .alias('ls')
    .summary('list gateways')
    .description('List the gateways of the account (every page). Piped: tab-separated rows, no header.')
    .option('--search <text>', 'only gateways whose id contains this text')
    .addHelpText(
      'after',
      `
Examples:
  $ aigw gateway list
  $ aigw gateway list --search prod
  $ aigw gateway list | cut -f1          # just the ids
  $ aigw gateway list --json`,
    )
    .action(async (flags: { search?: string }) => {
      const { listCommand } = await import('./list.js');
      await listCommand(flags, ctx);
    });

  gateway
    .command('get')
    .addArgument(gatewayArgument('id'))
    .alias('show')
    .summary("show a gateway's settings")
    .addHelpText(
      'after',
      `
Examples:
  $ aigw gateway get prod-chat
  $ aigw gateway get prod-chat --json`,
    )
    .action(async (id: string | undefined) => {
      const { getCommand } = await import('./get.js');
      await getCommand(id, ctx);
    });

  addSettingOptions(
    gateway
      .command('update')
      .addArgument(gatewayArgument('id'))
      .summary("change some of a gateway's settings")
      .description('Change only the settings named by flags; every other setting keeps its value.'),
  )
    .addHelpText(
      'after',
      `
${notCovered}

Examples:
  $ aigw gateway update prod-chat --cache-ttl 30m
  $ aigw gateway update prod-chat --rate-limit off --no-collect-logs
  $ aigw gateway update prod-chat --retries 3 --retry-backoff exponential
  $ aigw gateway update prod-chat --set spend_limits.enabled=true`,
    )
    .action(async (id: string | undefined, flags: SettingFlags) => {
      const { updateCommand } = await import('./update.js');
      await updateCommand(id, flags, ctx);
    });

  gateway
    .command('delete')
    .addArgument(gatewayArgument('id'))
    .alias('rm')
    .summary('delete a gateway, its stored logs and provider keys')
    .description(
      'Delete a gateway. Its stored logs and provider keys are deleted with it. Asks for confirmation in a terminal; ' +
        'elsewhere (scripts, CI, --no-input) --yes is required.',
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText(
      'after',
      `
Examples:
  $ aigw gateway delete old-chat
  $ aigw gateway delete old-chat --yes`,
    )
    .action(async (id: string | undefined, flags: { yes?: boolean }) => {
      const { deleteCommand } = await import('./delete.js');
      await deleteCommand(id, flags, ctx);
    });

  gateway
    .command('url')
    .addArgument(gatewayArgument('id'))
    .summary("show a gateway's endpoint URLs, or an SDK snippet")
    .description(
      'Print where applications send requests: the base URL .../v1/{account}/{gateway} and the URL for ' +
        'common providers, or only the one for --provider. --snippet prints an OpenAI SDK (JavaScript) ' +
        'example that reads the API key from OPENAI_API_KEY.',
    )
    .option(
      '--provider <name>',
      'only this provider (openai, anthropic, google-ai-studio, workers-ai, compat, ...)',
    )
    .option('--snippet', 'print an OpenAI SDK snippet using the gateway (provider openai or compat)')
    .addHelpText(
      'after',
      `
Examples:
  $ aigw gateway url prod-chat
  $ aigw gateway url prod-chat --provider anthropic
  $ aigw gateway url prod-chat --snippet > client.mjs
  $ aigw --local gateway url dev --provider compat --snippet`,
    )
    .action(async (id: string | undefined, flags: { provider?: string; snippet?: boolean }) => {
      const { urlCommand } = await import('./url.js');
      await urlCommand(id, flags, ctx);
    });

  gateway
    .command('export')
    .addArgument(gatewayArgument('id'))
    .summary('write a gateway (settings, keys, routes, custom providers) as an apply file')
    .description(
      "Write a gateway as a file that aigw gateway apply takes: its settings, its routes' deployed flows, " +
        "its provider keys and the account's custom providers. Secrets are never exported: each key and " +
        'header value is a reference to an environment variable named by convention (OPENAI_API_KEY, ' +
        'ANTHROPIC_API_KEY_TEAM_A, ACME_X_API_KEY), listed in a comment at the top. Applying the file right ' +
        'away, with those variables set, changes nothing.',
    )
    .addOption(new Option('--format <format>', 'yaml (default) or json').choices(['yaml', 'json']))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ aigw gateway export prod-chat > prod-chat.yaml
  $ aigw gateway export prod-chat --format json -o prod-chat.json
  $ aigw --local gateway export dev -o dev.yaml
  $ aigw --local gateway apply -f dev.yaml      # No changes`,
    )
    .action(async (id: string | undefined, flags: { format?: string; output?: string }) => {
      const { exportCommand } = await import('./export.js');
      await exportCommand(id, flags, ctx);
    });

  gateway
    .command('apply')
    .summary('make gateways, their keys and routes, and custom providers match a file')
    .description(
      'Make the gateways, their provider keys and routes, and custom providers match a file: create the missing ones, ' +
        'update the named fields that differ, rotate keys whose referenced secret changed, and with --prune ' +
        'delete what the file does not name. Prints the plan, applies it (unless --dry-run) and the result. ' +
        'Running it again sends no write. The whole file is checked, and the secrets it references read, ' +
        'before any request; every problem is listed (exit 2).',
    )
    .requiredOption('-f, --file <file>', "the gateways file (JSON or YAML; '-' reads stdin)")
    .option('--dry-run', 'print the plan, change nothing')
    .option(
      '--prune',
      'also delete gateways the file does not name (and their logs), the keys and routes a gateway lists but does not name, and custom providers',
    )
    .option('-y, --yes', 'do not ask before --prune deletes (required when not interactive)')
    .addHelpText(
      'after',
      `
${applyFileFormat}

With --json:
  {"plan": [{"action": "create|update|unchanged|delete", "id",
             "changes": [{"field", "from", "to"}]}],
   "providers": [{"action", "slug", "id", "changes", "headers"}],
   "keys": [{"action": "create|update|rotate|unchanged|delete", "gateway",
             "provider", "alias", "id", "changes",
             "secret": "$OPENAI_API_KEY" (where it comes from)}],
   "routes": [{"action", "gateway", "route", "id", "elements"}],
   "applied": true|false, "changes": <number of changes of any kind>}

Examples:
  $ aigw gateway apply -f gateways.json --dry-run
  $ aigw gateway apply -f gateways.yaml
  $ aigw gateway apply -f gateways.json --prune --yes --json
  $ cat gateways.json | aigw gateway apply -f -`,
    )
    .action(async (flags: { file: string; dryRun?: boolean; prune?: boolean; yes?: boolean }) => {
      const { applyCommand } = await import('./apply.js');
      await applyCommand(flags, ctx);
    });
}
