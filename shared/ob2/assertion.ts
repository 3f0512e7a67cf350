/**
 * Open Badges 2.0 (IMS Final Release, 2018) "Assertion": recognising one, and reading the members
 * verification relies on. OB 2.0 documents are JSON-LD in the https://w3id.org/openbadges/v2
 * context; ids, badge and issuer may each be a URL or an embedded object.
 */

export const OB2_CONTEXT = 'https://w3id.org/openbadges/v2';
/** OB 1.1 used this context; such assertions are read as OB 2.0 ones are, as the OB 2.0 validator does. */
const OB11_CONTEXT = 'https://w3id.org/openbadges/v1';

export function isOb2Assertion(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const contexts = Array.isArray(value['@context']) ? value['@context'] : [value['@context']];
  if (contexts.includes(OB2_CONTEXT) || contexts.includes(OB11_CONTEXT)) return true;
  return typesOf(value.type).includes('Assertion') && 'recipient' in value && 'badge' in value;
}

/** The id of a node given either as a URL string or as an object with an `id`. */
export function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return isRecord(value) && typeof value.id === 'string' ? value.id : undefined;
}

export function typesOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The VerificationObject: OB 2.0 `verification`, or `verify` as OB 1.x assertions (still in circulation) call it. */
export function verificationOf(assertion: Record<string, unknown>): Record<string, unknown> | undefined {
  const verification = assertion.verification ?? assertion.verify;
  return isRecord(verification) ? verification : undefined;
}

/** OB 2.0 "VerificationObject" type of an assertion: hosted (the default) or signed. */
export function verificationTypeOf(assertion: Record<string, unknown>): 'hosted' | 'signed' | undefined {
  const verification = verificationOf(assertion);
  const type = isRecord(verification) ? typesOf(verification.type)[0] : undefined;
  if (type === undefined || /^(HostedBadge|hosted)$/.test(type)) return type === undefined && verification !== undefined ? undefined : 'hosted';
  if (/^(SignedBadge|signed)$/.test(type)) return 'signed';
  return undefined;
}
