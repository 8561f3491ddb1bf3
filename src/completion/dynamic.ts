// Which arguments and option values the shell completion scripts complete with live values (gateway ids,
// profile names) by calling `aigw __complete`. Registration marks them; the script generator reads the marks.
// Kept tiny: every command registration imports it.
import type { Argument, Option } from 'commander';

export const dynamicKinds = ['gateways', 'profiles'] as const;
export type DynamicKind = (typeof dynamicKinds)[number];

const marks = new WeakMap<Argument | Option, DynamicKind>();

/** Marks `item` as completed with live values of `kind`; returns it for chaining. */
export function completeWith<T extends Argument | Option>(item: T, kind: DynamicKind): T {
  marks.set(item, kind);
  return item;
}

export function dynamicKindOf(item: Argument | Option): DynamicKind | undefined {
  return marks.get(item);
}
