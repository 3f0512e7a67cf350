/**
 * The verification report and the shape of one check (after DCC verifier-core): checks return
 * their outcome, they never throw it; a thrown error inside a check is a bug and is reported as
 * such by the pipeline.
 */
import type { KeyBindingExpectation } from '../crypto/sd-jwt-key-binding.ts';
import type { DocumentSource } from '../net/document-source.ts';
import type { EuElements } from '../credential/types.ts';
import type { TrustList } from '../trust/trust-list.ts';

export type CheckStatus = 'passed' | 'failed' | 'warning' | 'skipped';

export interface CheckOutcome {
  readonly status: CheckStatus;
  /** Stable code, e.g. "signature.invalid", "status.revoked". */
  readonly code: string;
  /** A sentence a recruiter or course admin understands. */
  readonly message: string;
  /** Technical detail, one click away in the UIs. */
  readonly detail?: string;
}

export interface CheckResult extends CheckOutcome {
  readonly id: string;
  readonly name: string;
}

/** One verdict the extension and the pages show. */
export type Verdict = 'verified' | 'revoked' | 'suspended' | 'expired' | 'invalid' | 'unverifiable' | 'incomplete' | 'untrusted';

export type CredentialFormat = 'vc-jwt' | 'vc-jwt-v1' | 'vc-sd-jwt' | 'json-ld' | 'ob2';

/** A credential as read from the input, before any check. */
export interface ParsedCredential {
  readonly format: CredentialFormat;
  /** The credential document (the JWT payload for VC-JWT, the JSON for embedded proofs). */
  readonly credential: Record<string, unknown>;
  /**
   * For JWTs: the compact serialization and its decoded protected header. For SD-JWTs, `compact` is
   * the issuer-signed JWT and `payload` its claims with the disclosures in place.
   */
  readonly jwt?: { readonly compact: string; readonly header: Record<string, unknown>; readonly payload: Record<string, unknown> };
  /** SD-JWT input (format 'vc-sd-jwt', RFC 9901): what the holder disclosed and the key binding, if any. */
  readonly sdJwt?: {
    readonly hashAlg: string;
    readonly disclosedNames: readonly string[];
    /** The SD-JWT without its Key Binding JWT (what `sd_hash` covers). */
    readonly presentation: string;
    readonly keyBindingJwt?: string;
  };
  /** Set when the credential was read out of a baked image (OB 3.0 §5.3, OB 2.0 Baking). */
  readonly baked?: 'png' | 'svg';
  /**
   * Open Badges 2.0 input (format 'ob2'): a hosted assertion's URL, a signed assertion's compact
   * JWS, or the assertion JSON; `credential` then holds the assertion JSON when it is at hand.
   */
  readonly ob2?: { readonly url?: string; readonly jws?: string };
}

export interface TrustedIssuer {
  readonly id: string;
  readonly name?: string;
}

export interface VerifyOptions {
  readonly documents: DocumentSource;
  /** Injected clock; defaults to the current time. */
  readonly now?: () => Date;
  /** Seconds of tolerance on validity windows (default 60). */
  readonly clockSkewSeconds?: number;
  /** Issuers the caller trusts; absent (with no trustLists) means "lists not checked". */
  readonly trustedIssuers?: readonly TrustedIssuer[];
  /** Trusted-issuer lists (shared/trust): parsed lists, or URLs loaded through `documents`. */
  readonly trustLists?: readonly (TrustList | string)[];
  /** A name or email the holder claims; checked against hashed recipients (OB 2.0 recipient, OB 3.0 identifier). */
  readonly recipient?: string;
  /** Largest credential input accepted, in bytes (default 256 KiB). */
  readonly maxInputBytes?: number;
  /**
   * Nothing may be fetched (archival / air-gapped use): checks that need a document `documents`
   * does not hold report "not checked" (status skipped) instead of failing.
   */
  readonly offline?: boolean;
  /**
   * Where JSON-LD contexts beyond the pinned set may come from: a local source only (a documents
   * folder), never the network. Absent: pinned contexts only.
   */
  readonly contextSource?: Pick<DocumentSource, 'getJson'>;
  /**
   * Where Data Integrity proofs are checked. Absent: in this thread, with the JSON-LD stack loaded
   * on first use. The browser extension injects a check that runs in a worker (its MV3 service
   * worker may not load code lazily); an injected check uses its own, pinned contexts only.
   */
  readonly dataIntegrity?: DataIntegrityProofCheck;
  /**
   * What an SD-JWT presentation's key binding must say (RFC 9901 §7.3): the audience and nonce this
   * verifier asked the holder for. Absent: a key binding is still verified, but holder binding is
   * reported as not checked.
   */
  readonly keyBinding?: KeyBindingExpectation;
  /** Set by the pipeline when it verifies the credentials inside a CLR; callers leave it out. */
  readonly containerDepth?: number;
}

export type DataIntegritySuite = 'eddsa-rdfc-2022' | 'eddsa-jcs-2022' | 'ecdsa-rdfc-2019' | 'Ed25519Signature2020';

/** One proof to check, as plain data, so it can be posted to another thread or document. */
export interface DataIntegrityRequest {
  readonly credential: Record<string, unknown>;
  readonly suite: DataIntegritySuite;
  /** The issuer key the issuer-key check resolved; the proof must be made with it. */
  readonly key: NonNullable<VerifyContext['issuerKey']>;
}

export type DataIntegrityProofCheck = (request: DataIntegrityRequest) => Promise<CheckOutcome>;

/** Shared state that checks fill in for later checks. */
export interface VerifyContext {
  readonly options: VerifyOptions;
  readonly now: Date;
  parsed?: ParsedCredential;
  /** The issuer's verification key, once resolved. */
  issuerKey?: { readonly kid: string; readonly jwk: JsonWebKey; readonly controller: string };
  /** Status entries found revoked / suspended, for the verdict. */
  statusFlags?: { revoked?: boolean; suspended?: boolean };
  eu?: EuElements;
  /** Open Badges 2.0: the assertion, BadgeClass and Issuer profile, once loaded (shared/ob2). */
  ob2?: { assertion: Record<string, unknown>; badge: Record<string, unknown>; issuer: Record<string, unknown> };
  /** Reports of the credentials inside a container (CLR 2.0). */
  inner?: VerificationReport[];
}

export interface Check {
  readonly id: string;
  readonly name: string;
  /** A failed fatal check stops the pipeline; later checks are reported as skipped. */
  readonly fatal: boolean;
  /** Formats the check applies to; absent means all. A check that does not apply is left out of the report. */
  readonly formats?: readonly CredentialFormat[];
  execute(ctx: VerifyContext): Promise<CheckOutcome>;
}

export interface VerificationReport {
  readonly verified: boolean;
  readonly verdict: Verdict;
  /** One sentence summing up the verdict. */
  readonly summary: string;
  readonly checks: readonly CheckResult[];
  readonly format?: CredentialFormat;
  readonly credential?: Record<string, unknown>;
  readonly issuer?: { readonly id: string; readonly name?: string };
  readonly eu?: EuElements;
  /** A CLR 2.0 record's contained credentials, each verified on its own, in order. */
  readonly inner?: readonly VerificationReport[];
  /** Where the credential came from when it was baked into an image. */
  readonly baked?: 'png' | 'svg';
}
