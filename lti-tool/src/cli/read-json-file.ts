/** Reads a JSON file given on the command line, with a size cap and a one-line reason on failure. */
import { readFile, stat } from 'node:fs/promises';

const MAX_JSON_BYTES = 1024 * 1024;

export async function readJsonFile(file: string, what: string): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  try {
    const info = await stat(file);
    if (info.size > MAX_JSON_BYTES) return { ok: false, message: `The ${what} file ${file} is larger than ${MAX_JSON_BYTES} bytes.` };
    return { ok: true, value: JSON.parse(await readFile(file, 'utf8')) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, message: `The ${what} file ${file} does not exist.` };
    return { ok: false, message: `The ${what} file ${file} cannot be read: ${(error as Error).message}` };
  }
}
