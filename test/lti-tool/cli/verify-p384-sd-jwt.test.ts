import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../../lti-tool/src/cli.ts';
import type { CliIo } from '../../../lti-tool/src/cli/io.ts';
import { buildAchievementCredential } from '../../../shared/credential/build-credential.ts';
import { didKeyFromJwk } from '../../../shared/crypto/did-key.ts';
import { pinnedContexts } from '../../../shared/verify/pinned-contexts.ts';
import { issueSdJwt } from '../../shared/verify/sd-jwt-issuer.ts';
import { definition, learner } from '../../shared/verify/test-issuer.ts';

// `microcred verify` on the two kinds added for issue 6: P-384 issuers (Data Integrity
// ecdsa-rdfc-2019 and ES384 SD-JWT) and SD-JWT credentials, offline, through the real CLI path.
const dir = mkdtempSync(join(tmpdir(), 'microcred-p384-'));

function write(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
    fetch: async () => {
      throw new Error('no network in this test');
    },
    stdin: Readable.from(['']),
    env: {},
  };
  return { code: await runCli(args, io), out, err };
}

const credentialOf = (issuerId: string) =>
  buildAchievementCredential({ definition, learner, issuerId, credentialId: `urn:uuid:${crypto.randomUUID()}`, result: { issuedAt: new Date('2026-01-15T10:00:00Z') } });

describe('microcred verify: P-384 and SD-JWT credentials', () => {
  test('when a Data Integrity ecdsa-rdfc-2019 credential signed with a did:key P-384 key is verified offline, then it is verified (exit 0)', async () => {
    const key = await EcdsaMultikey.generate({ curve: 'P-384' });
    const did = `did:key:${key.publicKeyMultibase}`;
    const signer = (await EcdsaMultikey.from({ ...(await key.export({ publicKey: true, secretKey: true })), id: `${did}#${key.publicKeyMultibase}`, controller: did })).signer();
    const contexts = await pinnedContexts();
    const documentLoader = async (url: string) => ({ contextUrl: null, documentUrl: url, document: contexts.get(url) });
    const signed = await vc.issue({ credential: await credentialOf(did), suite: new DataIntegrityProof({ signer, cryptosuite: ecdsaRdfc2019 }), documentLoader });
    const result = await cli(['verify', write('p384-di.json', JSON.stringify(signed)), '--offline', '--json']);
    expect(result.err).toBe('');
    const report = JSON.parse(result.out) as { verdict: string; format: string; checks: { id: string; code: string; message: string }[] };
    expect(report.checks.find((c) => c.id === 'signature')).toMatchObject({ code: 'signature.valid', message: expect.stringContaining('ecdsa-rdfc-2019') });
    expect(report).toMatchObject({ format: 'json-ld', verdict: 'verified' });
    expect(result.code).toBe(0);
  });

  test('when an ES384 SD-JWT credential is verified offline, then the text report shows the disclosures and holder binding not checked (exit 0)', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES384', { extractable: true });
    const did = didKeyFromJwk(await exportJWK(publicKey));
    const issued = await issueSdJwt(await credentialOf(did), { privateJwk: await exportJWK(privateKey), alg: 'ES384', kid: did, disclosable: ['name', 'credentialSubject.achievement'] });
    const result = await cli(['verify', write('credential.sd-jwt', issued.sdJwt), '--offline']);
    expect(result.err).toBe('');
    expect(result.out).toContain('✓ Credential format: A W3C Verifiable Credential secured as an SD-JWT');
    expect(result.out).toContain('- Holder binding: Holder binding not checked');
    expect(result.code).toBe(0);
  });

  test('when a disclosure of an SD-JWT credential was forged, then the CLI refuses the input (exit 2) naming the claim', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES384', { extractable: true });
    const did = didKeyFromJwk(await exportJWK(publicKey));
    const issued = await issueSdJwt(await credentialOf(did), { privateJwk: await exportJWK(privateKey), alg: 'ES384', kid: did, disclosable: ['name'] });
    const forged = issued.sdJwt.replace(issued.disclosures.get('name') as string, Buffer.from(JSON.stringify(['salt', 'name', 'Forged'])).toString('base64url'));
    const result = await cli(['verify', write('forged.sd-jwt', forged), '--offline']);
    expect(result.err).toContain('The disclosed claim "name" is not among the claims the issuer signed');
    expect(result.code).toBe(2);
  });
});
