// Writes completions/ from the built CLI (run through `npm run completions`, which builds first).
// test/unit/completions.test.ts fails when these files no longer match the command tree.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../bin/aigw.js', import.meta.url));
const files = { bash: 'aigw.bash', zsh: '_aigw', fish: 'aigw.fish' };

mkdirSync(new URL('../completions/', import.meta.url), { recursive: true });
for (const [shell, file] of Object.entries(files)) {
  const script = execFileSync(process.execPath, [bin, 'completion', shell], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
  });
  writeFileSync(new URL(`../completions/${file}`, import.meta.url), script);
  console.log(`completions/${file}`);
}
