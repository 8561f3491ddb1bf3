// `aigw help [command | topic]`: command help, plus the topics exit-codes, environment and secrets.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';

/** Said in the help of every datasets and evals command. */
export const datasetsDeprecation = `Cloudflare has deprecated datasets and evaluations: they are unavailable to
new accounts. These commands keep working for accounts that have them, and
against the local gateway (--local).`;

export const helpTopics: Record<string, { summary: string; text: string }> = {
  'exit-codes': {
    summary: 'what the exit codes mean',
    text: `aigw exit codes:

  0    success (an empty list is a success too; so is Ctrl-C or a closed pipe ending
       'logs tail')
  1    error: the API refused the request, a resource was not found, the network failed,
       or the machine is in the way (a port taken, a data directory aigw cannot use)
  2    usage: an unknown command or flag, a bad value, a missing argument, --yes needed
       when not interactive; nothing was sent
  4    authentication: no credentials, or the API rejected them (401/403)
  130  interrupted (Ctrl-C)
`,
  },
  environment: {
    summary: 'environment variables aigw reads',
    text: `Environment variables:

  CLOUDFLARE_API_TOKEN     API token; overrides the profile's credentials
  CLOUDFLARE_API_KEY       Global API key (with CLOUDFLARE_EMAIL), if no token is set
  CLOUDFLARE_EMAIL         Email for CLOUDFLARE_API_KEY
  CLOUDFLARE_ACCOUNT_ID    Account id (below --account-id, above the profile's)
  CLOUDFLARE_BASE_URL      API base URL for remote profiles (default https://api.cloudflare.com/client/v4)
  AIGW_PROFILE             Profile to use (below --profile, above the current profile)
  AIGW_CONFIG_DIR          Where profiles and credentials live (default ~/.config/aigw)
  AIGW_DATA_DIR            Where 'aigw proxy' keeps its database (default ~/.local/share/aigw)
  AIGW_LOCAL_URL           Local gateway API URL for --local (default http://127.0.0.1:8787/client/v4)
  AIGW_LOCAL_TOKEN         Token sent to the local gateway when it was started with --api-token
  AIGW_PROXY_API_TOKEN     Token 'aigw proxy' requires (same as its --api-token)
  CF_AIG_TOKEN             Gateway token 'aigw request' sends to a gateway with authentication on
  OPENAI_API_KEY, ...      Provider keys 'aigw request' sends (ANTHROPIC_API_KEY, GOOGLE_API_KEY,
                           GROQ_API_KEY, ...: each provider's usual variable)
  AIGW_DEBUG=1             Same as --debug
  NO_COLOR, CLICOLOR=0     Turn colours off; CLICOLOR_FORCE=1 or FORCE_COLOR=1 turn them on
  CI                       When set, aigw never prompts
`,
  },
  secrets: {
    summary: 'how aigw takes secrets, and why it never shows them',
    text: `Secrets (API tokens, provider keys, custom provider header values) are never a
flag's value, where shell history and process lists would keep them:

  API tokens            aigw auth login, aigw profile add: a masked prompt, or
                        stdin with --with-token; or CLOUDFLARE_API_TOKEN
  provider keys         aigw keys add, aigw keys rotate: --secret-file <file>
                        (- for stdin), piped stdin, or a masked prompt
  provider headers      aigw providers add|update: --header <name> asks for the
                        value (masked; piped stdin for one header), or
                        --headers-file <file> holds a JSON or YAML object
  apply files           aigw gateway apply: keys and header values by
                        reference only, {env: NAME} or {file: path}; a secret
                        written in the file is refused. aigw gateway export
                        writes such references, never a secret

aigw never prints one back: tokens show as ****abcd, a stored key as the API's
preview, header values as ********, with --json too. --debug traces show no
headers or bodies, and a key or header value an error echoes is masked. To know
when a referenced secret changed, gateway apply keeps only a salted digest of
it (applied-secrets.json in the config dir).
`,
  },
};

export function registerHelpTopics(program: Command, ctx: Context): void {
  program.helpCommand(false);
  const topics = Object.entries(helpTopics)
    .map(([name, t]) => `  ${name.padEnd(12)} ${t.summary}`)
    .join('\n');
  program
    .command('help [command...]')
    .description('show help for a command, or a topic: exit-codes, environment, secrets')
    .addHelpText(
      'after',
      `\nTopics:\n${topics}\n\nExamples:\n  $ aigw help gateway create\n  $ aigw help exit-codes`,
    )
    .action((words: string[]) => {
      if (words.length === 0) {
        program.outputHelp();
        ctx.io.out(`\nHelp topics (aigw help <topic>):\n${topics}`);
        return;
      }
      const topic = helpTopics[words.join(' ')];
      if (topic) {
        ctx.io.out(topic.text);
        return;
      }
      let cmd: Command = program;
      for (const word of words) {
        const next = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
        if (!next) {
          throw new UsageError(`No command or help topic "${words.join(' ')}".`, {
            hint: `Topics: ${Object.keys(helpTopics).join(', ')}. Commands: aigw --help`,
          });
        }
        cmd = next;
      }
      cmd.outputHelp();
    });
}
