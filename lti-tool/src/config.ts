/**
 * Configuration from the environment, with safe defaults so that `npm start` works on a fresh
 * clone: SQLite under ./data, http://localhost:3000 as the public URL. Anything not on loopback
 * must be https, because issuer ids, key URLs and LMS redirects derive from PUBLIC_URL.
 */
import path from 'node:path';
import { didWebFromUrl } from '../../shared/crypto/did-web.ts';
import { isLoopbackHost } from '../../shared/net/fetch-document.ts';

export interface ToolConfig {
  readonly port: number;
  /** The origin (and optional path) learners, LMSs and verifiers reach; no trailing slash. */
  readonly publicUrl: string;
  /** The issuer id of every credential this installation signs: the did:web of publicUrl. */
  readonly issuerDid: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** Shown in the issuer profile served at /issuer. */
  readonly issuerName: string;
  readonly issuerCountryCode: string | undefined;
  /** LTI_CLOCK_SKEW_SECONDS: allowed clock difference for LTI id_token exp/iat (Moodle's tokens live 60 s). */
  readonly ltiSkewSeconds: number;
  /** MICROCRED_ADMIN_TOKEN for /admin; undefined = generate one per start and print it. */
  readonly adminToken: string | undefined;
  /** LTI_COOKIELESS_FALLBACK (default on): accept a launch whose state neither a cookie nor platform storage confirms. */
  readonly ltiCookielessFallback: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): ToolConfig {
  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('CONFIG_PORT', `PORT must be a port number, not "${env.PORT}".`);
  const publicUrl = normalisePublicUrl(env.PUBLIC_URL ?? `http://localhost:${port}`);
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  const dataDir = path.resolve(env.DATA_DIR ?? 'data');
  return {
    port,
    publicUrl,
    issuerDid: didWebFromUrl(publicUrl),
    databaseUrl,
    dataDir,
    issuerName: env.ISSUER_NAME ?? new URL(publicUrl).host,
    issuerCountryCode: env.ISSUER_COUNTRY,
    ltiSkewSeconds: ltiSkewSeconds(env.LTI_CLOCK_SKEW_SECONDS),
    adminToken: adminToken(env.MICROCRED_ADMIN_TOKEN),
    ltiCookielessFallback: onOff(env.LTI_COOKIELESS_FALLBACK, true, 'LTI_COOKIELESS_FALLBACK'),
  };
}

function ltiSkewSeconds(raw: string | undefined): number {
  const value = Number(raw ?? '60');
  if (!Number.isInteger(value) || value < 0 || value > 600) throw new ConfigError('CONFIG_LTI_SKEW', `LTI_CLOCK_SKEW_SECONDS must be a whole number of seconds from 0 to 600, not "${raw}".`);
  return value;
}

function onOff(raw: string | undefined, fallback: boolean, name: string): boolean {
  const value = raw?.trim().toLowerCase();
  if (!value) return fallback;
  if (['on', 'true', '1', 'yes'].includes(value)) return true;
  if (['off', 'false', '0', 'no'].includes(value)) return false;
  throw new ConfigError('CONFIG_FLAG', `${name} must be "on" or "off", not "${raw}".`);
}

function adminToken(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  if (value.length < 16) throw new ConfigError('CONFIG_ADMIN_TOKEN', 'MICROCRED_ADMIN_TOKEN must be at least 16 characters long.');
  return value;
}

function normalisePublicUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('CONFIG_PUBLIC_URL', `PUBLIC_URL must be a URL such as https://credentials.example.edu, not "${raw}".`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new ConfigError('CONFIG_PUBLIC_URL', `PUBLIC_URL must use https (plain http is only allowed for localhost): "${raw}".`);
  }
  if (url.search || url.hash) throw new ConfigError('CONFIG_PUBLIC_URL', `PUBLIC_URL must not carry a query or fragment: "${raw}".`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
