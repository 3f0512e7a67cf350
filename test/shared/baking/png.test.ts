import { readFileSync } from 'node:fs';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { bakePng } from '../../../shared/baking/bake-png.ts';
import { BakingError } from '../../../shared/baking/errors.ts';
import { extractBakedCredential } from '../../../shared/baking/extract-baked.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/vectors/openbadges-bakery/${name}`, import.meta.url)));
const UNBAKED = fixture('unbaked.png');
const JWT = 'eyJhbGciOiJFZERTQSIsInR5cCI6InZjK2p3dCJ9.eyJpc3MiOiJkaWQ6ZXhhbXBsZToxIn0.c2lnbmF0dXJl';
const JSON_CREDENTIAL = JSON.stringify({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], name: 'Zürich ✓', proof: {} });

interface RawChunk { type: string; data: Uint8Array; crc: number }

/** An independent reading of the chunk layout (PNG §5.3), with node:zlib computing the CRC. */
function rawChunks(png: Uint8Array): RawChunk[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: RawChunk[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = view.getUint32(offset);
    const type = new TextDecoder().decode(png.subarray(offset + 4, offset + 8));
    const data = png.subarray(offset + 8, offset + 8 + length);
    chunks.push({ type, data, crc: view.getUint32(offset + 8 + length) });
    offset += 12 + length;
  }
  return chunks;
}

function chunk(type: string, data: Uint8Array, crc?: number): Uint8Array {
  const typeBytes = new TextEncoder().encode(type);
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(typeBytes, 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc ?? zlibCrc32(Buffer.concat([typeBytes, data])));
  return out;
}

/** A PNG made of the fixture's chunks with `extra` inserted before IEND. */
function withChunks(...extra: Uint8Array[]): Uint8Array {
  const iend = UNBAKED.length - 12;
  return new Uint8Array(Buffer.concat([UNBAKED.subarray(0, iend), ...extra, UNBAKED.subarray(iend)]));
}

const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const itxt = (keyword: string, text: string, compressed = 0) => new Uint8Array(Buffer.concat([latin1(keyword), Uint8Array.of(0, compressed, 0, 0, 0), new TextEncoder().encode(text)]));

describe('OB 3.0 §5.3.1.1 PNG baking', () => {
  test('when a VC-JWT is baked, then one uncompressed iTXt openbadgecredential chunk sits just before IEND, with a valid CRC', () => {
    const baked = bakePng(UNBAKED, JWT);
    const chunks = rawChunks(baked);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'tEXt', 'IDAT', 'iTXt', 'IEND']);
    const credentialChunk = chunks[3]!;
    expect(Buffer.from(credentialChunk.data).toString('latin1')).toBe(`openbadgecredential\0\0\0\0\0${JWT}`);
    for (const c of chunks) expect(c.crc).toBe(zlibCrc32(Buffer.concat([Buffer.from(c.type), c.data])));
    // The image data is untouched.
    expect(chunks[2]!.data).toEqual(rawChunks(UNBAKED)[2]!.data);
  });

  test('when a credential is baked, then extraction gives it back (JWT and UTF-8 JSON)', () => {
    expect(extractBakedCredential(bakePng(UNBAKED, JWT))).toEqual({ ok: true, kind: 'ob3', value: JWT, image: 'png' });
    expect(extractBakedCredential(bakePng(UNBAKED, JSON_CREDENTIAL))).toEqual({ ok: true, kind: 'ob3', value: JSON_CREDENTIAL, image: 'png' });
  });

  test('when an image already carries a credential, then baking replaces it (the chunk never appears twice)', () => {
    const twice = bakePng(bakePng(UNBAKED, JSON_CREDENTIAL), JWT);
    expect(rawChunks(twice).filter((c) => c.type === 'iTXt')).toHaveLength(1);
    expect(extractBakedCredential(twice)).toMatchObject({ ok: true, value: JWT });
  });

  test('when the input is not a credential or not a PNG, then baking throws a coded error', () => {
    expect(() => bakePng(UNBAKED, 'hello')).toThrow(expect.objectContaining({ code: 'baked.credential-invalid' }));
    expect(() => bakePng(new TextEncoder().encode('GIF89a'), JWT)).toThrow(BakingError);
    expect(() => bakePng(UNBAKED, JWT, { maxCredentialBytes: 10 })).toThrow(expect.objectContaining({ code: 'baked.credential-too-large' }));
  });
});

describe('OB 3.0 §5.3.1.2 and OB 2.0 PNG extraction', () => {
  test('when the image carries nothing, then the failure says so', () => {
    expect(extractBakedCredential(UNBAKED)).toMatchObject({ ok: false, code: 'baked.no-credential' });
  });

  test('when an OB 2.0 baker wrote an iTXt or a tEXt openbadges chunk, then its assertion is read as ob2', () => {
    expect(extractBakedCredential(withChunks(chunk('iTXt', itxt('openbadges', 'https://example.org/assertions/1'))))).toEqual({
      ok: true, kind: 'ob2', value: 'https://example.org/assertions/1', image: 'png',
    });
    expect(extractBakedCredential(withChunks(chunk('tEXt', latin1('openbadges\0https://example.org/a.json'))))).toMatchObject({ ok: true, kind: 'ob2', value: 'https://example.org/a.json' });
  });

  test('when both an OB 3.0 and an OB 2.0 chunk are present, then the OB 3.0 credential is read', () => {
    const png = withChunks(chunk('tEXt', latin1('openbadges\0https://example.org/a.json')), chunk('iTXt', itxt('openbadgecredential', JWT)));
    expect(extractBakedCredential(png)).toMatchObject({ ok: true, kind: 'ob3', value: JWT });
  });

  test('when two openbadgecredential chunks are present, then the image is refused (it may show one and carry another)', () => {
    const png = withChunks(chunk('iTXt', itxt('openbadgecredential', JWT)), chunk('iTXt', itxt('openbadgecredential', JSON_CREDENTIAL)));
    expect(extractBakedCredential(png)).toMatchObject({ ok: false, code: 'baked.multiple-credentials' });
  });

  test('when the credential chunk is compressed, then it is refused (OB 3.0: compression MUST NOT be used)', () => {
    expect(extractBakedCredential(withChunks(chunk('iTXt', itxt('openbadgecredential', 'x', 1))))).toMatchObject({ ok: false, code: 'baked.compressed' });
    expect(extractBakedCredential(withChunks(chunk('zTXt', latin1('openbadges\0\0xyz'))))).toMatchObject({ ok: false, code: 'baked.compressed' });
  });

  test('when the iTXt chunk lacks its separators or holds invalid UTF-8, then it is refused as malformed', () => {
    expect(extractBakedCredential(withChunks(chunk('iTXt', latin1('openbadgecredential\0\0\0'))))).toMatchObject({ ok: false, code: 'baked.text-malformed' });
    const badUtf8 = new Uint8Array(Buffer.concat([latin1('openbadgecredential\0\0\0\0\0'), Uint8Array.of(0xc3, 0x28)]));
    expect(extractBakedCredential(withChunks(chunk('iTXt', badUtf8)))).toMatchObject({ ok: false, code: 'baked.text-malformed' });
  });
});

describe('hostile PNGs are refused with codes before any work they would cost', () => {
  test('when a chunk claims a huge length, then baked.png-chunk-length', () => {
    const huge = chunk('iTXt', itxt('openbadgecredential', JWT));
    new DataView(huge.buffer).setUint32(0, 0xfffffff0);
    expect(extractBakedCredential(withChunks(huge))).toMatchObject({ ok: false, code: 'baked.png-chunk-length' });
  });

  test('when a chunk CRC is wrong, then baked.png-crc', () => {
    expect(extractBakedCredential(withChunks(chunk('iTXt', itxt('openbadgecredential', JWT), 0x12345678)))).toMatchObject({ ok: false, code: 'baked.png-crc' });
    const altered = bakePng(UNBAKED, JWT);
    altered[altered.length - 20]! ^= 1; // inside the credential text
    expect(extractBakedCredential(altered)).toMatchObject({ ok: false, code: 'baked.png-crc' });
  });

  test('when the file is 100 MB, then baked.too-large without reading it', () => {
    const big = new Uint8Array(100 * 1024 * 1024);
    big.set(UNBAKED.subarray(0, 8));
    expect(extractBakedCredential(big)).toMatchObject({ ok: false, code: 'baked.too-large' });
    expect(() => bakePng(big, JWT)).toThrow(expect.objectContaining({ code: 'baked.too-large' }));
  });

  test('when the PNG has more chunks than the cap, then baked.png-too-many-chunks', () => {
    const many = Array.from({ length: 50 }, () => chunk('tEXt', latin1('Comment\0x')));
    expect(extractBakedCredential(withChunks(...many), { maxChunks: 40 })).toMatchObject({ ok: false, code: 'baked.png-too-many-chunks' });
    expect(extractBakedCredential(withChunks(...many))).toMatchObject({ ok: false, code: 'baked.no-credential' });
  });

  test('when the PNG is truncated or does not start with IHDR, then it is refused', () => {
    expect(extractBakedCredential(UNBAKED.subarray(0, UNBAKED.length - 12))).toMatchObject({ ok: false, code: 'baked.png-truncated' });
    const noIhdr = new Uint8Array(Buffer.concat([UNBAKED.subarray(0, 8), chunk('tEXt', latin1('a\0b')), UNBAKED.subarray(8)]));
    expect(extractBakedCredential(noIhdr)).toMatchObject({ ok: false, code: 'baked.png-structure' });
  });

  test('when the credential text exceeds the cap, then baked.credential-too-large', () => {
    const png = withChunks(chunk('iTXt', itxt('openbadgecredential', 'x'.repeat(5000))));
    expect(extractBakedCredential(png, { maxCredentialBytes: 1000 })).toMatchObject({ ok: false, code: 'baked.credential-too-large' });
  });

  test('when the bytes are neither PNG nor SVG, then baked.not-an-image', () => {
    expect(extractBakedCredential(new TextEncoder().encode('GIF89a....'))).toMatchObject({ ok: false, code: 'baked.not-an-image' });
  });
});
