import { describe, expect, test } from 'vitest';
import { checkDefinition } from '../../../shared/credential/completeness.ts';
import { ELEMENT_LABELS, MANDATORY_ELEMENTS } from '../../../shared/credential/types.ts';
import type { MandatoryElement } from '../../../shared/credential/types.ts';
import { exampleDefinition } from './sample-inputs.ts';

type Editable = Record<string, unknown>;
const edited = (change: (def: Editable) => void): Editable => {
  const def = exampleDefinition() as unknown as Editable;
  change(def);
  return def;
};
const body = (def: Editable) => def.awardingBody as Editable;

/** How to take each definition-side mandatory element away (learner and date come with the award). */
const REMOVALS: Record<Exclude<MandatoryElement, 'learner' | 'dateOfIssuing'>, (def: Editable) => void> = {
  title: (def) => delete def.title,
  country: (def) => delete body(def).countryCode,
  awardingBody: (def) => delete body(def).name,
  learningOutcomes: (def) => (def.learningOutcomes = []),
  workload: (def) => (def.workload = {}),
  level: (def) => (def.level = {}),
  assessmentType: (def) => delete def.assessmentType,
  participationForm: (def) => delete def.participationForm,
  qualityAssurance: (def) => (def.qualityAssurance = { de: 'Nur auf Deutsch' }),
};

describe('checkDefinition (Council Recommendation 2022/C 243/02, Annex I)', () => {
  test('when the definition is the complete example, then it is accepted as is', () => {
    const def = exampleDefinition();
    expect(checkDefinition(def)).toEqual({ ok: true, definition: def });
  });

  test.each(Object.entries(REMOVALS))('when %s is removed, then the definition is refused naming that element', (element, remove) => {
    const out = checkDefinition(edited(remove));
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.missing).toEqual([element]);
    const label = ELEMENT_LABELS[element as MandatoryElement];
    expect(out.problems).toContainEqual({ element, message: `Missing mandatory element: ${label} (${element})` });
  });

  test('when the definition is empty, then all nine definition-side elements are missing, in Annex I order', () => {
    const out = checkDefinition({});
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.missing).toEqual(MANDATORY_ELEMENTS.filter((e) => e !== 'learner' && e !== 'dateOfIssuing'));
  });

  test.each([null, 42, 'definition', [], true])('when the input is %j, then it is refused without throwing', (input) => {
    const out = checkDefinition(input);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.problems[0]?.message).toMatch(/Missing mandatory element|JSON object/);
  });

  test.each([
    ['QF-EHEA cycle only', { qfEhea: 'first' }],
    ['national framework only', { nqf: { framework: 'DQR', level: '6' } }],
    ['level stated as not applicable', { notApplicable: true }],
    ['EQF only', { eqf: 1 }],
  ])('when the level is given as %s, then the level counts as present', (_name, level) => {
    expect(checkDefinition(edited((def) => (def.level = level))).ok).toBe(true);
  });

  test('when the workload is given in hours only, then it counts as present (ECTS "wherever possible")', () => {
    expect(checkDefinition(edited((def) => (def.workload = { hours: 40 }))).ok).toBe(true);
  });

  test.each([
    ['country', (def: Editable) => (body(def).countryCode = 'de'), /ISO 3166-1 alpha-2/],
    ['country', (def: Editable) => (body(def).countryCode = 'DEU'), /ISO 3166-1 alpha-2/],
    ['level', (def: Editable) => (def.level = { eqf: 9 }), /1 to 8/],
    ['level', (def: Editable) => (def.level = { eqf: 4.5 }), /1 to 8/],
    ['level', (def: Editable) => (def.level = { qfEhea: 'fourth' }), /QF-EHEA/],
    ['workload', (def: Editable) => (def.workload = { ects: -1 }), /0 or more/],
    ['participationForm', (def: Editable) => (def.participationForm = 'hybrid'), /online, onsite, blended/],
    ['supervision', (def: Editable) => (def.supervision = 'proctored'), /Supervision must be one of/],
    ['awardingBody', (def: Editable) => (body(def).url = 'academy.example.eu'), /web address/],
    ['awardingBody.email', (def: Editable) => (body(def).email = 'not-an-email'), /email/],
    ['criteriaUrl', (def: Editable) => (def.criteriaUrl = 'criteria page'), /https URL/],
    ['image', (def: Editable) => (def.image = 'javascript:alert(1)'), /image/],
    ['learningOutcomes[0].skillUri', (def: Editable) => ((def.learningOutcomes as Editable[])[0]!.skillUri = 'not a uri'), /not a URI/],
    ['learningOutcomes[1]', (def: Editable) => ((def.learningOutcomes as Editable[])[1]!.text = { de: 'nur Deutsch' }), /no text in the default language/],
    ['defaultLanguage', (def: Editable) => (def.defaultLanguage = 'English'), /language tag/],
    ['id', (def: Editable) => (def.id = 'data-literacy'), /https URL or a urn:uuid/],
    ['description', (def: Editable) => delete def.description, /description/],
    ['stackability', (def: Editable) => (def.stackability = { kind: 'stackable', towards: [{ name: 'no id' }] }), /stacks towards/],
    ['duration', (def: Editable) => (def.duration = 'six weeks'), /ISO 8601/],
    ['pace', (def: Editable) => (def.pace = 'fast'), /pace/],
    ['prerequisites', (def: Editable) => (def.prerequisites = { de: 'nur Deutsch' }), /default language/],
    ['gradeScheme', (def: Editable) => (def.gradeScheme = { name: 'Points', valueMax: 100 }), /grade scheme/],
    ['occupationalStandards', (def: Editable) => (def.occupationalStandards = [{ name: 'no uri' }]), /URI and a name/],
  ])('when %s is malformed, then the problem is named', (element, change, message) => {
    const out = checkDefinition(edited(change));
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.missing).toEqual([]);
    expect(out.problems).toContainEqual({ element, message: expect.stringMatching(message) });
  });

  test('when the default language is unusable, then texts in other languages still count as present', () => {
    const out = checkDefinition(edited((def) => delete def.defaultLanguage));
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.missing).toEqual([]);
  });
});
