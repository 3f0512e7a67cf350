/**
 * LmsSource over the Canvas REST API (/api/v1): the token's user (users/self) and which API areas
 * its developer-key scopes allow, a course's modules and assignments for the instructor's picker,
 * its students, and their progress (canvas-progress.ts). Canvas ids are not LTI ids: learners carry
 * no ltiUserId; the watcher maps them through launches and NRPS (lms-identity).
 */
import { createCanvasApi, type CanvasApiOptions } from './canvas-api.ts';
import { readProgress, type CanvasModuleJson } from './canvas-progress.ts';
import { CANVAS_API_SCOPES } from './canvas-scopes.ts';
import { LMS_DEFAULTS } from './lms-http.ts';
import { LmsError, type ConnectionCheck, type CourseOutline, type LmsHttpOptions, type LmsLearner, type LmsSource } from './lms-source.ts';

export interface CanvasSourceOptions {
  readonly baseUrl: string;
  /** The current access token; called before every request so an OAuth2 refresh can happen underneath. */
  readonly accessToken: () => Promise<string>;
  readonly http?: LmsHttpOptions | undefined;
  readonly maxPages?: CanvasApiOptions['maxPages'];
  readonly rateLimit?: CanvasApiOptions['rateLimit'];
}

interface UserJson {
  readonly id: number | string;
  readonly name?: string;
  readonly sortable_name?: string;
  readonly email?: string | null;
}

/**
 * Course-level areas probed on check without a course: Canvas checks developer-key scopes before
 * it looks the course up, so course 0 answers 404 when the scope is allowed and 401 "Insufficient
 * scopes" when not. Permissions are per course and show at the first watch of a course.
 */
const PROBED = [
  ['modules', CANVAS_API_SCOPES.modules],
  ['assignments', CANVAS_API_SCOPES.assignments],
  ['users', CANVAS_API_SCOPES.users],
  ['students/submissions', CANVAS_API_SCOPES.submissions],
] as const;

export function createCanvasSource(options: CanvasSourceOptions): LmsSource {
  const api = createCanvasApi(options);
  const concurrency = options.http?.concurrency ?? LMS_DEFAULTS.concurrency;

  return {
    kind: 'canvas',
    async check(): Promise<ConnectionCheck> {
      try {
        const self = await api.get<UserJson>('/users/self', [], CANVAS_API_SCOPES.self);
        const actingAs = self.name ?? String(self.id);
        const missing: string[] = [];
        for (const [route, scope] of PROBED) {
          try {
            await api.get(`/courses/0/${route}`, [], scope);
          } catch (error) {
            if (error instanceof LmsError && error.code === 'LMS_FUNCTION_NOT_ALLOWED') missing.push(scope);
            else if (!(error instanceof LmsError && error.code === 'LMS_NOT_FOUND')) throw error;
          }
        }
        return missing.length === 0
          ? { ok: true, actingAs, missing, message: `Connected to Canvas as ${actingAs}. Permissions are checked per course at the first watch.` }
          : { ok: false, actingAs, missing, message: `Connected to Canvas as ${actingAs}, but the developer key does not allow: ${missing.join(', ')}.` };
      } catch (error) {
        if (error instanceof LmsError) return { ok: false, missing: error.details.missing ?? [], message: error.message };
        throw error;
      }
    },

    async outline(courseId): Promise<CourseOutline> {
      const course = encodeURIComponent(courseId);
      const modules = await api.getAll<CanvasModuleJson>(`/courses/${course}/modules`, [['include[]', 'items']], CANVAS_API_SCOPES.modules);
      const assignments = await api.getAll<{ id: number | string; name?: string; points_possible?: number | null }>(`/courses/${course}/assignments`, [], CANVAS_API_SCOPES.assignments);
      return {
        courseId,
        modules: modules.map((module) => ({
          id: String(module.id),
          name: module.name ?? `Module ${module.id}`,
          activities: (module.items ?? [])
            .filter((item) => item.type !== 'SubHeader')
            .map((item) => ({ id: String(item.id), name: item.title ?? `Item ${item.id}`, type: item.type ?? 'Item', tracked: Boolean(item.completion_requirement) })),
        })),
        // An assignment worth no points cannot carry a minimum grade.
        gradeItems: assignments
          .filter((a) => typeof a.points_possible === 'number' && a.points_possible > 0)
          .map((a) => ({ id: String(a.id), name: a.name ?? `Assignment ${a.id}`, maximum: a.points_possible as number })),
        courseCompletion: false,
      };
    },

    async learners(courseId): Promise<readonly LmsLearner[]> {
      const users = await api.getAll<UserJson>(
        `/courses/${encodeURIComponent(courseId)}/users`,
        [
          ['enrollment_type[]', 'student'],
          ['include[]', 'email'],
        ],
        CANVAS_API_SCOPES.users,
      );
      const byId = new Map<string, LmsLearner>();
      for (const user of users) {
        const id = String(user.id);
        if (!byId.has(id)) byId.set(id, { lmsUserId: id, ltiUserId: undefined, name: user.name ?? user.sortable_name ?? id, email: user.email ?? undefined });
      }
      return [...byId.values()];
    },

    progress: (courseId, learners, needs) => readProgress(api, courseId, learners, needs, concurrency),
  };
}
