/** An OB 3.0 credential secured with an eddsa-rdfc-2022 Data Integrity proof by @digitalbazaar/vc (an independent signer), issued by a fresh did:key. */
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { buildAchievementCredential } from '../../shared/credential/build-credential.ts';
import { pinnedContexts } from '../../shared/verify/pinned-contexts.ts';
import { definition, learner } from '../shared/verify/test-issuer.ts';

export async function dataIntegrityCredential(credentialId: string): Promise<Record<string, unknown>> {
  const key = await Ed25519Multikey.generate();
  const did = `did:key:${key.publicKeyMultibase}`;
  const exported = await key.export({ publicKey: true, secretKey: true } as never);
  const signer = (await Ed25519Multikey.from({ ...exported, id: `${did}#${key.publicKeyMultibase}`, controller: did })).signer();
  const contexts = await pinnedContexts();
  const documentLoader = async (url: string) => ({ contextUrl: null, documentUrl: url, document: contexts.get(url) });
  const credential = await buildAchievementCredential({ definition, learner, issuerId: did, credentialId, result: { issuedAt: new Date('2026-01-15T10:00:00Z') } });
  return vc.issue({ credential, suite: new DataIntegrityProof({ signer, cryptosuite }), documentLoader });
}
