// The vendored contract is the only copy the repository reads: its README names the file's sha256, and no file
// of the repository reaches outside it for a contract or notes (a clone must pass with nothing beside it).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contractUrl } from '../helpers/openapi.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the vendored contract', () => {
  it('is the file its README describes, by sha256', () => {
    const sha256 = createHash('sha256').update(readFileSync(contractUrl)).digest('hex');
    const readme = readFileSync(join(root, 'contract/README.md'), 'utf8');
    expect(readme).toContain(`| sha256 | \`${sha256}\` |`);
    expect(relative(root, fileURLToPath(contractUrl))).toBe(join('contract', 'ai-gateway.openapi.json'));
  });

  it('is read from the repository only: no source, test, bench or script names a path outside it', () => {
    const files = ['src', 'test', 'bench', 'scripts', 'bin', '.ci'].flatMap(filesUnder);
    files.push('package.json', 'vitest.config.ts', 'tsconfig.json');
    const outside = files.filter((file) =>
      /\.\.\/(?:\.\.\/)*shared\//.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(outside).toEqual([]);
  });
});
