import { describe, expect, test } from 'vitest';
import { buildAchievementCredential } from '../../../shared/credential/build-credential.ts';
import { readEuElements } from '../../../shared/credential/read-eu-elements.ts';
import { MANDATORY_ELEMENTS } from '../../../shared/credential/types.ts';
import { CREDENTIAL_ID, exampleDefinition, exampleLearner, ISSUED_AT, ISSUER_ID, ob30Vector } from './sample-inputs.ts';

const buildExample = () =>
  buildAchievementCredential({
    definition: exampleDefinition(),
    learner: exampleLearner(),
    result: { issuedAt: ISSUED_AT, grade: '87' },
    issuerId: ISSUER_ID,
    credentialId: CREDENTIAL_ID,
  });

describe('readEuElements (Annex I read back from an OB 3.0 credential)', () => {
  test('when our credential is read back, then every element of the definition is recovered and nothing is missing', async () => {
    const def = exampleDefinition();
    const en = (text: Readonly<Record<string, string>> | undefined) => text?.en;
    expect(readEuElements(await buildExample())).toEqual({
      learner: { name: 'Maria Schneider', emailHashed: true },
      title: def.title.en,
      titles: def.title,
      country: 'DE',
      awardingBody: { id: ISSUER_ID, name: def.awardingBody.name, url: def.awardingBody.url },
      dateOfIssuing: '2026-03-02T10:15:30Z',
      learningOutcomes: def.learningOutcomes.map((o) => (o.skillUri ? { text: o.text.en, skillUri: o.skillUri } : { text: o.text.en })),
      workload: def.workload,
      level: def.level,
      assessmentType: en(def.assessmentType),
      participationForm: def.participationForm,
      qualityAssurance: en(def.qualityAssurance),
      prerequisites: en(def.prerequisites),
      supervision: def.supervision,
      grade: '87',
      stackability: def.stackability,
      furtherInformation: en(def.furtherInformation),
      descriptors: {
        duration: def.duration,
        pace: def.pace,
        modeOfDelivery: def.modeOfDelivery,
        occupationalStandards: def.occupationalStandards,
        targetGroup: def.targetGroup,
        purpose: def.purpose,
      },
      missing: [],
    });
  });

  test('when the level is stated as not applicable, then the level still counts as present', async () => {
    const definition = { ...exampleDefinition(), level: { notApplicable: true } };
    const vc = await buildAchievementCredential({ definition, learner: { name: 'A. Learner' }, issuerId: ISSUER_ID, credentialId: CREDENTIAL_ID });
    const eu = readEuElements(vc);
    expect(eu.level).toEqual({ notApplicable: true });
    expect(eu.missing).toEqual([]);
  });

  test('OB 3.0 spec "Sample OpenBadgeCredential": what it carries is read, the EU elements it lacks are named', () => {
    const eu = readEuElements(ob30Vector('basic-openbadgecredential.json'));
    expect(eu).toMatchObject({
      learner: { id: 'did:example:ebfeb1f712ebc6f1c276e12ec21' },
      title: 'Teamwork',
      titles: { und: 'Teamwork' },
      awardingBody: { id: 'https://example.com/issuers/876543', name: 'Example Corp' },
      dateOfIssuing: '2010-01-01T00:00:00Z',
    });
    expect(eu.missing).toEqual(['country', 'learningOutcomes', 'workload', 'level', 'assessmentType', 'participationForm', 'qualityAssurance']);
  });

  test('OB 3.0 spec "Complete OpenBadgeCredential": country, credits, grade and alignments of someone else\'s credential', () => {
    const eu = readEuElements(ob30Vector('complete-openbadgecredential.json'));
    expect(eu).toMatchObject({
      country: 'US',
      awardingBody: { id: 'https://1edtech.edu/issuers/565049', name: '1EdTech University', url: 'https://1edtech.edu' },
      workload: { ects: 36 },
      grade: 'A',
      learningOutcomes: [
        { text: '1EdTech University Degree', skillUri: 'https://1edtech.edu/catalog/degree' },
        { text: '1EdTech University Degree', skillUri: 'https://credentialengineregistry.org/resources/ce-98cb027b-95ef-4494-908d-6f7790ec6b6b' },
      ],
    });
    expect(eu.learner).toEqual({ id: 'did:example:ebfeb1f712ebc6f1c276e12ec21' });
    expect(eu.missing).toEqual(['level', 'assessmentType', 'participationForm', 'qualityAssurance']);
  });

  test('a third party\'s EQF alignment is recognised by framework name or by the Europass EQF URI', () => {
    const withAlignment = (alignment: Record<string, unknown>) => ({
      credentialSubject: { achievement: { alignment: [{ type: ['Alignment'], targetName: 'Level', ...alignment }] } },
    });
    expect(readEuElements(withAlignment({ targetFramework: 'European Qualifications Framework', targetCode: '6', targetUrl: 'https://ec.europa.eu/ploteus/' })).level).toEqual({ eqf: 6 });
    expect(readEuElements(withAlignment({ targetUrl: 'http://data.europa.eu/snb/eqf/4' })).level).toEqual({ eqf: 4 });
    expect(readEuElements(withAlignment({ targetFramework: 'EQF', targetName: 'EQF level 7', targetUrl: 'https://x.example' })).level).toEqual({ eqf: 7 });
    expect(readEuElements(withAlignment({ targetFramework: 'EQF', targetCode: '11', targetUrl: 'https://x.example' })).level).toBeUndefined();
  });

  test('a learner named in credentialSubject.name (not an IdentityObject) is still found', () => {
    expect(readEuElements({ credentialSubject: { name: 'Ada Lovelace' } }).learner).toEqual({ name: 'Ada Lovelace' });
  });

  const garbage: [string, unknown][] = [
    ['null', null],
    ['an array', [1, 2]],
    ['a number', 42],
    ['a string', 'eyJhbGciOi…'],
    ['an empty object', {}],
    ['wrong types everywhere', {
      issuer: 7,
      validFrom: 20100101,
      name: ['x'],
      credentialSubject: [null, 3],
    }],
    ['wrong types one level down', {
      issuer: { id: 5, address: 'Berlin' },
      credentialSubject: {
        identifier: 'me',
        result: { value: 3 },
        achievement: { name: {}, alignment: [null, 'x', 5, { targetType: 3 }], creditsAvailable: '3', microCredential: [], translations: 'de' },
      },
    }],
    ['our extension with wrong types', {
      credentialSubject: { achievement: { inLanguage: 4, translations: { de: null, fr: 3 }, microCredential: { volumeOfLearning: 75, stackability: 'yes', occupationalStandards: {}, pace: 1, levelNotApplicable: 'true' } } },
    }],
  ];

  test.each(garbage)('when given %s, then it does not throw and reports all eleven elements missing', (_name, input) => {
    expect(readEuElements(input as Record<string, unknown>).missing).toEqual([...MANDATORY_ELEMENTS]);
  });
});
