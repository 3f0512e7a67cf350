import { describe, expect, test } from 'vitest';
import { SecretBox } from '../../../lti-tool/src/keys/secret-box.ts';

const secret = 'a'.repeat(43);
const box = new SecretBox({ secret, source: 'the environment variable MICROCRED_KEY_SECRET' });

describe('secret box', () => {
  test('when a value is sealed, then it opens with the same secret and context, and is not readable', () => {
    const sealed = box.seal('{"d":"private"}', 'issuer key k1');
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]+$/);
    expect(sealed).not.toContain('private');
    expect(box.open(sealed, 'issuer key k1')).toBe('{"d":"private"}');
  });

  test('when the same value is sealed twice, then the ciphertexts differ (fresh IV)', () => {
    expect(box.seal('x', 'c')).not.toBe(box.seal('x', 'c'));
  });

  test('when the secret differs, then opening fails with KEY_SECRET_WRONG naming where the secret came from', () => {
    const other = new SecretBox({ secret: 'b'.repeat(43), source: 'the file /srv/data/key-secret' });
    const open = () => other.open(box.seal('x', 'issuer key k1'), 'issuer key k1');
    expect(open).toThrow(expect.objectContaining({ code: 'KEY_SECRET_WRONG' }));
    expect(open).toThrow(/\/srv\/data\/key-secret.*MICROCRED_KEY_SECRET/s);
  });

  test('when a sealed value is moved to another context, then it does not open', () => {
    expect(() => box.open(box.seal('x', 'issuer key k1'), 'issuer key k2')).toThrow(expect.objectContaining({ code: 'KEY_SECRET_WRONG' }));
  });

  test('when the format is unknown, then opening fails with SECRET_BOX_MALFORMED', () => {
    const [, iv, body] = box.seal('x', 'c').split('.');
    for (const bad of [`v2.${iv}.${body}`, 'plain text', `v1.${iv}`, `v1.${iv}.${body}.extra`]) {
      expect(() => box.open(bad, 'c')).toThrow(expect.objectContaining({ code: 'SECRET_BOX_MALFORMED' }));
    }
  });
});
