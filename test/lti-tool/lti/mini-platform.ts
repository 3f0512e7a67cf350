/**
 * A minimal LTI platform for unit-testing the tool before (and beside) the full simulator: real
 * RS256 keys, a JWKS endpoint on loopback that can rotate, and id_tokens signed in the test.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type CryptoKey } from 'jose';

export interface MiniKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function newRsaKey(kid: string): Promise<MiniKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

export interface MiniPlatform {
  readonly baseUrl: string;
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly authUrl: string;
  readonly tokenUrl: string;
  /** Keys currently published; the first one signs. */
  keys: MiniKey[];
  jwksFetches: number;
  close(): Promise<void>;
}

export async function startMiniPlatform(): Promise<MiniPlatform> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const platform: MiniPlatform = {
    baseUrl,
    issuer: baseUrl,
    jwksUrl: `${baseUrl}/jwks`,
    authUrl: `${baseUrl}/auth`,
    tokenUrl: `${baseUrl}/token`,
    keys: [await newRsaKey('platform-key-1')],
    jwksFetches: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  server.on('request', (req, res) => {
    if (req.url === '/jwks') {
      platform.jwksFetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: platform.keys.map((k) => k.publicJwk) }));
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  return platform;
}

export async function signIdToken(key: MiniKey, payload: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT', ...header }).sign(key.privateKey);
}
