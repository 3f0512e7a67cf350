/**
 * Coded errors for baking and extracting Open Badges images (OB 3.0 §5.3, OB 2.0 "Baking").
 * Baking throws BakingError (the caller handed us a broken image); extracting never throws for a
 * hostile or broken image, it returns a BakedFailure with the same codes.
 */

export type BakingErrorCode =
  | 'baked.too-large'
  | 'baked.not-an-image'
  | 'baked.png-truncated'
  | 'baked.png-chunk-length'
  | 'baked.png-crc'
  | 'baked.png-too-many-chunks'
  | 'baked.png-structure'
  | 'baked.text-malformed'
  | 'baked.compressed'
  | 'baked.multiple-credentials'
  | 'baked.no-credential'
  | 'baked.credential-too-large'
  | 'baked.credential-invalid'
  | 'baked.svg-not-utf8'
  | 'baked.svg-malformed'
  | 'baked.svg-entity'
  | 'baked.svg-too-deep';

export class BakingError extends Error {
  override readonly name = 'BakingError';
  readonly code: BakingErrorCode;

  constructor(code: BakingErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface BakedFailure {
  readonly ok: false;
  readonly code: BakingErrorCode;
  readonly message: string;
}

/** Limits on anything read from an image; every one is enforced before the work it bounds. */
export interface BakingLimits {
  /** Largest image accepted, in bytes (default 10 MiB). */
  readonly maxImageBytes: number;
  /** Most PNG chunks read (default 4096). */
  readonly maxChunks: number;
  /** Largest credential text accepted, in bytes (default 1 MiB). */
  readonly maxCredentialBytes: number;
  /** Deepest SVG element nesting scanned (default 256). */
  readonly maxSvgDepth: number;
}

export const DEFAULT_BAKING_LIMITS: BakingLimits = {
  maxImageBytes: 10 * 1024 * 1024,
  maxChunks: 4096,
  maxCredentialBytes: 1024 * 1024,
  maxSvgDepth: 256,
};

export function bakingLimits(overrides: Partial<BakingLimits> = {}): BakingLimits {
  return { ...DEFAULT_BAKING_LIMITS, ...overrides };
}
