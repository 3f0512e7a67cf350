/**
 * PNG 2nd ed. §11.3.4: textual chunks. iTXt (keyword, compression flag and method, language tag,
 * translated keyword, UTF-8 text) carries OB 3.0 credentials (OB 3.0 §5.3.1, keyword
 * `openbadgecredential`, never compressed) and OB 2.0 assertions (keyword `openbadges`); tEXt
 * (Latin-1) carries the OB 1.0/2.0 assertion URLs of older bakers.
 */
import type { PngChunk } from './png-chunks.ts';

export const OB3_KEYWORD = 'openbadgecredential';
export const OB2_KEYWORD = 'openbadges';

/** The keyword of a tEXt, iTXt or zTXt chunk, or undefined for any other or a malformed one. */
export function textChunkKeyword(chunk: PngChunk): string | undefined {
  if (chunk.type !== 'tEXt' && chunk.type !== 'iTXt' && chunk.type !== 'zTXt') return undefined;
  const end = chunk.data.indexOf(0);
  // §11.3.4.2: keywords are 1–79 Latin-1 characters followed by a null separator.
  if (end < 1 || end > 79) return undefined;
  return latin1(chunk.data.subarray(0, end));
}

export type TextChunkOutcome =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly code: 'baked.text-malformed' | 'baked.compressed'; readonly message: string };

/** The text of a tEXt or iTXt chunk whose keyword was already read; compressed text is refused. */
export function readTextChunk(chunk: PngChunk): TextChunkOutcome {
  const data = chunk.data;
  const keywordEnd = data.indexOf(0);
  if (chunk.type === 'zTXt') return { ok: false, code: 'baked.compressed', message: 'The badge data in this PNG is compressed, which Open Badges forbids.' };
  if (chunk.type === 'tEXt') return { ok: true, text: latin1(data.subarray(keywordEnd + 1)) };
  const flag = data[keywordEnd + 1];
  const method = data[keywordEnd + 2];
  if (flag === undefined || method === undefined || flag > 1 || method !== 0) return malformed();
  if (flag === 1) return { ok: false, code: 'baked.compressed', message: 'The badge data in this PNG is compressed, which Open Badges forbids.' };
  const languageEnd = data.indexOf(0, keywordEnd + 3);
  if (languageEnd < 0) return malformed();
  const translatedEnd = data.indexOf(0, languageEnd + 1);
  if (translatedEnd < 0) return malformed();
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(translatedEnd + 1)) };
  } catch {
    return malformed();
  }
}

/** An uncompressed iTXt chunk with an empty language tag and translated keyword (OB 3.0 §5.3.1.1). */
export function buildItxtChunk(keyword: string, text: string): PngChunk {
  const keywordBytes = Uint8Array.from(keyword, (c) => c.charCodeAt(0));
  const textBytes = new TextEncoder().encode(text);
  const data = new Uint8Array(keywordBytes.length + 5 + textBytes.length);
  data.set(keywordBytes, 0);
  // keyword NUL, compression flag 0, compression method 0, empty language tag NUL, empty translated keyword NUL
  data.set(textBytes, keywordBytes.length + 5);
  return { type: 'iTXt', data };
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

function malformed(): TextChunkOutcome {
  return { ok: false, code: 'baked.text-malformed', message: 'A text chunk in this PNG is malformed, so its badge data cannot be read.' };
}
