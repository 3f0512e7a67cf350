/**
 * The definition form's body: urlencoded as before, or multipart/form-data when the instructor
 * uploads a badge image (HTML §4.10.21.8). Multipart is parsed by the platform's own WHATWG
 * Request.formData() (undici) on a size-capped raw body, so no upload library is needed; the image
 * must be a PNG (checked by its signature, not its name) and small enough to travel inside every
 * credential as a data: URI (OB 3.0 Image.id), where the badge.png download bakes it.
 */
import express, { type NextFunction, type Request, type Response } from 'express';

export const MAX_BADGE_IMAGE_BYTES = 48 * 1024;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const urlencoded = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 });
const multipart = express.raw({ type: 'multipart/form-data', limit: MAX_BADGE_IMAGE_BYTES + 64 * 1024 });

/** Set by the parser when an uploaded image is refused; the route re-renders the form with it. */
export const imageProblemOf = (res: Response): string | undefined => res.locals.imageProblem as string | undefined;

export const definitionFormBody = [urlencoded, multipart, parseMultipart];

async function parseMultipart(req: Request, res: Response, next: NextFunction): Promise<void> {
  if (!Buffer.isBuffer(req.body)) return next();
  try {
    const form = await new Response(new Uint8Array(req.body), { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
    const fields: Record<string, string | string[]> = {};
    for (const [name, value] of form) {
      if (typeof value !== 'string') continue;
      const previous = fields[name];
      fields[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    }
    const file = form.get('imageFile');
    if (file && typeof file !== 'string' && file.size > 0) {
      const image = badgeImageDataUri(new Uint8Array(await file.arrayBuffer()));
      if (image.ok) fields.image = image.dataUri;
      else res.locals.imageProblem = image.message;
    }
    req.body = fields;
    next();
  } catch {
    res.status(400).type('text/plain').send('The form could not be read; please submit it again.');
  }
}

export function badgeImageDataUri(bytes: Uint8Array): { ok: true; dataUri: string } | { ok: false; message: string } {
  if (bytes.byteLength > MAX_BADGE_IMAGE_BYTES) return { ok: false, message: `The badge image is ${Math.ceil(bytes.byteLength / 1024)} KB; the limit is ${MAX_BADGE_IMAGE_BYTES / 1024} KB (it travels inside every credential).` };
  if (!PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) return { ok: false, message: 'The badge image must be a PNG file.' };
  return { ok: true, dataUri: `data:image/png;base64,${Buffer.from(bytes).toString('base64')}` };
}
