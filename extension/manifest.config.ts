/**
 * The extension manifest (Chrome Extensions Manifest V3). Least privilege: no host permission at
 * install. `activeTab` + `scripting` check the current tab when the user asks; sites the user
 * picks in the options, and the issuers' origins credentials are fetched from, are requested at
 * runtime from `optional_host_permissions`. `offscreen` (no install warning) lets the service
 * worker open the hidden page that runs the Data Integrity proof worker (extension/src/proof).
 * The Firefox build rewrites this in vite.extension.config.ts.
 */
import { defineManifest } from '@crxjs/vite-plugin';
import pkg from '../package.json' with { type: 'json' };

export default defineManifest({
  manifest_version: 3,
  name: '__MSG_extName__',
  short_name: 'microcred',
  description: '__MSG_extDescription__',
  version: pkg.version,
  default_locale: 'en',
  minimum_chrome_version: '116',
  permissions: ['activeTab', 'scripting', 'storage', 'offscreen'],
  optional_host_permissions: ['https://*/*', 'http://*/*'],
  background: { service_worker: 'extension/src/background/index.ts', type: 'module' },
  action: { default_popup: 'extension/src/popup/index.html', default_title: '__MSG_actionTitle__' },
  options_ui: { page: 'extension/src/options/index.html', open_in_tab: true },
  content_security_policy: { extension_pages: "script-src 'self'; object-src 'self'" },
});
