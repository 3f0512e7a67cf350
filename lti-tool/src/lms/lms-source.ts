/**
 * What the completion watcher needs from an LMS's own REST API, whichever LMS it is: the course
 * outline (for the instructor's picker), the enrolled learners, and each learner's progress.
 * moodle-source.ts implements it over Moodle web services (webservice/rest/server.php),
 * canvas-source.ts over the Canvas REST API (/api/v1). Errors are LmsError with a code the
 * instructor and admin pages explain; the watcher retries retryable ones with backoff.
 */
import type { HttpFetch } from '../lti/platform-http.ts';

export type LmsKind = 'moodle' | 'canvas';

/** One activity (Moodle course module, Canvas module item) as the instructor picks it. */
export interface OutlineActivity {
  readonly id: string;
  readonly name: string;
  /** Moodle modname (quiz, assign, …) or Canvas item type (Assignment, Quiz, Page, …). */
  readonly type: string;
  /** Whether the LMS tracks completion of it (Moodle completion enabled; Canvas: has a completion requirement). */
  readonly tracked: boolean;
}

/** A Moodle course section or a Canvas module. */
export interface OutlineModule {
  readonly id: string;
  readonly name: string;
  readonly activities: readonly OutlineActivity[];
}

/** Something with a grade: a Moodle grade item or a Canvas assignment. */
export interface OutlineGradeItem {
  readonly id: string;
  readonly name: string;
  /** The maximum grade (Moodle grademax, Canvas points_possible). */
  readonly maximum: number;
}

export interface CourseOutline {
  readonly courseId: string;
  readonly modules: readonly OutlineModule[];
  readonly gradeItems: readonly OutlineGradeItem[];
  /** Moodle: course completion is enabled for this course. Canvas has no course completion: false. */
  readonly courseCompletion: boolean;
}

export interface LmsLearner {
  /** The LMS's own user id (Moodle user id, Canvas user id). */
  readonly lmsUserId: string;
  /**
   * The LTI `sub` of this user when the LMS API itself tells it (Moodle: sub = user id, so always).
   * Canvas does not; the watcher maps Canvas ids to LTI ids from launches and NRPS (lms-identity).
   */
  readonly ltiUserId?: string | undefined;
  readonly name: string;
  readonly email?: string | undefined;
}

/** Which facts a watch cycle needs for a course, from the rules of the definitions placed in it. */
export interface ProgressNeeds {
  readonly activities: boolean;
  readonly modules: boolean;
  readonly course: boolean;
  /** Grade item / assignment ids whose grades are needed. */
  readonly gradeItemIds: readonly string[];
}

export interface LearnerGrade {
  readonly score: number;
  readonly maximum: number;
}

/** One learner's progress; only the parts the needs asked for are filled. */
export interface LearnerProgress {
  /** Activities (Moodle cmid, Canvas module item id) the LMS counts as complete (Moodle: complete or complete-pass). */
  readonly completedActivities: ReadonlySet<string>;
  /** Modules the LMS counts complete (Canvas module state "completed"; Moodle: every tracked activity of the section complete). */
  readonly completedModules: ReadonlySet<string>;
  /** Modules every one of whose completion requirements is met (Canvas: all items' completion_requirement.completed; Moodle: same as completedModules). */
  readonly modulesWithAllRequirements: ReadonlySet<string>;
  /** Course completion (Moodle core_completion_get_course_completion_status); undefined when not asked or not available. */
  readonly courseComplete?: boolean | undefined;
  readonly grades: ReadonlyMap<string, LearnerGrade>;
}

export type LmsErrorCode =
  /** The token or API key is not (or no longer) accepted. */
  | 'LMS_TOKEN_INVALID'
  /** The token works, but the web service / scope does not allow this function; `missing` names it. */
  | 'LMS_FUNCTION_NOT_ALLOWED'
  /** The token's user lacks a capability / permission on this course. */
  | 'LMS_NO_PERMISSION'
  /** Too many requests; retried after the LMS's own hint. */
  | 'LMS_RATE_LIMITED'
  /** Timeout, connection refused, 5xx. */
  | 'LMS_UNREACHABLE'
  /** The answer was not what the API documents (bad JSON, too large, wrong shape). */
  | 'LMS_BAD_RESPONSE'
  /** The course or item does not exist (any more). */
  | 'LMS_NOT_FOUND';

export class LmsError extends Error {
  override readonly name = 'LmsError';
  constructor(
    readonly code: LmsErrorCode,
    message: string,
    readonly details: { readonly missing?: readonly string[]; readonly retryAfterMs?: number; readonly status?: number } = {},
  ) {
    super(message);
  }

  /** Worth retrying in this cycle (after a pause) rather than failing the job at once. */
  get retryable(): boolean {
    return this.code === 'LMS_RATE_LIMITED' || this.code === 'LMS_UNREACHABLE';
  }
}

/** The outcome of testing a connection on save: who the token acts as and which required functions it lacks. */
export interface ConnectionCheck {
  readonly ok: boolean;
  /** Site name / account the token belongs to, for the admin page. */
  readonly actingAs?: string | undefined;
  /** Required functions (Moodle) or API areas (Canvas) the token cannot call. Empty when ok. */
  readonly missing: readonly string[];
  readonly message: string;
}

export interface LmsSource {
  readonly kind: LmsKind;
  check(): Promise<ConnectionCheck>;
  outline(courseId: string): Promise<CourseOutline>;
  /** Learners (students) enrolled in the course; teachers are left out. */
  learners(courseId: string): Promise<readonly LmsLearner[]>;
  /** Progress of these learners, with bounded concurrency; keyed by lmsUserId. */
  progress(courseId: string, learners: readonly LmsLearner[], needs: ProgressNeeds): Promise<ReadonlyMap<string, LearnerProgress>>;
}

/** Everything an LmsSource reads the network with; injected so tests and the bench can count requests. */
export interface LmsHttpOptions {
  readonly fetch?: HttpFetch;
  /** Per request, ms (default 15 000). */
  readonly timeoutMs?: number;
  /** Per response body, bytes (default 8 MB). */
  readonly maxBytes?: number;
  /** Parallel requests per source (default 8). */
  readonly concurrency?: number;
  /** Retries of a retryable error within one call (default 3), with backoff. */
  readonly retries?: number;
  /** Injected sleep for backoff (tests pass a fast one). */
  readonly sleep?: (ms: number) => Promise<void>;
}
