/**
 * The browser extension build: `npm run build:extension` → dist/chrome (Manifest V3, built by
 * @crxjs/vite-plugin) and dist/firefox (the same files, manifest adapted for Gecko).
 *
 * Why a separate file from vite.config.ts: vitest loads vite.config.ts for every test run, and
 * crxjs's plugin hooks (manifest generation, the IIFE sub-builds of content scripts, its dev-server
 * HMR client) then run inside vitest and rewrite imports such as `?script&iife`. Keeping the
 * extension build here leaves vitest's config untouched and the build reproducible on its own.
 */
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import manifest from './extension/manifest.config.ts';

const CHROME_DIR = resolve('dist/chrome');
const FIREFOX_DIR = resolve('dist/firefox');
export const GECKO_ID = 'microcred-extension@microcred.invalid';

/**
 * After crxjs: (1) drop the web_accessible_resources crxjs adds for the `?script&iife` content
 * script — scripting.executeScript and registerContentScripts load extension files without it,
 * and a web-accessible file lets any page detect that the extension is installed; (2) make
 * dist/firefox: background scripts instead of a service worker, an add-on id, and the
 * data-collection declaration (none) that `web-ext lint` asks for.
 */
function finishManifests(): Plugin {
  return {
    name: 'microcred:finish-manifests',
    apply: 'build',
    closeBundle: {
      sequential: true,
      order: 'post',
      handler() {
        const chromeFile = resolve(CHROME_DIR, 'manifest.json');
        const chrome = JSON.parse(readFileSync(chromeFile, 'utf8')) as Record<string, unknown> & { background: { service_worker: string }; permissions: string[] };
        delete chrome.web_accessible_resources;
        writeFileSync(chromeFile, `${JSON.stringify(chrome, null, 2)}\n`);
        rmSync(FIREFOX_DIR, { recursive: true, force: true });
        cpSync(CHROME_DIR, FIREFOX_DIR, { recursive: true });
        const { minimum_chrome_version: _chromeOnly, background, ...rest } = chrome;
        const firefox = {
          ...rest,
          // Firefox has no offscreen documents (nor needs them: its background page starts the proof worker itself).
          permissions: chrome.permissions.filter((p) => p !== 'offscreen'),
          background: { scripts: [background.service_worker], type: 'module' },
          browser_specific_settings: { gecko: { id: GECKO_ID, strict_min_version: '142.0', data_collection_permissions: { required: ['none'] } } },
        };
        writeFileSync(resolve(FIREFOX_DIR, 'manifest.json'), `${JSON.stringify(firefox, null, 2)}\n`);
      },
    },
  };
}

/** shared/'s lazy import of the proof-checking half of Data Integrity (data-integrity.ts). */
const PROOF_MODULE = /(^|\/)data-integrity-proof\.ts$/;

/**
 * MV3 service workers may not call import() (HTML spec; Chrome throws "import() is disallowed on
 * ServiceWorkerGlobalScope"). shared/ loads the JSON-LD / Data Integrity packages (and breaks a
 * few module cycles) with import() so Node loads them only when needed. In the extension every
 * such import becomes a static namespace import (namespace bindings are live, so cycles stay
 * safe), with one exception in the background bundle: the proof-checking module, whose JSON-LD
 * stack is most of the code. The extension always injects VerifyOptions.dataIntegrity (a check
 * that runs extension/src/proof/proof-worker.ts in a dedicated worker, built from the same shared
 * module with `inWorker`), so in the background bundle that import is replaced by a rejection
 * saying so, and the stack stays out of the service worker.
 */
function eagerImports({ inWorker }: { inWorker: boolean }): Plugin {
  // Not `typeof import('x')`, which is a type, not a call.
  const DYNAMIC_IMPORT = /(?<!typeof\s+)\bimport\(\s*(['"])([^'"]+)\1\s*\)/g;
  return {
    name: 'microcred:eager-imports',
    enforce: 'pre',
    transform(code, id) {
      if (!id.includes('/shared/') || !/\.tsx?$/.test(id) || !code.includes('import(')) return null;
      const statics: string[] = [];
      const out = code.replace(DYNAMIC_IMPORT, (_match, _quote: string, specifier: string) => {
        if (!inWorker && PROOF_MODULE.test(specifier)) {
          return 'Promise.reject(new Error("The extension checks Data Integrity proofs in its proof worker: VerifyOptions.dataIntegrity must be set."))';
        }
        const name = `__microcredEager${statics.length}`;
        statics.push(`import * as ${name} from ${JSON.stringify(specifier)};`);
        return `Promise.resolve(${name})`;
      });
      return statics.length === 0 && out === code ? null : { code: `${statics.join('\n')}\n${out}`, map: null };
    },
  };
}

export default defineConfig({
  root: resolve('.'),
  publicDir: resolve('extension/public'),
  plugins: [eagerImports({ inWorker: false }), preact(), crx({ manifest }), finishManifests()],
  // The proof worker (extension/src/proof) is its own bundle: ES module, every import static.
  worker: { format: 'es', plugins: () => [eagerImports({ inWorker: true })] },
  build: {
    outDir: CHROME_DIR,
    emptyOutDir: true,
    target: 'chrome116',
    sourcemap: false,
    // The proof worker bundles the JSON-LD / Data Integrity stack on purpose (see eagerImports).
    chunkSizeWarningLimit: 800,
    rollupOptions: { input: { report: resolve('extension/src/report/index.html'), offscreen: resolve('extension/src/offscreen/index.html') } },
  },
});
