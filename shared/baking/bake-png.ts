/**
 * OB 3.0 §5.3.1.1: bake a credential into a PNG as one uncompressed iTXt chunk with keyword
 * `openbadgecredential`, placed just before IEND. An existing OB 3.0 credential chunk is replaced
 * (the spec lets the baker choose; a second one would break "MUST NOT appear more than once").
 */
import { BakingError, bakingLimits, type BakingLimits } from './errors.ts';
import { encodePng, readPngChunks } from './png-chunks.ts';
import { buildItxtChunk, OB3_KEYWORD, textChunkKeyword } from './png-text.ts';
import { assertBakeableCredential } from './credential-text.ts';

/** Returns a new PNG carrying `credential` (a compact VC-JWT or the credential's JSON text). Throws BakingError. */
export function bakePng(png: Uint8Array, credential: string, limits: Partial<BakingLimits> = {}): Uint8Array {
  const bounds = bakingLimits(limits);
  assertBakeableCredential(credential, bounds);
  const read = readPngChunks(png, bounds);
  if (!read.ok) throw new BakingError(read.code, read.message);
  const kept = read.chunks.filter((chunk) => !(chunk.type === 'iTXt' && textChunkKeyword(chunk) === OB3_KEYWORD));
  const iend = kept.length - 1;
  return encodePng([...kept.slice(0, iend), buildItxtChunk(OB3_KEYWORD, credential.trim()), kept[iend]!]);
}
