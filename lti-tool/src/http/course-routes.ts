/**
 * Issuance pages behind an LTI session (issue 4): the landing page by role (instructor progress or
 * the learner's "My credentials"), revoke / re-issue / CSV, the learner's hide switch, and the
 * definition form (new, edit, and the deep-linking variant that answers the platform with an
 * LtiDeepLinkingResponse, LTI Deep Linking 2.0 §3.1, §4.5). Thin: the work is in issuance/.
 * The LTI routes lend their session, CSRF, CSP and error helpers, so every page here is framed and
 * guarded exactly like theirs.
 */
import type { Request, Response, Router } from 'express';
import { definitionFormBody, imageProblemOf } from './definition-form-body.ts';
import { CourseAccessError, canManageCredentials, type CourseSession } from '../issuance/course-session.ts';
import { courseSessionOf, queueSyncAfterDeepLink, type FindLineItem } from '../issuance/course-launch.ts';
import { formFromDefinition, lmsChoiceFor, lmsCourseOf, saveDefinitionFromForm, type FormFields } from '../issuance/definition-form.ts';
import type { LmsConnections } from '../lms/lms-connections.ts';
import type { LmsWatchOutcomeRepository } from '../store/lms-watch-outcome-repository.ts';
import { instructorProgress, instructorReissue, instructorRevoke, progressCsv, type RosterEntry } from '../issuance/instructor-view.ts';
import { learnerCredentials, learnerSetHidden } from '../issuance/learner-view.ts';
import type { CohortReader, SyncDeps } from '../issuance/results-sync.ts';
import type { ScoreResult } from '../issuance/rules.ts';
import { buildDeepLinkingResponse } from '../lti/deep-linking.ts';
import { CLAIM, objectClaim, stringClaim } from '../lti/claims.ts';
import { LtiError } from '../lti/errors.ts';
import type { LtiServices } from '../lti/lti-services.ts';
import { toolUrls } from '../lti/tool-configuration.ts';
import type { SessionRecord } from '../store/lti-launch-repository.ts';
import { renderDefinitionFormPage } from '../web/instructor-definition-form.tsx';
import { autoPostPage, courseHomePage, type LaunchView } from '../web/lti-pages.tsx';

export interface CourseDeps {
  readonly issuance: SyncDeps;
  readonly readCohort: CohortReader;
  /** Binds a deep-linked definition to its line item on any launch in the course (optional). */
  readonly findLineItem?: FindLineItem;
  /** This instance's name in job leases. */
  readonly owner: string;
  /** LMS connections: the definition form offers "Completed in Moodle / Canvas" with the course outline (issue 7). */
  readonly lms?: LmsConnections;
  /** The last LMS watch of each definition, shown on the instructor's progress view. */
  readonly lmsWatchOutcomes?: Pick<LmsWatchOutcomeRepository, 'get'>;
}

export interface LtiRouteHelpers {
  sendPage(res: Response, html: string, status?: number, formActions?: readonly string[]): Promise<void>;
  handle(work: (req: Request, res: Response) => Promise<void>): (req: Request, res: Response) => Promise<void>;
  requireSession(id: unknown): Promise<SessionRecord>;
  checkCsrf(session: SessionRecord, token: string | undefined): void;
  launchView(session: SessionRecord): Promise<LaunchView>;
  readonly form: (req: Request, res: Response, next: (error?: unknown) => void) => void;
}

const q = (id: string) => `session=${encodeURIComponent(id)}`;

/** The course landing page's HTML for a resource-link session (also what the launch itself shows). */
export async function renderCourseHome(lti: LtiServices, deps: CourseDeps, session: SessionRecord, view: LaunchView): Promise<string> {
  const course = requireCourse(session);
  const problems: string[] = [];
  const definitions = await deps.issuance.store.definitions.listInContext(course);
  if (canManageCredentials(course)) {
    const pages = [];
    for (const record of definitions) {
      let roster: RosterEntry[] = [];
      if (record.binding.lineItemId) {
        try {
          const membershipsUrl = stringClaim(objectClaim(session.launch, CLAIM.nrpsService), 'context_memberships_url');
          const cohort = await deps.readCohort(record, membershipsUrl ? { membershipsUrl } : {});
          const scores = new Map(cohort.results.map((r) => [r.userId, r]));
          roster = cohort.members.filter((m) => m.userId !== session.userId).map((m) => ({ userId: m.userId, name: m.name, resultScore: scores.get(m.userId)?.resultScore ?? null, resultMaximum: scores.get(m.userId)?.resultMaximum ?? null }));
        } catch (error) {
          problems.push(`Scores and names could not be read from the platform just now: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      const progress = await instructorProgress(progressDeps(deps), course, record.id, roster);
      pages.push({
        view: progress,
        csrfToken: session.csrfToken,
        sessionId: session.id,
        actions: { revoke: `/lti/credentials/revoke?${q(session.id)}`, reissue: `/lti/credentials/reissue?${q(session.id)}`, csv: `/lti/definitions/${encodeURIComponent(record.id)}/progress.csv?${q(session.id)}` },
      });
    }
    return courseHomePage(view, { kind: 'instructor', sessionId: session.id, definitions: pages, newDefinitionUrl: `/lti/definitions/new?${q(session.id)}`, problems });
  }
  const scores = new Map<string, ScoreResult>();
  try {
    const { client } = await lti.ags(session);
    for (const record of definitions) {
      if (!record.published || !record.binding.lineItemId || record.passRule?.kind !== 'min-score') continue;
      const [mine] = await client.results(record.binding.lineItemId, session.userId);
      if (mine) scores.set(record.id, { resultScore: mine.resultScore ?? null, resultMaximum: mine.resultMaximum ?? null });
    }
  } catch {
    problems.push('Your current scores could not be read from the platform just now.');
  }
  const learnerView = await learnerCredentials(deps.issuance, course, scores);
  return courseHomePage(view, { kind: 'learner', page: { view: learnerView, hideAction: `/lti/credentials/hide?${q(session.id)}`, csrfToken: session.csrfToken, sessionId: session.id }, problems });
}

export function mountCourseRoutes(router: Router, lti: LtiServices, deps: CourseDeps, h: LtiRouteHelpers): void {
  const home = (session: SessionRecord) => `/lti/home?${q(session.id)}`;
  /** Session from the form body or the action URL, then the CSRF token from the body. */
  const guarded = async (req: Request): Promise<{ session: SessionRecord; course: CourseSession; body: Record<string, unknown> }> => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const session = await h.requireSession(typeof body.session === 'string' ? body.session : req.query.session);
    h.checkCsrf(session, typeof body.csrf === 'string' ? body.csrf : undefined);
    return { session, course: requireCourse(session), body };
  };
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const outcomePage = async (res: Response, session: SessionRecord, outcome: { ok: boolean; message?: string }) => {
    if (outcome.ok) return void res.redirect(303, home(session));
    await h.sendPage(res, await renderCourseHome(lti, deps, session, await h.launchView(session)).then((html) => html.replace('<main>', `<main><p class="card error" role="alert">${escapeHtml(outcome.message ?? '')}</p>`)), 400);
  };

  router.post('/lti/credentials/revoke', h.form, h.handle(async (req, res) => {
    const { session, course, body } = await guarded(req);
    await outcomePage(res, session, await accessChecked(() => instructorRevoke(deps.issuance, course, str(body.credentialId), str(body.reason))));
  }));
  router.post('/lti/credentials/reissue', h.form, h.handle(async (req, res) => {
    const { session, course, body } = await guarded(req);
    await outcomePage(res, session, await accessChecked(() => instructorReissue(deps.issuance, course, str(body.credentialId), str(body.reason) || undefined)));
  }));
  router.post('/lti/credentials/hide', h.form, h.handle(async (req, res) => {
    const { session, course, body } = await guarded(req);
    await outcomePage(res, session, await learnerSetHidden(deps.issuance, course, str(body.credentialId), str(body.hidden) === 'true'));
  }));
  router.get('/lti/definitions/:id/progress.csv', h.handle(async (req, res) => {
    const session = await h.requireSession(req.query.session);
    const view = await accessChecked(() => instructorProgress(progressDeps(deps), requireCourse(session), String(req.params.id)));
    res.set('Content-Type', 'text/csv; charset=utf-8').set('Cache-Control', 'no-store').set('Content-Disposition', 'attachment; filename="micro-credential-progress.csv"').send(progressCsv(view));
  }));

  // The definition form: new / edit (plain save) and from a deep-linking session (save, then answer the platform).
  const formPage = async (res: Response, session: SessionRecord, fields: FormFields, action: string, problems: readonly { element: string; message: string }[] = [], status = 200) => {
    const course = requireCourse(session);
    if (!canManageCredentials(course)) throw new LtiError('LTI_ROLES_MISSING', 'Only the course’s instructors can define micro-credentials.', 'Ask an instructor of this course.', 403);
    const stackCandidates = (await deps.issuance.store.definitions.listInContext(course)).filter((d) => d.published).map((d) => ({ id: d.id, title: titleOf(d.definition) }));
    const lmsChoice = await lmsChoiceFor(deps.lms, session.platformId, session.launch);
    await h.sendPage(res, renderDefinitionFormPage({ fields, problems, action, stackCandidates, lmsChoice, csrfToken: session.csrfToken, sessionId: session.id, publishOnly: session.messageType === 'LtiDeepLinkingRequest' }), status);
  };
  const sessionLmsCourse = async (session: SessionRecord) => {
    const lmsCourse = await lmsCourseOf(deps.lms, session.platformId, session.launch);
    return lmsCourse && 'source' in lmsCourse ? { lmsCourse } : {};
  };
  router.get('/lti/definitions/new', h.handle(async (req, res) => {
    const session = await h.requireSession(req.query.session);
    await formPage(res, session, {}, `/lti/definitions?${q(session.id)}`);
  }));
  router.get('/lti/deep-link/definition', h.handle(async (req, res) => {
    const session = await h.requireSession(req.query.session);
    if (session.messageType !== 'LtiDeepLinkingRequest') throw new LtiError('LTI_DEEP_LINK_INVALID', 'This page was not opened to add content to the course.');
    await formPage(res, session, { 'rule.kind': 'min-score', 'rule.minScore': '50', 'rule.scoreMaximum': '100' }, `/lti/deep-link/definition?${q(session.id)}`);
  }));
  router.get('/lti/definitions/:id/edit', h.handle(async (req, res) => {
    const session = await h.requireSession(req.query.session);
    const record = await deps.issuance.store.definitions.get(String(req.params.id));
    const course = requireCourse(session);
    if (!record || record.binding.contextId !== course.contextId || record.binding.platformId !== course.platformId || record.binding.deploymentId !== course.deploymentId) throw new LtiError('LTI_ROLES_MISSING', 'This micro-credential does not belong to this course.', undefined, 404);
    await formPage(res, session, formFromDefinition(record), `/lti/definitions?${q(session.id)}&id=${encodeURIComponent(record.id)}`);
  }));
  router.post('/lti/definitions', ...definitionFormBody, h.handle(async (req, res) => {
    const { session, course, body } = await guarded(req);
    const id = typeof req.query.id === 'string' ? req.query.id : undefined;
    const fields = body as FormFields;
    const action = `/lti/definitions?${q(session.id)}${id ? `&id=${encodeURIComponent(id)}` : ''}`;
    const imageProblem = imageProblemOf(res);
    if (imageProblem) return formPage(res, session, fields, action, [{ element: 'image', message: imageProblem }], 400);
    const lmsCourse = await sessionLmsCourse(session);
    const saved = await accessChecked(() => saveDefinitionFromForm(deps.issuance, course, fields, { ...(id ? { id } : {}), ...lmsCourse, publish: str(body.action) === 'publish' }));
    if (!saved.ok) return formPage(res, session, fields, action, saved.problems, 400);
    res.redirect(303, home(session));
  }));
  router.post('/lti/deep-link/definition', ...definitionFormBody, h.handle(async (req, res) => {
    const { session, course, body } = await guarded(req);
    if (session.messageType !== 'LtiDeepLinkingRequest') throw new LtiError('LTI_DEEP_LINK_INVALID', 'This page was not opened to add content to the course.');
    const fields = body as FormFields;
    const action = `/lti/deep-link/definition?${q(session.id)}`;
    const imageProblem = imageProblemOf(res);
    if (imageProblem) return formPage(res, session, fields, action, [{ element: 'image', message: imageProblem }], 400);
    // A deep-linked activity is what learners launch: it is published (refused with the missing element named) or not placed at all.
    const lmsCourse = await sessionLmsCourse(session);
    const saved = await accessChecked(() => saveDefinitionFromForm(deps.issuance, course, fields, { ...lmsCourse, publish: true }));
    if (!saved.ok) return formPage(res, session, fields, action, saved.problems, 400);
    const record = saved.record;
    const platform = await lti.store.ltiPlatforms.byId(session.platformId);
    if (!platform) throw new LtiError('LTI_PLATFORM_UNKNOWN', 'The platform registration of this session was removed.');
    const title = titleOf(record.definition).slice(0, 200);
    const scoreMaximum = record.passRule?.kind === 'min-score' ? record.passRule.scoreMaximum : 100;
    const response = await buildDeepLinkingResponse(session, platform, [{ title, lineItem: { scoreMaximum, label: title, resourceId: record.id, tag: 'microcred' }, custom: { definition_id: record.id } }], { toolKeys: lti.toolKeys, now: lti.now, targetLinkUri: toolUrls(lti.settings.publicUrl).launch });
    if (record.passRule?.kind === 'min-score') await queueSyncAfterDeepLink(deps.issuance, session, record.id, lti.now());
    await h.sendPage(res, autoPostPage({ action: response.returnUrl, jwt: response.jwt }), 200, [new URL(response.returnUrl).origin]);
  }));
}

/** What the progress view reads besides the issuance store: the AGS sync jobs and the LMS watch outcomes. */
function progressDeps(deps: CourseDeps) {
  return { ...deps.issuance, jobs: deps.issuance.store.jobs, ...(deps.lmsWatchOutcomes ? { lmsWatchOutcomes: deps.lmsWatchOutcomes } : {}) };
}

function requireCourse(session: SessionRecord): CourseSession {
  const course = courseSessionOf(session);
  if (!course) throw new LtiError('LTI_CLAIM_MISSING', 'This launch did not come from a course, so there are no micro-credentials to show.', 'Open the tool from inside a course.', 400);
  return course;
}

/** Access refusals become the LTI error page (403) instead of a 500. */
async function accessChecked<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CourseAccessError) throw new LtiError('LTI_ROLES_MISSING', error.message, 'Open the tool from the course this micro-credential belongs to, with an instructor role.', 403);
    throw error;
  }
}

function titleOf(definition: Record<string, unknown>): string {
  const title = definition.title as Record<string, string> | undefined;
  const lang = typeof definition.defaultLanguage === 'string' ? definition.defaultLanguage : 'en';
  return title?.[lang] ?? Object.values(title ?? {})[0] ?? 'Micro-credential';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
