/**
 * The badge-platform detector's URL mapping, on the URL shapes Credly and Canvas Credentials
 * (Badgr) badge pages have in the wild: each award page maps to the OB 2.0 hosted assertion its
 * platform publishes, which the worker then verifies with shared/ob2 (the same path
 * test/e2e/extension-cache-ob2.test.ts drives in Chromium through a baked image). Look-alikes and
 * pages that are not a single award map to nothing.
 */
import { describe, expect, test } from 'vitest';
import { machineReadableUrl } from '../../extension/src/content/detectors/badge-platform-link.ts';

const map = (href: string) => machineReadableUrl(new URL(href));
const UUID = '54a07c5c-89f9-4c33-9731-e1b0d34f88b9';

describe('Credly badge pages → api.credly.com OB 2.0 assertions', () => {
  test.each([
    `https://www.credly.com/badges/${UUID}`,
    `https://www.credly.com/badges/${UUID}/public_url`,
    `https://www.credly.com/badges/${UUID}/linked_in_profile`,
    `https://credly.com/badges/${UUID.toUpperCase()}?source=linked_in_profile`,
    `https://www.credly.com/de/badges/${UUID}`,
    `https://www.credly.com/earner/earned/badge/${UUID}`,
  ])('%s', (href) => {
    expect(map(href)).toBe(`https://api.credly.com/v1/obi/v2/badge_assertions/${UUID}`);
  });

  test.each([
    'https://www.credly.com/users/tom-becker',
    'https://www.credly.com/org/aws/badge/aws-certified-cloud-practitioner',
    `https://www.credly.com/badges/${UUID.slice(0, 30)}`,
    `https://credly.com.evil.example/badges/${UUID}`,
    `https://evil.example/badges/${UUID}`,
  ])('not an award page: %s', (href) => {
    expect(map(href)).toBeUndefined();
  });
});

describe('Canvas Credentials (Badgr) assertion pages → the issuing server’s OB 2.0 assertion', () => {
  test.each([
    ['https://badgr.com/public/assertions/nHqA1R2xS0e8kq3v', 'https://api.badgr.io/public/assertions/nHqA1R2xS0e8kq3v?v=2_0'],
    ['https://badgr.com/public/assertions/nHqA1R2xS0e8kq3v?identity__email=a%40b.example', 'https://api.badgr.io/public/assertions/nHqA1R2xS0e8kq3v?v=2_0'],
    ['https://api.badgr.io/public/assertions/nHqA1R2xS0e8kq3v.json', 'https://api.badgr.io/public/assertions/nHqA1R2xS0e8kq3v?v=2_0'],
    ['https://eu.badgr.com/public/assertions/Qm9vbGVhbkV1cm9wZQ', 'https://api.eu.badgr.io/public/assertions/Qm9vbGVhbkV1cm9wZQ?v=2_0'],
    ['https://api.eu.badgr.io/public/assertions/Qm9vbGVhbkV1cm9wZQ', 'https://api.eu.badgr.io/public/assertions/Qm9vbGVhbkV1cm9wZQ?v=2_0'],
  ])('%s', (href, expected) => {
    expect(map(href)).toBe(expected);
  });

  test.each([
    'https://badgr.com/public/badges/nHqA1R2xS0e8kq3v',
    'https://badgr.com/public/assertions/short',
    'https://badgr.com.evil.example/public/assertions/nHqA1R2xS0e8kq3v',
    'https://evilbadgr.com/public/assertions/nHqA1R2xS0e8kq3v',
  ])('not an assertion page: %s', (href) => {
    expect(map(href)).toBeUndefined();
  });
});

test('Accredible and Europass pages are detected as themselves (no machine-readable assertion to map to)', () => {
  expect(map('https://www.credential.net/7f3c1a9b-2d4e')).toBe('https://www.credential.net/7f3c1a9b-2d4e');
  expect(map('https://europa.eu/europass/digital-credentials/credential-verification?credentialId=urn:credential:1')).toContain('europa.eu/europass/');
});
