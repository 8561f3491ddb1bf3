// `aigw completion bash|zsh|fish`: prints a completion script generated from the command tree.
import { Argument, type Command } from 'commander';
import type { Context } from '../context.js';

export function registerCompletion(program: Command, ctx: Context): void {
  program
    .command('completion')
    .summary('print a shell completion script (bash, zsh, fish)')
    .description('Print a completion script for your shell to stdout. aigw never edits your shell files.')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      `
Install:
  bash   add to ~/.bashrc:           eval "$(aigw completion bash)"
  zsh    add to ~/.zshrc (after compinit): source <(aigw completion zsh)
         or write it to your fpath:  aigw completion zsh > "\${fpath[1]}/_aigw"
  fish   aigw completion fish > ~/.config/fish/completions/aigw.fish

The scripts are also shipped in the package's completions/ directory.`,
    )
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      const { generateCompletion } = await import('../completion/generate.js');
      ctx.io.out(generateCompletion(program, shell));
    });

  // What the scripts call for live values: `aigw __complete gateways|profiles "<the line so far>"`.
  program
    .command('__complete', { hidden: true })
    .argument('<kind>')
    .argument('[line]')
    .action(async (kind: string, line: string | undefined) => {
      const { completionValues } = await import('../completion/values.js');
      for (const value of await completionValues(kind, line ?? '', ctx)) ctx.io.out(value);
    });
}
