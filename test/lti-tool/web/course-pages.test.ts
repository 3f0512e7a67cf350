import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { awardCredential } from '../../../lti-tool/src/issuance/award-engine.ts';
import type { CourseSession } from '../../../lti-tool/src/issuance/course-session.ts';
import { definitionFromForm, formFromDefinition, saveDefinitionFromForm } from '../../../lti-tool/src/issuance/definition-form.ts';
import { ltiLearnerKey } from '../../../lti-tool/src/issuance/ids.ts';
import { instructorProgress, instructorReissue, instructorRevoke, progressCsv, syncJobKey } from '../../../lti-tool/src/issuance/instructor-view.ts';
import { learnerCredentials, learnerSetHidden } from '../../../lti-tool/src/issuance/learner-view.ts';
import { renderDefinitionFormPage } from '../../../lti-tool/src/web/instructor-definition-form.tsx';
import { renderInstructorProgressPage } from '../../../lti-tool/src/web/instructor-progress.tsx';
import { renderLearnerPage } from '../../../lti-tool/src/web/learner-credentials.tsx';
import { STORE_KINDS } from '../../setup/databases.ts';
import { BINDING, EXAMPLE_DEFINITION, openIssuanceFixture, PLATFORM, type IssuanceFixture } from '../issuance/issuance-fixture.ts';

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
const session = (userId: string, roles: string[], contextId = BINDING.contextId): CourseSession => ({ platformId: PLATFORM, deploymentId: BINDING.deploymentId, contextId, userId, roles });
const HOSTILE = '<script>alert(1)</script>';

describe.each(STORE_KINDS)('learner and instructor pages (%s)', (kind) => {
  let fx: IssuanceFixture;
  beforeAll(async () => {
    fx = await openIssuanceFixture(kind);
  });
  afterAll(() => fx.close());

  test('My credentials: what the learner earned with its links, and what they work towards with the rule and their score', async () => {
    const earnedDef = await fx.define({ title: 'Earned one' });
    const openDef = await fx.define({ title: `Open ${HOSTILE}` });
    const learner = session('student-1', [LEARNER]);
    await awardCredential(fx.deps, { definitionId: earnedDef.id, learner: { key: ltiLearnerKey(PLATFORM, 'student-1'), name: 'Stu Dent' }, result: { resultScore: 90, resultMaximum: 100 } });
    const view = await learnerCredentials(fx.deps, learner, new Map([[openDef.id, { resultScore: 40, resultMaximum: 100 }]]));
    expect(view.earned.map((e) => e.title)).toEqual(['Earned one']);
    expect(view.earned[0]!.linkedInUrl).toContain('certId=');
    const open = view.inProgress.find((p) => p.definitionId === openDef.id);
    expect(open).toMatchObject({ rule: 'Score at least 60 out of 100', score: { score: 40, maximum: 100 } });
    expect(view.inProgress.some((p) => p.definitionId === earnedDef.id)).toBe(false);

    const hidden = await learnerSetHidden(fx.deps, learner, view.earned[0]!.id, true);
    expect(hidden).toMatchObject({ ok: true });
    const html = renderLearnerPage({ view: await learnerCredentials(fx.deps, learner), hideAction: '/lti/learner/hide', csrfToken: 'tok' });
    expect(html).toContain('Show the public page again');
    expect(html).toContain('name="csrf" value="tok"');
    expect(html).not.toContain('<script>alert');
    // Another learner cannot hide it.
    expect(await learnerSetHidden(fx.deps, session('student-2', [LEARNER]), view.earned[0]!.id, false)).toMatchObject({ ok: false, code: 'CREDENTIAL_NOT_FOUND' });
  });

  test('progress: learners with score and state, revoke with reason, re-issue and CSV; only instructors of this course', async () => {
    const def = await fx.define({ title: 'Progress' });
    const teacher = session('teacher', [INSTRUCTOR]);
    await awardCredential(fx.deps, { definitionId: def.id, learner: { key: ltiLearnerKey(PLATFORM, 'a'), name: '=HYPERLINK("x")' }, result: { resultScore: 80, resultMaximum: 100 } });
    await awardCredential(fx.deps, { definitionId: def.id, learner: { key: ltiLearnerKey(PLATFORM, 'b'), name: 'Bea' }, result: { resultScore: 70, resultMaximum: 100 } });
    const roster = [
      { userId: 'a', name: 'Alan', resultScore: 80, resultMaximum: 100 },
      { userId: 'b', name: 'Bea', resultScore: 70, resultMaximum: 100 },
      { userId: 'c', name: `Cy ${HOSTILE}`, resultScore: 20, resultMaximum: 100 },
    ];
    await expect(instructorProgress(fx.deps, session('student', [LEARNER]), def.id, roster)).rejects.toMatchObject({ code: 'NOT_INSTRUCTOR' });
    await expect(instructorProgress(fx.deps, session('teacher', [INSTRUCTOR], 'other-course'), def.id, roster)).rejects.toMatchObject({ code: 'NOT_IN_COURSE' });
    let view = await instructorProgress(fx.deps, teacher, def.id, roster);
    expect(view.rows.map((r) => [r.state, r.score])).toEqual([
      ['issued', 80],
      ['issued', 70],
      ['not-yet', 20],
    ]);
    const bea = view.rows.find((r) => r.name === 'Bea')!;
    await expect(instructorRevoke(fx.deps, session('student', [LEARNER]), bea.credentialId!, 'x')).rejects.toMatchObject({ code: 'NOT_INSTRUCTOR' });
    expect(await instructorRevoke(fx.deps, teacher, bea.credentialId!, 'Plagiarism')).toMatchObject({ ok: true });
    view = await instructorProgress(fx.deps, teacher, def.id, roster);
    expect(view.rows.find((r) => r.name === 'Bea')).toMatchObject({ state: 'revoked', revocationReason: 'Plagiarism' });
    const reissued = await instructorReissue(fx.deps, teacher, bea.credentialId!);
    expect(reissued).toMatchObject({ ok: true });
    view = await instructorProgress(fx.deps, teacher, def.id, roster);
    expect(view.rows.find((r) => r.name === 'Bea')?.state).toBe('issued');

    const csv = progressCsv(view);
    expect(csv.split('\r\n')[0]).toBe('Learner,Score,Maximum,State,Issued,Credential URL,Revocation reason');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);

    await fx.runtime.store.jobs.enqueue({ id: 'job-p', kind: 'ags-sync', dedupeKey: syncJobKey(def.id), payload: {}, runAt: 0, now: 0 });
    await fx.runtime.store.jobs.progress('job-p', 40, 100, 1);
    const html = renderInstructorProgressPage({ view: await instructorProgress({ ...fx.deps, jobs: fx.runtime.store.jobs }, teacher, def.id, roster), actions: { revoke: '/r', reissue: '/i', csv: '/c.csv' } });
    expect(html).toMatch(/<progress[^>]*value="40"/);
    expect(html).toContain('Export as CSV');
    expect(html).not.toContain('<script>alert');
  });

  test('definition form: publishing names the missing mandatory element; the full form publishes; multilingual texts survive a round trip', async () => {
    const teacher = session('teacher', [INSTRUCTOR]);
    const fields = formFromDefinition({ definition: EXAMPLE_DEFINITION, passRule: { kind: 'min-score', minScore: 60, scoreMaximum: 100 }, stackRule: null });
    expect(fields['title.de']).toBe('Datenkompetenz für die öffentliche Verwaltung');
    const { 'qualityAssurance.en': _en, 'qualityAssurance.de': _de, achievementId: _id, ...withoutQa } = fields;
    const refused = await saveDefinitionFromForm(fx.deps, teacher, withoutQa, { publish: true });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.problems.map((p) => p.message).join(' ')).toContain('Type of quality assurance');
    const page = renderDefinitionFormPage({ fields: { ...withoutQa, 'title.en': HOSTILE }, problems: refused.problems, action: '/lti/definitions' });
    expect(page).toContain('Type of quality assurance');
    expect(page).toContain('cannot be published yet');
    expect(page).not.toContain('<script>alert');
    expect(page).toMatch(/<option value="blended" selected/);

    const { achievementId: _a, ...complete } = fields;
    const published = await saveDefinitionFromForm(fx.deps, teacher, complete, { publish: true, resourceLinkId: 'rl-9', lineItemId: 'li-9' });
    expect(published).toMatchObject({ ok: true, record: { published: true, binding: { contextId: BINDING.contextId, lineItemId: 'li-9' } } });
    if (!published.ok) return;
    const again = definitionFromForm(formFromDefinition(published.record));
    expect((again.definition.learningOutcomes as unknown[]).length).toBe(4);
    expect(again.definition.title).toEqual(EXAMPLE_DEFINITION.title);
    await expect(saveDefinitionFromForm(fx.deps, session('s', [LEARNER]), complete, { publish: true })).rejects.toMatchObject({ code: 'NOT_INSTRUCTOR' });
  });
});
