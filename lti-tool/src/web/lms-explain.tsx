/**
 * Plain words for the LMS connection (issue 7) wherever the admin or an instructor meets it: the
 * state of a platform's connection, and what an LmsError means and who can fix it. The LMS's own
 * wording stays in the message; the code decides the advice, because an instructor cannot fix a
 * revoked token and an admin cannot fix a missing course.
 */
import type { LmsConnectionView } from '../lms/lms-connections.ts';
import { LmsError, type LmsErrorCode, type LmsKind } from '../lms/lms-source.ts';

export const lmsName = (kind: LmsKind): string => (kind === 'moodle' ? 'Moodle' : 'Canvas');

export type Audience = 'admin' | 'instructor';

// What the reader can do about it. The sources' own messages already tell an admin how to fix a
// refused token, a missing function or permission; the instructor is sent to the admin instead.
const ADVICE: Record<LmsErrorCode, Record<Audience, string>> = {
  LMS_TOKEN_INVALID: { instructor: 'The tool’s token was revoked or has expired: ask your microcred admin to connect the LMS again.', admin: '' },
  LMS_FUNCTION_NOT_ALLOWED: { instructor: 'The LMS does not let the tool’s token do this: ask your microcred admin to allow it.', admin: '' },
  LMS_NO_PERMISSION: { instructor: 'The user behind the tool’s token may not see this course: ask your microcred admin to give it access.', admin: '' },
  LMS_RATE_LIMITED: { instructor: 'The LMS asked the tool to slow down; try again in a minute.', admin: 'The LMS asked the tool to slow down; try again in a minute.' },
  LMS_UNREACHABLE: { instructor: 'The LMS could not be reached just now; try again in a minute.', admin: 'Check the address, and that the LMS is reachable from the tool’s server.' },
  LMS_BAD_RESPONSE: { instructor: 'The LMS answered something the tool cannot read; if it lasts, tell your microcred admin.', admin: 'Check that the address is the LMS’s own (not a login page or proxy) and that its web services are enabled.' },
  LMS_NOT_FOUND: { instructor: 'The LMS does not know this course (any more).', admin: 'Check the address: the LMS does not know what the tool asked for there.' },
};

/** What to do about a failed LMS call, for this reader. */
export function lmsAdvice(error: unknown, audience: Audience): string {
  return error instanceof LmsError ? ADVICE[error.code][audience] : 'The LMS could not be read just now; try again in a minute.';
}

/** What the LMS said, with the functions it refused named: the technical detail. */
export function lmsErrorDetail(error: unknown): string {
  if (!(error instanceof LmsError)) return error instanceof Error ? error.message : String(error);
  const missing = error.details.missing?.length ? ` Not allowed: ${error.details.missing.join(', ')}.` : '';
  return `${error.message.replace(/\.?$/, '.')}${missing}`;
}

/** For the admin: what failed, by name, and what to check. */
export function explainLmsError(error: unknown): string {
  return `${lmsErrorDetail(error)} ${lmsAdvice(error, 'admin')}`.trim();
}

/** The state of a platform's connection in a few words, with the missing functions named. */
export function ConnectionState({ connection }: { connection: LmsConnectionView | undefined }) {
  if (!connection) return <span data-lms-state="none">Not connected</span>;
  const where = `${lmsName(connection.kind)} at ${connection.baseUrl}`;
  const checked = connection.checkedAt ? <span class="muted"> (checked {connection.checkedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)</span> : null;
  switch (connection.status) {
    case 'ok':
      return <span data-lms-state="ok" class="ok">Connected to {where}{connection.actingAs ? `, acting as ${connection.actingAs}` : ''}{checked}</span>;
    case 'unchecked':
      return <span data-lms-state="unchecked">Saved for {where}, not tested yet</span>;
    case 'authorize':
      return <span data-lms-state="authorize" class="warn">Waiting for the Canvas authorisation at {connection.baseUrl}</span>;
    case 'error':
      return (
        <span data-lms-state="error" class="bad">
          Error with {where}: {connection.message}
          {connection.missing.length > 0 ? <> The token cannot call: <strong data-lms-missing>{connection.missing.join(', ')}</strong>.</> : null}
          {checked}
        </span>
      );
  }
}
