/** Loads the Bitstring Status List v1.0 examples kept unchanged in test/fixtures/vectors/bitstring-status-list/. */
import { readFileSync } from 'node:fs';

export function vector(name: string): Record<string, unknown> {
  const url = new URL(`../../fixtures/vectors/bitstring-status-list/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}

export function encodedListOf(name: string): string {
  return (vector(name).credentialSubject as { encodedList: string }).encodedList;
}
