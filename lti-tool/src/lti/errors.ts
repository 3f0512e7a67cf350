/**
 * Why an LTI launch, login or registration was refused: a stable code, a sentence for the person
 * in front of the screen, and what to tell the admin who can fix it (LTI 1.3 Core §5.1.3,
 * Security Framework §5.1.3). Every rejection renders these; none writes anything.
 */

export type LtiErrorCode =
  | 'LTI_LOGIN_INVALID'
  | 'LTI_PLATFORM_UNKNOWN'
  | 'LTI_TARGET_LINK_URI_INVALID'
  | 'LTI_STATE_MISSING'
  | 'LTI_STATE_UNKNOWN'
  | 'LTI_STATE_EXPIRED'
  | 'LTI_STATE_MISMATCH'
  | 'LTI_TOKEN_MALFORMED'
  | 'LTI_ALG_NOT_ALLOWED'
  | 'LTI_KID_MISSING'
  | 'LTI_KID_UNKNOWN'
  | 'LTI_JWKS_UNREACHABLE'
  | 'LTI_SIGNATURE_INVALID'
  | 'LTI_ISS_MISMATCH'
  | 'LTI_AUD_MISMATCH'
  | 'LTI_AUD_LEGACY_RESOURCE_KEY'
  | 'LTI_AZP_MISMATCH'
  | 'LTI_TOKEN_EXPIRED'
  | 'LTI_IAT_IN_FUTURE'
  | 'LTI_NONCE_MISMATCH'
  | 'LTI_NONCE_REPLAYED'
  | 'LTI_DEPLOYMENT_MISSING'
  | 'LTI_DEPLOYMENT_UNKNOWN'
  | 'LTI_MESSAGE_TYPE_UNSUPPORTED'
  | 'LTI_VERSION_UNSUPPORTED'
  | 'LTI_TARGET_LINK_URI_MISMATCH'
  | 'LTI_ROLES_MISSING'
  | 'LTI_CLAIM_MISSING'
  | 'LTI_PLATFORM_ERROR'
  | 'LTI_TOOL_PENDING'
  | 'LTI_REDIRECT_URI_NOT_REGISTERED'
  | 'LTI_SESSION_INVALID'
  | 'LTI_CSRF_INVALID'
  | 'LTI_DEEP_LINK_INVALID'
  | 'LTI_REGISTRATION_INVALID'
  | 'LTI_REGISTRATION_FAILED'
  | 'LTI_INTERNAL_ERROR';

export class LtiError extends Error {
  override readonly name = 'LtiError';
  constructor(
    readonly code: LtiErrorCode,
    /** What failed, in words the learner or teacher understands. */
    message: string,
    /** What to tell the admin (or what the admin should do), when an admin can fix it. */
    readonly adminHint?: string,
    /** HTTP status of the error page. */
    readonly status = 400,
  ) {
    super(message);
  }
}

export const START_AGAIN = 'Start again from the course page.';
const TELL_ADMIN = 'If this keeps happening, tell your LMS administrator';

/** The admin hint shared by every rejection that points at a broken or forged launch. */
export function securityHint(detail: string): string {
  return `${TELL_ADMIN}: the tool rejected an LTI launch (${detail}). This can mean a misconfigured registration, clocks far apart, or a forged request.`;
}
