// What `aigw` loads before any command runs: dist/cli.js and the chunks it imports statically, followed through.
// graphql-js (the local gateway's analytics endpoint) must not be among them: it loads only in the proxy.
// Needs `npm run build` first (npm test does it).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/run-cli.js';

/** graphql-js's schema class as the bundler writes it. */
const graphqlJs = /\bGraphQLSchema = class\b/;

function staticClosure(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const [, spec] of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s*"(\.[^"]+)"/gm)) {
      visit(join(dirname(file), spec!));
    }
    for (const [, spec] of text.matchAll(/^import\s*"(\.[^"]+)";/gm)) visit(join(dirname(file), spec!));
  };
  visit(entry);
  return seen;
}

describe('the CLI start-up path', () => {
  it('does not load graphql-js, which the bundle keeps in a chunk of its own', () => {
    const loaded = staticClosure(join(repoRoot, 'dist', 'cli.js'));
    expect(loaded.size).toBeGreaterThan(1);
    const withGraphql = [...loaded].filter(([, text]) => graphqlJs.test(text));
    expect(withGraphql.map(([file]) => file)).toEqual([]);
    // The check can fail: the bundle does hold graphql-js, in a chunk loaded on demand.
    const everything = staticClosure(join(repoRoot, 'dist', 'chunks', graphqlChunk()));
    expect([...everything.values()].some((text) => graphqlJs.test(text))).toBe(true);
  });
});

function graphqlChunk(): string {
  const dir = join(repoRoot, 'dist', 'chunks');
  for (const chunk of readdirSync(dir)) {
    const found = readFileSync(join(dir, chunk), 'utf8').match(/import\("\.\/(graphql-[^"]+)"\)/);
    if (found) return found[1]!;
  }
  throw new Error('no chunk imports the graphql chunk on demand');
}
