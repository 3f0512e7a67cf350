/** Small readers for VC Data Model 2.0 members that may be a string or an object (issuer, subject). */
import { isObject } from './parse-input.ts';

export function issuerIdOf(credential: Record<string, unknown>): string | undefined {
  const issuer = credential.issuer;
  if (typeof issuer === 'string') return issuer;
  if (isObject(issuer) && typeof issuer.id === 'string') return issuer.id;
  return undefined;
}

export function issuerNameOf(credential: Record<string, unknown>): string | undefined {
  const issuer = credential.issuer;
  return isObject(issuer) && typeof issuer.name === 'string' ? issuer.name : undefined;
}

export function typesOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((t): t is string => typeof t === 'string');
  return [];
}
