// Help fits the terminal: every command's --help at COLUMNS=80 has no line over 80 columns (commander wraps
// the options and descriptions; the examples and notes after them are written to fit).
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { applyToTree, buildProgram } from '../../src/cli.js';
import { Context } from '../../src/context.js';
import { fakeStreams, runInProcess } from '../helpers/in-process.js';

/** The words that reach each command: [], ['gateway'], ['gateway', 'create'], ... */
function commandPaths(): string[][] {
  const program = buildProgram(new Context({ streams: fakeStreams().streams, env: {}, cwd: process.cwd() }));
  const paths: string[][] = [];
  const pathOf = (cmd: Command): string[] => (cmd.parent ? [...pathOf(cmd.parent), cmd.name()] : []);
  applyToTree(program, (cmd) => paths.push(pathOf(cmd)));
  return paths;
}

const tooWide = (text: string, width: number) => text.split('\n').filter((line) => line.length > width);

describe('--help wraps to the terminal', () => {
  const paths = commandPaths();

  it('covers every command', () => {
    expect(paths.map((p) => p.join(' '))).toEqual(
      expect.arrayContaining(['', 'proxy', 'gateway create', 'gateway apply', 'auth login', 'profile add']),
    );
  });

  it.each(paths.map((p) => [p.join(' ') || '(aigw)', p]))(
    '%s: no line over 80 columns at COLUMNS=80',
    async (_, path) => {
      const r = await runInProcess([...(path as string[]), '--help'], { env: { COLUMNS: '80' } });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: aigw');
      expect(tooWide(r.stdout, 80)).toEqual([]);
    },
  );

  it('uses a wider terminal (up to 100 columns), and 80 when piped with no COLUMNS', async () => {
    const wide = await runInProcess(['proxy', '--help'], { env: { COLUMNS: '200' } });
    expect(tooWide(wide.stdout, 100)).toEqual([]);
    expect(tooWide(wide.stdout, 80).length).toBeGreaterThan(0);
    const piped = await runInProcess(['proxy', '--help']);
    expect(tooWide(piped.stdout, 80)).toEqual([]);
  });
});
