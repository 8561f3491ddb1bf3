// Every command the help and the README name exists: `aigw <noun> <verb>` in the help topics, in every
// command's --help (examples included) and in the README's code, and the commands the help topics quote.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { applyToTree, buildProgram } from '../../src/cli.js';
import { helpTopics } from '../../src/commands/help.js';
import { Context } from '../../src/context.js';
import { fakeStreams } from '../helpers/in-process.js';
import { repoRoot } from '../helpers/run-cli.js';

const io = fakeStreams();
const program = buildProgram(new Context({ streams: io.streams, env: {}, cwd: repoRoot }));

/** The nouns of the design, built or not: `aigw logs` or a quoted 'logs tail' must be a real command. */
const nouns = ['gateway', 'logs', 'costs', 'request', 'keys', 'providers', 'datasets', 'evals', 'routes'];

const findSub = (cmd: Command, word: string) =>
  cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));

/** Why the words after `aigw` do not name a command, or null when they do. */
function problem(words: string[]): string | null {
  const valued = new Set(
    program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short]),
  );
  let i = 0;
  while (i < words.length && words[i]!.startsWith('-')) i += valued.has(words[i]!) ? 2 : 1;
  const noun = words[i];
  if (!noun || !/^[a-z][a-z-]*$/.test(noun)) return null; // `aigw ...`, `aigw <command>`
  const cmd = findSub(program, noun);
  // Any other word after aigw is prose ("aigw never prompts").
  if (!cmd) return nouns.includes(noun) ? `no command "${noun}"` : null;
  const verb = words[i + 1];
  if (cmd.commands.length === 0 || !verb || !/^[a-z][a-z|-]*$/.test(verb)) return null;
  // A noun with a default verb (bare `aigw logs` is `aigw logs filter`) takes that verb's arguments instead.
  const defaultVerb = (cmd as unknown as { _defaultCommandName?: string })._defaultCommandName;
  if (defaultVerb && !verb.includes('|') && !findSub(cmd, verb)) return null;
  const missing = verb.split('|').filter((v) => !findSub(cmd, v));
  return missing.length > 0 ? `no command "${noun} ${missing.join('|')}"` : null;
}

/** Each `aigw ...` in the text, as the words up to the end of the command. */
function mentions(text: string): string[][] {
  return [...text.matchAll(/\baigw((?: +[^\s`'"#;)]+)*)/g)].map((m) =>
    m[1]!.trim().split(/ +/).filter(Boolean),
  );
}

function check(where: string, text: string): string[] {
  return mentions(text)
    .map((words) => [words, problem(words)] as const)
    .filter(([, why]) => why !== null)
    .map(([words, why]) => `${where}: "aigw ${words.join(' ')}": ${why}`);
}

describe('commands named in the help and the README exist', () => {
  it('the help topics, their quoted commands included', () => {
    const bad: string[] = [];
    for (const [name, topic] of Object.entries(helpTopics)) {
      bad.push(...check(`help ${name}`, topic.text));
      for (const [, quoted] of topic.text.matchAll(/'(?:aigw )?([a-z][a-z -]*)'/g)) {
        const words = quoted!.split(' ');
        if (nouns.includes(words[0]!)) bad.push(...check(`help ${name}`, `aigw ${quoted}`));
      }
    }
    expect(bad).toEqual([]);
  });

  it("every command's --help, examples included", () => {
    const bad: string[] = [];
    applyToTree(program, (cmd) => {
      const before = io.stdout().length;
      cmd.outputHelp();
      bad.push(...check(`${cmd.name()} --help`, io.stdout().slice(before)));
    });
    expect(bad).toEqual([]);
  });

  it("the README's code (blocks and inline)", () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const code = [...readme.matchAll(/```[^\n]*\n([\s\S]*?)```|`([^`\n]+)`/g)].map((m) => m[1] ?? m[2]!);
    expect(code.flatMap((c) => check('README', c))).toEqual([]);
  });

  it('finds what it is for: an unbuilt command in a topic or the README fails', () => {
    expect(check('t', 'route by cost: aigw routes tset prod-chat')).toEqual([
      't: "aigw routes tset prod-chat": no command "routes tset"',
    ]);
    expect(check('t', 'route by cost: aigw routes test prod-chat support')).toEqual([]);
    expect(check('t', 'store a provider key: aigw keys add openai')).toEqual([]);
    expect(check('t', 'where the money goes: aigw costs --since 7d')).toEqual([]);
    expect(check('t', 'aigw logs prod-chat --status error')).toEqual([]);
    expect(check('t', 'aigw --profile prod gateway lst')).toEqual([
      't: "aigw --profile prod gateway lst": no command "gateway lst"',
    ]);
    expect(check('t', 'aigw gateway create|list|get|update|delete|url|apply')).toEqual([]);
  });
});
