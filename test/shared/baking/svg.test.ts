import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { bakeSvg } from '../../../shared/baking/bake-svg.ts';
import { extractBakedCredential } from '../../../shared/baking/extract-baked.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/vectors/openbadges-bakery/${name}`, import.meta.url), 'utf8');
const bytes = (text: string) => new TextEncoder().encode(text);
const extract = (svg: string) => extractBakedCredential(bytes(svg));
const JWT = 'eyJhbGciOiJFZERTQSIsInR5cCI6InZjK2p3dCJ9.eyJpc3MiOiJkaWQ6ZXhhbXBsZToxIn0.c2lnbmF0dXJl';
const JSON_CREDENTIAL = JSON.stringify({ type: ['VerifiableCredential'], name: 'A <b> & "c" ]]> d', proof: {} });
const OB3 = 'https://purl.imsglobal.org/ob/v3p0';

describe('OB 3.0 §5.3.2.1 SVG baking', () => {
  test('when a VC-JWT is baked, then the root declares xmlns:openbadges and the first child carries the JWT in verify', () => {
    const baked = bakeSvg(fixture('unbaked.svg'), JWT);
    expect(baked).toContain(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" xmlns:openbadges="${OB3}">\n<openbadges:credential verify="${JWT}"></openbadges:credential>\n  <title>`);
    expect(extract(baked)).toEqual({ ok: true, kind: 'ob3', value: JWT, image: 'svg' });
  });

  test('when JSON is baked, then it goes into CDATA and comes back byte for byte, "]]>" included', () => {
    const baked = bakeSvg(fixture('unbaked.svg'), JSON_CREDENTIAL);
    expect(baked).toContain('<openbadges:credential><![CDATA[{');
    expect(extract(baked)).toEqual({ ok: true, kind: 'ob3', value: JSON_CREDENTIAL, image: 'svg' });
  });

  test('when the image already carries a credential, then baking replaces it', () => {
    const twice = bakeSvg(bakeSvg(fixture('unbaked.svg'), JSON_CREDENTIAL), JWT);
    expect(twice.match(/<openbadges:credential/g)).toHaveLength(1);
    expect(twice.match(/xmlns:openbadges=/g)).toHaveLength(1);
    expect(extract(twice)).toMatchObject({ ok: true, value: JWT });
  });

  test('when an OB 2.0 image binds openbadges to http://openbadges.org, then the OB 3.0 element declares its own namespace and both are readable', () => {
    const baked = bakeSvg(fixture('baked.svg'), JWT);
    expect(baked).toContain(`<openbadges:credential xmlns:openbadges="${OB3}" verify="${JWT}">`);
    expect(baked).toContain('xmlns:openbadges="http://openbadges.org"');
    expect(extract(baked)).toMatchObject({ ok: true, kind: 'ob3', value: JWT });
  });

  test('when the root is self-closing, then it is opened to hold the credential', () => {
    const baked = bakeSvg('<svg xmlns="http://www.w3.org/2000/svg"/>', JWT);
    expect(baked).toBe(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="${OB3}">\n<openbadges:credential verify="${JWT}"></openbadges:credential>\n</svg>`);
    expect(extract(baked)).toMatchObject({ ok: true, value: JWT });
  });

  test('when the input is not an SVG or not a credential, then baking throws a coded error', () => {
    expect(() => bakeSvg('<html></html>', JWT)).toThrow(expect.objectContaining({ code: 'baked.not-an-image' }));
    expect(() => bakeSvg('<svg><g></svg>', JWT)).toThrow(expect.objectContaining({ code: 'baked.svg-malformed' }));
    expect(() => bakeSvg(fixture('unbaked.svg'), '[1,2]')).toThrow(expect.objectContaining({ code: 'baked.credential-invalid' }));
  });
});

describe('OB 3.0 §5.3.2.2 and OB 2.0 SVG extraction', () => {
  test("when Mozilla's bakery baked an OB 2.0 hosted assertion, then its verify URL is read as ob2", () => {
    expect(extract(fixture('baked.svg'))).toEqual({ ok: true, kind: 'ob2', value: 'http://example.org', image: 'svg' });
  });

  test('when an OB 2.0 assertion has no verify attribute, then its body is read', () => {
    const svg = '<svg xmlns:openbadges="http://openbadges.org"><openbadges:assertion><![CDATA[ {"a":1} ]]></openbadges:assertion></svg>';
    expect(extract(svg)).toMatchObject({ ok: true, kind: 'ob2', value: '{"a":1}' });
  });

  test('when the credential is plain text with character references, then they are decoded', () => {
    const svg = `<svg xmlns:ob="${OB3}"><ob:credential>{&quot;a&quot;:&#x31;}</ob:credential></svg>`;
    expect(extract(svg)).toMatchObject({ ok: true, kind: 'ob3', value: '{"a":1}' });
  });

  test('when a look-alike element sits in another namespace, then it is not taken for a credential', () => {
    const svg = `<svg xmlns:openbadges="https://evil.example/ns"><openbadges:credential verify="${JWT}"/></svg>`;
    expect(extract(svg)).toMatchObject({ ok: false, code: 'baked.no-credential' });
  });

  test('when a credential sits inside a comment, then it is not read', () => {
    const svg = `<svg xmlns:openbadges="${OB3}"><!-- <openbadges:credential verify="${JWT}"/> --></svg>`;
    expect(extract(svg)).toMatchObject({ ok: false, code: 'baked.no-credential' });
  });

  test('when two credential elements are present, or verify and body disagree, then the image is refused', () => {
    const two = `<svg xmlns:openbadges="${OB3}"><openbadges:credential verify="${JWT}"/><g><openbadges:credential>{}</openbadges:credential></g></svg>`;
    expect(extract(two)).toMatchObject({ ok: false, code: 'baked.multiple-credentials' });
    const split = `<svg xmlns:openbadges="${OB3}"><openbadges:credential verify="${JWT}">{"other":1}</openbadges:credential></svg>`;
    expect(extract(split)).toMatchObject({ ok: false, code: 'baked.multiple-credentials' });
  });

  test('when an Illustrator-style DTD declares flat entities, then the file is read', () => {
    const svg = `<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [\n  <!ENTITY ns_ob "${OB3}">\n  <!-- Illustrator -->\n]>\n<svg xmlns:openbadges="&ns_ob;"><openbadges:credential verify="${JWT}"/></svg>`;
    expect(extract(svg)).toMatchObject({ ok: true, kind: 'ob3', value: JWT });
  });
});

describe('hostile SVGs are refused with codes, never expanded or fetched', () => {
  test('when an SVG nests entities (billion laughs), then baked.svg-entity', () => {
    const lol = `<?xml version="1.0"?>\n<!DOCTYPE svg [\n <!ENTITY lol "lol">\n <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">\n]>\n<svg xmlns:openbadges="${OB3}"><openbadges:credential>&lol2;</openbadges:credential></svg>`;
    expect(extract(lol)).toMatchObject({ ok: false, code: 'baked.svg-entity' });
  });

  test('when an SVG declares an external or parameter entity, then baked.svg-entity', () => {
    const external = `<!DOCTYPE svg [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]><svg xmlns:openbadges="${OB3}"><openbadges:credential>&xxe;</openbadges:credential></svg>`;
    expect(extract(external)).toMatchObject({ ok: false, code: 'baked.svg-entity' });
    const parameter = '<!DOCTYPE svg [ <!ENTITY % p "x"> ]><svg/>';
    expect(extract(parameter)).toMatchObject({ ok: false, code: 'baked.svg-entity' });
    const attlist = '<!DOCTYPE svg [ <!ATTLIST svg xmlns:openbadges CDATA "https://purl.imsglobal.org/ob/v3p0"> ]><svg/>';
    expect(extract(attlist)).toMatchObject({ ok: false, code: 'baked.svg-entity' });
  });

  test('when an SVG uses an undeclared entity in the credential, then baked.svg-entity', () => {
    expect(extract(`<svg xmlns:openbadges="${OB3}"><openbadges:credential>&undeclared;</openbadges:credential></svg>`)).toMatchObject({ ok: false, code: 'baked.svg-entity' });
  });

  test('when an SVG is 100 MB, then baked.too-large without scanning it', () => {
    const big = new Uint8Array(100 * 1024 * 1024).fill(0x20);
    big.set(bytes('<svg>'));
    expect(extractBakedCredential(big)).toMatchObject({ ok: false, code: 'baked.too-large' });
  });

  test('when an SVG nests elements past the cap, then baked.svg-too-deep', () => {
    const deep = `<svg>${'<g>'.repeat(300)}${'</g>'.repeat(300)}</svg>`;
    expect(extract(deep)).toMatchObject({ ok: false, code: 'baked.svg-too-deep' });
  });

  test('when an SVG is unclosed, mismatched, not UTF-8 or not an SVG, then it is refused with a code', () => {
    expect(extract(`<svg xmlns:openbadges="${OB3}"><openbadges:credential>`)).toMatchObject({ ok: false, code: 'baked.svg-malformed' });
    expect(extract('<svg><g></h></svg>')).toMatchObject({ ok: false, code: 'baked.svg-malformed' });
    expect(extract('<svg><!-- never closed')).toMatchObject({ ok: false, code: 'baked.svg-malformed' });
    expect(extractBakedCredential(Uint8Array.of(...bytes('<svg>'), 0xff, 0xfe, ...bytes('</svg>')))).toMatchObject({ ok: false, code: 'baked.svg-not-utf8' });
    expect(extract('<?xml version="1.0"?><html/>')).toMatchObject({ ok: false, code: 'baked.not-an-image' });
  });

  test('when the credential body is larger than the cap, then baked.credential-too-large', () => {
    const svg = `<svg xmlns:openbadges="${OB3}"><openbadges:credential><![CDATA[${'x'.repeat(5000)}]]></openbadges:credential></svg>`;
    expect(extractBakedCredential(bytes(svg), { maxCredentialBytes: 1000 })).toMatchObject({ ok: false, code: 'baked.credential-too-large' });
  });

  test('when an attribute is unquoted or repeated, then the SVG is malformed', () => {
    expect(extract('<svg width=10></svg>')).toMatchObject({ ok: false, code: 'baked.svg-malformed' });
    expect(extract('<svg a="1" a="2"></svg>')).toMatchObject({ ok: false, code: 'baked.svg-malformed' });
  });
});
