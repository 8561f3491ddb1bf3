// Interactive questions. The real one loads @inquirer/prompts only when a question is asked;
// tests substitute their own answers.
import type { IO } from './io.js';

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
}

export interface Prompter {
  input(options: {
    message: string;
    default?: string;
    validate?: (value: string) => true | string;
  }): Promise<string>;
  password(options: { message: string }): Promise<string>;
  confirm(options: { message: string; default?: boolean }): Promise<boolean>;
  select<T>(options: { message: string; choices: Choice<T>[]; default?: T }): Promise<T>;
}

export function inquirerPrompter(io: IO): Prompter {
  // Questions go to stderr so stdout carries only data.
  const context = { input: io.stdin, output: io.stderr, clearPromptOnDone: false };
  const load = () => import('@inquirer/prompts');
  return {
    input: async (o) => (await load()).input(o, context),
    password: async (o) => (await load()).password({ ...o, mask: '*' }, context),
    confirm: async (o) => (await load()).confirm(o, context),
    select: async <T>(o: { message: string; choices: Choice<T>[]; default?: T }) =>
      (await load()).select<T>(o, context),
  };
}
