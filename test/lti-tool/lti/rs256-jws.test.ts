import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { JWK } from 'jose';
import { parseCompactJws, verifyRs256 } from '../../../lti-tool/src/lti/rs256-jws.ts';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function rsa(bits: number): { privateKey: KeyObject; jwk: JWK } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { privateKey, jwk: publicKey.export({ format: 'jwk' }) as JWK };
}

function rs256(header: Record<string, unknown>, payload: Record<string, unknown>, privateKey: KeyObject): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

function parsed(token: string) {
  const result = parseCompactJws(token);
  if (!result.ok) throw new Error(`not parsed: ${result.problem}`);
  return result.jws;
}

describe('RS256 compact JWS for id_tokens (RFC 7515, RFC 7518 §3.3)', () => {
  const platform = rsa(2048);

  test('when the platform key signed the token, then it verifies and the payload reads back', () => {
    const jws = parsed(rs256({ alg: 'RS256', kid: 'k1' }, { sub: 'learner', n: 1 }, platform.privateKey));
    expect(jws.header).toEqual({ alg: 'RS256', kid: 'k1' });
    expect(verifyRs256(jws, platform.jwk)).toBe(true);
    expect(JSON.parse(jws.payload.toString('utf8'))).toEqual({ sub: 'learner', n: 1 });
  });

  test('when one payload character changes or another RSA key signed, then the signature is refused', () => {
    const token = rs256({ alg: 'RS256', kid: 'k1' }, { sub: 'learner' }, platform.privateKey);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const tampered = `${header}.${b64({ sub: 'teacher' })}.${signature}`;
    expect(payload).not.toBe(b64({ sub: 'teacher' }));
    expect(verifyRs256(parsed(tampered), platform.jwk)).toBe(false);
    expect(verifyRs256(parsed(rs256({ alg: 'RS256', kid: 'k1' }, { sub: 'learner' }, rsa(2048).privateKey)), platform.jwk)).toBe(false);
  });

  test('when the published key is not an RSA key of at least 2048 bits, then nothing verifies with it', () => {
    const small = rsa(1024);
    expect(verifyRs256(parsed(rs256({ alg: 'RS256' }, { sub: 'x' }, small.privateKey)), small.jwk)).toBe(false);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const input = `${b64({ alg: 'RS256' })}.${b64({ sub: 'x' })}`;
    const ecToken = `${input}.${sign('sha256', Buffer.from(input), ec.privateKey).toString('base64url')}`;
    expect(verifyRs256(parsed(ecToken), ec.publicKey.export({ format: 'jwk' }) as JWK)).toBe(false);
  });

  test('when the JWK also carries the private exponent, then only its public half is used', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const full = privateKey.export({ format: 'jwk' }) as JWK;
    expect(verifyRs256(parsed(rs256({ alg: 'RS256' }, { sub: 'x' }, privateKey)), full)).toBe(true);
  });

  test('when the token is not a three-part base64url JWS with a JSON object header, then it is not-compact; a crit header is refused', () => {
    const good = rs256({ alg: 'RS256' }, { sub: 'x' }, platform.privateKey);
    const [header, payload, signature] = good.split('.') as [string, string, string];
    for (const bad of ['', 'abc', `${header}.${payload}`, `${good}.x`, `${header}.${payload}.${signature}=`, `${header}.${payload}!.${signature}`, `${b64([1])}.${payload}.${signature}`, `bm90IGpzb24.${payload}.${signature}`, `.${payload}.${signature}`]) {
      expect(parseCompactJws(bad), bad).toEqual({ ok: false, problem: 'not-compact' });
    }
    expect(parseCompactJws(`${b64({ alg: 'RS256', crit: ['b64'], b64: false })}.${payload}.${signature}`)).toEqual({ ok: false, problem: 'crit' });
    // alg "none" has an empty signature part: parsed, so the caller can name the algorithm as the reason.
    expect(parseCompactJws(`${b64({ alg: 'none' })}.${payload}.`)).toMatchObject({ ok: true, jws: { header: { alg: 'none' } } });
  });
});
