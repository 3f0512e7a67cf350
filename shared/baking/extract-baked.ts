/**
 * OB 3.0 §5.3.1.2 / §5.3.2.2 and OB 2.0 "Baking": read the credential baked into a PNG or SVG.
 * OB 3.0: iTXt `openbadgecredential`, `<openbadges:credential>` (verify attribute or body).
 * OB 2.0: iTXt or tEXt `openbadges`, `<openbadges:assertion>` (verify attribute or body).
 * Hostile images are expected: sizes, chunk counts, lengths and CRCs are checked, SVG is scanned
 * without a DOM and without entity expansion, and any problem comes back as a coded failure.
 */
import { BakingError, bakingLimits, type BakedFailure, type BakingLimits } from './errors.ts';
import { hasPngSignature, readPngChunks } from './png-chunks.ts';
import { OB2_KEYWORD, OB3_KEYWORD, readTextChunk, textChunkKeyword } from './png-text.ts';
import { readSvgLayout, type BakedSvgElement } from './svg-layout.ts';

export type BakedImageType = 'png' | 'svg';

export type ExtractedCredential =
  | {
      readonly ok: true;
      readonly kind: 'ob3' | 'ob2';
      /** OB 3.0: a compact JWT or JSON text. OB 2.0: an assertion URL, a compact JWS or JSON text. */
      readonly value: string;
      readonly image: BakedImageType;
    }
  | BakedFailure;

/** 'png' or 'svg' when the bytes look like one (PNG signature; an XML/SVG opening), else undefined. */
export function detectBakedImage(bytes: Uint8Array): BakedImageType | undefined {
  if (hasPngSignature(bytes)) return 'png';
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  const head = new TextDecoder().decode(bytes.subarray(i, i + 256));
  if (head.startsWith('<svg') || head.startsWith('<?xml') || head.startsWith('<!--') || head.startsWith('<!DOCTYPE svg')) return 'svg';
  return undefined;
}

export function extractBakedCredential(bytes: Uint8Array, limits: Partial<BakingLimits> = {}): ExtractedCredential {
  const bounds = bakingLimits(limits);
  if (bytes.length > bounds.maxImageBytes) return failure('baked.too-large', `The image is ${bytes.length} bytes; the limit is ${bounds.maxImageBytes} bytes.`);
  const type = detectBakedImage(bytes);
  if (type === 'png') return extractFromPng(bytes, bounds);
  if (type === 'svg') return extractFromSvg(bytes, bounds);
  return failure('baked.not-an-image', 'The file is neither a PNG nor an SVG image.');
}

function extractFromPng(bytes: Uint8Array, limits: BakingLimits): ExtractedCredential {
  const read = readPngChunks(bytes, limits);
  if (!read.ok) return read;
  const found = { ob3: [] as string[], ob2: [] as string[] };
  for (const chunk of read.chunks) {
    const keyword = textChunkKeyword(chunk);
    const kind = keyword === OB3_KEYWORD && chunk.type !== 'tEXt' ? 'ob3' : keyword === OB2_KEYWORD ? 'ob2' : undefined;
    if (!kind) continue;
    if (chunk.data.length > limits.maxCredentialBytes + 200) {
      return failure('baked.credential-too-large', `The credential in this PNG is larger than ${limits.maxCredentialBytes} bytes.`);
    }
    const text = readTextChunk(chunk);
    if (!text.ok) return text;
    found[kind].push(text.text.trim());
  }
  return pick(found, 'png', 'iTXt chunk');
}

function extractFromSvg(bytes: Uint8Array, limits: BakingLimits): ExtractedCredential {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return failure('baked.svg-not-utf8', 'This SVG is not UTF-8 text, so its badge data cannot be read.');
  }
  let baked: readonly BakedSvgElement[];
  try {
    baked = readSvgLayout(text, limits).baked;
  } catch (error) {
    if (error instanceof BakingError) return failure(error.code, error.message);
    throw error;
  }
  const found = { ob3: [] as string[], ob2: [] as string[] };
  for (const element of baked) {
    const verify = element.verify?.trim() ?? '';
    const body = element.body.trim();
    if (element.kind === 'ob3' && verify !== '' && body !== '' && verify !== body) {
      return failure('baked.multiple-credentials', 'The SVG credential element carries one credential in its verify attribute and another in its body.');
    }
    // OB 2.0 hosted: `verify` is the assertion URL and the body, if any, a copy of the assertion; the URL is authoritative.
    found[element.kind].push(verify !== '' ? verify : body);
  }
  return pick(found, 'svg', 'element');
}

function pick(found: { ob3: string[]; ob2: string[] }, image: 'png' | 'svg', carrier: string): ExtractedCredential {
  for (const kind of ['ob3', 'ob2'] as const) {
    const values = found[kind];
    if (values.length > 1) return failure('baked.multiple-credentials', `This ${image.toUpperCase()} carries more than one badge ${carrier}; Open Badges allows only one.`);
    if (values.length === 1) {
      if (values[0] === '') return failure('baked.no-credential', `The badge ${carrier} in this ${image.toUpperCase()} is empty.`);
      return { ok: true, kind, value: values[0]!, image };
    }
  }
  return failure('baked.no-credential', `This ${image.toUpperCase()} image carries no Open Badges credential.`);
}

function failure(code: BakedFailure['code'], message: string): BakedFailure {
  return { ok: false, code, message };
}
