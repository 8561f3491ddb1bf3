// Shell completion scripts generated from the commander tree: subcommands at every depth, the flags of each
// command (global ones included), and the values of options and arguments with choices, all carried by the
// scripts (no cost on TAB). Live values (gateway ids, profile names) come from `aigw __complete`.
import type { Command, Option } from 'commander';
import { type DynamicKind, dynamicKindOf } from './dynamic.js';
import { bashScript, fishScript, zshScript } from './shells.js';

const shells = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof shells)[number];

export interface FlagSpec {
  long?: string;
  short?: string;
  description: string;
  takesValue: boolean;
  choices?: string[];
  /** Completed with live values from `aigw __complete <kind>`. */
  dynamic?: DynamicKind;
}

interface ArgSpec {
  name: string;
  variadic: boolean;
  choices?: string[];
  dynamic?: DynamicKind;
}

export interface CommandSpec {
  /** The words from the root, e.g. ['aigw', 'auth', 'login']. */
  path: string[];
  name: string;
  description: string;
  /** The command's own flags plus the global ones and --help. */
  flags: FlagSpec[];
  args: ArgSpec[];
  subcommands: CommandSpec[];
}

export function generateCompletion(program: Command, shell: Shell): string {
  const tree = describeTree(program);
  if (shell === 'bash') return bashScript(tree);
  if (shell === 'zsh') return zshScript(tree);
  return fishScript(tree);
}

/** The tree in a stable order (sorted), so the committed scripts change only when the tree does. */
function describeTree(program: Command): CommandSpec {
  const versionFlag = program.options.find((o) => o.long === '--version');
  const globals = program.options.filter((o) => !o.hidden && o !== versionFlag).map(flagSpec);
  const help: FlagSpec = { long: '--help', short: '-h', description: 'show help', takesValue: false };
  const walk = (cmd: Command, path: string[], root: boolean): CommandSpec => {
    const own = root ? program.options.filter((o) => !o.hidden).map(flagSpec) : ownFlags(cmd, globals);
    return {
      path,
      name: cmd.name(),
      description: firstLine(cmd.summary() || cmd.description()),
      flags: sortFlags([...own, help]),
      args: cmd.registeredArguments.map((a) => {
        const dynamic = dynamicKindOf(a);
        return {
          name: a.name(),
          variadic: a.variadic,
          ...(a.argChoices ? { choices: [...a.argChoices] } : {}),
          ...(dynamic ? { dynamic } : {}),
        };
      }),
      subcommands: visibleCommands(cmd)
        .map((sub) => walk(sub, [...path, sub.name()], false))
        .sort((a, b) => a.name.localeCompare(b.name)),
    };
  };
  return walk(program, [program.name()], true);
}

function ownFlags(cmd: Command, globals: FlagSpec[]): FlagSpec[] {
  const own = cmd.options.filter((o) => !o.hidden).map(flagSpec);
  const taken = new Set(own.map((f) => f.long));
  return [...own, ...globals.filter((g) => !taken.has(g.long))];
}

function visibleCommands(cmd: Command): Command[] {
  // commander keeps `hidden` private; its Help class is the public way to ask.
  return cmd
    .createHelp()
    .visibleCommands(cmd)
    .filter((c) => c.name() !== 'help' || c.parent === cmd);
}

function flagSpec(option: Option): FlagSpec {
  const dynamic = dynamicKindOf(option);
  return {
    ...(dynamic ? { dynamic } : {}),
    ...(option.long ? { long: option.long } : {}),
    ...(option.short ? { short: option.short } : {}),
    description: firstLine(option.description),
    takesValue: option.required || option.optional,
    ...(option.argChoices ? { choices: [...option.argChoices] } : {}),
  };
}

function sortFlags(flags: FlagSpec[]): FlagSpec[] {
  const key = (f: FlagSpec) => (f.long ?? f.short ?? '').replace(/^-+/, '');
  return flags.sort((a, b) => key(a).localeCompare(key(b)));
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}
