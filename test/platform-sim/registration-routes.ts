/**
 * LTI Dynamic Registration 1.0 — the platform half: §3.4 the platform's OpenID configuration
 * (with the `https://purl.imsglobal.org/spec/lti-platform-configuration` object) and §3.5 the
 * registration endpoint, which takes the tool's client registration (OpenID Connect Dynamic
 * Client Registration + the `lti-tool-configuration` object) with the registration token as a
 * Bearer credential and answers with the client_id and deployment id.
 * Checks follow Moodle's registration_helper (application_type web, id_token response type,
 * implicit + client_credentials grants, private_key_jwt, domain = host[:port] of target_link_uri).
 */
import express from 'express';
import { jwtVerify, createLocalJWKSet } from 'jose';
import type { SimContext } from './context.ts';
import type { SimTool } from './model.ts';

export const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
const REGISTRATION_TOKEN_SECONDS = 3600;

export function openIdConfiguration(ctx: SimContext): Record<string, unknown> {
  const base = ctx.baseUrl();
  const { paths } = ctx.profile;
  const canvas = ctx.profile.flavour === 'canvas';
  return {
    issuer: ctx.issuer(),
    token_endpoint: `${base}${paths.token}`,
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    jwks_uri: `${base}${paths.jwks}`,
    authorization_endpoint: `${base}${paths.authorize}`,
    registration_endpoint: `${base}${paths.registration}`,
    scopes_supported: [...ctx.profile.scopesSupported],
    response_types_supported: ['id_token'],
    subject_types_supported: ['public', 'pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: [...ctx.profile.claimsSupported],
    'https://purl.imsglobal.org/spec/lti-platform-configuration': canvas
      ? {
          product_family_code: 'canvas',
          version: 'OpenSource',
          messages_supported: [
            { type: 'LtiResourceLinkRequest', placements: ['course_navigation', 'assignment_selection', 'link_selection'] },
            { type: 'LtiDeepLinkingRequest', placements: ['assignment_selection', 'link_selection', 'editor_button'] },
          ],
          variables: ['Canvas.user.id', 'Canvas.course.id', 'Canvas.user.loginId', 'Person.name.full', 'Person.email.primary'],
          'https://canvas.instructure.com/lti/account_name': 'Simulated Canvas',
          'https://canvas.instructure.com/lti/account_lti_guid': 'simulated-canvas-guid:canvas-lms',
        }
      : {
          product_family_code: 'moodle',
          version: '4.5.6 (Build: 20250811)',
          messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest', placements: ['ContentArea'] }],
          variables: ['basic-lti-launch-request', 'ContentItemSelectionRequest', 'User.id', 'Person.name.full', 'Person.email.primary', 'Context.id'],
        },
  };
}

/** A registration token (RS256, one hour), as Moodle mints one when the admin starts registration. */
export async function mintRegistrationToken(ctx: SimContext): Promise<string> {
  const iat = Math.floor(ctx.now() / 1000);
  return ctx.keys.sign({ sub: `reg-${ctx.state.next()}`, scope: 'reg', iat, exp: iat + REGISTRATION_TOKEN_SECONDS });
}

export function registrationRoutes(ctx: SimContext): express.Router {
  const router = express.Router();
  router.get(ctx.profile.paths.openidConfiguration, (_req, res) => {
    res.json(openIdConfiguration(ctx));
  });
  router.post(ctx.profile.paths.registration, express.json({ limit: '64kb', type: () => true }), async (req, res) => {
    const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!auth?.[1]) {
      res.status(401).json({ error: 'invalid_token', error_description: 'A Bearer registration token is required.' });
      return;
    }
    const token = auth[1];
    try {
      await jwtVerify(token, createLocalJWKSet(ctx.keys.jwks()), { algorithms: ['RS256'], currentDate: new Date(ctx.now()), requiredClaims: ['exp'] });
    } catch (error) {
      res.status(401).json({ error: 'invalid_token', error_description: `The registration token is not valid (${(error as Error).message}).` });
      return;
    }
    if (ctx.state.usedRegistrationTokens.has(token)) {
      res.status(401).json({ error: 'invalid_token', error_description: 'The registration token was already used.' });
      return;
    }
    const problem = validateRegistration(req.body);
    if (problem) {
      res.status(400).json({ error: 'invalid_client_metadata', error_description: problem });
      return;
    }
    ctx.state.usedRegistrationTokens.add(token);
    const tool = toolFromRegistration(ctx, req.body as Record<string, unknown>);
    ctx.state.tools.set(tool.clientId, tool);
    res.status(200).json(registrationResponse(tool));
  });
  return router;
}

function validateRegistration(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The registration must be a JSON object.';
  const r = body as Record<string, unknown>;
  const strings = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');
  if (r.application_type !== 'web') return 'application_type must be "web".';
  if (!strings(r.response_types) || !r.response_types.includes('id_token')) return 'response_types must include id_token.';
  if (!strings(r.grant_types) || !r.grant_types.includes('implicit') || !r.grant_types.includes('client_credentials')) return 'grant_types must include implicit and client_credentials.';
  if (typeof r.initiate_login_uri !== 'string' || !isUrl(r.initiate_login_uri)) return 'initiate_login_uri is missing or not a URL.';
  if (!strings(r.redirect_uris) || r.redirect_uris.length === 0 || !r.redirect_uris.every(isUrl)) return 'redirect_uris must be a non-empty list of URLs.';
  if (typeof r.client_name !== 'string' || r.client_name === '') return 'client_name is missing.';
  if (typeof r.jwks_uri !== 'string' || !isUrl(r.jwks_uri)) return 'jwks_uri is missing or not a URL.';
  if (r.token_endpoint_auth_method !== 'private_key_jwt') return 'token_endpoint_auth_method must be private_key_jwt.';
  if (r.scope !== undefined && typeof r.scope !== 'string') return 'scope must be a space-separated string.';
  const config = r[TOOL_CONFIGURATION];
  if (typeof config !== 'object' || config === null) return `${TOOL_CONFIGURATION} is missing.`;
  const c = config as Record<string, unknown>;
  if (typeof c.target_link_uri !== 'string' || !isUrl(c.target_link_uri)) return 'target_link_uri is missing or not a URL.';
  if (typeof c.domain !== 'string' || c.domain === '') return 'domain is missing.';
  if (c.domain.toLowerCase() !== new URL(c.target_link_uri).host.toLowerCase()) return `domain "${c.domain}" does not match the host of target_link_uri.`;
  if (c.claims !== undefined && !strings(c.claims)) return 'claims must be a list of strings.';
  if (c.messages !== undefined && !Array.isArray(c.messages)) return 'messages must be a list.';
  if (c.custom_parameters !== undefined && (typeof c.custom_parameters !== 'object' || c.custom_parameters === null)) return 'custom_parameters must be an object.';
  return undefined;
}

function isUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function toolFromRegistration(ctx: SimContext, r: Record<string, unknown>): SimTool {
  const c = r[TOOL_CONFIGURATION] as Record<string, unknown>;
  const sequence = ctx.state.next();
  const requested = typeof r.scope === 'string' ? r.scope.split(/\s+/).filter(Boolean) : [];
  const messages = Array.isArray(c.messages) ? (c.messages as Record<string, unknown>[]) : [];
  const deepLink = messages.find((m) => m?.type === 'LtiDeepLinkingRequest');
  const custom: Record<string, string> = {};
  for (const [k, v] of Object.entries((c.custom_parameters as Record<string, unknown> | undefined) ?? {})) if (typeof v === 'string') custom[k] = v;
  return {
    clientId: ctx.profile.newClientId(sequence, ctx.state.shard),
    deploymentId: ctx.profile.newDeploymentId(sequence, ctx.state.shard),
    typeId: String(sequence),
    status: ctx.profile.registeredStatus,
    name: String(r.client_name),
    loginUrl: String(r.initiate_login_uri),
    redirectUris: r.redirect_uris as string[],
    jwksUrl: String(r.jwks_uri),
    targetLinkUri: String(c.target_link_uri),
    deepLinkUrl: deepLink && typeof deepLink.target_link_uri === 'string' ? deepLink.target_link_uri : deepLink ? String(c.target_link_uri) : undefined,
    scopes: requested.filter((scope) => ctx.profile.scopesSupported.includes(scope)),
    claims: ((c.claims as string[] | undefined) ?? []).filter((claim) => ctx.profile.claimsSupported.includes(claim)),
    customParameters: custom,
    toolConfiguration: r,
  };
}

function registrationResponse(tool: SimTool): Record<string, unknown> {
  const r = tool.toolConfiguration;
  const c = r[TOOL_CONFIGURATION] as Record<string, unknown>;
  return {
    client_id: tool.clientId,
    response_types: r.response_types,
    jwks_uri: tool.jwksUrl,
    initiate_login_uri: tool.loginUrl,
    grant_types: r.grant_types,
    redirect_uris: tool.redirectUris,
    application_type: 'web',
    token_endpoint_auth_method: 'private_key_jwt',
    client_name: tool.name,
    ...(typeof r.logo_uri === 'string' ? { logo_uri: r.logo_uri } : {}),
    scope: tool.scopes.join(' '),
    [TOOL_CONFIGURATION]: {
      version: '1.3.0',
      deployment_id: tool.deploymentId,
      target_link_uri: tool.targetLinkUri,
      domain: c.domain,
      ...(typeof c.description === 'string' ? { description: c.description } : {}),
      claims: [...tool.claims],
      ...(Array.isArray(c.messages) ? { messages: c.messages } : {}),
      ...(Object.keys(tool.customParameters).length > 0 ? { custom_parameters: tool.customParameters } : {}),
    },
  };
}
