import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadKeySecret } from '../../../lti-tool/src/keys/key-secret.ts';
import { freshSqliteDir } from '../../setup/databases.ts';

describe('key secret', () => {
  test('when nothing is configured, then a secret file is generated with mode 0600 and reused on the next load', () => {
    const dataDir = join(freshSqliteDir(), 'data');
    const first = loadKeySecret({ env: {}, dataDir });
    expect(first.generated).toBe(true);
    expect(first.secret).toMatch(/^[\w-]{43}$/);
    expect(first.source).toContain(join(dataDir, 'key-secret'));
    expect(statSync(join(dataDir, 'key-secret')).mode & 0o777).toBe(0o600);

    const second = loadKeySecret({ env: {}, dataDir });
    expect(second).toEqual({ ...first, generated: false });
  });

  test('when MICROCRED_KEY_SECRET is set, then it wins and no file is written', () => {
    const dataDir = freshSqliteDir();
    const secret = 'e'.repeat(40);
    expect(loadKeySecret({ env: { MICROCRED_KEY_SECRET: secret }, dataDir })).toEqual({
      secret,
      generated: false,
      source: 'the environment variable MICROCRED_KEY_SECRET',
    });
    expect(existsSync(join(dataDir, 'key-secret'))).toBe(false);
  });

  test('when the file was written by an admin with a final newline, then the newline is not part of the secret', () => {
    const dataDir = freshSqliteDir();
    writeFileSync(join(dataDir, 'key-secret'), `${'f'.repeat(44)}\n`, { mode: 0o600 });
    expect(loadKeySecret({ env: {}, dataDir }).secret).toBe('f'.repeat(44));
  });

  test('when the secret is short, then loading fails with KEY_SECRET_TOO_SHORT', () => {
    const load = () => loadKeySecret({ env: { MICROCRED_KEY_SECRET: 'hunter2' }, dataDir: freshSqliteDir() });
    expect(load).toThrow(expect.objectContaining({ code: 'KEY_SECRET_TOO_SHORT' }));
  });
});
