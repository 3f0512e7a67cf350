/** The key secret that seals private keys at rest: MICROCRED_KEY_SECRET, else <dataDir>/key-secret, else a new one. */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KeySecretError, type KeySecret } from './secret-box.ts';

export const KEY_SECRET_ENV = 'MICROCRED_KEY_SECRET';
export const KEY_SECRET_FILE_NAME = 'key-secret';
/** HKDF does not slow down guessing, so the secret itself must be long and random. */
const MIN_SECRET_LENGTH = 32;

export interface LoadedKeySecret extends KeySecret {
  /** True when a new secret was written just now; the caller warns the admin to back it up. */
  readonly generated: boolean;
}

export interface KeySecretOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly dataDir: string;
}

function checked(secret: string, source: string): string {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new KeySecretError(
      'KEY_SECRET_TOO_SHORT',
      `The key secret from ${source} has ${secret.length} characters; it needs at least ${MIN_SECRET_LENGTH}. ` +
        'Generate one with: openssl rand -base64 32',
    );
  }
  return secret;
}

function readSecretFile(file: string): string | undefined {
  try {
    // Trimmed because editors and `echo` add a final newline.
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function loadKeySecret({ env, dataDir }: KeySecretOptions): LoadedKeySecret {
  const fromEnv = env[KEY_SECRET_ENV];
  if (fromEnv) {
    const source = `the environment variable ${KEY_SECRET_ENV}`;
    return { secret: checked(fromEnv, source), source, generated: false };
  }
  const file = resolve(join(dataDir, KEY_SECRET_FILE_NAME));
  const source = `the file ${file}`;
  const existing = readSecretFile(file);
  if (existing !== undefined) return { secret: checked(existing, source), source, generated: false };

  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  // Written whole to a private temporary name, then linked into place: link() never overwrites,
  // so when two instances start at once exactly one secret wins and nobody reads a half file.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { secret: checked(readSecretFile(file) ?? '', source), source, generated: false };
  } finally {
    unlinkSync(temporary);
  }
  return { secret, source, generated: true };
}
