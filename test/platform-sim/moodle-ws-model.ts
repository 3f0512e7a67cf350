/**
 * The Moodle data behind the simulated web services (moodle flavour): course sections and course
 * modules with completion tracking, learners' activity completion, course completion criteria,
 * gradebook items with grades, and web-service tokens (service functions + the token user's
 * capabilities). Every lookup is keyed by course, module or token so a watch cycle over many
 * courses never scans the whole site.
 */

/** The functions of the external service the completion watcher needs (also the default of issueToken). */
export const MOODLE_WS_FUNCTIONS = [
  'core_webservice_get_site_info',
  'core_course_get_contents',
  'core_enrol_get_enrolled_users',
  'core_completion_get_activities_completion_status',
  'core_completion_get_course_completion_status',
  'gradereport_user_get_grade_items',
] as const;

/**
 * Capabilities the functions check, with the names Moodle prints in "Sorry, but you do not
 * currently have permissions to do that (<name>)." (lang/en/role.php and the plugins' lang files).
 */
export const MOODLE_CAPABILITY_NAMES = {
  'webservice/rest:use': 'Use REST protocol',
  'moodle/course:view': 'View courses without participation',
  'moodle/course:viewparticipants': 'View participants',
  'moodle/user:viewdetails': 'View user profiles',
  'moodle/site:viewuseridentity': 'See full user identity in lists',
  'report/progress:view': 'View activity completion reports',
  'report/completion:view': 'View course completion report',
  'gradereport/user:view': 'View your own grade report',
  'moodle/grade:viewall': 'View grades of other users',
} as const;

export type MoodleCapability = keyof typeof MOODLE_CAPABILITY_NAMES;

/** COMPLETION_TRACKING_NONE / MANUAL / AUTOMATIC. */
export type CompletionTracking = 0 | 1 | 2;
/** COMPLETION_INCOMPLETE / COMPLETE / COMPLETE_PASS / COMPLETE_FAIL. */
export type CompletionState = 0 | 1 | 2 | 3;

export interface MoodleSection {
  readonly id: string;
  readonly courseId: string;
  /** The section number (0 = the course's "General" section). */
  readonly number: number;
  readonly name: string;
  visible: boolean;
  readonly moduleIds: string[];
}

export interface MoodleModule {
  /** The course module id (cmid). */
  readonly id: string;
  readonly courseId: string;
  readonly sectionId: string;
  readonly name: string;
  readonly modname: string;
  /** The id in the module's own table (quiz.id, lti.id …). */
  readonly instance: number;
  completion: CompletionTracking;
  visible: boolean;
  /** The simulator's LTI activity, for modname lti. */
  readonly activityId: string | undefined;
}

export interface MoodleGradeItem {
  readonly id: string;
  readonly courseId: string;
  readonly itemname: string;
  readonly itemtype: 'mod' | 'manual';
  readonly itemmodule: string | null;
  readonly iteminstance: number | null;
  readonly cmid: string | undefined;
  readonly grademin: number;
  readonly grademax: number;
  /** userId → raw grade (null: no grade). */
  readonly grades: Map<string, number | null>;
}

export type CourseCriterion = { readonly type: 'activity'; readonly cmid: string } | { readonly type: 'self' } | { readonly type: 'date'; readonly date: number };

export interface CourseCompletionSettings {
  /** 1 = all criteria, 2 = any. */
  readonly aggregation: 1 | 2;
  readonly criteria: readonly CourseCriterion[];
  /** userId → time (seconds) the course was marked complete for them. */
  readonly completedAt: Map<string, number>;
}

export interface MoodleToken {
  readonly token: string;
  readonly userId: string;
  readonly functions: ReadonlySet<string>;
  readonly capabilities: ReadonlySet<string>;
  revoked: boolean;
}

export class MoodleWsState {
  siteName = 'Simulated Moodle';
  readonly sections = new Map<string, MoodleSection[]>();
  readonly modules = new Map<string, MoodleModule>();
  readonly moduleByActivity = new Map<string, string>();
  /** cmid → userId → state and time (seconds). */
  readonly completion = new Map<string, Map<string, { state: CompletionState; time: number }>>();
  /** Course ids whose completion tracking is off (Course settings → Enable completion tracking: No; on by default). */
  readonly completionDisabled = new Set<string>();
  readonly courseCompletion = new Map<string, CourseCompletionSettings>();
  readonly gradeItems = new Map<string, MoodleGradeItem>();
  readonly gradeItemsByCourse = new Map<string, MoodleGradeItem[]>();
  readonly tokens = new Map<string, MoodleToken>();
  /** Activities of the LTI side already shown as course modules. */
  readonly ltiSeen = new Set<string>();
  failNext = { count: 0, status: 503 };
  readonly log: { wsfunction: string; outcome: string }[] = [];
  #instance = 1;

  nextInstance(): number {
    return this.#instance++;
  }

  modulesOf(courseId: string): MoodleModule[] {
    return (this.sections.get(courseId) ?? []).flatMap((section) => section.moduleIds.map((id) => this.modules.get(id)!));
  }
}
