/**
 * The Canvas REST API endpoints the completion watcher reads, answered as canvas-lms answers them
 * (doc/api: Users, Modules, Assignments, Courses#users, Submissions#for_students): numeric ids as
 * JSON numbers, per-student module `state` / `completed_at` and item `completion_requirement.completed`
 * with `student_id`, submissions with score / grade / workflow_state / excused.
 */
import express, { type Request, type Response } from 'express';
import { canvasGate, canvasPage, listParam, mayRead, notFound, requireScope, unauthorized, userJson, type CanvasRequest } from './canvas-api-access.ts';
import { canvasId, modulesOf, moduleProgress, requirementMetAt, type CanvasArea, type CanvasModule, type CanvasState, type CanvasSubmission } from './canvas-model.ts';
import type { SimContext } from './context.ts';
import type { CourseRole, SimCourse } from './model.ts';

const ENROLMENT_TYPE: Record<CourseRole, string> = { Learner: 'student', Instructor: 'teacher', Administrator: 'teacher' };

export function canvasRestRoutes(ctx: SimContext, canvas: CanvasState): express.Router {
  const router = express.Router();
  router.use('/api/v1', canvasGate(ctx, canvas));

  /** Scope, course lookup (404) and permission (401), in Canvas's order; the course when all pass. */
  const courseFor = (req: Request, res: Response, route: string, area: CanvasArea): { course: SimCourse; request: CanvasRequest } | undefined => {
    const request = requireScope(res, `url:GET|/api/v1/courses/:course_id/${route}`);
    if (!request) return undefined;
    const course = ctx.state.courses.get(String(req.params.courseId));
    if (!course) {
      notFound(res);
      return undefined;
    }
    if (!mayRead(ctx, canvas, request.token.userId, course.id, area)) {
      unauthorized(res);
      return undefined;
    }
    return { course, request };
  };
  const studentsOf = (courseId: string) =>
    [...(ctx.state.enrolments.get(courseId) ?? new Map<string, CourseRole>()).entries()].filter(([, role]) => role === 'Learner').map(([userId]) => userId);

  router.get('/api/v1/users/self', (_req, res) => {
    const request = requireScope(res, 'url:GET|/api/v1/users/:id');
    if (!request) return;
    const user = ctx.state.users.get(request.token.userId);
    if (!user) return notFound(res);
    res.json({ ...userJson(user, false), avatar_url: `${ctx.baseUrl()}/images/messages/avatar-50.png`, locale: null, effective_locale: 'en' });
  });

  router.get('/api/v1/courses/:courseId/modules', (req, res) => {
    const found = courseFor(req, res, 'modules', 'modules');
    if (!found) return;
    const studentId = found.request.query.get('student_id') ?? undefined;
    if (studentId !== undefined && !studentsOf(found.course.id).includes(studentId)) return notFound(res);
    const withItems = listParam(res, 'include').includes('items');
    const page = canvasPage(ctx, req, res, modulesOf(canvas, found.course.id));
    res.json(page.map((module) => moduleJson(ctx, canvas, module, studentId, withItems)));
  });

  router.get('/api/v1/courses/:courseId/assignments', (req, res) => {
    const found = courseFor(req, res, 'assignments', 'assignments');
    if (!found) return;
    const only = listParam(res, 'assignment_ids');
    const assignments = [...canvas.assignments.values()].filter((a) => a.courseId === found.course.id && (only.length === 0 || only.includes(a.id)));
    res.json(
      canvasPage(ctx, req, res, assignments).map((a, index) => ({
        id: canvasId(a.id),
        name: a.name,
        description: null,
        points_possible: a.pointsPossible,
        grading_type: 'points',
        course_id: canvasId(a.courseId),
        position: index + 1,
        due_at: null,
        published: true,
        submission_types: ['online_upload'],
        html_url: `${ctx.baseUrl()}/courses/${a.courseId}/assignments/${a.id}`,
      })),
    );
  });

  router.get('/api/v1/courses/:courseId/users', (req, res) => {
    const found = courseFor(req, res, 'users', 'users');
    if (!found) return;
    const types = listParam(res, 'enrollment_type');
    const withEmail = listParam(res, 'include').includes('email');
    const members = [...(ctx.state.enrolments.get(found.course.id) ?? new Map<string, CourseRole>()).entries()]
      .filter(([, role]) => types.length === 0 || types.includes(ENROLMENT_TYPE[role]))
      .map(([userId]) => ctx.state.users.get(userId)!)
      .sort((a, b) => userJson(a, false).sortable_name!.toString().localeCompare(userJson(b, false).sortable_name!.toString()));
    res.json(canvasPage(ctx, req, res, members).map((user) => userJson(user, withEmail)));
  });

  router.get('/api/v1/courses/:courseId/students/submissions', (req, res) => {
    const found = courseFor(req, res, 'students/submissions', 'submissions');
    if (!found) return;
    const students = studentsOf(found.course.id);
    const asked = listParam(res, 'student_ids');
    // Canvas: without student_ids the caller's own submissions; "all" = every student of the course.
    const userIds = asked.length === 0 ? [found.request.token.userId] : asked.includes('all') ? students : asked.filter((id) => students.includes(id));
    const assignmentFilter = listParam(res, 'assignment_ids');
    const assignments = [...canvas.assignments.values()].filter((a) => a.courseId === found.course.id && (assignmentFilter.length === 0 || assignmentFilter.includes(a.id)));
    const rows = userIds.filter((id) => students.includes(id)).flatMap((userId) => assignments.map((a) => ({ userId, assignmentId: a.id, submission: submissionOf(canvas, a.id, userId) })));
    res.json(canvasPage(ctx, req, res, rows).map(({ userId, assignmentId, submission }) => submissionJson(submission, userId, assignmentId)));
  });
  return router;
}

function moduleJson(ctx: SimContext, canvas: CanvasState, module: CanvasModule, studentId: string | undefined, withItems: boolean): Record<string, unknown> {
  const progress = studentId !== undefined ? moduleProgress(canvas, module, studentId) : undefined;
  return {
    id: canvasId(module.id),
    workflow_state: 'active',
    position: module.position,
    name: module.name,
    unlock_at: null,
    require_sequential_progress: false,
    requirement_count: module.requirementCount ?? null,
    prerequisite_module_ids: module.prerequisiteModuleIds.map(canvasId),
    published: true,
    items_count: module.items.length,
    items_url: `${ctx.baseUrl()}/api/v1/courses/${module.courseId}/modules/${module.id}/items`,
    publish_final_grade: false,
    ...(progress ? { state: progress.state, completed_at: progress.completedAt !== undefined ? new Date(progress.completedAt).toISOString() : null } : {}),
    ...(withItems
      ? {
          items: module.items.map((item, index) => ({
            id: canvasId(item.id),
            title: item.title,
            position: index + 1,
            indent: 0,
            quiz_lti: false,
            type: item.type,
            module_id: canvasId(module.id),
            html_url: `${ctx.baseUrl()}/courses/${module.courseId}/modules/items/${item.id}`,
            ...(item.contentId ? { content_id: canvasId(item.contentId), url: `${ctx.baseUrl()}/api/v1/courses/${module.courseId}/assignments/${item.contentId}` } : {}),
            published: true,
            ...(item.requirement
              ? {
                  completion_requirement: {
                    type: item.requirement.type,
                    ...(item.requirement.minScore !== undefined ? { min_score: item.requirement.minScore } : {}),
                    ...(studentId !== undefined ? { completed: requirementMetAt(canvas, item, studentId) !== undefined } : {}),
                  },
                }
              : {}),
          })),
        }
      : {}),
  };
}

/** Canvas keeps a submission row for every student and assignment, "unsubmitted" until something happens. */
export function submissionOf(canvas: CanvasState, assignmentId: string, userId: string): CanvasSubmission {
  let byUser = canvas.submissions.get(assignmentId);
  if (!byUser) canvas.submissions.set(assignmentId, (byUser = new Map()));
  let submission = byUser.get(userId);
  if (!submission) byUser.set(userId, (submission = { id: String(90_000 + canvas.submissionSequence++), score: null, excused: false, submittedAt: null, gradedAt: null }));
  return submission;
}

function submissionJson(s: CanvasSubmission, userId: string, assignmentId: string): Record<string, unknown> {
  const graded = s.excused || s.score !== null;
  const grade = s.excused || s.score === null ? null : String(s.score);
  return {
    id: canvasId(s.id),
    user_id: canvasId(userId),
    assignment_id: canvasId(assignmentId),
    score: s.excused ? null : s.score,
    grade,
    entered_score: s.excused ? null : s.score,
    entered_grade: grade,
    excused: s.excused,
    workflow_state: graded ? 'graded' : s.submittedAt ? 'submitted' : 'unsubmitted',
    submitted_at: s.submittedAt,
    graded_at: s.gradedAt,
    attempt: s.submittedAt ? 1 : null,
    late: false,
    missing: false,
    grade_matches_current_submission: true,
    posted_at: s.gradedAt,
  };
}
