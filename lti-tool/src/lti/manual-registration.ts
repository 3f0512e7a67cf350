/**
 * Manual platform registration (LTI 1.3 Core §3.1.3 "Tool deployment", Security Framework §6):
 * the values an admin copies from the LMS — issuer, client_id, deployment ids, authentication,
 * token and JWKS endpoints — checked once for the CLI and the admin page alike.
 */
import { checkFetchableUrl } from '../../../shared/net/fetch-document.ts';
import type { NewPlatform } from '../store/lti-platform-repository.ts';

export interface PlatformInput {
  readonly issuer?: string | undefined;
  readonly clientId?: string | undefined;
  readonly deploymentIds?: readonly string[] | undefined;
  readonly authUrl?: string | undefined;
  readonly tokenUrl?: string | undefined;
  readonly jwksUrl?: string | undefined;
  readonly name?: string | undefined;
}

export type PlatformInputResult = { readonly ok: true; readonly platform: NewPlatform } | { readonly ok: false; readonly problems: readonly string[] };

const MAX_FIELD = 2_000;

export function checkPlatformInput(input: PlatformInput): PlatformInputResult {
  const problems: string[] = [];
  const text = (value: string | undefined, label: string): string => {
    const trimmed = (value ?? '').trim();
    if (!trimmed) problems.push(`${label} is required.`);
    else if (trimmed.length > MAX_FIELD) problems.push(`${label} is longer than ${MAX_FIELD} characters.`);
    return trimmed;
  };
  const url = (value: string | undefined, label: string): string => {
    const trimmed = text(value, label);
    if (trimmed && trimmed.length <= MAX_FIELD) {
      const insecure = checkFetchableUrl(trimmed);
      if (insecure) problems.push(`${label}: ${insecure}`);
    }
    return trimmed;
  };
  const issuer = url(input.issuer, 'Issuer');
  const clientId = text(input.clientId, 'Client id');
  const authUrl = url(input.authUrl, 'Authentication (OIDC) URL');
  const tokenUrl = url(input.tokenUrl, 'Token URL');
  const jwksUrl = url(input.jwksUrl, 'JWKS URL');
  const deploymentIds = [...new Set((input.deploymentIds ?? []).map((d) => d.trim()).filter(Boolean))];
  if (deploymentIds.length === 0) problems.push('At least one deployment id is required (Moodle: the tool type id, e.g. "1"; Canvas: shown with the deployment).');
  if (deploymentIds.some((d) => d.length > 255)) problems.push('A deployment id is longer than 255 characters.');
  if (problems.length > 0) return { ok: false, problems };
  const name = input.name?.trim() || `LMS at ${new URL(issuer).host}`;
  return { ok: true, platform: { issuer, clientId, authUrl, tokenUrl, jwksUrl, name: name.slice(0, 200), registeredBy: 'manual', deploymentIds } };
}
