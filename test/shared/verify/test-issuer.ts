/** A did:web issuer that lives in memory: its DID document and status lists are served by an in-memory DocumentSource. */
import { readFileSync } from 'node:fs';
import { buildAchievementCredential } from '../../../shared/credential/build-credential.ts';
import type { Learner, MicroCredentialDefinition } from '../../../shared/credential/types.ts';
import { buildDidWebDocument } from '../../../shared/crypto/did-web.ts';
import { generateSigningKey, type SigningAlg, type SigningKeyPair } from '../../../shared/crypto/keys.ts';
import { signVcJwt } from '../../../shared/crypto/vc-jwt.ts';
import { StaticDocuments } from '../../../shared/net/static-documents.ts';
import { Bitstring } from '../../../shared/status/bitstring.ts';
import { buildStatusEntry, buildStatusListCredential } from '../../../shared/status/status-list-credential.ts';

export const definition = JSON.parse(readFileSync(new URL('../../../examples/definition.json', import.meta.url), 'utf8')) as MicroCredentialDefinition;
export const learner = JSON.parse(readFileSync(new URL('../../../examples/learner.json', import.meta.url), 'utf8')) as Learner;

export interface TestIssuer {
  readonly did: string;
  readonly key: SigningKeyPair;
  readonly kid: string;
  readonly documents: StaticDocuments;
  readonly revocationList: Bitstring;
  readonly statusListUrl: string;
  issue(options?: { index?: number; validFrom?: Date; validUntil?: Date; definition?: MicroCredentialDefinition }): Promise<string>;
  publishStatusList(): Promise<void>;
}

export async function createTestIssuer(host = 'issuer.example', alg: SigningAlg = 'EdDSA'): Promise<TestIssuer> {
  const did = `did:web:${host}`;
  const key = await generateSigningKey(alg);
  const kid = `${did}#${key.thumbprint}`;
  const documents = new StaticDocuments();
  documents.set(`https://${host}/.well-known/did.json`, buildDidWebDocument(did, [{ kid, publicJwk: key.publicJwk }]));
  const statusListUrl = `https://${host}/status/1`;
  const revocationList = Bitstring.create();
  const sign = (credential: Record<string, unknown>) => signVcJwt(credential, { privateJwk: key.privateJwk, alg, kid });

  const issuer: TestIssuer = {
    did,
    key,
    kid,
    documents,
    revocationList,
    statusListUrl,
    async issue(options = {}) {
      const credential = await buildAchievementCredential({
        definition: options.definition ?? definition,
        learner,
        issuerId: did,
        credentialId: `urn:uuid:${crypto.randomUUID()}`,
        result: { issuedAt: options.validFrom ?? new Date('2026-01-15T10:00:00Z'), ...(options.validUntil ? { validUntil: options.validUntil } : {}) },
        ...(options.index === undefined ? {} : { credentialStatus: buildStatusEntry({ listCredentialUrl: statusListUrl, index: options.index, statusPurpose: 'revocation' }) }),
      });
      return sign(credential);
    },
    async publishStatusList() {
      const list = buildStatusListCredential({ id: statusListUrl, issuer: did, statusPurpose: 'revocation', encodedList: await revocationList.encode(), validFrom: new Date('2026-01-01T00:00:00Z') });
      documents.set(statusListUrl, await sign(list));
    },
  };
  await issuer.publishStatusList();
  return issuer;
}

/** Replace the payload of a compact JWS with a changed copy, keeping header and signature. */
export function tamper(jwt: string, change: (payload: Record<string, unknown>) => void): string {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  change(decoded);
  return `${header}.${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${signature}`;
}
