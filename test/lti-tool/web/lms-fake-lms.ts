/**
 * A scriptable LMS behind the real LmsConnections (for the admin and definition-form page tests):
 * which tokens it accepts and which functions each lacks, the course outline, and Canvas OAuth2.
 * The pages, routes, sealing and storage under test are the real ones; only the LMS is stood in for,
 * at the LmsSource seam that the Moodle and Canvas sources implement.
 */
import { SecretBox } from '../../../lti-tool/src/keys/secret-box.ts';
import { createLmsConnections, type CanvasOAuth, type LmsConnections } from '../../../lti-tool/src/lms/lms-connections.ts';
import { LmsError, type CourseOutline, type LmsKind, type LmsSource } from '../../../lti-tool/src/lms/lms-source.ts';
import type { Runtime } from '../../../lti-tool/src/runtime.ts';

export interface FakeLms {
  /** token → the functions it cannot call (empty: works fully). Tokens not listed are refused. */
  readonly tokens: Map<string, string[]>;
  /** Course outlines by LMS course id. */
  readonly outlines: Map<string, CourseOutline>;
  /** When set, outline() fails with it. */
  outlineError: LmsError | undefined;
  /** Codes Canvas's OAuth2 token endpoint accepts, with the tokens it hands out. */
  readonly oauthCodes: Map<string, { accessToken: string; refreshToken: string }>;
  /** The courses outline() was asked for. */
  readonly outlineCalls: string[];
  readonly connections: LmsConnections;
}

export function fakeLms(runtime: Runtime): FakeLms {
  const lms: Omit<FakeLms, 'connections'> = { tokens: new Map(), outlines: new Map(), outlineError: undefined, oauthCodes: new Map(), outlineCalls: [] };
  const source = (kind: LmsKind, token: () => Promise<string>): LmsSource => ({
    kind,
    async check() {
      const missing = lms.tokens.get(await token());
      if (!missing) return { ok: false, missing: [], message: `${kind === 'moodle' ? 'Moodle' : 'Canvas'} does not accept this token (invalid token).` };
      if (missing.length > 0) return { ok: false, missing, actingAs: 'Watcher Bot', message: `The token works, but ${missing.length} required functions are not allowed.` };
      return { ok: true, missing: [], actingAs: 'Watcher Bot', message: 'The token works.' };
    },
    async outline(courseId) {
      lms.outlineCalls.push(courseId);
      if (!lms.tokens.has(await token())) throw new LmsError('LMS_TOKEN_INVALID', 'Moodle does not accept the tool’s token (invalidtoken)');
      if (lms.outlineError) throw lms.outlineError;
      const outline = lms.outlines.get(courseId);
      if (!outline) throw new LmsError('LMS_NOT_FOUND', `There is no course ${courseId}`);
      return outline;
    },
    learners: async () => [],
    progress: async () => new Map(),
  });
  const canvasOAuth: CanvasOAuth = {
    authorizeUrl: ({ baseUrl, clientId, redirectUri, state }) => `${baseUrl}/login/oauth2/auth?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: redirectUri, state })}`,
    async exchangeCode({ code }) {
      const tokens = lms.oauthCodes.get(code);
      if (!tokens) throw new LmsError('LMS_TOKEN_INVALID', 'Canvas refused the authorization code (invalid_grant)');
      lms.tokens.set(tokens.accessToken, lms.tokens.get(tokens.accessToken) ?? []);
      return { ...tokens, expiresIn: 3600, user: { name: 'Canvas Admin' } };
    },
    refreshAccessToken: async () => {
      throw new LmsError('LMS_TOKEN_INVALID', 'not used in these tests');
    },
  };
  const connections = createLmsConnections({
    store: runtime.store,
    secretBox: new SecretBox({ secret: 'fake-lms-secret-that-is-long-enough-0123456789', source: 'test' }),
    sources: { moodle: ({ token }) => source('moodle', async () => token), canvas: ({ accessToken }) => source('canvas', accessToken) },
    canvasOAuth,
  });
  return Object.assign(lms, { connections });
}
