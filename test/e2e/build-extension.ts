/** Makes sure dist/chrome holds a build of the current sources (builds when missing or older than any source file). */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
export const CHROME_DIST = join(ROOT, 'dist/chrome');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function ensureExtensionBuilt(): string {
  const manifest = join(CHROME_DIST, 'manifest.json');
  const sources = Math.max(newestMtime(join(ROOT, 'extension')), newestMtime(join(ROOT, 'shared')), statSync(join(ROOT, 'vite.extension.config.ts')).mtimeMs);
  if (!existsSync(manifest) || statSync(manifest).mtimeMs < sources) {
    execFileSync(join(ROOT, 'node_modules/.bin/vite'), ['build', '--config', 'vite.extension.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  }
  return CHROME_DIST;
}
