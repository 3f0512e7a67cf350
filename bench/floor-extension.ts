/**
 * The floor peer for the extension bench: the least a content script of this kind can do on the
 * same page — run in its own isolated world, read the page's links in one query, open a port to
 * its worker and send them — in a minimal Manifest V3 extension written to a temporary folder.
 * What it costs is what any such extension pays before finding, badging or painting anything.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FLOOR_SCRIPT = 'floor-content.js';

export function writeFloorExtension(): string {
  const dir = mkdtempSync(join(tmpdir(), 'microcred-floor-'));
  const manifest = {
    manifest_version: 3,
    name: 'floor peer',
    version: '1.0.0',
    background: { service_worker: 'floor-worker.js' },
    content_scripts: [{ matches: ['http://127.0.0.1/*'], js: [FLOOR_SCRIPT], run_at: 'document_idle' }],
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'floor-worker.js'), 'chrome.runtime.onConnect.addListener((port) => port.onMessage.addListener(() => {}));\n');
  writeFileSync(
    join(dir, FLOOR_SCRIPT),
    `const started = performance.now();
const links = document.querySelectorAll('a[href]');
const urls = [];
for (let i = 0; i < links.length; i++) urls.push(links[i].href);
const port = chrome.runtime.connect({ name: 'floor' });
port.postMessage(urls);
document.documentElement.setAttribute('data-floor-ms', (performance.now() - started).toFixed(2));
`,
  );
  return dir;
}
