// Whether dist/ (the compiled JavaScript) is current: bin/imlight.js runs it only then, and
// scripts/ensure-build.mjs rebuilds it when not. An installed package ships no .ts files, so it is always current.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time of the .ts files under `dir`. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** `root` is the package folder. 'missing', 'stale' or 'current'. */
export function buildState(root) {
  const compiled = join(root, 'dist', 'cli', 'main.js');
  if (!existsSync(compiled)) return 'missing';
  const sources = join(root, 'src');
  if (!existsSync(join(sources, 'cli', 'main.ts'))) return 'current';
  const built = statSync(compiled).mtimeMs;
  const inputs = [newestSource(sources), ...['tsconfig.json', 'tsconfig.build.json'].map((f) => (existsSync(join(root, f)) ? statSync(join(root, f)).mtimeMs : 0))];
  return Math.max(...inputs) > built ? 'stale' : 'current';
}
