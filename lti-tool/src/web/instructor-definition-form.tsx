/**
 * The instructor's micro-credential definition form: every element of Council Recommendation
 * 2022/C 243/02, Annex I (mandatory ones marked), each with help text after the Recommendation,
 * titles and outcomes in several languages, the pass rule and stacking. Problems (a missing
 * mandatory element by name) are shown at the top and next to the field.
 */
import { ELEMENT_LABELS } from '../../../shared/credential/types.ts';
import type { DefinitionProblem } from '../issuance/definitions.ts';
import { formLanguages, MAX_OUTCOMES, type LmsChoice } from '../issuance/definition-form.ts';
import { LmsRuleChoice } from './lms-rule-picker.tsx';
import { renderPage } from './page.tsx';

type Fields = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface DefinitionFormProps {
  readonly fields: Fields;
  readonly problems?: readonly DefinitionProblem[];
  readonly action: string;
  /** Definitions of this course the new one may stack (id, title). */
  readonly stackCandidates?: readonly { readonly id: string; readonly title: string }[];
  readonly csrfToken?: string;
  /** The LTI session, sent back with the form. */
  readonly sessionId?: string;
  /** Deep linking: the activity is placed only with a published definition, so there is no draft button. */
  readonly publishOnly?: boolean;
  /** "Completed in Moodle / Canvas": the platform's LMS connection and the course outline, or why there is none. */
  readonly lmsChoice?: LmsChoice;
}

/** Help after Annex I of the Recommendation. */
const HELP = {
  title: 'The name of the micro-credential as learners and employers will read it.',
  description: 'What the learning experience is about, in a few sentences.',
  learningOutcomes: 'What the learner knows, understands and is able to do after the learning experience. One outcome per box; link an ESCO skill where one fits.',
  awardingBody: 'The legal identity of the body issuing the micro-credential.',
  country: 'The country (or region) of the awarding body, as a two-letter code such as DE.',
  workload: 'The notional workload needed to achieve the learning outcomes, in ECTS credits wherever possible (1 ECTS is about 25–30 hours).',
  level: 'The level (and cycle) of the learning experience in the European Qualifications Framework (EQF), the QF-EHEA or a national framework, if applicable.',
  assessmentType: 'How the learning outcomes were assessed, e.g. a supervised exam, a project, a portfolio.',
  participationForm: 'Whether the learning took place online, on site, or blended.',
  qualityAssurance: 'The type of quality assurance used to underpin the micro-credential (internal, external, accreditation …).',
  prerequisites: 'Optional: what a learner needs before enrolling.',
  supervision: 'Optional: whether the assessment was supervised and the learner’s identity verified.',
  stackability: 'Optional: whether the micro-credential stands alone or can be combined into a larger credential.',
  furtherInformation: 'Optional: anything else a reader should know.',
} as const;

const FIELD_OF: Record<string, string> = { title: 'title', learningOutcomes: 'outcome', awardingBody: 'awardingBody', country: 'awardingBody.countryCode', workload: 'workload', level: 'level', assessmentType: 'assessmentType', participationForm: 'participationForm', qualityAssurance: 'qualityAssurance' };

const value = (fields: Fields, name: string): string => {
  const v = fields[name];
  return Array.isArray(v) ? (v[0] ?? '') : typeof v === 'string' ? v : '';
};

export function DefinitionForm({ fields, problems = [], action, stackCandidates = [], csrfToken, sessionId, publishOnly, lmsChoice = { state: 'unavailable' } }: DefinitionFormProps) {
  const languages = formLanguages(fields);
  const problemFor = (element: string) => problems.filter((p) => p.element === element || p.element.startsWith(`${element}.`) || p.element.startsWith(`${element}[`) || FIELD_OF[p.element] === element);
  const Problems = ({ element }: { element: string }) => <>{problemFor(element).map((p) => <p class="bad" role="alert">{p.message}</p>)}</>;
  const Help = ({ text }: { text: string }) => <small class="muted">{text}</small>;
  const Texts = ({ name, label, mandatory, multiline }: { name: keyof typeof HELP; label: string; mandatory?: boolean; multiline?: boolean }) => (
    <fieldset>
      <legend>{label}{mandatory ? ' (required)' : ''}</legend>
      <Help text={HELP[name]} />
      {languages.map((lang) => (
        <label>
          {lang}
          {/* Mandatory elements are required in the default language; the server checks again and names what is missing. */}
          {multiline ? <textarea name={`${name}.${lang}`} rows={3} required={mandatory && lang === languages[0]} value={value(fields, `${name}.${lang}`)} /> : <input name={`${name}.${lang}`} required={mandatory && lang === languages[0]} value={value(fields, `${name}.${lang}`)} />}
        </label>
      ))}
      <Problems element={name} />
    </fieldset>
  );
  const outcomeCount = Math.min(MAX_OUTCOMES, Math.max(3, ...Array.from({ length: MAX_OUTCOMES }, (_, i) => (languages.some((l) => value(fields, `outcome.${i}.text.${l}`)) ? i + 2 : 0))));
  const ruleKind = value(fields, 'rule.kind') || 'min-score';
  const parts = new Set(Array.isArray(fields['stack.parts']) ? (fields['stack.parts'] as string[]) : [value(fields, 'stack.parts')]);
  return (
    <form method="post" action={action} class="definition-form" enctype="multipart/form-data">
      {problems.length > 0 ? (
        <div class="card error" role="alert">
          <p><strong>The micro-credential cannot be published yet:</strong></p>
          <ul>{problems.map((p) => <li>{p.message}</li>)}</ul>
        </div>
      ) : null}
      {sessionId ? <input type="hidden" name="session" value={sessionId} /> : null}
      {csrfToken ? <input type="hidden" name="csrf" value={csrfToken} /> : null}
      <input type="hidden" name="achievementId" value={value(fields, 'achievementId')} />
      <fieldset>
        <legend>Languages</legend>
        <label>Default language <input name="defaultLanguage" value={languages[0] ?? 'en'} /></label>
        <label>Other languages (comma separated; save to get their fields) <input name="otherLanguages" value={languages.slice(1).join(', ')} /></label>
      </fieldset>
      <Texts name="title" label={ELEMENT_LABELS.title} mandatory />
      <Texts name="description" label="Description" mandatory multiline />
      <fieldset>
        <legend>{ELEMENT_LABELS.learningOutcomes} (required)</legend>
        <Help text={HELP.learningOutcomes} />
        {Array.from({ length: outcomeCount }, (_, i) => (
          <div class="outcome">
            {languages.map((lang) => (
              <label>Outcome {i + 1} ({lang}) <textarea name={`outcome.${i}.text.${lang}`} rows={2} value={value(fields, `outcome.${i}.text.${lang}`)} /></label>
            ))}
            <label>ESCO skill URI (optional) <input name={`outcome.${i}.skillUri`} type="url" value={value(fields, `outcome.${i}.skillUri`)} /></label>
          </div>
        ))}
        <Problems element="learningOutcomes" />
      </fieldset>
      <fieldset>
        <legend>{ELEMENT_LABELS.awardingBody} and {ELEMENT_LABELS.country} (required)</legend>
        <Help text={HELP.awardingBody} />
        <label>Name <input name="awardingBody.name" required value={value(fields, 'awardingBody.name')} /></label>
        <label>Web address <input name="awardingBody.url" type="url" value={value(fields, 'awardingBody.url')} /></label>
        <label>Country code <input name="awardingBody.countryCode" required maxLength={2} value={value(fields, 'awardingBody.countryCode')} /></label>
        <Help text={HELP.country} />
        <label>Region (optional) <input name="awardingBody.region" value={value(fields, 'awardingBody.region')} /></label>
        <Problems element="awardingBody" />
        <Problems element="country" />
      </fieldset>
      <fieldset>
        <legend>{ELEMENT_LABELS.workload} (required)</legend>
        <Help text={HELP.workload} />
        <label>ECTS credits <input name="workload.ects" inputMode="decimal" value={value(fields, 'workload.ects')} /></label>
        <label>Hours <input name="workload.hours" inputMode="decimal" value={value(fields, 'workload.hours')} /></label>
        <Problems element="workload" />
      </fieldset>
      <fieldset>
        <legend>{ELEMENT_LABELS.level} (required)</legend>
        <Help text={HELP.level} />
        <label>EQF level
          <Select name="level.eqf" current={value(fields, 'level.eqf')} options={[['', '–'], ...[1, 2, 3, 4, 5, 6, 7, 8].map((n): [string, string] => [String(n), String(n)])]} />
        </label>
        <label>National framework <input name="level.nqfFramework" value={value(fields, 'level.nqfFramework')} /></label>
        <label>National level <input name="level.nqfLevel" value={value(fields, 'level.nqfLevel')} /></label>
        <label><input type="checkbox" name="level.notApplicable" checked={value(fields, 'level.notApplicable') === 'on'} /> No level applies</label>
        <Problems element="level" />
      </fieldset>
      <Texts name="assessmentType" label={ELEMENT_LABELS.assessmentType} mandatory />
      <fieldset>
        <legend>{ELEMENT_LABELS.participationForm} (required)</legend>
        <Help text={HELP.participationForm} />
        <Select name="participationForm" current={value(fields, 'participationForm')} options={[['', '–'], ['online', 'Online'], ['onsite', 'On site'], ['blended', 'Blended']]} />
        <Problems element="participationForm" />
      </fieldset>
      <Texts name="qualityAssurance" label={ELEMENT_LABELS.qualityAssurance} mandatory />
      <Texts name="prerequisites" label={ELEMENT_LABELS.prerequisites} />
      <fieldset>
        <legend>{ELEMENT_LABELS.supervision}</legend>
        <Help text={HELP.supervision} />
        <Select
          name="supervision"
          current={value(fields, 'supervision')}
          options={[['', '–'], ['unsupervised-no-identity-verification', 'Unsupervised, no identity verification'], ['supervised-no-identity-verification', 'Supervised, no identity verification'], ['supervised-with-identity-verification', 'Supervised, with identity verification']]}
        />
      </fieldset>
      <fieldset>
        <legend>{ELEMENT_LABELS.stackability}</legend>
        <Help text={HELP.stackability} />
        <Select name="stackability" current={value(fields, 'stackability')} options={[['', '–'], ['standalone', 'Stand-alone'], ['stackable', 'Stackable']]} />
      </fieldset>
      <Texts name="furtherInformation" label={ELEMENT_LABELS.furtherInformation} multiline />
      <fieldset>
        <legend>Badge image</legend>
        <label>Upload a PNG (at most 48 KB; it travels inside every credential) <input name="imageFile" type="file" accept="image/png" /></label>
        <label>or an image URL (optional; a badge with the title, EQF level and ECTS is generated otherwise) <input name="image" type="url" value={value(fields, 'image')} /></label>
      </fieldset>
      <fieldset>
        <legend>When is it earned?</legend>
        <label><input type="radio" name="rule.kind" value="min-score" checked={ruleKind === 'min-score'} /> A minimum score on the graded activity</label>
        <label>Minimum score <input name="rule.minScore" inputMode="decimal" value={value(fields, 'rule.minScore')} /></label>
        <label>Out of <input name="rule.scoreMaximum" inputMode="decimal" value={value(fields, 'rule.scoreMaximum') || '100'} /></label>
        <label><input type="radio" name="rule.kind" value="completion" checked={ruleKind === 'completion'} /> Completion (the course only lets learners reach the activity once the module is complete)</label>
        <LmsRuleChoice fields={fields} choice={lmsChoice} ruleKind={ruleKind} />
        <label><input type="radio" name="rule.kind" value="stack" checked={ruleKind === 'stack'} /> Holding other micro-credentials of this course (a stack)</label>
        {stackCandidates.length > 0 ? (
          <>
            <label>
              <Select name="stack.mode" current={value(fields, 'stack.mode') || 'allOf'} options={[['allOf', 'All of'], ['nOf', 'At least n of']]} />
            </label>
            <label>n <input name="stack.n" inputMode="numeric" value={value(fields, 'stack.n')} /></label>
            {stackCandidates.map((c) => <label><input type="checkbox" name="stack.parts" value={c.id} checked={parts.has(c.id)} /> {c.title}</label>)}
          </>
        ) : null}
        <Problems element="passRule" />
        <Problems element="stackRule" />
      </fieldset>
      <p>
        {publishOnly ? (
          <button type="submit" name="action" value="publish">Publish and add to the course</button>
        ) : (
          <>
            <button type="submit" name="action" value="draft" formNoValidate>Save draft</button> <button type="submit" name="action" value="publish">Publish</button>
          </>
        )}
      </p>
    </form>
  );
}

/** preact's string renderer does not turn a select's value into a selected option, so it is marked here. */
function Select({ name, current, options }: { name: string; current: string; options: readonly (readonly [string, string])[] }) {
  return (
    <select name={name}>
      {options.map(([v, label]) => (
        <option value={v} selected={v === current}>
          {label}
        </option>
      ))}
    </select>
  );
}

export function renderDefinitionFormPage(props: DefinitionFormProps): string {
  return renderPage({ title: 'Define a micro-credential', children: <><h1>Define a micro-credential</h1><DefinitionForm {...props} /></> });
}
