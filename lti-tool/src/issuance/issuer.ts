/**
 * This installation as an issuer: its did:web id, the OB 3.0 issuer Profile, the DID document and
 * JWKS it publishes, and signing with its active key (OB 3.0 §8.2 VC-JWT). The CLI and the running
 * tool build it from the same configuration and database, so they are one issuer.
 */
import { MICROCRED_CONTEXT_URL, OB_CONTEXT_URL, VC_V2_CONTEXT_URL } from '../../../shared/credential/context.ts';
import { buildIssuerProfile } from '../../../shared/credential/issuer-profile.ts';
import { buildDidWebDocument, type DidDocument } from '../../../shared/crypto/did-web.ts';
import { buildJwks } from '../../../shared/crypto/jwks.ts';
import { signVcJwt } from '../../../shared/crypto/vc-jwt.ts';
import type { ToolConfig } from '../config.ts';
import type { IssuerKeys } from '../keys/issuer-keys.ts';
import { createBatchSigner } from './batch-signer.ts';

export interface Issuer {
  readonly id: string;
  profile(): Record<string, unknown>;
  didDocument(): Promise<DidDocument>;
  jwks(): Promise<{ keys: object[] }>;
  sign(credential: Record<string, unknown>): Promise<string>;
  /** A signer bound to the key active now, read and unsealed once: for a batch of awards. */
  signer(): Promise<(credential: Record<string, unknown>) => Promise<string>>;
}

export interface IssuerProfileOptions {
  /** The awarding body's quality assurance (Annex I "type of quality assurance"), shown on the profile when configured. */
  readonly qualityAssurance?: string | undefined;
}

export function createIssuer(config: ToolConfig, keys: IssuerKeys, options: IssuerProfileOptions = {}): Issuer {
  return {
    id: config.issuerDid,
    profile() {
      const profile = buildIssuerProfile(config.issuerDid, { name: config.issuerName, url: config.publicUrl, countryCode: config.issuerCountryCode ?? '' });
      if (!config.issuerCountryCode) delete profile.address;
      const qa = options.qualityAssurance?.trim();
      if (!qa) return { '@context': [VC_V2_CONTEXT_URL, OB_CONTEXT_URL], ...profile };
      // OB 3.0 Profile has no quality-assurance term; ours travels in the same microCredential object credentials use.
      return { '@context': [VC_V2_CONTEXT_URL, OB_CONTEXT_URL, MICROCRED_CONTEXT_URL], ...profile, microCredential: { type: ['MicroCredentialProfile'], qualityAssurance: qa } };
    },
    async didDocument() {
      return buildDidWebDocument(config.issuerDid, await keys.publishedKeys());
    },
    async jwks() {
      return buildJwks(await keys.publishedKeys());
    },
    async sign(credential) {
      return signVcJwt(credential, await keys.activeSigningKey());
    },
    async signer() {
      return createBatchSigner(await keys.activeSigningKey());
    },
  };
}
