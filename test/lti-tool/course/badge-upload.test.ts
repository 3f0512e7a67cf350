/**
 * Issue 4 "a badge image (upload, or a generated default)": an instructor uploads a PNG with the
 * definition form (multipart/form-data); the image travels in every credential and the badge.png
 * download bakes the credential into it. Anything but a small PNG is refused and nothing is saved.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { extractBakedCredential } from '../../../shared/baking/extract-baked.ts';
import { awardCredential } from '../../../lti-tool/src/issuance/award-engine.ts';
import { formFromDefinition } from '../../../lti-tool/src/issuance/definition-form.ts';
import { STORE_KINDS } from '../../setup/databases.ts';
import { EXAMPLE_DEFINITION } from '../issuance/issuance-fixture.ts';
import { startClassroom, type Classroom } from '../lti/sim-flow.ts';

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

describe('badge image upload in the definition form', () => {
  let room: Classroom;
  let session: string;
  let csrf: string;

  beforeAll(async () => {
    room = await startClassroom('moodle', STORE_KINDS[0]!);
    const picker = await room.sim.launch({ clientId: room.clientId, userId: room.teacherId, courseId: room.courseId, messageType: 'LtiDeepLinkingRequest' });
    session = field(picker.html, 'session')!;
    const form = await picker.browser.navigate(`${room.tool.baseUrl}/lti/deep-link/definition?session=${encodeURIComponent(session)}`);
    expect(form.html).toContain('enctype="multipart/form-data"');
    csrf = field(form.html, 'csrf')!;
  });
  afterAll(() => room.close());

  async function submit(title: string, file: Blob): Promise<Response> {
    const fields = formFromDefinition({ definition: { ...EXAMPLE_DEFINITION, title: { en: title }, image: undefined }, passRule: null, stackRule: null }) as Record<string, string | string[]>;
    delete fields.achievementId;
    const body = new FormData();
    for (const [name, value] of Object.entries({ ...fields, 'rule.kind': 'completion', action: 'publish', session, csrf })) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
    }
    body.append('imageFile', file, 'badge.png');
    return fetch(`${room.tool.baseUrl}/lti/definitions?session=${encodeURIComponent(session)}`, { method: 'POST', body, redirect: 'manual' });
  }

  const definitionTitled = async (title: string) => {
    const course = { platformId: (await room.tool.runtime.store.ltiPlatforms.byIssuerAndClientId(room.sim.issuer, room.clientId))!.id, deploymentId: room.deploymentId, contextId: room.courseId };
    return (await room.tool.runtime.store.definitions.listInContext(course)).find((d) => (d.definition.title as Record<string, string>).en === title);
  };

  test('when the instructor uploads a PNG, then credentials carry it and badge.png bakes the credential into it', async () => {
    const response = await submit('Uploaded badge', new Blob([PNG], { type: 'image/png' }));
    expect(response.status).toBe(303);
    const record = await definitionTitled('Uploaded badge');
    expect(record?.definition.image).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
    const award = await awardCredential(room.tool.runtime.issuance, { definitionId: record!.id, learner: { key: 'test:maria', name: 'Maria Schneider' } });
    expect(award.ok).toBe(true);
    const badge = await fetch(`${award.ok ? award.url : ''}/badge.png`);
    expect(badge.status).toBe(200);
    const baked = extractBakedCredential(new Uint8Array(await badge.arrayBuffer()));
    expect(baked).toMatchObject({ ok: true, kind: 'ob3', image: 'png' });
  });

  test('when the upload is not a PNG, then the form says so and nothing is saved', async () => {
    const response = await submit('Not a PNG', new Blob(['GIF89a not really'], { type: 'image/png' }));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('must be a PNG');
    expect(await definitionTitled('Not a PNG')).toBeUndefined();
  });

  test('when the PNG is too large to travel in every credential, then it is refused with the limit', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(60 * 1024)]);
    const response = await submit('Too big', new Blob([big], { type: 'image/png' }));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('the limit is 48 KB');
    expect(await definitionTitled('Too big')).toBeUndefined();
  });
});
