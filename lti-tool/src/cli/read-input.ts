/**
 * What `microcred verify` reads: a file, standard input ("-"), or a URL that serves a credential
 * (content negotiation for a VC-JWT first). Sizes are capped; a problem is a one-line reason.
 */
import { readFile, stat } from 'node:fs/promises';
import { fetchBytes, type FetchLike } from '../../../shared/net/fetch-document.ts';

export const MAX_INPUT_BYTES = 1024 * 1024;
const CREDENTIAL_ACCEPT = 'application/vc+jwt, application/vc+ld+json;q=0.9, application/vc;q=0.9, application/json;q=0.8, text/plain;q=0.5';

export type ReadInput = { ok: true; bytes: Uint8Array; source: string } | { ok: false; message: string };

export async function readCredentialInput(arg: string, fetch: FetchLike, stdin: NodeJS.ReadableStream = process.stdin): Promise<ReadInput> {
  if (arg === '-') return readStream(stdin);
  if (/^https?:\/\//i.test(arg)) {
    const got = await fetchBytes(arg, { fetch, maxBytes: MAX_INPUT_BYTES, timeoutMs: 10_000 }, CREDENTIAL_ACCEPT);
    return got.ok ? { ok: true, bytes: got.value, source: arg } : { ok: false, message: got.message };
  }
  try {
    const info = await stat(arg);
    if (!info.isFile()) return { ok: false, message: `${arg} is not a file.` };
    if (info.size > MAX_INPUT_BYTES) return { ok: false, message: `${arg} is ${info.size} bytes; the limit is ${MAX_INPUT_BYTES}.` };
    return { ok: true, bytes: new Uint8Array(await readFile(arg)), source: arg };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, message: code === 'ENOENT' ? `No such file: ${arg}` : `Cannot read ${arg}: ${(error as Error).message}` };
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<ReadInput> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buffer.byteLength;
    if (total > MAX_INPUT_BYTES) return { ok: false, message: `Standard input is larger than ${MAX_INPUT_BYTES} bytes.` };
    chunks.push(buffer);
  }
  return { ok: true, bytes: new Uint8Array(Buffer.concat(chunks)), source: 'standard input' };
}
