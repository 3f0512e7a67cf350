/**
 * LTI Dynamic Registration 1.0 (tool side): §3.3 read the platform's OpenID configuration (with a
 * timeout and size cap), §3.5.1 check that its issuer and registration endpoint belong to the
 * site that sent the admin here, §3.4 POST our client registration with the registration token,
 * and store the registration (issuer + client_id) with its deployment id.
 */
import type { LtiPlatformRepository, PlatformRecord } from '../store/lti-platform-repository.ts';
import { LtiError } from './errors.ts';
import { PlatformHttpError, requestPlatform, type HttpLimits } from './platform-http.ts';
import { registrationRequest } from './tool-configuration.ts';

const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration';
const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
/** Instructure-hosted Canvas signs as one of these issuers whatever the customer's own domain is. */
const CANVAS_ISSUERS = ['https://canvas.instructure.com', 'https://canvas.beta.instructure.com', 'https://canvas.test.instructure.com'];

export interface RegistrationResult {
  readonly platform: PlatformRecord;
  readonly deploymentId: string | undefined;
  readonly productFamily: string | undefined;
}

export interface RegistrationDeps {
  readonly publicUrl: string;
  readonly toolName: string;
  readonly http: HttpLimits;
  readonly platforms: LtiPlatformRepository;
}

const invalid = (message: string, hint: string) => new LtiError('LTI_REGISTRATION_INVALID', message, hint);

export async function registerDynamically(params: { openid_configuration?: string | undefined; registration_token?: string | undefined }, deps: RegistrationDeps): Promise<RegistrationResult> {
  const configUrl = params.openid_configuration;
  if (!configUrl) {
    throw invalid('This address is for LTI Dynamic Registration and must be opened from the LMS.', 'Paste this URL into the LMS’s “register a tool by URL” (Moodle: Manage tools → Tool URL; Canvas: Developer Keys → LTI Registration).');
  }
  const auth: Record<string, string> = params.registration_token ? { authorization: `Bearer ${params.registration_token}` } : {};
  const config = await call(() => requestPlatform(configUrl, { headers: { accept: 'application/json', ...auth } }, { ...deps.http, maxBytes: 100_000 }));
  if (config.status !== 200 || typeof config.json !== 'object' || config.json === null) {
    throw failed(`The LMS’s configuration at ${configUrl} could not be read (HTTP ${config.status}).`);
  }
  const c = config.json as Record<string, unknown>;
  const fields = ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri', 'registration_endpoint'] as const;
  const missing = fields.filter((f) => typeof c[f] !== 'string' || !isUrl(c[f] as string));
  if (missing.length > 0) throw invalid('The LMS’s registration data is incomplete.', `Its OpenID configuration lacks ${missing.join(', ')}.`);
  const issuer = c.issuer as string;
  const configOrigin = new URL(configUrl).origin;
  if (new URL(issuer).origin !== configOrigin && !CANVAS_ISSUERS.includes(issuer)) {
    throw invalid('The LMS’s registration data names a different site as the platform.', `issuer ${issuer} is not on ${configOrigin}, where the configuration came from.`);
  }
  if (new URL(c.registration_endpoint as string).origin !== configOrigin) {
    throw invalid('The LMS’s registration data sends the registration to a different site.', `registration_endpoint ${String(c.registration_endpoint)} is not on ${configOrigin}.`);
  }
  const platformConfig = (typeof c[PLATFORM_CONFIGURATION] === 'object' && c[PLATFORM_CONFIGURATION]) as Record<string, unknown> | false;
  const productFamily = platformConfig && typeof platformConfig.product_family_code === 'string' ? platformConfig.product_family_code : undefined;

  const answer = await call(() =>
    requestPlatform(
      c.registration_endpoint as string,
      { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...auth }, body: JSON.stringify(registrationRequest(deps.publicUrl, deps.toolName)) },
      { ...deps.http, maxBytes: 100_000 },
    ),
  );
  if (answer.status !== 200 && answer.status !== 201) {
    throw failed(`The LMS refused the registration (HTTP ${answer.status}${answer.text ? `: ${answer.text.slice(0, 200)}` : ''}).`);
  }
  const registered = answer.json as Record<string, unknown> | undefined;
  if (!registered || typeof registered.client_id !== 'string' || registered.client_id === '') throw failed('The LMS accepted the registration but sent no client id.');
  const toolConfig = registered[TOOL_CONFIGURATION] as Record<string, unknown> | undefined;
  const deploymentId = typeof toolConfig?.deployment_id === 'string' && toolConfig.deployment_id !== '' ? toolConfig.deployment_id : undefined;
  const platform = await deps.platforms.upsert({
    issuer,
    clientId: registered.client_id,
    name: `${productFamily ?? 'LMS'} at ${new URL(issuer).host}`,
    authUrl: c.authorization_endpoint as string,
    tokenUrl: c.token_endpoint as string,
    jwksUrl: c.jwks_uri as string,
    registeredBy: 'dynamic',
    deploymentIds: deploymentId ? [deploymentId] : [],
  });
  return { platform, deploymentId, productFamily };
}

async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof PlatformHttpError) throw failed(error.message);
    throw error;
  }
}

function failed(detail: string): LtiError {
  return new LtiError('LTI_REGISTRATION_FAILED', 'The tool could not complete the registration with the LMS.', `Tell your LMS administrator: ${detail}`, 502);
}

function isUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
