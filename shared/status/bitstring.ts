/** Bitstring Status List v1.0 §2.2 (encodedList), §3.3–3.4 (generation and expansion) and §7.1 (bit order). */
import { base64urlnopad } from '@scure/base';
import { readStreamCapped } from '../net/read-capped.ts';

/** §3.2 minimumNumberOfEntries and §6.1: fewer entries than this give holders too little herd privacy. */
export const MIN_BITSTRING_LENGTH = 131_072;
/** Matches fetch-document's default body cap: a list credential fetched with defaults cannot carry more. */
export const DEFAULT_MAX_COMPRESSED_BYTES = 1_000_000;
/** 16 MiB expanded, 1,024 times the minimum list; well past real lists, small enough for a service worker. */
export const DEFAULT_MAX_BITS = 16 * 1024 * 1024 * 8;

export type StatusListErrorCode =
  | 'STATUS_LIST_MALFORMED'
  | 'STATUS_LIST_TOO_LARGE'
  | 'STATUS_LIST_TOO_SHORT'
  | 'STATUS_LIST_LENGTH_INVALID'
  | 'STATUS_LIST_INDEX_OUT_OF_RANGE';

export class StatusListError extends Error {
  override readonly name = 'StatusListError';
  constructor(
    readonly code: StatusListErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface DecodeLimits {
  /** Largest GZIP payload accepted, checked before base64url decoding. */
  readonly maxCompressedBytes?: number;
  /** Largest expanded bitstring accepted; decompression stops as soon as it is passed. */
  readonly maxBits?: number;
}

/** The gzip magic bytes 1f 8b always encode to these base64url characters. */
const UNPREFIXED_GZIP_START = 'H4sI';

export class Bitstring {
  private constructor(private readonly bytes: Uint8Array<ArrayBuffer>) {}

  /** The number of entries; always a whole number of bytes because GZIP carries bytes, not bits. */
  get length(): number {
    return this.bytes.length * 8;
  }

  static create(length = MIN_BITSTRING_LENGTH): Bitstring {
    if (!Number.isSafeInteger(length) || length % 8 !== 0) {
      throw new StatusListError('STATUS_LIST_LENGTH_INVALID', `A status list length must be a whole number of bytes; ${length} bits is not.`);
    }
    if (length < MIN_BITSTRING_LENGTH) throw tooShort(length);
    return new Bitstring(new Uint8Array(length / 8));
  }

  get(index: number): boolean {
    const { byte, mask } = this.locate(index);
    return (this.bytes[byte]! & mask) !== 0;
  }

  set(index: number, value: boolean): void {
    const { byte, mask } = this.locate(index);
    this.bytes[byte] = value ? this.bytes[byte]! | mask : this.bytes[byte]! & ~mask;
  }

  /** §3.3 step 3: GZIP, then Multibase base64url without padding ('u' prefix). */
  async encode(): Promise<string> {
    const compressed = await new Response(new Blob([this.bytes]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
    return `u${base64urlnopad.encode(new Uint8Array(compressed))}`;
  }

  /**
   * §3.4 Bitstring Expansion Algorithm, with limits because the list comes from outside. Drafts up to
   * the editor's draft of 2024-01-14 (published as WD-vc-bitstring-status-list-20240107) already used
   * the BitstringStatusList names but no multibase prefix, so an unprefixed value is accepted when it
   * starts like base64url GZIP ('H4sI'); that cannot be confused with a prefixed one, whose 'u' is
   * never a GZIP start. Any other first character is an unsupported multibase encoding.
   */
  static async decode(encodedList: string, options: DecodeLimits = {}): Promise<Bitstring> {
    const maxCompressedBytes = options.maxCompressedBytes ?? DEFAULT_MAX_COMPRESSED_BYTES;
    const maxBytes = Math.floor((options.maxBits ?? DEFAULT_MAX_BITS) / 8);
    if (typeof encodedList !== 'string') throw malformed('encodedList is not a string.');
    let payload: string;
    if (encodedList.startsWith('u')) payload = encodedList.slice(1);
    else if (encodedList.startsWith(UNPREFIXED_GZIP_START)) payload = encodedList;
    else throw malformed(`encodedList must be Multibase base64url (prefix "u"); it starts with "${encodedList.slice(0, 1)}".`);
    // Checked on the text so an oversize list is refused before anything is allocated for it.
    if (Math.floor((payload.length * 3) / 4) > maxCompressedBytes) {
      throw new StatusListError('STATUS_LIST_TOO_LARGE', `The compressed status list is larger than ${maxCompressedBytes} bytes.`);
    }
    let compressed: Uint8Array;
    try {
      compressed = base64urlnopad.decode(payload);
    } catch (error) {
      throw malformed(`encodedList is not base64url without padding (${(error as Error).message}).`);
    }
    if (compressed[0] !== 0x1f || compressed[1] !== 0x8b) throw malformed('encodedList does not hold GZIP data.');
    const bytes = await gunzipCapped(compressed, maxBytes);
    if (bytes.length * 8 < MIN_BITSTRING_LENGTH) throw tooShort(bytes.length * 8);
    return new Bitstring(bytes);
  }

  /** §2.2 and §7.1: index 0 is the left-most bit, i.e. the most significant bit of the first byte. */
  private locate(index: number): { byte: number; mask: number } {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.length) {
      throw new StatusListError('STATUS_LIST_INDEX_OUT_OF_RANGE', `Index ${index} is outside the status list (0 to ${this.length - 1}).`);
    }
    return { byte: Math.floor(index / 8), mask: 0x80 >> index % 8 };
  }
}

/** Reads the DecompressionStream chunk by chunk and cancels it once the cap is passed, so a bomb never expands fully. */
async function gunzipCapped(compressed: Uint8Array, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  // Errors surface on the reader; these promises only reject with the same error or on cancel.
  writer.write(compressed as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  try {
    bytes = await readStreamCapped(stream.readable, maxBytes);
  } catch (error) {
    throw malformed(`encodedList is not valid GZIP (${(error as Error).message}).`);
  }
  if (!bytes) throw new StatusListError('STATUS_LIST_TOO_LARGE', `The status list expands to more than ${maxBytes * 8} bits.`);
  return bytes;
}

function malformed(message: string): StatusListError {
  return new StatusListError('STATUS_LIST_MALFORMED', message);
}

/** §3.2 STATUS_LIST_LENGTH_ERROR. */
function tooShort(bits: number): StatusListError {
  return new StatusListError('STATUS_LIST_TOO_SHORT', `A status list needs at least ${MIN_BITSTRING_LENGTH} entries for herd privacy; this one has ${bits}.`);
}
