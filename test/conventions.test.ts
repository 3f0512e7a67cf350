/** The project's own promises, checked: shared/ stays isomorphic, every verification check is registered, modules stay small. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CHECKS } from '../shared/verify/verify.ts';

const root = new URL('..', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('conventions', () => {
  test('when code lives in shared/, then it uses nothing Node-only (it runs in the extension service worker too)', () => {
    const offenders = sourceFiles('shared').filter((file) => {
      const text = readFileSync(join(root, file), 'utf8');
      return /from ['"]node:|require\(|\bBuffer\.|\bprocess\./.test(text);
    });
    expect(offenders).toEqual([]);
  });

  test('when a file is in shared/verify/checks, then it exports one check and the pipeline runs it', async () => {
    const files = sourceFiles('shared/verify/checks');
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const module = (await import(join(root, file))) as Record<string, unknown>;
      const checks = Object.values(module).filter((value) => typeof value === 'object' && value !== null && 'execute' in value);
      expect(checks, relative(root, file)).toHaveLength(1);
      expect(CHECKS, `${file} is not in CHECKS`).toContain(checks[0]);
    }
  });

  test('when a module is not a test, then it stays under 400 lines', () => {
    const big = ['shared', 'lti-tool/src', 'extension/src', 'bench']
      .flatMap((dir) => {
        try {
          return sourceFiles(dir);
        } catch {
          return [];
        }
      })
      .filter((file) => readFileSync(join(root, file), 'utf8').split('\n').length > 400);
    expect(big).toEqual([]);
  });
});
