/**
 * Open Badges 3.0 data model, Profile: the issuer as awarding body (Council Recommendation 2022/C 243/02,
 * Annex I elements 3 and 4: country/region of the issuer, awarding body).
 */
import type { AwardingBody } from './types.ts';

/** OB 3.0 IdentifierTypeEnum; anything else must be written as an `ext:` extension value. */
const IDENTIFIER_TYPES = new Set([
  'name', 'sourcedId', 'systemId', 'productId', 'userName', 'accountId', 'emailAddress',
  'nationalIdentityNumber', 'isbn', 'issn', 'lisSourcedId', 'oneRosterSourcedId', 'sisSourcedId',
  'ltiContextId', 'ltiDeploymentId', 'ltiToolId', 'ltiPlatformId', 'ltiUserId', 'identifier',
]);

/** "Erasmus code" → "ext:Erasmus-code"; enum values and ext: values pass unchanged. */
function toIdentifierType(type: string): string {
  if (IDENTIFIER_TYPES.has(type) || /^ext:[A-Za-z0-9._-]+$/.test(type)) return type;
  const slug = type.replace(/^ext:/, '').trim().replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return `ext:${slug || 'identifier'}`;
}

export function buildIssuerProfile(issuerId: string, body: AwardingBody): Record<string, unknown> {
  const profile: Record<string, unknown> = { id: issuerId, type: ['Profile'], name: body.name, url: body.url };
  if (body.email) profile.email = body.email;
  if (body.description) profile.description = body.description;
  profile.address = {
    type: ['Address'],
    addressCountryCode: body.countryCode,
    ...(body.region ? { addressRegion: body.region } : {}),
  };
  if (body.otherIdentifiers && body.otherIdentifiers.length > 0) {
    profile.otherIdentifier = body.otherIdentifiers.map((entry) => ({
      type: 'IdentifierEntry',
      identifier: entry.identifier,
      identifierType: toIdentifierType(entry.identifierType),
    }));
  }
  return profile;
}
