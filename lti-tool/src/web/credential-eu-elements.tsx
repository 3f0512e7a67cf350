/** Council Recommendation 2022/C 243/02, Annex I, laid out for a person: each element under the Recommendation's own name. */
import { ELEMENT_LABELS, type EuElements } from '../../../shared/credential/types.ts';
import { safeHref } from './verify-report.tsx';

const PARTICIPATION: Record<string, string> = { online: 'Online', onsite: 'On site', blended: 'Blended (online and on site)' };
const SUPERVISION: Record<string, string> = {
  'unsupervised-no-identity-verification': 'Unsupervised, without identity verification',
  'supervised-no-identity-verification': 'Supervised, without identity verification',
  'supervised-with-identity-verification': 'Supervised, with identity verification (on site or online)',
};

export function EuElementsList({ eu }: { eu: EuElements }) {
  const level = eu.level;
  const levelText = [
    level?.eqf !== undefined ? `EQF level ${level.eqf}` : undefined,
    level?.qfEhea ? `QF-EHEA ${level.qfEhea} cycle` : undefined,
    level?.nqf ? `${level.nqf.framework} level ${level.nqf.level}` : undefined,
    level?.notApplicable ? 'Not applicable' : undefined,
  ].filter(Boolean);
  const workload = [eu.workload?.ects !== undefined ? `${eu.workload.ects} ECTS credits` : undefined, eu.workload?.hours !== undefined ? `${eu.workload.hours} hours` : undefined].filter(Boolean);
  const bodyUrl = safeHref(eu.awardingBody?.url);
  return (
    <dl class="eu-elements">
      <Row label={ELEMENT_LABELS.learner} value={eu.learner?.name} />
      <Row label={ELEMENT_LABELS.title} value={eu.title} />
      {eu.titles && Object.keys(eu.titles).length > 1 ? (
        <Row label="Title in other languages" value={Object.entries(eu.titles).filter(([, t]) => t !== eu.title).map(([lang, t]) => `${t} (${lang})`).join('; ')} />
      ) : null}
      <Row label={ELEMENT_LABELS.awardingBody}>
        {eu.awardingBody ? (bodyUrl ? <a href={bodyUrl} rel="noopener noreferrer">{eu.awardingBody.name ?? eu.awardingBody.id}</a> : (eu.awardingBody.name ?? eu.awardingBody.id)) : undefined}
      </Row>
      <Row label={ELEMENT_LABELS.country} value={eu.country} />
      <Row label={ELEMENT_LABELS.dateOfIssuing} value={eu.dateOfIssuing?.slice(0, 10)} />
      <Row label={ELEMENT_LABELS.learningOutcomes}>
        {eu.learningOutcomes ? (
          <ul>
            {eu.learningOutcomes.map((o) => {
              const href = safeHref(o.skillUri);
              return <li>{o.text}{href ? <> (<a href={href} rel="noopener noreferrer">skill</a>)</> : null}</li>;
            })}
          </ul>
        ) : undefined}
      </Row>
      <Row label={ELEMENT_LABELS.workload} value={workload.join(', ') || undefined} />
      <Row label={ELEMENT_LABELS.level} value={levelText.join('; ') || undefined} />
      <Row label={ELEMENT_LABELS.assessmentType} value={eu.assessmentType} />
      <Row label={ELEMENT_LABELS.participationForm} value={eu.participationForm ? (PARTICIPATION[eu.participationForm] ?? eu.participationForm) : undefined} />
      <Row label={ELEMENT_LABELS.qualityAssurance} value={eu.qualityAssurance} />
      <Row label={ELEMENT_LABELS.prerequisites} value={eu.prerequisites} optional />
      <Row label={ELEMENT_LABELS.supervision} value={eu.supervision ? (SUPERVISION[eu.supervision] ?? eu.supervision) : undefined} optional />
      <Row label={ELEMENT_LABELS.grade} value={eu.grade} optional />
      <Row label={ELEMENT_LABELS.stackability} value={eu.stackability ? [eu.stackability.kind === 'stackable' ? 'Stackable' : 'Stand-alone', ...(eu.stackability.towards ?? []).map((t) => `towards ${t.name}`)].join(', ') : undefined} optional />
      <Row label={ELEMENT_LABELS.furtherInformation} value={eu.furtherInformation} optional />
    </dl>
  );
}

function Row({ label, value, optional, children }: { label: string; value?: string | undefined; optional?: boolean; children?: preact.ComponentChildren }) {
  const content = children ?? value;
  if ((content === undefined || content === null) && optional) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>{content ?? <span class="muted">Not stated</span>}</dd>
    </>
  );
}
