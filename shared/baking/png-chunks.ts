/**
 * PNG (ISO/IEC 15948, W3C PNG 2nd ed.) §5.2–5.6: the signature and the chunk layout
 * (length, type, data, CRC). Reading is bounded: a chunk count cap, each length checked against
 * the PNG maximum and the bytes that remain, every CRC checked, before any chunk is used.
 */
import { crc32 } from './crc32.ts';
import type { BakedFailure, BakingLimits } from './errors.ts';

export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
/** §5.3: a chunk length is at most 2^31 − 1. */
const MAX_CHUNK_LENGTH = 0x7fffffff;

export interface PngChunk {
  /** Four ASCII letters, e.g. "IHDR", "iTXt". */
  readonly type: string;
  readonly data: Uint8Array;
}

export type PngChunksOutcome = { readonly ok: true; readonly chunks: readonly PngChunk[] } | BakedFailure;

export function hasPngSignature(bytes: Uint8Array): boolean {
  if (bytes.length < PNG_SIGNATURE.length) return false;
  return PNG_SIGNATURE.every((byte, i) => bytes[i] === byte);
}

/** Reads every chunk up to and including IEND; bytes after IEND are ignored, as decoders do. */
export function readPngChunks(bytes: Uint8Array, limits: Pick<BakingLimits, 'maxImageBytes' | 'maxChunks'>): PngChunksOutcome {
  if (bytes.length > limits.maxImageBytes) {
    return failure('baked.too-large', `The image is ${bytes.length} bytes; the limit is ${limits.maxImageBytes} bytes.`);
  }
  if (!hasPngSignature(bytes)) return failure('baked.not-an-image', 'The file does not start with the PNG signature.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: PngChunk[] = [];
  let offset = PNG_SIGNATURE.length;
  for (;;) {
    if (chunks.length >= limits.maxChunks) {
      return failure('baked.png-too-many-chunks', `The PNG has more than ${limits.maxChunks} chunks; it is not read further.`);
    }
    if (bytes.length - offset < 12) return failure('baked.png-truncated', 'The PNG ends in the middle of a chunk (no IEND chunk was found).');
    const length = view.getUint32(offset);
    if (length > MAX_CHUNK_LENGTH || length > bytes.length - offset - 12) {
      return failure('baked.png-chunk-length', `A PNG chunk at byte ${offset} claims ${length} bytes, more than the file holds.`);
    }
    const typeBytes = bytes.subarray(offset + 4, offset + 8);
    if (!typeBytes.every(isAsciiLetter)) return failure('baked.png-structure', `The PNG chunk at byte ${offset} has no valid chunk type.`);
    const type = String.fromCharCode(...typeBytes);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    const stored = view.getUint32(offset + 8 + length);
    if (crc32(typeBytes, data) !== stored) {
      return failure('baked.png-crc', `The PNG chunk ${type} at byte ${offset} fails its CRC check: the file is damaged or was altered.`);
    }
    if (chunks.length === 0 && type !== 'IHDR') return failure('baked.png-structure', 'The PNG does not begin with an IHDR chunk.');
    chunks.push({ type, data });
    offset += 12 + length;
    if (type === 'IEND') return { ok: true, chunks };
  }
}

/** Serializes chunks behind the PNG signature, computing each length and CRC. */
export function encodePng(chunks: readonly PngChunk[]): Uint8Array {
  const total = PNG_SIGNATURE.length + chunks.reduce((sum, chunk) => sum + 12 + chunk.data.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(PNG_SIGNATURE, 0);
  let offset = PNG_SIGNATURE.length;
  for (const chunk of chunks) {
    const typeBytes = Uint8Array.from(chunk.type, (c) => c.charCodeAt(0));
    view.setUint32(offset, chunk.data.length);
    out.set(typeBytes, offset + 4);
    out.set(chunk.data, offset + 8);
    view.setUint32(offset + 8 + chunk.data.length, crc32(typeBytes, chunk.data));
    offset += 12 + chunk.data.length;
  }
  return out;
}

function isAsciiLetter(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

function failure(code: BakedFailure['code'], message: string): BakedFailure {
  return { ok: false, code, message };
}
