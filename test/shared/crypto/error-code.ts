/** The CryptoError code a call throws (or a note that it threw something else), for asserting refusals. */
import { CryptoError } from '../../../shared/crypto/errors.ts';

export function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof CryptoError ? error.code : `not a CryptoError: ${String(error)}`;
  }
  return undefined;
}
