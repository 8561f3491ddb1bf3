// The gateway setting flags shared by `create` and `update`, as commander declares them. Registration needs
// only this; flags.ts maps the values to API fields when a command runs.
import { type Command, Option } from 'commander';

export interface SettingFlags {
  cacheTtl?: string;
  cacheInvalidateOnUpdate?: boolean;
  collectLogs?: boolean;
  rateLimit?: string;
  rateLimitTechnique?: string;
  authentication?: boolean;
  logLimit?: string;
  logStrategy?: string;
  retries?: string;
  retryDelay?: string;
  retryBackoff?: string;
  logpush?: boolean;
  logpushPublicKey?: string;
  zdr?: boolean;
  byokOnly?: boolean;
  logClassification?: boolean;
  workersAiBillingMode?: string;
  storeId?: string;
  set?: string[];
  fromFile?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function addSettingOptions(cmd: Command): Command {
  return cmd
    .optionsGroup('Cache:')
    .option('--cache-ttl <duration>', 'cache responses this long: 90s, 30m, 1h, 1d (0 = no caching)')
    .option('--cache-invalidate-on-update', 'clear the cache when the gateway changes')
    .option('--no-cache-invalidate-on-update', 'keep the cache when the gateway changes')
    .optionsGroup('Rate limiting:')
    .option('--rate-limit <n/interval>', 'allow n requests per interval: 100/60s, 1000/1h, 10/min, off')
    .addOption(
      new Option('--rate-limit-technique <technique>', 'how the window moves').choices(['fixed', 'sliding']),
    )
    .optionsGroup('Logs:')
    .option('--collect-logs', 'store a log of every request')
    .option('--no-collect-logs', 'store no logs')
    .option('--log-limit <n>', 'most logs kept: 10000..10000000, e.g. 100k, 1m (off = no limit)')
    .addOption(
      new Option('--log-strategy <strategy>', 'what happens at the log limit').choices([
        'stop-inserting',
        'delete-oldest',
      ]),
    )
    .option('--log-classification', 'classify logged requests')
    .option('--no-log-classification', 'do not classify logged requests')
    .option('--logpush', 'push logs to Logpush')
    .option('--no-logpush', 'do not push logs')
    .option('--logpush-public-key <file>', "public key that encrypts pushed logs (a file, or '-' for stdin)")
    .optionsGroup('Access and retries:')
    .option('--authentication', 'require a cf-aig-authorization token from callers')
    .option('--no-authentication', 'accept calls without a gateway token')
    .option('--retries <n>', 'attempts per request, 1..5')
    .option('--retry-delay <delay>', 'wait between attempts: milliseconds or 500ms, 2s (at most 60s)')
    .addOption(
      new Option('--retry-backoff <backoff>', 'how the delay grows').choices([
        'constant',
        'linear',
        'exponential',
      ]),
    )
    .optionsGroup('Billing and data:')
    .option('--zdr', 'zero data retention')
    .option('--no-zdr', 'no zero data retention')
    .option('--byok-only', 'use only your own provider keys (no Unified Billing fallback)')
    .option('--no-byok-only', 'allow Unified Billing fallback')
    .addOption(
      new Option('--workers-ai-billing-mode <mode>', 'how Workers AI is billed').choices([
        'postpaid',
        'unified',
      ]),
    )
    .option('--store-id <id>', 'Secrets Store id for provider keys')
    .optionsGroup('Any field:')
    .option(
      '--set <field=value>',
      'set an API field; value is JSON or text; dotted paths reach into dlp, guardrails, otel, spend_limits, stripe (repeatable)',
      collect,
    )
    .option(
      '--from-file <file>',
      "read settings from a JSON or YAML object (the apply entry format; '-' = stdin)",
    );
}
