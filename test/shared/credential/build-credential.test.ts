import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { describe, expect, test } from 'vitest';
import { buildAchievementCredential, CredentialBuildError, hashEmail } from '../../../shared/credential/build-credential.ts';
import { MICROCRED_CONTEXT_URL, OB_CONTEXT_URL, VC_V2_CONTEXT_URL } from '../../../shared/credential/context.ts';
import { buildIssuerProfile } from '../../../shared/credential/issuer-profile.ts';
import type { MicroCredentialDefinition } from '../../../shared/credential/types.ts';
import { achievementCredentialSchema, CREDENTIAL_ID, exampleDefinition, exampleLearner, ISSUED_AT, ISSUER_ID } from './sample-inputs.ts';

type Json = Record<string, unknown>;

const ajv = new Ajv2019({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(achievementCredentialSchema());

const build = (overrides: Partial<Parameters<typeof buildAchievementCredential>[0]> = {}) =>
  buildAchievementCredential({
    definition: exampleDefinition(),
    learner: exampleLearner(),
    result: { issuedAt: ISSUED_AT, grade: '87' },
    issuerId: ISSUER_ID,
    credentialId: CREDENTIAL_ID,
    salt: 'a1b2c3',
    ...overrides,
  });

/** The smallest definition that passes: every mandatory element, nothing optional. */
const minimalDefinition = (): MicroCredentialDefinition => ({
  id: 'urn:uuid:0d6bc2a4-1f7e-4b55-9a0e-2f43c0a1d9e8',
  defaultLanguage: 'en',
  title: { en: 'Spreadsheet basics' },
  description: { en: 'Formulas and charts.' },
  learningOutcomes: [{ text: { en: 'Build a chart from a table.' } }],
  awardingBody: { name: 'Example College', url: 'https://college.example', countryCode: 'IE' },
  workload: { hours: 10 },
  level: { notApplicable: true },
  assessmentType: { en: 'Practical task' },
  participationForm: 'online',
  qualityAssurance: { en: 'Internal review' },
});

const achievementOf = (vc: Json) => (vc.credentialSubject as Json).achievement as Json;
const alignmentsOf = (vc: Json) => achievementOf(vc).alignment as Json[];

describe('buildAchievementCredential (OB 3.0 AchievementCredential, VC Data Model 2.0)', () => {
  test('OB 3.0 achievementcredential.json schema: the complete example validates', async () => {
    const vc = await build();
    expect(validate(vc), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  test('OB 3.0 achievementcredential.json schema: the validator does refuse what the schema forbids', async () => {
    const vc = await build();
    delete achievementOf(vc).criteria;
    ((vc.credentialSubject as Json).identifier as Json[]).push({ type: 'IdentityObject', hashed: false, identityHash: 'x', identityType: 'name', note: 'extra' });
    expect(validate(vc)).toBe(false);
    expect(validate.errors?.map((e) => e.message)).toEqual(expect.arrayContaining(["must have required property 'criteria'", 'must NOT have additional properties']));
  });

  test('OB 3.0 achievementcredential.json schema: a minimal, ungraded definition validates', async () => {
    const vc = await build({ definition: minimalDefinition(), learner: { name: 'Seán Ó Briain' }, result: { issuedAt: ISSUED_AT } });
    expect(validate(vc), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect((vc.credentialSubject as Json).result).toBeUndefined();
    expect(achievementOf(vc).translations).toBeUndefined();
  });

  test('the envelope: contexts in order, types, issuer profile and dates to the second in UTC', async () => {
    const vc = await build({ result: { issuedAt: ISSUED_AT, validUntil: new Date('2031-03-02T00:00:00Z') } });
    expect(vc['@context']).toEqual([VC_V2_CONTEXT_URL, OB_CONTEXT_URL, MICROCRED_CONTEXT_URL]);
    expect(vc.type).toEqual(['VerifiableCredential', 'AchievementCredential']);
    expect(vc).toMatchObject({ id: CREDENTIAL_ID, name: 'Data Literacy for Public Administration', validFrom: '2026-03-02T10:15:30Z', awardedDate: '2026-03-02T10:15:30Z', validUntil: '2031-03-02T00:00:00Z' });
    expect(vc.issuer).toEqual(buildIssuerProfile(ISSUER_ID, exampleDefinition().awardingBody));
  });

  test('the output is plain JSON: no undefined member anywhere', async () => {
    for (const vc of [await build(), await build({ definition: minimalDefinition(), result: undefined })]) {
      expect(JSON.parse(JSON.stringify(vc))).toEqual(vc);
      expect(JSON.stringify(vc, (_k, v: unknown) => (v === undefined ? '__undefined__' : v))).not.toContain('__undefined__');
    }
  });

  test('OB 3.0 IdentityHash: sha256 of "a@example.com" salted with "Kosher" (the schema\'s own example)', async () => {
    expect(await hashEmail('a@example.com', 'Kosher')).toBe('sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399');
  });

  test('the learner: name in clear, email only as a salted hash a verifier can recompute', async () => {
    const vc = await build();
    const identifiers = (vc.credentialSubject as Json).identifier as Json[];
    expect(identifiers[0]).toEqual({ type: 'IdentityObject', hashed: false, identityHash: 'Maria Schneider', identityType: 'name' });
    expect(identifiers[1]).toEqual({ type: 'IdentityObject', hashed: true, identityHash: await hashEmail('Maria.Schneider@example.org ', 'a1b2c3'), identityType: 'emailAddress', salt: 'a1b2c3' });
    expect(JSON.stringify(vc).toLowerCase()).not.toContain('maria.schneider@example.org');
  });

  test('when no salt is given, then a fresh random one is used for every credential', async () => {
    const [a, b] = await Promise.all([build({ salt: undefined }), build({ salt: undefined })]);
    const saltOf = (vc: Json) => ((vc.credentialSubject as Json).identifier as Json[])[1]?.salt as string;
    expect(saltOf(a)).toMatch(/^[0-9a-f]{32}$/);
    expect(saltOf(a)).not.toBe(saltOf(b));
    expect(JSON.stringify(a)).not.toContain('example.org');
  });

  test('the achievement: type MicroCredential, default-language texts, criteria listing the outcomes, credits', async () => {
    const vc = await build();
    const achievement = achievementOf(vc);
    expect(achievement).toMatchObject({
      id: exampleDefinition().id,
      type: ['Achievement'],
      achievementType: 'MicroCredential',
      name: 'Data Literacy for Public Administration',
      inLanguage: 'en',
      creditsAvailable: 3,
      image: { id: exampleDefinition().image, type: 'Image' },
      tag: ['data literacy', 'public administration', 'GDPR', 'digital skills'],
    });
    expect((achievement.criteria as Json).id).toBe(exampleDefinition().criteriaUrl);
    expect(((achievement.criteria as Json).narrative as string).split('\n')).toHaveLength(4);
    expect((vc.credentialSubject as Json).creditsEarned).toBe(3);
  });

  test('alignments: one per outcome (ESCO where known, a fragment of the achievement otherwise), EQF, NQF, stacking target', async () => {
    const alignments = alignmentsOf(await build());
    const def = exampleDefinition();
    expect(alignments.slice(0, 4).map((a) => a.targetUrl)).toEqual([
      def.learningOutcomes[0]!.skillUri,
      def.learningOutcomes[1]!.skillUri,
      def.learningOutcomes[2]!.skillUri,
      `${def.id}#outcome-4`,
    ]);
    expect(alignments[0]).toMatchObject({ targetType: 'ceasn:Competency', targetFramework: 'ESCO', targetName: def.learningOutcomes[0]!.text.en });
    expect(alignments).toContainEqual({ type: ['Alignment'], targetName: 'EQF level 5', targetUrl: 'http://data.europa.eu/snb/eqf/5', targetCode: '5', targetFramework: 'European Qualifications Framework', targetType: 'ext:EQFLevel' });
    expect(alignments).toContainEqual(expect.objectContaining({ targetType: 'ext:NQFLevel', targetCode: '5', targetUrl: 'https://www.dqr.de/' }));
    expect(alignments).toContainEqual(expect.objectContaining({ targetType: 'ceterms:Credential', targetUrl: def.stackability!.towards![0]!.id }));
    // OB 3.0 `related` means "the same achievement" (another language or version), not a stacking target.
    expect(achievementOf(await build()).related).toBeUndefined();
  });

  test('a graded award: Result value linked to the ResultDescription of the grade scheme', async () => {
    const vc = await build();
    const [description] = achievementOf(vc).resultDescription as Json[];
    expect(description).toEqual({ id: `${exampleDefinition().id}#grade`, type: ['ResultDescription'], name: 'Score out of 100 (pass mark 60)', resultType: 'RawScore', valueMin: '0', valueMax: '100' });
    expect((vc.credentialSubject as Json).result).toEqual([{ type: ['Result'], value: '87', resultDescription: description!.id }]);
  });

  test('the microCredential extension and the German translations', async () => {
    const achievement = achievementOf(await build());
    expect(achievement.microCredential).toMatchObject({
      type: ['MicroCredentialProfile'],
      volumeOfLearning: 'PT75H',
      qfEhea: 'short',
      participationForm: 'blended',
      supervision: 'supervised-with-identity-verification',
      assessmentType: exampleDefinition().assessmentType.en,
      duration: 'P6W',
      pace: 'part-time',
      occupationalStandards: [{ id: 'http://data.europa.eu/esco/isco/C2422', name: 'Policy administration professionals' }],
    });
    const de = (achievement.translations as Record<string, Json>).de!;
    expect(Object.keys(achievement.translations as Json)).toEqual(['de']);
    expect(de.name).toBe('Datenkompetenz für die öffentliche Verwaltung');
    expect(de.learningOutcomes).toHaveLength(4);
    expect(Object.keys(de)).toEqual(expect.arrayContaining(['description', 'assessmentType', 'qualityAssurance', 'prerequisites', 'furtherInformation', 'modeOfDelivery', 'targetGroup', 'purpose']));
  });

  test('fractional workload hours become an xsd:duration with minutes', async () => {
    const definition = { ...minimalDefinition(), workload: { hours: 37.5 } };
    const profile = achievementOf(await build({ definition })).microCredential as Json;
    expect(profile.volumeOfLearning).toBe('PT37H30M');
  });

  test('credentialStatus: one entry stays an object (the OB schema wants one), several stay a list', async () => {
    const entry = { id: 'https://academy.example.eu/status/1#94567', type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '94567', statusListCredential: 'https://academy.example.eu/status/1' };
    expect((await build({ credentialStatus: entry })).credentialStatus).toEqual(entry);
    expect((await build({ credentialStatus: [entry] })).credentialStatus).toEqual(entry);
    expect((await build({ credentialStatus: [entry, { ...entry, statusPurpose: 'suspension' }] })).credentialStatus).toHaveLength(2);
  });

  test('when the definition is incomplete, then nothing is issued and the error says what is missing', async () => {
    const definition = { ...minimalDefinition(), qualityAssurance: undefined } as unknown as MicroCredentialDefinition;
    const attempt = build({ definition });
    await expect(attempt).rejects.toBeInstanceOf(CredentialBuildError);
    await expect(attempt).rejects.toMatchObject({ code: 'CREDENTIAL_DEFINITION_INVALID', message: expect.stringContaining('Type of quality assurance') });
  });

  test('when the learner has no name, then nothing is issued', async () => {
    await expect(build({ learner: { name: ' ', email: 'x@example.org' } })).rejects.toMatchObject({ code: 'CREDENTIAL_LEARNER_INVALID' });
  });
});

describe('buildIssuerProfile (OB 3.0 Profile)', () => {
  test('identifier types outside the OB enumeration become ext: values; enum values pass unchanged', () => {
    const profile = buildIssuerProfile(ISSUER_ID, {
      name: 'Example College',
      url: 'https://college.example',
      countryCode: 'IE',
      otherIdentifiers: [
        { identifier: 'IRL DUBLIN01', identifierType: 'Erasmus code' },
        { identifier: '12345', identifierType: 'sourcedId' },
      ],
    });
    expect(profile).toEqual({
      id: ISSUER_ID,
      type: ['Profile'],
      name: 'Example College',
      url: 'https://college.example',
      address: { type: ['Address'], addressCountryCode: 'IE' },
      otherIdentifier: [
        { type: 'IdentifierEntry', identifier: 'IRL DUBLIN01', identifierType: 'ext:Erasmus-code' },
        { type: 'IdentifierEntry', identifier: '12345', identifierType: 'sourcedId' },
      ],
    });
  });
});
