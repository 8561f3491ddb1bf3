// `aigw proxy`: registration only; the server loads when the command runs.
import { type Command, Option } from 'commander';
import type { Context } from '../context.js';

export interface ProxyFlags {
  port?: string;
  host?: string;
  dataDir?: string;
  inMemory?: boolean;
  apiToken?: string;
  apiTokenFile?: string;
  upstream?: string[];
  mock?: boolean | string;
  config?: string;
  maxBodySize?: string;
  maxBodyMemory?: string;
  maxLogMemory?: string;
  cors?: string;
  allowHost?: string[];
  quiet?: boolean;
  logFormat?: 'text' | 'json';
  record?: string;
  replay?: string;
  recordMissing?: boolean;
  replaySpeed?: 'instant' | 'recorded';
  replayIgnore?: string[];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerProxy(program: Command, ctx: Context): void {
  program
    .command('proxy')
    .summary('run the local AI gateway (data plane and management API)')
    .description(
      "Run a local AI gateway that behaves like Cloudflare's: /v1/{account}/{gateway}/{provider}/... for your " +
        'apps and SDKs, /client/v4/... (the management API) for `aigw --local` and the cloudflare SDK.',
    )
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', '8787')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--data-dir <dir>', 'where to keep the database (default: $AIGW_DATA_DIR or ~/.local/share/aigw)')
    .option('--in-memory', 'keep nothing on disk')
    .addOption(
      new Option(
        '--api-token <token>',
        'require this token from clients (default: accept any); other users see it in `ps`: prefer AIGW_PROXY_API_TOKEN or --api-token-file',
      ).env('AIGW_PROXY_API_TOKEN'),
    )
    .option('--api-token-file <file>', "read the token from this file ('-' for stdin), kept out of `ps`")
    .option('--upstream <provider=url>', 'send a provider to another base URL (repeatable)', collect)
    .option('--mock [providers]', 'answer from the built-in mock upstream (all providers, or a comma list)')
    .option('--config <file>', 'read settings from a JSON or YAML file (flags you type win)')
    .option('--max-body-size <size>', 'largest request body accepted, e.g. 25mb', '25mb')
    .option(
      '--max-body-memory <size>',
      'request bodies held at once across all requests; past it, 503 with Retry-After',
      '256mb',
    )
    .addOption(
      new Option(
        '--max-log-memory <size>',
        'logs kept in memory while writes to the database fail (retried until they work); past it the oldest are dropped and counted',
      )
        .default('64mb')
        .env('AIGW_PROXY_MAX_LOG_MEMORY'),
    )
    .option(
      '--cors <origin>',
      "allow browser pages from this origin ('*' for any) and send them CORS headers; pages from other non-loopback origins are refused",
    )
    .option('--allow-host <name>', 'accept this Host header besides loopback names (repeatable)', collect)
    .option('-q, --quiet', 'no access lines (one per request on stderr; printed by default in a terminal)')
    .addOption(
      new Option(
        '--log-format <format>',
        'access lines as text or JSON Lines (also when not a terminal)',
      ).choices(['text', 'json']),
    )
    .option('--record <dir>', 'save every upstream exchange as a JSON file in this directory')
    .option('--replay <dir>', 'answer upstream calls from the recordings in this directory (no network)')
    .option('--record-missing', 'with --replay: send what is not recorded upstream and record it')
    .addOption(
      new Option('--replay-speed <speed>', 'replay at once, or with the recorded timing').choices([
        'instant',
        'recorded',
      ]),
    )
    .option(
      '--replay-ignore <rule>',
      'provider:path:fields left out of the recording hash, e.g. openai:/chat/completions:user (repeatable)',
      collect,
    )
    .addHelpText(
      'after',
      `
Examples:
  $ aigw proxy              # http://127.0.0.1:8787, data in ~/.local/share/aigw
  $ aigw proxy --mock       # offline: every provider answered by the mock
  $ aigw proxy --upstream openai=http://127.0.0.1:9001/v1 --in-memory
  $ aigw proxy --port 0 --config aigw.proxy.yaml
  $ aigw proxy --record cassettes/    # then, offline, in CI:
  $ aigw proxy --replay cassettes/

Settings file keys: port, host, dataDir, inMemory, apiToken, accountId,
upstreams (provider: url), mock (true, "openai,anthropic" or a list),
maxBodySize, maxBodyMemory, maxLogMemory, cors, allowHosts, record, replay,
recordMissing, replaySpeed, replayIgnore (a list of provider:path:fields rules).

Then:
  $ aigw --local gateway create dev
  OpenAI SDK: baseURL http://127.0.0.1:8787/v1/local/dev/openai`,
    )
    .action(async (flags: ProxyFlags, command: Command) => {
      const { proxyCommand } = await import('./proxy/run.js');
      // A flag the user typed wins over the --config file even when it equals its default.
      const given = (flag: keyof ProxyFlags) => {
        const source = command.getOptionValueSource(flag);
        return source === 'cli' || source === 'env';
      };
      await proxyCommand(flags, given, ctx);
    });
}
