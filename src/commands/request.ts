// `aigw request`: registration only; the request code loads when the command runs.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { gatewayArgument } from './args/gateway-argument.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerRequest(program: Command, ctx: Context): void {
  program
    .command('request')
    .addArgument(gatewayArgument())
    .argument('[prompt]', "the user message ('-' reads stdin)")
    .summary('send a prompt (or any body) through a gateway and show what it did')
    .description(
      "Send one request through a gateway's data plane (Cloudflare's, or the local gateway with " +
        '--local) and print the answer as it arrives; then, on stderr, the status, cache status, log ' +
        "id, tokens, cost (from the gateway's log) and time. --json prints all of it as one object. " +
        "The provider's key comes from its usual environment variable (OPENAI_API_KEY, " +
        'ANTHROPIC_API_KEY, GOOGLE_API_KEY, GROQ_API_KEY...; the local mock needs none), the token of ' +
        "a gateway with authentication on from CF_AIG_TOKEN (else the profile's). Keys are never " +
        'printed. The gateway may be left out when the profile has a default gateway.',
    )
    .option(
      '--provider <name>',
      'openai (default), anthropic, google-ai-studio, workers-ai, groq, mistral, ...',
    )
    .option('--model <name>', 'the model (gpt-4o-mini by default for openai; with --compat: provider/model)')
    .option(
      '-d, --data <json|@file>',
      "the request body as JSON ('@file', '@-' for stdin) instead of a prompt",
    )
    .option('--path <path>', "the provider path (default: the provider's chat endpoint)")
    .option('--compat', 'use the unified endpoint (compat/chat/completions)')
    .option('--stream', 'ask for a streamed answer and print it as it arrives')
    .option('--cache-ttl <duration>', 'cache the answer this long (cf-aig-cache-ttl: 60s, 1h, ...)')
    .option('--skip-cache', 'do not answer from the cache (cf-aig-skip-cache)')
    .option('--meta <key=value>', 'log metadata (cf-aig-metadata; repeatable)', collect)
    .option('--event-id <id>', 'an id to find the log by later (cf-aig-event-id)')
    .option('-H, --header <"Name: value">', 'another request header (repeatable)', collect)
    .addHelpText(
      'after',
      `
Examples:
  $ aigw request prod-chat "Say hi" --provider openai --model gpt-4o-mini
  $ aigw request prod-chat "Hi" --provider anthropic --model claude-3-5-haiku
  $ aigw request prod-chat "Hi" --compat --model groq/llama-3.1-8b --stream
  $ aigw request prod-chat -d @body.json --path embeddings --json
  $ aigw --local request dev "Hi" --cache-ttl 1h   # twice: cache MISS, then HIT`,
    )
    .action(
      async (gateway: string | undefined, prompt: string | undefined, flags: Record<string, unknown>) => {
        const { requestCommand } = await import('./request/run.js');
        await requestCommand(gateway, prompt, flags, ctx);
      },
    );
}
