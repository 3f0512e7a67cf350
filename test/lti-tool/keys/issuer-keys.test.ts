import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SignJWT, calculateJwkThumbprint, importJWK, jwtVerify } from 'jose';
import { afterEach, describe, expect, test } from 'vitest';
import { IssuerKeys } from '../../../lti-tool/src/keys/issuer-keys.ts';
import { SecretBox } from '../../../lti-tool/src/keys/secret-box.ts';
import { openDb, openStore, type Store, type StoreOptions } from '../../../lti-tool/src/store/open-store.ts';
import { STORE_KINDS, freshStoreOptions } from '../../setup/databases.ts';

const ISSUER = 'did:web:issuer.example';
const SECRET = 'k'.repeat(43);
const box = (secret = SECRET) => new SecretBox({ secret, source: 'the environment variable MICROCRED_KEY_SECRET' });

const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function keysOn(options: StoreOptions, secret = SECRET, now?: () => Date) {
  const store = await openStore(options);
  opened.push(store);
  return new IssuerKeys({ issuerDid: ISSUER, repository: store.keys, secretBox: box(secret), ...(now && { now }) });
}

async function rawRows(options: StoreOptions) {
  const db = openDb(options);
  try {
    return await db.query<Record<string, unknown>>('SELECT * FROM issuer_keys');
  } finally {
    await db.close();
  }
}

describe.each(STORE_KINDS)('issuer keys on %s', (kind) => {
  test('when the signing key is first asked for, then an EdDSA key is created whose kid is the DID plus its thumbprint', async () => {
    const keys = await keysOn(await freshStoreOptions(kind));
    const active = await keys.activeSigningKey();
    expect(active.alg).toBe('EdDSA');
    expect(active.kid).toBe(`${ISSUER}#${await calculateJwkThumbprint(active.privateJwk)}`);
    expect((await keys.activeSigningKey()).kid).toBe(active.kid);

    const [published] = await keys.publishedKeys();
    const jwt = await new SignJWT({ ok: true }).setProtectedHeader({ alg: 'EdDSA', kid: active.kid }).sign(await importJWK(active.privateJwk, 'EdDSA'));
    await expect(jwtVerify(jwt, await importJWK(published!.publicJwk, 'EdDSA'))).resolves.toBeTruthy();
  });

  test('when two stores ask for the first signing key at once, then both get the same single active key', async () => {
    const options = await freshStoreOptions(kind);
    const [a, b] = await Promise.all([keysOn(options), keysOn(options)]);
    const [ka, kb] = await Promise.all([a.activeSigningKey(), b.activeSigningKey()]);
    expect(ka.kid).toBe(kb.kid);
    expect((await a.list()).filter((k) => k.status === 'active')).toHaveLength(1);
    expect(await a.list()).toHaveLength(1);
  });

  test('when three processes start on an empty database at once, then they all sign with one key', async () => {
    const options = await freshStoreOptions(kind);
    const child = fileURLToPath(new URL('./first-use-child.ts', import.meta.url));
    const run = () => promisify(execFile)(process.execPath, ['--import', 'tsx', child, options.dataDir, options.databaseUrl ?? '', SECRET]);
    const outputs = await Promise.all([run(), run(), run()]);
    const kids = new Set(outputs.map((o) => o.stdout));
    expect(kids.size).toBe(1);
    expect(await rawRows(options)).toHaveLength(1);
  });

  test('when the key is rotated, then the new key is active and the old one stays published as retired', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const keys = await keysOn(await freshStoreOptions(kind), SECRET, () => new Date(clock));
    const first = await keys.generate('ES256');
    clock += 1000;
    const second = await keys.rotate();

    expect(second).toMatchObject({ alg: 'ES256', status: 'active' });
    expect((await keys.activeSigningKey()).kid).toBe(second.kid);
    expect(await keys.list()).toEqual([
      second,
      { ...first, status: 'retired', retiredAt: new Date(clock) },
    ]);
    expect((await keys.publishedKeys()).map((k) => k.kid)).toEqual([second.kid, first.kid]);
    expect((await keys.rotate('RS256')).alg).toBe('RS256');
    expect(await keys.publishedKeys()).toHaveLength(3);
  });

  test('when a key already exists, then generate refuses with ISSUER_KEY_EXISTS', async () => {
    const keys = await keysOn(await freshStoreOptions(kind));
    await keys.generate();
    await expect(keys.generate()).rejects.toMatchObject({ code: 'ISSUER_KEY_EXISTS' });
  });

  test('when keys are stored, then no private member and no plaintext private key is in the row', async () => {
    const options = await freshStoreOptions(kind);
    const keys = await keysOn(options);
    const { privateJwk } = await keys.activeSigningKey();
    const [row] = await rawRows(options);
    expect(JSON.parse(row!.public_jwk as string)).not.toHaveProperty('d');
    const rowText = JSON.stringify(row);
    expect(rowText).not.toContain(privateJwk.d);
    expect(rowText).not.toMatch(/"d"/);
    expect(row!.encrypted_private_key).toMatch(/^v1\./);
    for (const published of await keys.publishedKeys()) expect(published.publicJwk).not.toHaveProperty('d');
  });

  test('when the key secret changed, then signing fails with KEY_SECRET_WRONG but publishing still works', async () => {
    const options = await freshStoreOptions(kind);
    await (await keysOn(options)).activeSigningKey();
    const withOtherSecret = await keysOn(options, 'z'.repeat(43));
    await expect(withOtherSecret.activeSigningKey()).rejects.toMatchObject({
      code: 'KEY_SECRET_WRONG',
      message: expect.stringContaining('MICROCRED_KEY_SECRET'),
    });
    expect(await withOtherSecret.publishedKeys()).toHaveLength(1);
  });
});
