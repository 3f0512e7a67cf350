/**
 * `microcred verify --documents <dir>`: the file-system half of shared/net/documents-dir.ts. Reads
 * `<dir>/map.json` and, on demand, the files it names — only inside the folder, each size-capped.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { createMappedDocumentSource, parseDocumentMap, type MappedDocumentSource } from '../../../shared/net/documents-dir.ts';
import type { DocumentSource } from '../../../shared/net/document-source.ts';

const MAX_FILE_BYTES = 2 * 1024 * 1024;

export type DocumentsFolder = { ok: true; documents: MappedDocumentSource } | { ok: false; message: string };

export async function openDocumentsFolder(dir: string, network: DocumentSource | undefined): Promise<DocumentsFolder> {
  let root: string;
  let mapText: string;
  try {
    root = await realpath(dir);
    const mapPath = join(root, 'map.json');
    if ((await stat(mapPath)).size > MAX_FILE_BYTES) return { ok: false, message: `${mapPath} is larger than ${MAX_FILE_BYTES} bytes.` };
    mapText = await readFile(mapPath, 'utf8');
  } catch (error) {
    return { ok: false, message: `Cannot read ${join(dir, 'map.json')}: ${(error as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(mapText);
  } catch (error) {
    return { ok: false, message: `${join(dir, 'map.json')} is not JSON: ${(error as Error).message}` };
  }
  const parsed = parseDocumentMap(json);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  const readMapped = async (fileName: string): Promise<string | undefined> => {
    try {
      // realpath so that a symbolic link cannot lead out of the folder either.
      const path = await realpath(join(root, fileName));
      if (!path.startsWith(root + sep)) return undefined;
      if ((await stat(path)).size > MAX_FILE_BYTES) return undefined;
      return await readFile(path, 'utf8');
    } catch {
      return undefined;
    }
  };
  return { ok: true, documents: createMappedDocumentSource({ map: parsed.map, readFile: readMapped, ...(network ? { network } : {}) }) };
}
