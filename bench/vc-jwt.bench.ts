/**
 * VC-JWT sign and verify (ours: jose EdDSA through shared/crypto and the full shared/verify
 * pipeline) against a peer in the same run: @digitalbazaar/vc issuing and verifying the same
 * credential with a Data Integrity eddsa-rdfc-2022 proof, the other securing mechanism OB 3.0 allows.
 */
import { readFileSync } from 'node:fs';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { buildAchievementCredential } from '../shared/credential/build-credential.ts';
import type { Learner, MicroCredentialDefinition } from '../shared/credential/types.ts';
import { buildDidWebDocument } from '../shared/crypto/did-web.ts';
import { generateSigningKey } from '../shared/crypto/keys.ts';
import { signVcJwt } from '../shared/crypto/vc-jwt.ts';
import { StaticDocuments } from '../shared/net/static-documents.ts';
import { pinnedContexts } from '../shared/verify/pinned-contexts.ts';
import { verifyCredential } from '../shared/verify/verify.ts';
import { measure, printComparison } from './measure.ts';

const readExample = (name: string) => JSON.parse(readFileSync(new URL(`../examples/${name}`, import.meta.url), 'utf8'));

export async function benchVcJwt(): Promise<void> {
  const did = 'did:web:issuer.example';
  const key = await generateSigningKey('EdDSA');
  const kid = `${did}#${key.thumbprint}`;
  const documents = new StaticDocuments().set('https://issuer.example/.well-known/did.json', buildDidWebDocument(did, [{ kid, publicJwk: key.publicJwk }]));
  const credential = await buildAchievementCredential({
    definition: readExample('definition.json') as MicroCredentialDefinition,
    learner: readExample('learner.json') as Learner,
    issuerId: did,
    credentialId: 'urn:uuid:6f1c0e8a-0000-4000-8000-000000000001',
  });
  const signingKey = { privateJwk: key.privateJwk, alg: 'EdDSA' as const, kid };
  const jwt = await signVcJwt(credential, signingKey);

  // The peer: the same credential, secured with eddsa-rdfc-2022 by the digitalbazaar stack.
  const peerKey = await Ed25519Multikey.generate({ controller: did });
  const peerKeyId = `${did}#${peerKey.publicKeyMultibase}`;
  const vm = { ...(await peerKey.export({ publicKey: true, includeContext: true })), id: peerKeyId };
  const signer = (await Ed25519Multikey.from({ ...(await peerKey.export({ publicKey: true, secretKey: true } as never)), id: peerKeyId })).signer();
  const contexts = await pinnedContexts();
  const controllerDoc = { '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'], id: did, assertionMethod: [vm] };
  const documentLoader = async (url: string) => {
    const document = url === peerKeyId ? vm : url === did ? controllerDoc : contexts.get(url);
    if (!document) throw new Error(`No pinned document for ${url}`);
    return { contextUrl: null, documentUrl: url, document };
  };
  const unsigned = { ...credential };
  const signed = await vc.issue({ credential: unsigned, suite: new DataIntegrityProof({ signer, cryptosuite }), documentLoader });
  const check = await vc.verifyCredential({ credential: signed, suite: new DataIntegrityProof({ cryptosuite }), documentLoader });
  if (!check.verified) throw new Error(`The peer could not verify its own credential: ${JSON.stringify(check.error)}`);
  const ours = await verifyCredential(jwt, { documents });
  if (!ours.verified) throw new Error(`Our pipeline did not verify the benchmark credential: ${ours.summary}`);

  printComparison('VC-JWT (EdDSA) vs Data Integrity eddsa-rdfc-2022, credentials per second', [
    {
      operation: 'sign',
      ours: await measure('shared/crypto signVcJwt', () => signVcJwt(credential, signingKey)),
      peer: await measure('@digitalbazaar/vc issue', () => vc.issue({ credential: { ...credential }, suite: new DataIntegrityProof({ signer, cryptosuite }), documentLoader })),
    },
    {
      operation: 'verify (full pipeline, cached keys)',
      ours: await measure('shared/verify verifyCredential', () => verifyCredential(jwt, { documents })),
      peer: await measure('@digitalbazaar/vc verifyCredential', () => vc.verifyCredential({ credential: signed, suite: new DataIntegrityProof({ cryptosuite }), documentLoader })),
    },
  ]);
}
