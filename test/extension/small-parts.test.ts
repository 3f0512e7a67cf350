/** The pure parts of the extension: name matching, alternate-link reading, site patterns, localisation. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { credentialAlternates } from '../../extension/src/background/alternate-links.ts';
import { sourceAllowedFrom } from '../../extension/src/background/source-policy.ts';
import { originPattern, siteOrigin } from '../../extension/src/site-origin.ts';
import { lookUpBadgeWords, readBadgeWords } from '../../extension/src/ui/badge-words.ts';
import { compareNames } from '../../extension/src/ui/name-match.ts';
import { verdictMessageKey } from '../../extension/src/ui/verdict-text.ts';

describe('learner name match', () => {
  test.each([
    ['Maria Schneider', 'Maria Schneider', 'matches'],
    ['maria schneider', 'MARIA SCHNEIDER', 'matches'],
    ['José Müller', 'Jose Muller', 'matches'],
    ['Maria Schneider', 'Maria Anna Schneider', 'matches'],
    ['Dr. Maria A. Schneider', 'Maria Anna Schneider', 'matches'],
    ['Schneider, Maria', 'Maria Schneider', 'matches'],
    ['Jürgen Groß', 'Juergen Gross', 'matches'],
    ['Maria Schneider', 'Maria Schmidt', 'differs'],
    ['Maria Schneider', 'Maria', 'differs'],
    ['Maria Schneider', undefined, 'none'],
    [undefined, 'Maria Schneider', 'none'],
    ['  ', 'Maria Schneider', 'none'],
  ] as const)('"%s" against "%s" → %s', (profile, credential, expected) => {
    expect(compareNames(profile, credential)).toBe(expected);
  });
});

describe('alternate links in HTML (no DOM in the service worker)', () => {
  test('the VC-JWT alternate wins over the JSON one, relative hrefs resolve, entities decode', () => {
    const html = `<html><head><link rel="stylesheet" href="/a.css"><link rel="alternate" type="application/vc+ld+json" href="/c/1.json?a=1&amp;b=2"><link type='application/vc+jwt' rel='alternate nofollow' href='c/1.jwt'></head></html>`;
    expect(credentialAlternates(html, 'https://tool.example/credentials/x')).toEqual(['https://tool.example/credentials/c/1.jwt', 'https://tool.example/c/1.json?a=1&b=2']);
  });

  test('links that are not credential alternates, and unparsable hrefs, are ignored', () => {
    const html = '<link rel="alternate" type="application/rss+xml" href="/feed"><link rel="canonical" type="application/vc+jwt" href="/x"><link rel="alternate" type="application/vc+jwt" href="http://[broken">';
    expect(credentialAlternates(html, 'https://tool.example/')).toEqual([]);
  });
});

describe('what a page may make the worker fetch', () => {
  test.each([
    ['https://www.linkedin.com/in/x', 'https://academy.example/credentials/a', true],
    ['https://www.linkedin.com/in/x', 'http://localhost:8080/credentials/a', false],
    ['https://evil.example/', 'http://127.0.0.1:3000/admin', false],
    ['https://evil.example/', 'http://[::1]:3000/x', false],
    ['http://127.0.0.1:4000/in/me', 'http://127.0.0.1:3000/credentials/a', true],
    [undefined, 'http://localhost/x', false],
  ])('from %s, %s → %s', (page, url, allowed) => {
    expect(sourceAllowedFrom(page, { kind: 'url', url })).toBe(allowed);
    expect(sourceAllowedFrom(page, { kind: 'image', url })).toBe(allowed);
  });

  test('inline credentials need no fetch and are always allowed', () => {
    expect(sourceAllowedFrom('https://evil.example/', { kind: 'inline', text: 'eyJ...' })).toBe(true);
  });
});

describe('sites the user enables', () => {
  test.each([
    ['linkedin.com', 'https://linkedin.com'],
    ['https://www.linkedin.com/in/maria', 'https://www.linkedin.com'],
    ['http://127.0.0.1:4000/x', 'http://127.0.0.1:4000'],
    ['javascript:alert(1)', undefined],
    ['file:///etc/passwd', undefined],
    ['', undefined],
  ])('%s → %s', (input, origin) => {
    expect(siteOrigin(input)).toBe(origin);
  });

  test('host permission patterns carry no port (match patterns cannot)', () => {
    expect(originPattern('http://127.0.0.1:4000')).toBe('http://127.0.0.1/*');
    expect(originPattern('https://www.linkedin.com')).toBe('https://www.linkedin.com/*');
  });
});

describe('localisation (browser.i18n, en/de/fr)', () => {
  const root = new URL('../../extension/', import.meta.url).pathname;
  const messages = (lang: string) => JSON.parse(readFileSync(`${root}public/_locales/${lang}/messages.json`, 'utf8')) as Record<string, { message: string }>;

  test('German and French carry every English message, none empty', () => {
    const en = Object.keys(messages('en')).sort();
    for (const lang of ['de', 'fr']) {
      const other = messages(lang);
      expect(Object.keys(other).sort()).toEqual(en);
      for (const key of en) expect(other[key]!.message.trim()).not.toBe('');
    }
  });

  test('every message key the code asks for exists', () => {
    const en = messages('en');
    const sources = execFileSync('grep', ['-rhoE', "\\bt\\('[A-Za-z_]+'|messageKey: '[A-Za-z_]+'|__MSG_[A-Za-z_]+__|(Key|KEY|WORDS)[^=]*= [^;]*", `${root}src`, `${root}manifest.config.ts`], { encoding: 'utf8' });
    const keys = new Set([...sources.matchAll(/t\('([A-Za-z_]+)'|messageKey: '([A-Za-z_]+)'|__MSG_([A-Za-z_]+)__|'(name[A-Z][a-z]+|check[A-Z][a-z]+)'/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]));
    expect(keys.size).toBeGreaterThan(30);
    for (const key of keys) expect(en, key).toHaveProperty(key!);
  });
});

describe('verdict words', () => {
  test.each([
    [{ verdict: 'invalid', failedCode: 'signature.invalid' }, 'verdict_invalid'],
    [{ verdict: 'invalid', failedCode: 'sd-jwt.bad-digest' }, 'verdict_invalid'],
    [{ verdict: 'invalid', failedCode: 'ob2.hosted-domain' }, 'verdict_invalid_credential'],
    [{ verdict: 'invalid', failedCode: 'format.not-a-credential' }, 'verdict_invalid_credential'],
    [{ verdict: 'invalid' }, 'verdict_invalid'],
    [{ verdict: 'verified', trusted: true }, 'verdict_verified_trusted'],
    [{ verdict: 'verified' }, 'verdict_verified'],
    [{ verdict: 'pending' }, 'verdict_pending'],
  ] as const)('%j is shown as %s', (view, key) => {
    expect(verdictMessageKey(view)).toBe(key);
  });

  test('the badge words the worker sends are read back only when complete and short', () => {
    const words = lookUpBadgeWords();
    expect(readBadgeWords(JSON.parse(JSON.stringify(words)))).toEqual(words);
    const { verdict_revoked: _dropped, ...missing } = words;
    expect(readBadgeWords(missing)).toBeUndefined();
    expect(readBadgeWords({ ...words, verdict_revoked: { text: 'x'.repeat(201), label: 'x' } })).toBeUndefined();
    expect(readBadgeWords({ ...words, verdict_revoked: { text: 1, label: 'x' } })).toBeUndefined();
    expect(readBadgeWords('words')).toBeUndefined();
    expect(readBadgeWords(null)).toBeUndefined();
  });
});
