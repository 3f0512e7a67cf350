/** Run by `npm test` before vitest: makes sure Chromium, Firefox ESR and PostgreSQL binaries exist (installing them on Debian as root); never starts a server. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const DEBIAN_PG_ROOT = '/usr/lib/postgresql';

function debianInitdb() {
  if (!existsSync(DEBIAN_PG_ROOT)) return undefined;
  return readdirSync(DEBIAN_PG_ROOT)
    .map((version) => `${DEBIAN_PG_ROOT}/${version}/bin/initdb`)
    .find((file) => existsSync(file));
}

function initdbOnPath() {
  try {
    return execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function run(command, args, env = {}) {
  console.log(`[prepare] $ ${Object.entries(env).map(([k, v]) => `${k}=${v} `).join('')}${command} ${args.join(' ')}`);
  execFileSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
}

let aptUpdated = false;
function aptInstall(pkg) {
  if (!aptUpdated) run('apt-get', ['update']);
  aptUpdated = true;
  run('apt-get', ['install', '-y', pkg], { DEBIAN_FRONTEND: 'noninteractive' });
}

const banner = (lines) => console.warn(['', '!'.repeat(78), ...lines.map((line) => `!! ${line}`), '!'.repeat(78), ''].join('\n'));

/** A browser for the extension tests: found, installed from Debian's packages (as root), or a loud stop. */
function ensureBrowser(name, path, debianPackage, pathVariable) {
  if (existsSync(path)) {
    console.log(`[prepare] ${name} found: ${path}`);
  } else if (process.getuid?.() === 0) {
    console.log(`[prepare] ${name} is missing; installing the Debian package for the extension tests.`);
    aptInstall(debianPackage);
  } else {
    banner([`${name} is not installed at ${path} and this user cannot install it.`, `Install it (Debian: sudo apt-get install -y ${debianPackage}), set ${pathVariable},`, 'or set MICROCRED_SKIP_BROWSER=1 to skip the extension browser tests.']);
    process.exit(1);
  }
}

if (process.env.MICROCRED_SKIP_BROWSER === '1') {
  banner(['MICROCRED_SKIP_BROWSER=1: the extension detector and end-to-end tests will NOT run.']);
} else {
  // Chromium for the extension's detector and end-to-end tests (test/extension, test/e2e), driven by playwright-core.
  ensureBrowser('Chromium', process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', 'chromium', 'CHROMIUM_PATH');
  // Firefox ESR for the Firefox end-to-end test (test/e2e/extension-firefox.test.ts), driven by puppeteer-core over WebDriver BiDi.
  ensureBrowser('Firefox', process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', 'firefox-esr', 'FIREFOX_PATH');
}

if (process.env.MICROCRED_SKIP_PG === '1') {
  banner(['MICROCRED_SKIP_PG=1: the PostgreSQL half of the store tests will NOT run.', 'Only SQLite is tested; do not merge storage changes on this result alone.']);
  process.exit(0);
}

const found = debianInitdb() ?? initdbOnPath();
if (found) {
  console.log(`[prepare] PostgreSQL found: ${found}`);
  process.exit(0);
}

if (process.getuid?.() !== 0) {
  banner([
    'PostgreSQL is not installed and this user cannot install it.',
    'Install it (Debian: sudo apt-get install -y postgresql) and run the tests again,',
    'or set MICROCRED_SKIP_PG=1 to run only the SQLite half of the store tests.',
  ]);
  process.exit(1);
}

console.log('[prepare] PostgreSQL is missing; installing the Debian package (the tests start their own private cluster).');
aptInstall('postgresql');
const installed = debianInitdb();
if (!installed) {
  banner([`apt-get installed postgresql, but no ${DEBIAN_PG_ROOT}/*/bin/initdb appeared.`]);
  process.exit(1);
}
console.log(`[prepare] PostgreSQL installed: ${installed}`);
