/**
 * `sim.canvas`: what a test does as a Canvas teacher, learner or admin — build modules with
 * completion requirements, meet requirements, add assignments and grade them, issue and revoke
 * access tokens, register developer API keys, sign in the approving admin, tune the rate limit,
 * make the next calls fail — and what it can read back (module state, the API request log).
 */
import { issueAccessToken } from './canvas-oauth-routes.ts';
import { canvasRestRoutes, submissionOf } from './canvas-rest-routes.ts';
import { canvasOAuthRoutes } from './canvas-oauth-routes.ts';
import { CanvasState, moduleProgress, type ApiLogEntry, type CanvasArea, type CanvasModuleItem, type ModuleItemType, type ModuleState, type RequirementType, type ThrottleSettings } from './canvas-model.ts';
import type { SimContext } from './context.ts';
import { randomToken } from './flavours.ts';
import { SimError } from './model.ts';
import express from 'express';

/** The url:GET|… scopes of the endpoints the simulator serves (what a developer key with "Enforce Scopes" lists). */
export const CANVAS_SCOPES = {
  self: 'url:GET|/api/v1/users/:id',
  modules: 'url:GET|/api/v1/courses/:course_id/modules',
  assignments: 'url:GET|/api/v1/courses/:course_id/assignments',
  users: 'url:GET|/api/v1/courses/:course_id/users',
  submissions: 'url:GET|/api/v1/courses/:course_id/students/submissions',
} as const;

export interface ModuleItemInput {
  readonly title: string;
  readonly type?: ModuleItemType;
  /** For type Assignment: the assignment behind the item (its scores meet must_submit / min_score). */
  readonly assignmentId?: string;
  readonly requirement?: { readonly type: RequirementType; readonly minScore?: number };
}

export interface CanvasSim {
  addModule(courseId: string, module: { name: string; requirementCount?: 1; prerequisiteModuleIds?: string[]; items?: ModuleItemInput[] }): { id: string; items: { id: string; title: string }[] };
  /** The learner meets (or, with false, no longer meets) the item's completion requirement. */
  completeRequirement(itemId: string, userId: string, met?: boolean): void;
  moduleState(moduleId: string, userId: string): { state: ModuleState; completedAt: string | null };
  addAssignment(courseId: string, assignment: { name: string; pointsPossible: number }): { id: string };
  /** The learner submits (must_submit requirements of items pointing at the assignment are met). */
  submit(assignmentId: string, userId: string): void;
  /** A teacher grades (null removes the grade); `excused` excuses instead. Meets min_score requirements the score reaches. */
  setScore(assignmentId: string, userId: string, score: number | null, options?: { excused?: boolean }): void;
  /** A personal access token of the user (Account → Settings → New access token). */
  issueToken(userId: string, options?: { scopes?: string[]; expiresInSeconds?: number }): string;
  /** Deletes an access token (or the OAuth2 grant of a refresh token, its access token included). */
  revokeToken(token: string): void;
  addAccountAdmin(userId: string): void;
  /** The user's role lacks the permission to read this area anywhere (answers 401 "user not authorized…"). */
  denyPermission(userId: string, area: CanvasArea): void;
  /** Admin → Developer Keys → + API Key; `scopes` given = Enforce Scopes on with these. */
  registerDeveloperKey(key: { redirectUris: string[]; scopes?: string[] }): { clientId: string; clientSecret: string };
  /** Who is signed in to Canvas in the admin's browser (approves OAuth2 requests). */
  signIn(userId: string): void;
  /** Approve OAuth2 requests without the confirm page. */
  autoApprove(on: boolean): void;
  throttle(settings: Partial<ThrottleSettings>): void;
  /** Sets what is left of the token's rate-limit quota now. */
  setRemaining(token: string, remaining: number): void;
  /** The next `count` API requests answer 503. */
  failNext(count: number): void;
  /** Every /api/v1 request answered, oldest first. */
  apiLog(): readonly ApiLogEntry[];
}

export function createCanvasSim(ctx: SimContext): { api: CanvasSim; routes: express.Router } {
  const canvas = new CanvasState();
  const routes = express.Router();
  routes.use(canvasOAuthRoutes(ctx, canvas));
  routes.use(canvasRestRoutes(ctx, canvas));
  const nextId = () => String(ctx.state.next() + 1);
  const course = (courseId: string) => {
    if (!ctx.state.courses.has(courseId)) throw new SimError('SIM_UNKNOWN_COURSE', `No course ${courseId}.`);
  };
  const user = (userId: string) => {
    if (!ctx.state.users.has(userId)) throw new SimError('SIM_UNKNOWN_USER', `No user ${userId}.`);
  };
  const itemsOf = (assignmentId: string): CanvasModuleItem[] => [...canvas.modules.values()].flatMap((m) => m.items.filter((i) => i.contentId === assignmentId));
  const setMet = (item: CanvasModuleItem, userId: string, met: boolean) => {
    let byUser = canvas.requirementsMet.get(item.id);
    if (!byUser) canvas.requirementsMet.set(item.id, (byUser = new Map()));
    if (!met) byUser.delete(userId);
    else if (!byUser.has(userId)) byUser.set(userId, ctx.now());
  };
  const assignmentOf = (assignmentId: string) => {
    const assignment = canvas.assignments.get(assignmentId);
    if (!assignment) throw new SimError('SIM_UNKNOWN_ACTIVITY', `No assignment ${assignmentId}.`);
    return assignment;
  };

  const api: CanvasSim = {
    addModule(courseId, input) {
      course(courseId);
      const id = nextId();
      const items = (input.items ?? []).map((item): CanvasModuleItem => {
        if (item.assignmentId !== undefined) assignmentOf(item.assignmentId);
        if (item.requirement?.type === 'min_score' && !(typeof item.requirement.minScore === 'number' && item.requirement.minScore >= 0)) throw new SimError('SIM_BAD_INPUT', 'A min_score requirement needs minScore.');
        return { id: nextId(), moduleId: id, title: item.title, type: item.type ?? (item.assignmentId ? 'Assignment' : 'Page'), contentId: item.assignmentId, requirement: item.requirement };
      });
      const position = [...canvas.modules.values()].filter((m) => m.courseId === courseId).length + 1;
      canvas.modules.set(id, { id, courseId, name: input.name, position, requirementCount: input.requirementCount, prerequisiteModuleIds: input.prerequisiteModuleIds ?? [], items });
      return { id, items: items.map((i) => ({ id: i.id, title: i.title })) };
    },
    completeRequirement(itemId, userId, met = true) {
      user(userId);
      const item = [...canvas.modules.values()].flatMap((m) => m.items).find((i) => i.id === itemId);
      if (!item?.requirement) throw new SimError('SIM_BAD_INPUT', `Module item ${itemId} has no completion requirement.`);
      setMet(item, userId, met);
    },
    moduleState(moduleId, userId) {
      const module = canvas.modules.get(moduleId);
      if (!module) throw new SimError('SIM_BAD_INPUT', `No module ${moduleId}.`);
      const progress = moduleProgress(canvas, module, userId);
      return { state: progress.state, completedAt: progress.completedAt !== undefined ? new Date(progress.completedAt).toISOString() : null };
    },
    addAssignment(courseId, input) {
      course(courseId);
      if (!(input.pointsPossible >= 0)) throw new SimError('SIM_BAD_INPUT', 'pointsPossible must be 0 or more.');
      const id = nextId();
      canvas.assignments.set(id, { id, courseId, name: input.name, pointsPossible: input.pointsPossible });
      return { id };
    },
    submit(assignmentId, userId) {
      assignmentOf(assignmentId);
      user(userId);
      submissionOf(canvas, assignmentId, userId).submittedAt ??= new Date(ctx.now()).toISOString();
      for (const item of itemsOf(assignmentId)) if (item.requirement?.type === 'must_submit') setMet(item, userId, true);
    },
    setScore(assignmentId, userId, score, options = {}) {
      assignmentOf(assignmentId);
      user(userId);
      const submission = submissionOf(canvas, assignmentId, userId);
      submission.excused = options.excused ?? false;
      submission.score = submission.excused ? null : score;
      submission.gradedAt = score === null && !submission.excused ? null : new Date(ctx.now()).toISOString();
      for (const item of itemsOf(assignmentId)) {
        if (item.requirement?.type === 'min_score') setMet(item, userId, submission.score !== null && submission.score >= (item.requirement.minScore ?? 0));
        if (item.requirement?.type === 'must_submit' && (submission.score !== null || submission.excused)) setMet(item, userId, true);
      }
    },
    issueToken(userId, options = {}) {
      user(userId);
      return issueAccessToken(ctx, canvas, { userId, scopes: options.scopes, lifetimeSeconds: options.expiresInSeconds });
    },
    revokeToken(token) {
      const grant = canvas.refreshTokens.get(token);
      if (grant) {
        canvas.refreshTokens.delete(token);
        token = grant.accessToken;
      }
      const access = canvas.tokens.get(token);
      if (!access) throw new SimError('SIM_BAD_INPUT', 'No such token.');
      access.revoked = true;
      for (const [refresh, g] of canvas.refreshTokens) if (g.accessToken === token) canvas.refreshTokens.delete(refresh);
    },
    addAccountAdmin(userId) {
      user(userId);
      canvas.accountAdmins.add(userId);
    },
    denyPermission(userId, area) {
      user(userId);
      let denied = canvas.deniedAreas.get(userId);
      if (!denied) canvas.deniedAreas.set(userId, (denied = new Set()));
      denied.add(area);
    },
    registerDeveloperKey(key) {
      if (key.redirectUris.length === 0) throw new SimError('SIM_BAD_INPUT', 'A developer key needs a redirect URI.');
      // Canvas developer key ids are global ids (shard × 10^13 + local id).
      const clientId = String(BigInt(ctx.state.shard) * 10n ** 13n + BigInt(ctx.state.next()));
      const clientSecret = randomToken(48).replace(/[-_]/g, 'x').slice(0, 64);
      canvas.developerKeys.set(clientId, { clientId, secret: clientSecret, redirectUris: [...key.redirectUris], scopes: key.scopes ? [...key.scopes] : undefined });
      return { clientId, clientSecret };
    },
    signIn(userId) {
      user(userId);
      canvas.signedIn = userId;
    },
    autoApprove(on) {
      canvas.autoApprove = on;
    },
    throttle(settings) {
      Object.assign(canvas.throttle, settings);
    },
    setRemaining(token, remaining) {
      canvas.buckets.set(token, { level: Math.max(0, canvas.throttle.capacity - remaining), at: ctx.now() });
    },
    failNext(count) {
      canvas.failNext = count;
    },
    apiLog: () => [...canvas.log],
  };
  return { api, routes };
}
