/** GET|POST /verify: the public verification page (form posts, multipart file uploads) and a JSON answer for scripts. */
import express, { Router, type Request } from 'express';
import type { DocumentSource } from '../../../shared/net/document-source.ts';
import { MAX_SUBMISSION_BYTES, verifySubmission } from '../issuance/verify-submission.ts';
import { renderVerifyPage } from '../web/verify-page.tsx';
import { sendHtml } from './credential-routes.ts';

const NO_STORE = 'no-store';

export function verifyRoutes(deps: { documents: DocumentSource; now?: () => Date }): Router {
  const router = Router();
  const limit = MAX_SUBMISSION_BYTES + 64 * 1024;
  router.get('/verify', (_req, res) => sendHtml(res, renderVerifyPage(), 'public, max-age=3600'));
  router.post(
    '/verify',
    express.urlencoded({ extended: false, limit }),
    express.json({ limit }),
    express.raw({ type: ['multipart/form-data', 'text/plain', 'application/vc+jwt'], limit }),
    async (req, res) => {
      const submitted = await readSubmission(req);
      const outcome = submitted.ok ? await verifySubmission({ ...submitted, documents: deps.documents, now: deps.now }) : { ok: false as const, input: '', code: 'input.unreadable', message: submitted.message };
      res.set('Cache-Control', NO_STORE);
      if (req.accepts(['text/html', 'application/json']) === 'application/json') {
        res.status(outcome.ok ? 200 : 400).json(outcome.ok ? outcome.report : { error: outcome.code, message: outcome.message });
        return;
      }
      res.status(outcome.ok ? 200 : 400);
      sendHtml(res, renderVerifyPage(outcome.ok ? { input: outcome.input, report: outcome.report } : { input: outcome.input, error: outcome.message }), NO_STORE);
    },
  );
  return router;
}

async function readSubmission(req: Request): Promise<{ ok: true; text?: string; file?: Uint8Array } | { ok: false; message: string }> {
  const type = req.get('content-type') ?? '';
  if (Buffer.isBuffer(req.body)) {
    if (!type.startsWith('multipart/form-data')) return { ok: true, text: req.body.toString('utf8') };
    try {
      // undici's multipart parser (the same one fetch uses), over the body express has already capped.
      const form = await new Response(new Uint8Array(req.body), { headers: { 'content-type': type } }).formData();
      const text = form.get('credential');
      const file = form.get('file');
      return {
        ok: true,
        ...(typeof text === 'string' ? { text } : {}),
        ...(file && typeof file !== 'string' ? { file: new Uint8Array(await file.arrayBuffer()) } : {}),
      };
    } catch {
      return { ok: false, message: 'The upload could not be read; try again, or paste the credential instead.' };
    }
  }
  const body = req.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && typeof body.credential === 'string') return { ok: true, text: body.credential };
  // A JSON body that is itself the credential.
  if (body && typeof body === 'object' && Object.keys(body).length > 0 && req.is('application/json')) return { ok: true, text: JSON.stringify(body) };
  return { ok: true };
}
