/**
 * OpenID Connect Core §3.1.2.6 / LTI 1.3 Core §5.1.1.5: the platform answered the authentication
 * request with an error instead of an id_token. Names the causes an admin can fix: a tool still
 * "Pending" in Moodle, or a redirect URI the platform does not have.
 */
import { LtiError } from './errors.ts';

export function platformRefusal(error: string, description: string | undefined): LtiError {
  const said = `${error}${description ? `: ${description}` : ''}`.slice(0, 500);
  const text = said.toLowerCase();
  if (/pending|not (been )?(activated|configured|approved)|disabled|inactive/.test(text)) {
    return new LtiError(
      'LTI_TOOL_PENDING',
      'The LMS has not activated this tool yet.',
      `Tell your LMS administrator: the tool is registered but not active (the LMS said "${said}"). In Moodle, open Site administration → Plugins → Activity modules → External tool → Manage tools and activate the pending tool.`,
      403,
    );
  }
  if (/redirect/.test(text)) {
    return new LtiError(
      'LTI_REDIRECT_URI_NOT_REGISTERED',
      'The LMS refused to send you back to this tool because the tool’s address is not in its registration.',
      `Tell your LMS administrator: the redirect URI of the tool is not registered on the LMS (it said "${said}"). Add the tool's launch URL (…/lti/launch) to the tool's redirect URIs.`,
      403,
    );
  }
  return new LtiError('LTI_PLATFORM_ERROR', 'The LMS refused to start the tool.', `Tell your LMS administrator: the LMS answered the login with "${said}".`, 403);
}
