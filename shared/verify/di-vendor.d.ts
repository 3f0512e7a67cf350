// Type declarations for the further untyped Data Integrity packages the verifier loads lazily (only what we use).
declare module 'did-context' {
  const value: { contexts: Map<string, object> };
  export default value;
}
declare module 'ed25519-signature-2020-context' {
  const value: { contexts: Map<string, object>; CONTEXT_URL: string };
  export default value;
}
declare module '@digitalbazaar/vc-status-list-context' {
  const value: { contexts: Map<string, object> };
  export default value;
}
declare module '@digitalbazaar/vc-bitstring-status-list-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite' {
  export const cryptosuite: unknown;
}
declare module '@digitalbazaar/eddsa-jcs-2022-cryptosuite' {
  export function createVerifyCryptosuite(): unknown;
  export function createSignCryptosuite(): unknown;
}
declare module '@digitalbazaar/ed25519-signature-2020' {
  export class Ed25519Signature2020 {
    constructor(options?: { key?: unknown; signer?: unknown });
  }
}
declare module '@digitalbazaar/ecdsa-multikey' {
  export function generate(options: { curve: 'P-256' | 'P-384'; id?: string; controller?: string }): Promise<{ id: string; controller: string; publicKeyMultibase: string; signer(): unknown; export(o: { publicKey: boolean; secretKey?: boolean }): Promise<Record<string, unknown>> }>;
  export function from(key: Record<string, unknown>): Promise<{ signer(): unknown }>;
}
