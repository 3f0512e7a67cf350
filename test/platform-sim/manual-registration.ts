/** A tool an admin types into the LMS by hand (no Dynamic Registration): active at once, all permitted scopes unless narrowed. */
import type { SimContext } from './context.ts';
import type { SimTool } from './model.ts';
import { TOOL_CONFIGURATION } from './registration-routes.ts';

export interface ManualTool {
  readonly loginUrl: string;
  readonly redirectUris: string[];
  readonly jwksUrl: string;
  readonly targetLinkUri: string;
  readonly deepLinkUrl?: string;
  readonly scopes?: string[];
  readonly claims?: string[];
  readonly name?: string;
  readonly customParameters?: Record<string, string>;
}

export function manualTool(ctx: SimContext, manual: ManualTool): SimTool {
  const { state, profile } = ctx;
  const sequence = state.next();
  const scopes = manual.scopes ?? profile.scopesSupported.filter((scope) => scope !== 'openid');
  const claims = manual.claims ?? ['sub', 'iss', 'name', 'given_name', 'family_name', 'email'];
  const tool: SimTool = {
    clientId: profile.newClientId(sequence, state.shard),
    deploymentId: profile.newDeploymentId(sequence, state.shard),
    typeId: String(sequence),
    status: 'active',
    name: manual.name ?? 'Manually configured tool',
    loginUrl: manual.loginUrl,
    redirectUris: [...manual.redirectUris],
    jwksUrl: manual.jwksUrl,
    targetLinkUri: manual.targetLinkUri,
    deepLinkUrl: manual.deepLinkUrl,
    scopes,
    claims,
    customParameters: { ...(manual.customParameters ?? {}) },
    toolConfiguration: {
      client_name: manual.name ?? 'Manually configured tool',
      initiate_login_uri: manual.loginUrl,
      redirect_uris: manual.redirectUris,
      jwks_uri: manual.jwksUrl,
      scope: scopes.join(' '),
      [TOOL_CONFIGURATION]: { target_link_uri: manual.targetLinkUri, domain: new URL(manual.targetLinkUri).host, claims },
    },
  };
  return tool;
}
