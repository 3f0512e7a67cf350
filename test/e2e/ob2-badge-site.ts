/**
 * A small Open Badges 2.0 issuer site for the extension's end-to-end tests, served over real HTTP
 * on loopback: an Issuer profile with a RevocationList, a BadgeClass, hosted Assertions, and a
 * portfolio page that shows three badge images baked the two ways OB 2.0 allows (PNG iTXt
 * `openbadges` holding the assertion's URL, or the assertion JSON itself):
 *   - "Robotics": hosted where its id says, on the issuer's host → verified;
 *   - "Welding": listed in the issuer's revocation list → revoked;
 *   - "Elsewhere": its id names another host (localhost instead of 127.0.0.1), so the OB 2.0
 *     hosted-verification domain rule must refuse it → invalid.
 * Hosted OB 2.0 badges carry no signature, so nothing here is signed; the PNGs are baked with
 * shared/baking's chunk reader and writer. The extension's requests are counted per path, so a
 * test can tell what it fetched.
 */
import { bakingLimits } from '../../shared/baking/errors.ts';
import { encodePng, readPngChunks } from '../../shared/baking/png-chunks.ts';
import { buildItxtChunk, OB2_KEYWORD } from '../../shared/baking/png-text.ts';
import { serveLoopback } from '../extension/chromium.ts';

/** A 1×1 PNG: the pixels do not matter, the baked chunk does. */
const PNG_1X1 = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'));
const OB2 = 'https://w3id.org/openbadges/v2';

export const OB2_BADGES = { verified: 'Open Badge: Robotics', revoked: 'Open Badge: Welding', invalid: 'Open Badge: Elsewhere' } as const;

function bakeOb2Png(payload: string): Uint8Array {
  const read = readPngChunks(PNG_1X1, bakingLimits());
  if (!read.ok) throw new Error(read.message);
  const iend = read.chunks.length - 1;
  return encodePng([...read.chunks.slice(0, iend), buildItxtChunk(OB2_KEYWORD, payload), read.chunks[iend]!]);
}

export interface Ob2Site {
  readonly url: string;
  readonly pagePath: string;
  /** How many times the extension's worker requested each path. */
  readonly hits: Map<string, number>;
  /** Requests for the badge documents and images (everything but the page itself). */
  badgeRequests(): number;
  close(): Promise<void>;
}

export async function startOb2Site(): Promise<Ob2Site> {
  const documents = new Map<string, { type: string; body: string | Uint8Array }>();
  const hits = new Map<string, number>();
  const server = await serveLoopback((path, _accept, headers) => {
    // The page itself loads the images too (with a Referer); the extension's worker fetches with
    // referrerPolicy "no-referrer" (background/index.ts), so only its requests are counted.
    if (!headers.referer) hits.set(path, (hits.get(path) ?? 0) + 1);
    return documents.get(path);
  });
  const base = server.url;
  const json = (value: unknown) => ({ type: 'application/ld+json', body: JSON.stringify(value) });
  const assertion = (id: string) => ({
    '@context': OB2,
    type: 'Assertion',
    id,
    recipient: { type: 'email', hashed: false, identity: 'maria@example.org' },
    issuedOn: '2026-01-15T10:00:00Z',
    badge: `${base}/ob2/badges/robotics.json`,
    verification: { type: 'hosted' },
  });
  const robotics = assertion(`${base}/ob2/assertions/robotics.json`);
  const welding = assertion(`${base}/ob2/assertions/welding.json`);
  const elsewhere = assertion(`${base.replace('127.0.0.1', 'localhost')}/ob2/assertions/elsewhere.json`);

  documents.set('/ob2/issuer.json', json({ '@context': OB2, type: 'Issuer', id: `${base}/ob2/issuer.json`, name: 'Loopback Robotics Academy', url: base, email: 'badges@example.org', revocationList: `${base}/ob2/revocations.json` }));
  documents.set('/ob2/revocations.json', json({ '@context': OB2, type: 'RevocationList', id: `${base}/ob2/revocations.json`, issuer: `${base}/ob2/issuer.json`, revokedAssertions: [{ id: welding.id, revocationReason: 'Awarded by mistake' }] }));
  documents.set('/ob2/badges/robotics.json', json({ '@context': OB2, type: 'BadgeClass', id: `${base}/ob2/badges/robotics.json`, name: 'Robotics Fundamentals', description: 'Builds and programs a line-following robot.', image: `${base}/ob2/badge-robotics.png`, criteria: { narrative: 'Pass the robot trial.' }, issuer: `${base}/ob2/issuer.json` }));
  documents.set('/ob2/assertions/robotics.json', json(robotics));
  documents.set('/ob2/assertions/welding.json', json(welding));
  documents.set('/ob2/badge-robotics.png', { type: 'image/png', body: bakeOb2Png(robotics.id) });
  documents.set('/ob2/badge-welding.png', { type: 'image/png', body: bakeOb2Png(JSON.stringify(welding)) });
  documents.set('/ob2/badge-elsewhere.png', { type: 'image/png', body: bakeOb2Png(JSON.stringify(elsewhere)) });
  const pagePath = '/portfolio/maria/';
  const image = (file: string, alt: string) => `<li><img src="/ob2/${file}" alt="${alt}" width="48" height="48"> ${alt.replace('Open Badge: ', '')}</li>`;
  documents.set(pagePath, {
    type: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Maria Schneider — badges</title></head><body><h1>Maria Schneider</h1><ul id="badges">${image('badge-robotics.png', OB2_BADGES.verified)}${image('badge-welding.png', OB2_BADGES.revoked)}${image('badge-elsewhere.png', OB2_BADGES.invalid)}</ul></body></html>`,
  });

  return {
    url: base,
    pagePath,
    hits,
    badgeRequests: () => [...hits].filter(([path]) => path.startsWith('/ob2/')).reduce((sum, [, n]) => sum + n, 0),
    close: server.close,
  };
}
