// main(argv, deps): builds the command tree, runs it, and maps every error to an exit code and a message.
import { Command, CommanderError, Option } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import { registerCommands } from './commands/index.js';
import { completeWith } from './completion/dynamic.js';
import { Context, type ContextDeps } from './context.js';
import { ExitCode, errorJson, exitCodeFor, formatError, UsageError } from './errors.js';
import { aigwCommand } from './io/aigw-command.js';

export const VERSION: string = pkg.version;

const helpConfig = { showGlobalOptions: true, sortSubcommands: true };

/** Help wraps to the terminal (COLUMNS, else the stream's width; 80 when piped), at most 100 wide. */
function helpWidth(stream: { isTTY?: boolean; columns?: number }, env: Context['env']): number {
  const columns = Number(env.COLUMNS) || (stream.isTTY ? stream.columns : undefined) || 80;
  return Math.max(40, Math.min(columns, 100));
}

/** Builds the whole command tree (no command code is loaded until it runs). */
export function buildProgram(ctx: Context): Command {
  const program = new Command('aigw')
    .description('Cloudflare AI Gateway from the terminal, and a local AI gateway for development')
    .version(VERSION, '-v, --version', 'print the version')
    .addOption(
      completeWith(
        new Option('--profile <name>', 'use this profile (dev, staging, prod...); env AIGW_PROFILE'),
        'profiles',
      ),
    )
    .option('--account-id <id>', 'Cloudflare account id; env CLOUDFLARE_ACCOUNT_ID')
    .option('--local', 'talk to the local gateway (aigw proxy) instead of Cloudflare')
    .option(
      '--local-url <url>',
      'the local gateway at this address (implies --local): host:port or URL; env AIGW_LOCAL_URL',
    )
    .option('--json', 'print JSON (one object per line for streams)')
    .option('--debug', 'print HTTP requests and responses (credentials redacted) and stack traces')
    .option('--no-color', 'no colours')
    .option('--no-input', 'never prompt; fail with a usage error instead')
    .showSuggestionAfterError(true)
    .configureHelp(helpConfig);
  registerCommands(program, ctx);
  applyToTree(program, (cmd) => {
    cmd.exitOverride();
    cmd.configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
      getOutHelpWidth: () => helpWidth(ctx.io.stdout, ctx.env),
      getErrHelpWidth: () => helpWidth(ctx.io.stderr, ctx.env),
      outputError: (s, write) => write(s.replace(/^error: /, 'Error: ')),
    });
    if (cmd !== program) cmd.configureHelp(helpConfig);
  });
  program.hook('preAction', (_program, action) => {
    ctx.setGlobals(action.optsWithGlobals());
  });
  return program;
}

export function applyToTree(cmd: Command, fn: (cmd: Command) => void): void {
  fn(cmd);
  for (const sub of cmd.commands) applyToTree(sub, fn);
}

export async function main(argv: string[], deps: ContextDeps): Promise<number> {
  const ctx = new Context(deps);
  const program = buildProgram(ctx);
  // Known before commander has parsed anything, so its own usage errors can be JSON too.
  const options = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length);
  const jsonErrors = () => ctx.json || options.includes('--json');
  if (jsonErrors()) applyToTree(program, (cmd) => cmd.configureOutput({ outputError: () => {} }));
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return ExitCode.ok;
    }
    misplacedVersion(program, options);
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (caught) {
    let err = caught;
    if (err instanceof CommanderError) {
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code))
        return ExitCode.ok;
      if (err.code === 'commander.executeSubCommandAsync') return err.exitCode;
      // Printed by commander already, unless it is to be JSON.
      if (!jsonErrors()) return ExitCode.usage;
      err = commanderUsageError(err);
    }
    const debug = ctx.debugEnabled || options.includes('--debug');
    ctx.io.err(jsonErrors() ? JSON.stringify(errorJson(err, debug)) : formatError(err, debug));
    return exitCodeFor(err);
  }
}

/**
 * aigw's own `-v, --version` is read wherever it appears on the line, so after a command that deploys versions
 * it would print aigw's version and deploy nothing. Such a command declares a hidden `--version` option whose
 * description says what to write instead; the line is then a usage error.
 */
function misplacedVersion(program: Command, args: string[]): void {
  let cmd = program;
  const chain = [program];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--version' || arg === '-v' || arg.startsWith('--version=')) {
      const own = cmd === program ? undefined : cmd.options.find((o) => o.long === '--version');
      if (own) {
        const name = chain.map((c) => c.name()).join(' ');
        throw new UsageError(`${name} has no --version option (--version prints aigw's version)`, {
          hint: own.description,
        });
      }
      return;
    }
    if (arg.startsWith('-')) {
      const option = chain.flatMap((c) => c.options).find((o) => o.long === arg || o.short === arg);
      if (option && (option.required || option.optional)) i++;
      continue;
    }
    const sub = cmd.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (sub) {
      cmd = sub;
      chain.push(sub);
    }
  }
}

/** commander's "error: unknown option '--jsn'\n(Did you mean --json?)" as a usage error with a hint. */
function commanderUsageError(err: CommanderError): UsageError {
  const [first = '', ...rest] = err.message.replace(/^error: /, '').split('\n');
  const suggestion = rest
    .join(' ')
    .trim()
    .replace(/^\((.*)\)$/, '$1');
  return new UsageError(first, suggestion ? { hint: suggestion } : undefined);
}

/** Ctrl-C and SIGTERM as an abort signal. Once only: a second Ctrl-C ends the process the default way. */
function processInterrupts(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}

/** The entry point bin/aigw.js calls. */
export async function run(argv: string[]): Promise<void> {
  // A closed pipe (aigw ... | head) ends the program quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(ExitCode.ok);
    throw err;
  });
  const code = await main(argv, {
    streams: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
    env: process.env,
    cwd: process.cwd(),
    interrupts: processInterrupts,
    command: () => aigwCommand(process.env, process.cwd()),
  });
  process.exitCode = code;
}
