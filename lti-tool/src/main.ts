/** Starts the tool: opens the runtime (SQLite under ./data by default), serves HTTP, prints the URLs an admin needs. */
import { createApp } from './http/create-app.ts';
import { CONTEXT_PATH } from './http/public-routes.ts';
import { openRuntime } from './runtime.ts';
import { toolUrls } from './lti/tool-configuration.ts';
import { startSyncTimer, syncIntervalMs, tick } from './issuance/sync-scheduler.ts';

const runtime = await openRuntime();
const { config } = runtime;
if (runtime.generatedKeySecret) {
  console.warn(`Warning: created a new key secret in ${runtime.generatedKeySecret}. Back it up (or set MICROCRED_KEY_SECRET): without it the issuer keys cannot be used.`);
}
// The first start creates the issuer key, so the DID document is never empty.
await runtime.keys.activeSigningKey();
// Likewise the LTI key, so /lti/jwks.json has a key before the first platform fetches it.
await runtime.lti.toolKeys.ensureKey();

const server = createApp(runtime).listen(config.port, () => {
  const base = config.publicUrl;
  console.log(`microcred is running on port ${config.port} (${config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`}).
  Issuer id:       ${config.issuerDid}
  DID document:    ${base}/.well-known/did.json
  JWKS:            ${base}/.well-known/jwks.json
  Issuer profile:  ${base}/issuer
  JSON-LD context: ${base}${CONTEXT_PATH}`);
  const lti = toolUrls(base);
  console.log(`LTI 1.3 tool (add it to Moodle or Canvas; see README "Add the tool to Moodle / Canvas"):
  Dynamic registration URL: ${lti.register}
  Login (OIDC initiation):  ${lti.login}
  Launch / redirect URL:    ${lti.launch}
  Tool JWKS:                ${lti.jwks}
  Canvas configuration:     ${lti.canvasConfig}
  Admin page:               ${lti.admin}`);
  if (runtime.lti.adminTokenGenerated) console.log(`  Admin token (generated for this run; set MICROCRED_ADMIN_TOKEN to keep one): ${runtime.lti.adminToken}`);
});

// The automatic award: every SYNC_INTERVAL_SECONDS (default 60) queue and run the AGS results syncs and the LMS completion watches.
const { sync } = runtime;
const syncTimer = startSyncTimer(() => tick(sync.issuance, { owner: sync.owner, now: () => new Date(), readCohort: sync.readCohort, lmsWatch: sync.lmsWatch }), syncIntervalMs(process.env), (error) => console.error('Results sync failed:', error));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    syncTimer.stop();
    server.close(() => void runtime.close().then(() => process.exit(0)));
  });
}
