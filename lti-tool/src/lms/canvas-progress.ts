/**
 * Learners' progress read from the Canvas REST API: per learner, the course's modules with
 * `student_id` (module `state`, items' `completion_requirement.completed`), with bounded
 * concurrency; grades from one paged students/submissions call per course for the assignments
 * the rules name, against the assignments' points_possible.
 */
import type { CanvasApi } from './canvas-api.ts';
import { CANVAS_API_SCOPES } from './canvas-scopes.ts';
import { mapLimit } from './lms-http.ts';
import type { LearnerGrade, LearnerProgress, LmsLearner, ProgressNeeds } from './lms-source.ts';

export interface CanvasModuleJson {
  readonly id: number | string;
  readonly name?: string;
  readonly state?: 'locked' | 'unlocked' | 'started' | 'completed';
  readonly items?: readonly CanvasItemJson[];
}

export interface CanvasItemJson {
  readonly id: number | string;
  readonly title?: string;
  readonly type?: string;
  readonly completion_requirement?: { readonly type?: string; readonly min_score?: number; readonly completed?: boolean } | null;
}

interface SubmissionJson {
  readonly user_id: number | string;
  readonly assignment_id: number | string;
  readonly score: number | null;
  readonly excused?: boolean | null;
}

interface AssignmentJson {
  readonly id: number | string;
  readonly name?: string;
  readonly points_possible?: number | null;
}

export async function readProgress(api: CanvasApi, courseId: string, learners: readonly LmsLearner[], needs: ProgressNeeds, concurrency: number): Promise<Map<string, LearnerProgress>> {
  const course = encodeURIComponent(courseId);
  const grades = needs.gradeItemIds.length > 0 ? await readGrades(api, course, learners, needs.gradeItemIds) : new Map<string, Map<string, LearnerGrade>>();
  const modulesNeeded = needs.activities || needs.modules;
  const perLearner = await mapLimit(learners, concurrency, async (learner) => {
    const modules = modulesNeeded
      ? await api.getAll<CanvasModuleJson>(`/courses/${course}/modules`, [['include[]', 'items'], ['student_id', learner.lmsUserId]], CANVAS_API_SCOPES.modules)
      : [];
    return [learner.lmsUserId, progressOf(modules, grades.get(learner.lmsUserId))] as const;
  });
  return new Map(perLearner);
}

function progressOf(modules: readonly CanvasModuleJson[], grades: ReadonlyMap<string, LearnerGrade> | undefined): LearnerProgress {
  const completedActivities = new Set<string>();
  const completedModules = new Set<string>();
  const modulesWithAllRequirements = new Set<string>();
  for (const module of modules) {
    const id = String(module.id);
    if (module.state === 'completed') completedModules.add(id);
    const required = (module.items ?? []).filter((item) => item.completion_requirement);
    for (const item of required) if (item.completion_requirement?.completed === true) completedActivities.add(String(item.id));
    // Unlike `state` (requirement_count 1 completes a module on any one requirement), every requirement must be met.
    if (required.every((item) => item.completion_requirement?.completed === true)) modulesWithAllRequirements.add(id);
  }
  return { completedActivities, completedModules, modulesWithAllRequirements, grades: grades ?? new Map() };
}

async function readGrades(api: CanvasApi, course: string, learners: readonly LmsLearner[], assignmentIds: readonly string[]): Promise<Map<string, Map<string, LearnerGrade>>> {
  const only = assignmentIds.map((id) => ['assignment_ids[]', id] as const);
  const assignments = await api.getAll<AssignmentJson>(`/courses/${course}/assignments`, only, CANVAS_API_SCOPES.assignments);
  const maximum = new Map(assignments.map((a) => [String(a.id), a.points_possible ?? 0]));
  const submissions = await api.getAll<SubmissionJson>(`/courses/${course}/students/submissions`, [['student_ids[]', 'all'], ...only], CANVAS_API_SCOPES.submissions);
  const wanted = new Set(learners.map((l) => l.lmsUserId));
  const byLearner = new Map<string, Map<string, LearnerGrade>>();
  for (const submission of submissions) {
    const userId = String(submission.user_id);
    const assignmentId = String(submission.assignment_id);
    const max = maximum.get(assignmentId);
    // No score yet, or excused: no grade (an excused learner has not reached a minimum).
    if (!wanted.has(userId) || max === undefined || submission.excused || typeof submission.score !== 'number' || !Number.isFinite(submission.score)) continue;
    let grades = byLearner.get(userId);
    if (!grades) byLearner.set(userId, (grades = new Map()));
    grades.set(assignmentId, { score: submission.score, maximum: max });
  }
  return byLearner;
}
