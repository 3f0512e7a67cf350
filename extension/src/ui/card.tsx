/** The details card a badge opens: what the credential says, whose it is, and every check with its result. Text only. */
import type { CredentialView } from '../protocol.ts';
import { t } from './i18n.ts';
import { compareNames } from './name-match.ts';
import { verdictText } from './verdict-text.ts';
import { VERDICT_STYLES } from './verdict-style.ts';

const CHECK_WORDS = { passed: 'checkPassed', failed: 'checkFailed', warning: 'checkWarning', skipped: 'checkSkipped' } as const;
const CHECK_ICONS = { passed: '✓', failed: '✗', warning: '!', skipped: '–' } as const;

export function CredentialCard(props: { view: CredentialView; profileName: string | undefined; onOpenReport?: (() => void) | undefined; id: string }) {
  const { view } = props;
  const match = compareNames(props.profileName, view.learnerName);
  const matchKey = match === 'matches' ? 'nameMatches' : match === 'differs' ? 'nameDiffers' : 'nameNone';
  const style = VERDICT_STYLES[view.verdict];
  const row = (label: string, value: string | number | undefined) =>
    value === undefined || value === '' ? null : (
      <div class="row">
        <dt>{label}</dt>
        <dd>{String(value)}</dd>
      </div>
    );
  return (
    <div class="card" id={props.id} role="dialog" aria-label={verdictText(view)}>
      <p class="verdict" style={{ color: style.colour }}>
        <span aria-hidden="true">{style.icon} </span>
        {verdictText(view)}
      </p>
      <p class="summary">{view.summary}</p>
      <dl>
        {row(t('fieldTitle'), view.title)}
        {row(t('fieldIssuer'), view.issuerName ? `${view.issuerName}${view.trusted ? ` (${t('trustedIssuer')})` : ''}` : view.issuerId)}
        {row(t('fieldDate'), view.issued?.slice(0, 10))}
        <div class="row">
          <dt>{t('fieldLearner')}</dt>
          <dd>
            {view.learnerName ?? '—'} <span class={`name name-${match}`}>({t(matchKey)})</span>
          </dd>
        </div>
        {view.outcomes && view.outcomes.length > 0 ? (
          <div class="row">
            <dt>{t('fieldOutcomes')}</dt>
            <dd>
              <ul>
                {view.outcomes.map((o) => (
                  <li>{o}</li>
                ))}
              </ul>
            </dd>
          </div>
        ) : null}
        {row(t('fieldEcts'), view.ects)}
        {row(t('fieldEqf'), view.eqf)}
        {row(t('fieldAssessment'), view.assessment)}
        {row(t('fieldParticipation'), view.participation)}
        {row(t('fieldQuality'), view.qualityAssurance)}
      </dl>
      <p class="checks-title">{t('fieldChecks')}</p>
      <ul class="checks">
        {view.checks.map((c) => (
          <li class={`check check-${c.status}`}>
            <span aria-hidden="true">{CHECK_ICONS[c.status]} </span>
            <strong>{c.name}</strong> — {t(CHECK_WORDS[c.status])}: {c.message}
          </li>
        ))}
      </ul>
      {props.onOpenReport ? (
        <button type="button" class="report" onClick={props.onOpenReport}>
          {t('openReport')}
        </button>
      ) : null}
    </div>
  );
}
