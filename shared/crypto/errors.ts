/**
 * Coded errors and failure results for shared/crypto (after jose's JOSEError codes). Builders
 * throw CryptoError for input they cannot turn into a key, DID or credential; verification
 * functions never throw for a bad credential, they return a CryptoFailure.
 */

export type CryptoErrorCode =
  | 'DID_KEY_INVALID'
  | 'DID_WEB_INVALID'
  | 'JWK_INVALID'
  | 'KEY_UNSUPPORTED'
  | 'KEY_ALG_MISMATCH'
  | 'VC_JWT_UNSIGNABLE';

export class CryptoError extends Error {
  override readonly name = 'CryptoError';
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** A verification step that did not pass: a stable code, a sentence for people, the technical detail. */
export interface CryptoFailure {
  readonly ok: false;
  readonly code: string;
  readonly message: string;
  readonly detail?: string;
}

export function cryptoFailure(code: string, message: string, detail?: string): CryptoFailure {
  return detail === undefined ? { ok: false, code, message } : { ok: false, code, message, detail };
}
