/**
 * On the instructor's progress page, for a micro-credential earned by completion in the LMS
 * (issue 7): the rule in words and what the last watch of the LMS found, or why it failed.
 */
import type { ProgressView } from '../issuance/instructor-view.ts';

export function LmsWatchStatus({ watch }: { watch: NonNullable<ProgressView['lmsWatch']> }) {
  const { outcome } = watch;
  return (
    <div class="card" data-lms-watch>
      <p>
        <strong>Earned when:</strong> {watch.rule}. The tool checks the LMS regularly and awards it without any learner action.
      </p>
      {outcome ? (
        <p data-lms-outcome>
          Last checked {outcome.checkedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC: {outcome.learners} learners in the course, {outcome.met} meet the rule, {outcome.awarded} newly awarded
          {outcome.alreadyAwarded > 0 ? `, ${outcome.alreadyAwarded} already held it` : ''}.
          {outcome.waitingIdentity > 0 ? ` ${outcome.waitingIdentity} meet the rule but are waiting for their identity: they receive it once they have opened the tool from the LMS (or the course roster names them).` : ''}
        </p>
      ) : (
        <p class="muted" data-lms-outcome="none">Not checked yet: the first check runs within a few minutes of publishing.</p>
      )}
      {outcome?.error ? (
        <p class="bad" role="alert" data-lms-error>
          The last check of the LMS failed and will be retried: {outcome.error}
        </p>
      ) : null}
    </div>
  );
}
