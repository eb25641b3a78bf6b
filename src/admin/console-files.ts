// The console page's static files (plain HTML, CSS and a browser module: no build step), read once at start.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ConsoleFile {
  readonly body: Buffer;
  readonly contentType: string;
}

// Next to this module when running from src (tsx); a build to dist/ has no copies, so fall back to the sources.
const CONSOLE_DIR = [new URL('./console/', import.meta.url), new URL('../../src/admin/console/', import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((dir) => existsSync(dir)) ?? fileURLToPath(new URL('./console/', import.meta.url));

const FILES: ReadonlyArray<readonly [route: string, file: string, contentType: string]> = [
  ['/', 'index.html', 'text/html; charset=utf-8'],
  ['/console.js', 'console.js', 'text/javascript; charset=utf-8'],
  ['/console-accounts.js', 'console-accounts.js', 'text/javascript; charset=utf-8'],
  ['/console.css', 'console.css', 'text/css; charset=utf-8'],
];

export function loadConsoleFiles(dir = CONSOLE_DIR): ReadonlyMap<string, ConsoleFile> {
  return new Map(FILES.map(([route, file, contentType]) => [route, { body: readFileSync(`${dir}/${file}`), contentType }]));
}
