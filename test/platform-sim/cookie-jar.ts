/**
 * RFC 6265bis cookie store for the simulated browser: host-only cookies (ports share a jar, as in
 * real browsers), Path matching, Max-Age/Expires against an injected clock, Secure (accepted on
 * https and on loopback, which browsers treat as potentially trustworthy), and SameSite with the
 * Lax default. Whether a request is same-site is decided by the caller (see browser.ts): because
 * the simulator and the tool share 127.0.0.1, the browser treats each origin as its own site.
 */

export type SameSite = 'Strict' | 'Lax' | 'None';

export interface Cookie {
  readonly name: string;
  readonly value: string;
  readonly host: string;
  readonly path: string;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  readonly sameSite: SameSite;
  /** Milliseconds since the epoch; undefined for a session cookie. */
  readonly expiresAt: number | undefined;
}

/** How the request that carries or receives cookies relates to the sites involved. */
export interface CookieContext {
  /** The request crosses sites (target site differs from the top-level or initiating site). */
  readonly crossSite: boolean;
  /** A top-level navigation (not a frame) with a safe method: Lax cookies still travel. */
  readonly topLevelSafeNavigation: boolean;
  /** A top-level navigation of any method: its response may set Lax/Strict cookies. */
  readonly topLevelNavigation: boolean;
  /** The browser blocks third-party cookies (cross-site cookies in frames). */
  readonly blockThirdParty: boolean;
}

const MAX_COOKIE_BYTES = 4096;
const MAX_COOKIES = 300;

export class CookieJar {
  readonly #cookies = new Map<string, Cookie>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Store what one Set-Cookie header asks for, when the context allows it; returns whether it was stored. */
  receive(url: URL, header: string, context: CookieContext): boolean {
    if (header.length > MAX_COOKIE_BYTES) return false;
    const parsed = parseSetCookie(url, header, this.#now());
    if (!parsed) return false;
    if (parsed.secure && !isTrustworthy(url)) return false;
    if (parsed.sameSite === 'None' && !parsed.secure) return false;
    if (context.crossSite) {
      if (context.blockThirdParty && !context.topLevelNavigation) return false;
      if (parsed.sameSite !== 'None' && !context.topLevelNavigation) return false;
    }
    const key = `${parsed.host}|${parsed.path}|${parsed.name}`;
    if (parsed.expiresAt !== undefined && parsed.expiresAt <= this.#now()) {
      this.#cookies.delete(key);
      return true;
    }
    if (!this.#cookies.has(key) && this.#cookies.size >= MAX_COOKIES) return false;
    this.#cookies.set(key, parsed);
    return true;
  }

  /** The Cookie header value for a request, or undefined when no cookie applies. */
  headerFor(url: URL, context: CookieContext): string | undefined {
    const now = this.#now();
    const matching = [...this.#cookies.values()]
      .filter((cookie) => cookie.host === url.hostname.toLowerCase())
      .filter((cookie) => cookie.expiresAt === undefined || cookie.expiresAt > now)
      .filter((cookie) => pathMatches(url.pathname || '/', cookie.path))
      .filter((cookie) => !cookie.secure || isTrustworthy(url))
      .filter((cookie) => {
        if (!context.crossSite) return true;
        if (context.blockThirdParty && !context.topLevelNavigation) return false;
        if (cookie.sameSite === 'None') return true;
        return cookie.sameSite === 'Lax' && context.topLevelSafeNavigation;
      })
      .sort((a, b) => b.path.length - a.path.length);
    if (matching.length === 0) return undefined;
    return matching.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  }

  /** Every live cookie (for assertions such as "the tool set no cookie"). */
  all(): readonly Cookie[] {
    const now = this.#now();
    return [...this.#cookies.values()].filter((cookie) => cookie.expiresAt === undefined || cookie.expiresAt > now);
  }

  clear(): void {
    this.#cookies.clear();
  }
}

function isTrustworthy(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function parseSetCookie(url: URL, header: string, now: number): Cookie | undefined {
  const [pair = '', ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return undefined;
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return undefined;
  let path = defaultPath(url);
  let secure = false;
  let httpOnly = false;
  let sameSite: SameSite = 'Lax';
  let expiresAt: number | undefined;
  let maxAgeSeen = false;
  for (const attribute of attributes) {
    const [rawKey = '', ...rest] = attribute.split('=');
    const key = rawKey.trim().toLowerCase();
    const attrValue = rest.join('=').trim();
    if (key === 'path' && attrValue.startsWith('/')) path = attrValue;
    else if (key === 'secure') secure = true;
    else if (key === 'httponly') httpOnly = true;
    else if (key === 'samesite') {
      const v = attrValue.toLowerCase();
      sameSite = v === 'strict' ? 'Strict' : v === 'none' ? 'None' : 'Lax';
    } else if (key === 'max-age' && /^-?\d+$/.test(attrValue)) {
      maxAgeSeen = true;
      expiresAt = now + Number(attrValue) * 1000;
    } else if (key === 'expires' && !maxAgeSeen) {
      const at = Date.parse(attrValue);
      if (!Number.isNaN(at)) expiresAt = at;
    } else if (key === 'domain' && attrValue !== '') {
      // Host-only cookies only: a Domain attribute naming another host is refused.
      if (attrValue.replace(/^\./, '').toLowerCase() !== url.hostname.toLowerCase()) return undefined;
    }
  }
  if (name.startsWith('__Secure-') && !secure) return undefined;
  if (name.startsWith('__Host-') && (!secure || path !== '/')) return undefined;
  return { name, value, host: url.hostname.toLowerCase(), path, secure, httpOnly, sameSite, expiresAt };
}

function defaultPath(url: URL): string {
  const path = url.pathname;
  if (!path.startsWith('/') || path.lastIndexOf('/') === 0) return '/';
  return path.slice(0, path.lastIndexOf('/'));
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
