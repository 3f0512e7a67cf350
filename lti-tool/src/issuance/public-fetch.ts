/**
 * The fetch behind the public /verify page and the credential pages' verification. Anyone can
 * paste a credential naming any issuer, so the server must not become a way to probe its own
 * network (SSRF): hosts that resolve to loopback, private, link-local or unique-local addresses
 * are refused, unless the tool itself runs on loopback (development and tests).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { FetchLike } from '../../../shared/net/fetch-document.ts';

export class ForbiddenAddressError extends Error {
  override readonly name = 'ForbiddenAddressError';
  readonly code = 'FETCH_ADDRESS_FORBIDDEN';
}

export type Resolver = (host: string) => Promise<readonly string[]>;

const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export function publicOnlyFetch(base: FetchLike, options: { allowLoopback: boolean; resolve?: Resolver }): FetchLike {
  const resolve = options.resolve ?? systemResolver;
  return async (url, init) => {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [host] : await resolve(host);
    for (const address of addresses) {
      if (isLoopback(address) ? !options.allowLoopback : isInternal(address)) {
        throw new ForbiddenAddressError(`${host} is an address on our own network, which the verifier does not contact.`);
      }
    }
    // Redirects are not followed: a public host could otherwise bounce the request inward.
    return base(url, { ...init, redirect: 'error' });
  };
}

function isLoopback(address: string): boolean {
  const v4 = mappedV4(address);
  return v4 ? v4.startsWith('127.') : address === '::1';
}

function isInternal(address: string): boolean {
  const v4 = mappedV4(address);
  if (v4) {
    const [a = 0, b = 0] = v4.split('.').map(Number);
    return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || a >= 224;
  }
  const lower = address.toLowerCase();
  return lower === '::' || lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
}

/** The IPv4 address of a plain or IPv4-mapped IPv6 address, else undefined. */
function mappedV4(address: string): string | undefined {
  if (isIP(address) === 4) return address;
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1];
  // WHATWG URL writes mapped addresses in hex: [::ffff:192.168.1.1] becomes [::ffff:c0a8:101].
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return undefined;
  const [high, low] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}
