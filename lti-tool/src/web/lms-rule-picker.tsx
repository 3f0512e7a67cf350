/**
 * The "Completed in Moodle / Canvas" pass-rule choice of the definition form (issue 7): the
 * criterion kinds the LMS supports and the course outline as checkboxes (sections or modules with
 * their activities, grade items with a minimum each). Flat HTML, no script, like the rest of the
 * form. Whatever was chosen but is not shown as a checkbox (the outline could not be read, or an
 * item is gone from the LMS) travels on as hidden fields, so nothing typed is lost on re-render.
 */
import type { LmsChoice } from '../issuance/definition-form.ts';
import type { LmsCriterion } from '../lms/lms-rules.ts';
import type { CourseOutline, LmsKind } from '../lms/lms-source.ts';
import { lmsAdvice, lmsErrorDetail, lmsName } from './lms-explain.tsx';

type Fields = Readonly<Record<string, string | readonly string[] | undefined>>;

const CRITERIA: Record<LmsKind, readonly (readonly [LmsCriterion['kind'], string])[]> = {
  moodle: [
    ['activities-complete', 'All the chosen activities are complete'],
    ['modules-complete', 'Every tracked activity of the chosen sections is complete'],
    ['course-complete', 'The course is complete (Moodle course completion)'],
    ['min-grade', 'A minimum grade in each chosen grade item'],
  ],
  canvas: [
    ['activities-complete', 'All the chosen module items are complete'],
    ['modules-complete', 'The chosen modules are completed'],
    ['module-requirements', 'Every requirement of the chosen modules is met'],
    ['min-grade', 'A minimum score in each chosen assignment'],
  ],
};

const list = (fields: Fields, name: string): string[] => {
  const v = fields[name];
  return (Array.isArray(v) ? v : typeof v === 'string' && v !== '' ? [v] : []).map(String);
};
const text = (fields: Fields, name: string): string => list(fields, name)[0] ?? '';

export function LmsRuleChoice({ fields, choice, ruleKind }: { fields: Fields; choice: LmsChoice; ruleKind: string }) {
  const selected = ruleKind === 'lms';
  if (choice.state === 'unavailable' || choice.state === 'no-course') {
    const why =
      choice.state === 'unavailable'
        ? 'Completed in the LMS: not available yet. A microcred admin must first connect this platform’s Moodle or Canvas on the admin page (LMS connections); then you can choose activities, sections or grades here.'
        : `Completed in ${lmsName(choice.kind)}: this launch does not say which ${lmsName(choice.kind)} course this is (the tool’s custom field canvas_course_id=$Canvas.course.id is missing); ask your microcred admin.`;
    return (
      <div class="lms-rule" data-lms-choice={choice.state}>
        <label><input type="radio" name="rule.kind" value="lms" checked={selected} disabled={!selected} /> {why}</label>
        <Kept fields={fields} shown={new Set()} gone={false} />
      </div>
    );
  }
  const kind = choice.course.source;
  const criterion = text(fields, 'lms.criterion') || 'activities-complete';
  return (
    <div class="lms-rule" data-lms-choice={choice.state}>
      <label><input type="radio" name="rule.kind" value="lms" checked={selected} /> Completed in {lmsName(kind)}: the tool watches the course there and awards without any learner action</label>
      {CRITERIA[kind].map(([value, label]) => (
        <label><input type="radio" name="lms.criterion" value={value} checked={criterion === value} /> {label}</label>
      ))}
      {choice.state === 'unreadable' ? (
        <>
          <p class="bad" role="alert" data-lms-unreadable>The course outline could not be read from {lmsName(kind)}. {lmsAdvice(choice.error, 'instructor')} What you chose is kept.</p>
          <details>
            <summary>What {lmsName(kind)} said</summary>
            <p data-lms-detail>{lmsErrorDetail(choice.error)}</p>
          </details>
          <Kept fields={fields} shown={new Set()} gone={false} criterionShown />
        </>
      ) : (
        <Outline fields={fields} kind={kind} outline={choice.outline} />
      )}
    </div>
  );
}

function Outline({ fields, kind, outline }: { fields: Fields; kind: LmsKind; outline: CourseOutline }) {
  const modules = new Set(list(fields, 'lms.module'));
  const activities = new Set(list(fields, 'lms.activity'));
  const grades = new Set(list(fields, 'lms.gradeItem'));
  const shown = new Set([...outline.modules.flatMap((m) => [`lms.module=${m.id}`, ...m.activities.map((a) => `lms.activity=${a.id}`)]), ...outline.gradeItems.map((g) => `lms.gradeItem=${g.id}`)]);
  const unit = kind === 'moodle' ? 'Section' : 'Module';
  return (
    <>
      {!outline.courseCompletion && kind === 'moodle' ? <p class="muted">Course completion is not enabled for this course in Moodle, so “the course is complete” would never be met.</p> : null}
      <fieldset class="lms-outline">
        <legend>{kind === 'moodle' ? 'Sections and activities' : 'Modules and module items'}</legend>
        {outline.modules.length === 0 ? <p class="muted">The course has no {unit.toLowerCase()}s yet.</p> : null}
        {outline.modules.map((m) => (
          <div class="lms-module">
            <label><input type="checkbox" name="lms.module" value={m.id} checked={modules.has(m.id)} /> <strong>{unit}: {m.name}</strong></label>
            {m.activities.map((a) => (
              <label class="lms-activity">
                <input type="checkbox" name="lms.activity" value={a.id} checked={activities.has(a.id)} disabled={!a.tracked && !activities.has(a.id)} /> {a.name} <span class="muted">({a.type}{a.tracked ? '' : `; ${lmsName(kind)} does not track its completion`})</span>
              </label>
            ))}
          </div>
        ))}
      </fieldset>
      <fieldset class="lms-grades">
        <legend>{kind === 'moodle' ? 'Grade items' : 'Assignments'} (for a minimum grade)</legend>
        {outline.gradeItems.length === 0 ? <p class="muted">Nothing in this course is graded yet.</p> : null}
        {outline.gradeItems.map((g) => (
          <div class="lms-grade">
            <label><input type="checkbox" name="lms.gradeItem" value={g.id} checked={grades.has(g.id)} /> {g.name}</label>
            <label>at least <input name={`lms.min.${g.id}`} inputMode="decimal" size={6} value={text(fields, `lms.min.${g.id}`)} /> of {g.maximum}</label>
            <input type="hidden" name={`lms.max.${g.id}`} value={String(g.maximum)} />
            <input type="hidden" name={`lms.name.${g.id}`} value={g.name} />
          </div>
        ))}
      </fieldset>
      <Kept fields={fields} shown={shown} gone />
    </>
  );
}

/**
 * Chosen items the outline does not show. Gone from the LMS: checked boxes the instructor can
 * clear. Outline unknown (not readable, not connected): hidden fields, so a save keeps them.
 */
function Kept({ fields, shown, gone, criterionShown = false }: { fields: Fields; shown: ReadonlySet<string>; gone: boolean; criterionShown?: boolean }) {
  const kept = ['lms.module', 'lms.activity', 'lms.gradeItem'].flatMap((name) => list(fields, name).filter((id) => !shown.has(`${name}=${id}`)).map((id) => [name, id] as const));
  const gradeParts = (id: string) => ['min', 'max', 'name'].map((part) => <input type="hidden" name={`lms.${part}.${id}`} value={text(fields, `lms.${part}.${id}`)} />);
  if (gone) {
    return (
      <>
        {kept.map(([name, id]) => (
          <label class="warn">
            <input type="checkbox" name={name} value={id} checked /> {text(fields, `lms.name.${id}`) || id}: no longer in the course outline; clear it to leave it out
            {name === 'lms.gradeItem' ? gradeParts(id) : null}
          </label>
        ))}
      </>
    );
  }
  return (
    <>
      {!criterionShown && text(fields, 'lms.criterion') ? <input type="hidden" name="lms.criterion" value={text(fields, 'lms.criterion')} /> : null}
      {kept.map(([name, id]) => (
        <>
          <input type="hidden" name={name} value={id} />
          {name === 'lms.gradeItem' ? gradeParts(id) : null}
        </>
      ))}
    </>
  );
}
