import { describe, expect, test, vi } from 'vitest';
import { base64urlnopad } from '@scure/base';
import { Bitstring, DEFAULT_MAX_BITS, MIN_BITSTRING_LENGTH, StatusListError } from '../../../shared/status/bitstring.ts';
import { encodedListOf } from './vectors.ts';

/** GZIP (RFC 1952) around DEFLATE stored blocks (RFC 1951 §3.2.4): the bytes inside are exactly the bytes given. */
function storedGzip(data: Uint8Array): Uint8Array {
  const parts: number[] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
  for (let offset = 0; offset === 0 || offset < data.length; offset += 0xffff) {
    const block = data.subarray(offset, offset + 0xffff);
    const final = offset + 0xffff >= data.length ? 1 : 0;
    parts.push(final, block.length & 0xff, block.length >> 8, ~block.length & 0xff, (~block.length >> 8) & 0xff, ...block);
  }
  return new Uint8Array([...parts, ...le32(crc32(data)), ...le32(data.length)]);
}

function crc32(data: Uint8Array): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return ~crc >>> 0;
}

function le32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

const multibase = (bytes: Uint8Array) => `u${base64urlnopad.encode(bytes)}`;

async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
}

async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
}

async function decodeError(encodedList: string, options?: Parameters<typeof Bitstring.decode>[1]): Promise<StatusListError> {
  const error = await Bitstring.decode(encodedList, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StatusListError);
  return error as StatusListError;
}

describe('Bitstring Status List v1.0 bitstring', () => {
  test('§2.2 Example 3: the spec encodedList expands to 131,072 entries, none set', async () => {
    const list = await Bitstring.decode(encodedListOf('example-3-status-list-credential.json'));
    expect(list.length).toBe(131_072);
    for (let i = 0; i < list.length; i++) if (list.get(i)) throw new Error(`bit ${i} is set`);
  });

  test('§2.2 (before the 2024-01-14 multibase change): an unprefixed encodedList from the drafts is read', async () => {
    const list = await Bitstring.decode(encodedListOf('editors-draft-2024-01-status-list-credential-unprefixed.json'));
    expect(list.length).toBe(131_072);
  });

  test('§3.3/§3.4: create, set first, middle and last, encode, decode: the same bits come back', async () => {
    const list = Bitstring.create();
    const set = [0, 94_567, MIN_BITSTRING_LENGTH - 1];
    for (const i of set) list.set(i, true);
    list.set(94_567, false);
    list.set(94_567, true);
    const encoded = await list.encode();
    expect(encoded).toMatch(/^uH4sI[A-Za-z0-9_-]+$/);
    const back = await Bitstring.decode(encoded);
    expect(back.length).toBe(MIN_BITSTRING_LENGTH);
    for (const i of set) expect(back.get(i)).toBe(true);
    for (const i of [1, 7, 8, 94_566, 94_568, MIN_BITSTRING_LENGTH - 2]) expect(back.get(i)).toBe(false);
  });

  test('§7.1: index 0 is the most significant bit of byte 0 when decoding a hand-built GZIP', async () => {
    const bytes = new Uint8Array(MIN_BITSTRING_LENGTH / 8);
    bytes[0] = 0b1000_0000;
    bytes[1] = 0b0000_0001;
    bytes[bytes.length - 1] = 0b0000_0001;
    const list = await Bitstring.decode(multibase(storedGzip(bytes)));
    expect([...Array(16).keys()].filter((i) => list.get(i))).toEqual([0, 15]);
    expect(list.get(MIN_BITSTRING_LENGTH - 1)).toBe(true);
  });

  test('§7.1: setting index 0 and 9 writes 0x80 into byte 0 and 0x40 into byte 1 (as @digitalbazaar/bitstring does)', async () => {
    const list = Bitstring.create();
    list.set(0, true);
    list.set(9, true);
    const bytes = await gunzip(base64urlnopad.decode((await list.encode()).slice(1)) as Uint8Array<ArrayBuffer>);
    expect([bytes[0], bytes[1], bytes[2]]).toEqual([0x80, 0x40, 0x00]);
  });

  test('§3.2 STATUS_LIST_LENGTH_ERROR: a list under 131,072 entries is refused when created and when decoded', async () => {
    expect(() => Bitstring.create(131_064)).toThrowError(expect.objectContaining({ code: 'STATUS_LIST_TOO_SHORT' }));
    expect((await decodeError(multibase(await gzip(new Uint8Array(16_383))))).code).toBe('STATUS_LIST_TOO_SHORT');
  });

  test('§2.2: a length that is not a whole number of bytes is refused', () => {
    expect(() => Bitstring.create(131_073)).toThrowError(expect.objectContaining({ code: 'STATUS_LIST_LENGTH_INVALID' }));
  });

  test('§3.2 RANGE_ERROR: get and set outside the list throw STATUS_LIST_INDEX_OUT_OF_RANGE', () => {
    const list = Bitstring.create();
    for (const index of [-1, 1.5, MIN_BITSTRING_LENGTH]) {
      expect(() => list.get(index)).toThrowError(expect.objectContaining({ code: 'STATUS_LIST_INDEX_OUT_OF_RANGE' }));
      expect(() => list.set(index, true)).toThrowError(expect.objectContaining({ code: 'STATUS_LIST_INDEX_OUT_OF_RANGE' }));
    }
  });
});

describe('Bitstring Status List v1.0 §3.4 expansion of untrusted input', () => {
  const zeros = new Uint8Array(MIN_BITSTRING_LENGTH / 8);

  test.each([
    ['another multibase prefix', async () => `z${(await Bitstring.create().encode()).slice(1)}`],
    ['characters outside base64url', async () => 'uH4sI+/+/'],
    ['base64url padding', async () => `${await Bitstring.create().encode()}=`],
    ['base64url that is not GZIP', async () => multibase(zeros)],
    ['a truncated GZIP stream', async () => multibase((await gzip(zeros)).subarray(0, 30))],
    ['a GZIP header followed by garbage', async () => multibase(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff]))],
  ])('when encodedList has %s, then STATUS_LIST_MALFORMED', async (_name, build) => {
    expect((await decodeError(await build())).code).toBe('STATUS_LIST_MALFORMED');
  });

  test('when the compressed list is larger than maxCompressedBytes, then STATUS_LIST_TOO_LARGE before decoding', async () => {
    const encoded = multibase(storedGzip(zeros));
    expect((await decodeError(encoded, { maxCompressedBytes: 1_000 })).code).toBe('STATUS_LIST_TOO_LARGE');
  });

  test('when the list expands past maxBits, then STATUS_LIST_TOO_LARGE', async () => {
    const encoded = await Bitstring.create(2 * MIN_BITSTRING_LENGTH).encode();
    expect((await decodeError(encoded, { maxBits: MIN_BITSTRING_LENGTH })).code).toBe('STATUS_LIST_TOO_LARGE');
  });

  test('when encodedList is a decompression bomb (100 MB of zeros), then STATUS_LIST_TOO_LARGE and reading stops at the cap', async () => {
    const bomb = multibase(await gzip(new Uint8Array(100 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(200_000);
    let expanded = 0;
    // Counts what leaves the DecompressionStream, to show decode stops pulling once past the cap.
    class CountingDecompressionStream extends DecompressionStream {
      constructor(format: CompressionFormat) {
        super(format);
        const counted = super.readable.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              expanded += chunk.byteLength;
              controller.enqueue(chunk);
            },
          }),
        );
        Object.defineProperty(this, 'readable', { value: counted });
      }
    }
    vi.stubGlobal('DecompressionStream', CountingDecompressionStream);
    try {
      expect((await decodeError(bomb)).code).toBe('STATUS_LIST_TOO_LARGE');
    } finally {
      vi.unstubAllGlobals();
    }
    expect(expanded).toBeGreaterThan(DEFAULT_MAX_BITS / 8);
    expect(expanded).toBeLessThan(DEFAULT_MAX_BITS / 8 + 1024 * 1024);
  });
});
