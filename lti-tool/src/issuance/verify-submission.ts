/**
 * What the /verify page does with a submission: pasted text, or an uploaded file that is a VC-JWT,
 * a JSON credential, or a badge image with a credential baked in (OB 3.0 §5.3.1.2 / §5.3.2.2).
 * Nothing submitted is stored.
 */
import { detectBakedImage, extractBakedCredential } from '../../../shared/baking/extract-baked.ts';
import type { DocumentSource } from '../../../shared/net/document-source.ts';
import { parseCredential } from '../../../shared/verify/parse-input.ts';
import type { VerificationReport } from '../../../shared/verify/types.ts';
import { verifyParsed } from '../../../shared/verify/verify.ts';

export const MAX_SUBMISSION_BYTES = 1024 * 1024;
const MAX_CREDENTIAL_BYTES = 256 * 1024;

export type VerifySubmissionOutcome =
  | { readonly ok: true; readonly input: string; readonly report: VerificationReport }
  | { readonly ok: false; readonly input: string; readonly code: string; readonly message: string };

export async function verifySubmission(args: { text?: string | undefined; file?: Uint8Array | undefined; documents: DocumentSource; now?: () => Date }): Promise<VerifySubmissionOutcome> {
  const pasted = (args.text ?? '').trim();
  let input = pasted;
  if (args.file && args.file.byteLength > 0) {
    if (args.file.byteLength > MAX_SUBMISSION_BYTES) return { ok: false, input: pasted, code: 'input.too-large', message: `The file is larger than ${MAX_SUBMISSION_BYTES} bytes.` };
    if (detectBakedImage(args.file)) {
      const extracted = extractBakedCredential(args.file);
      if (!extracted.ok) return { ok: false, input: pasted, code: extracted.code, message: `The image carries no credential we can read: ${extracted.message}` };
      if (extracted.kind === 'ob2') return { ok: false, input: pasted, code: 'input.ob2', message: 'This badge carries an Open Badges 2.0 assertion; this page checks Open Badges 3.0 credentials.' };
      input = extracted.value;
    } else {
      input = new TextDecoder().decode(args.file).trim();
    }
  }
  if (input === '') return { ok: false, input, code: 'input.empty', message: 'Paste a credential or choose a file to verify.' };
  const parsed = parseCredential(input, MAX_CREDENTIAL_BYTES);
  // Echo at most what was accepted, so a huge paste is not sent back.
  const echo = input.length > MAX_CREDENTIAL_BYTES ? '' : input;
  if (!parsed.ok) return { ok: false, input: echo, code: parsed.code, message: parsed.message };
  const report = await verifyParsed(parsed.parsed, { documents: args.documents, maxInputBytes: MAX_CREDENTIAL_BYTES, ...(args.now ? { now: args.now } : {}) });
  return { ok: true, input: echo, report };
}
