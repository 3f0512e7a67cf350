/**
 * The six Moodle external functions the completion watcher calls, answering with the structures
 * and checks of Moodle 4.x: webservice/externallib.php (get_site_info), course/externallib.php
 * (get_course_contents), enrol/externallib.php (get_enrolled_users), completion/classes/external.php
 * (activities and course completion status), grade/report/user/classes/external/user.php
 * (get_grade_items). Checks run in Moodle's order: parameters, course/user records, course
 * access (validate_context), capabilities, then the function's own conditions.
 */
import type { SimContext } from './context.ts';
import type { CourseRole, SimCourse, SimUser } from './model.ts';
import { ltiModules, sectionsOf } from './moodle-course-structure.ts';
import { MoodleException, intParam, missingRecord, nameValueList, requireCapability, type PhpValue } from './moodle-ws-protocol.ts';
import { MOODLE_WS_FUNCTIONS, type MoodleGradeItem, type MoodleModule, type MoodleToken, type MoodleWsState } from './moodle-ws-model.ts';

export interface WsCall {
  readonly token: MoodleToken;
  readonly params: Record<string, PhpValue>;
}

type WsFunction = (ctx: SimContext, moodle: MoodleWsState, call: WsCall) => unknown;

const ROLES: Record<CourseRole, { roleid: number; shortname: string }> = {
  Administrator: { roleid: 1, shortname: 'manager' },
  Instructor: { roleid: 3, shortname: 'editingteacher' },
  Learner: { roleid: 5, shortname: 'student' },
};

function courseOf(ctx: SimContext, call: WsCall): SimCourse {
  const course = ctx.state.courses.get(String(intParam(call.params, 'courseid')));
  if (!course) throw missingRecord('course');
  // external_api::validate_context → require_login: enrolled, or moodle/course:view.
  if (!ctx.state.roleOf(course.id, call.token.userId) && !call.token.capabilities.has('moodle/course:view')) {
    throw new MoodleException('require_login_exception', 'requireloginerror', 'Course or activity not accessible. (Not enrolled)');
  }
  return course;
}

function userOf(ctx: SimContext, call: WsCall, name = 'userid'): SimUser {
  const user = ctx.state.users.get(String(intParam(call.params, name)));
  if (!user) throw missingRecord('user');
  return user;
}

/** Students are the users completion tracks and the grader report lists (moodle/course:isincompletionreports). */
const isStudent = (ctx: SimContext, courseId: string, userId: string) => ctx.state.roleOf(courseId, userId) === 'Learner';

const getSiteInfo: WsFunction = (ctx, moodle, call) => {
  const user = ctx.state.users.get(call.token.userId)!;
  return {
    sitename: moodle.siteName,
    username: user.username,
    firstname: user.givenName,
    lastname: user.familyName,
    fullname: user.name,
    lang: 'en',
    userid: Number(user.id),
    siteurl: ctx.baseUrl(),
    userpictureurl: `${ctx.baseUrl()}/theme/image.php/boost/core/1/u/f1`,
    functions: MOODLE_WS_FUNCTIONS.filter((name) => call.token.functions.has(name)).map((name) => ({ name, version: '2024100700' })),
    downloadfiles: 0,
    uploadfiles: 0,
    release: '4.5 (Build: 20241007)',
    version: '2024100700',
    mobilecssurl: '',
    advancedfeatures: [
      { name: 'enablecompletion', value: 1 },
      { name: 'usetags', value: 1 },
    ],
    usercanmanageownfiles: true,
    userquota: 104857600,
    usermaxuploadfilesize: 104857600,
    userhomepage: 1,
    siteid: 1,
    sitecalendartype: 'gregorian',
    usercalendartype: 'gregorian',
    theme: 'boost',
  };
};

const getCourseContents: WsFunction = (ctx, moodle, call) => {
  const course = courseOf(ctx, call);
  ltiModules(ctx, moodle);
  return sectionsOf(moodle, course.id).map((section) => ({
    id: Number(section.id),
    name: section.name,
    visible: section.visible ? 1 : 0,
    summary: '',
    summaryformat: 1,
    section: section.number,
    hiddenbynumsections: 0,
    uservisible: true,
    modules: section.moduleIds.map((id) => moduleJson(ctx, moodle.modules.get(id)!)),
  }));
};

function moduleJson(ctx: SimContext, module: MoodleModule) {
  return {
    id: Number(module.id),
    url: `${ctx.baseUrl()}/mod/${module.modname}/view.php?id=${module.id}`,
    name: module.name,
    instance: module.instance,
    contextid: Number(module.id) + 100000,
    visible: module.visible ? 1 : 0,
    uservisible: true,
    visibleoncoursepage: 1,
    modicon: `${ctx.baseUrl()}/theme/image.php/boost/${module.modname}/1/monologo`,
    modname: module.modname,
    modplural: `${module.modname}s`,
    indent: 0,
    onclick: '',
    afterlink: null,
    customdata: '""',
    noviewlink: false,
    completion: module.completion,
    downloadcontent: 1,
    dates: [],
  };
}

const getEnrolledUsers: WsFunction = (ctx, _moodle, call) => {
  const options = nameValueList(call.params, 'options');
  const course = courseOf(ctx, call);
  requireCapability(call.token.capabilities, 'moodle/course:viewparticipants');
  const option = (name: string) => options.find((o) => o.name === name)?.value;
  const limitfrom = Math.max(0, Number.parseInt(option('limitfrom') ?? '0', 10) || 0);
  const limitnumber = Math.max(0, Number.parseInt(option('limitnumber') ?? '0', 10) || 0);
  const fields = option('userfields')?.split(',').map((f) => f.trim());
  const members = [...(ctx.state.enrolments.get(course.id) ?? new Map<string, CourseRole>())].sort(([a], [b]) => Number(a) - Number(b));
  const page = members.slice(limitfrom, limitnumber > 0 ? limitfrom + limitnumber : undefined);
  // user_get_user_details: without moodle/user:viewdetails other users are left out (silently).
  if (!call.token.capabilities.has('moodle/user:viewdetails')) return page.filter(([userId]) => userId === call.token.userId).map(([userId, role]) => userJson(ctx, userId, role, fields, true));
  return page.map(([userId, role]) => userJson(ctx, userId, role, fields, call.token.capabilities.has('moodle/site:viewuseridentity')));
};

function userJson(ctx: SimContext, userId: string, role: CourseRole, fields: string[] | undefined, withEmail: boolean) {
  const user = ctx.state.users.get(userId)!;
  const all: Record<string, unknown> = {
    username: user.username,
    firstname: user.givenName,
    lastname: user.familyName,
    ...(withEmail ? { email: user.email } : {}),
    department: '',
    firstaccess: 0,
    lastaccess: 0,
    lastcourseaccess: 0,
    description: '',
    descriptionformat: 1,
    profileimageurlsmall: `${ctx.baseUrl()}/theme/image.php/boost/core/1/u/f2`,
    profileimageurl: `${ctx.baseUrl()}/theme/image.php/boost/core/1/u/f1`,
    groups: [],
    roles: [{ ...ROLES[role], name: '', sortorder: 0 }],
    enrolledcourses: [],
  };
  const chosen = fields ? Object.fromEntries(Object.entries(all).filter(([key]) => fields.includes(key))) : all;
  return { id: Number(user.id), fullname: user.name, ...chosen };
}

const getActivitiesCompletionStatus: WsFunction = (ctx, moodle, call) => {
  const course = courseOf(ctx, call);
  const user = userOf(ctx, call);
  if (user.id !== call.token.userId) requireCapability(call.token.capabilities, 'report/progress:view');
  ltiModules(ctx, moodle);
  const tracked = isStudent(ctx, course.id, user.id);
  const statuses = !moodle.completionDisabled.has(course.id)
    ? moodle
        .modulesOf(course.id)
        .filter((m) => m.completion > 0 && m.visible)
        .map((m) => {
          const progress = moodle.completion.get(m.id)?.get(user.id);
          return {
            cmid: Number(m.id),
            modname: m.modname,
            instance: m.instance,
            state: progress?.state ?? 0,
            timecompleted: progress?.time ?? 0,
            tracking: m.completion,
            overrideby: null,
            valueused: false,
            hascompletion: true,
            isautomatic: m.completion === 2,
            istrackeduser: tracked,
            uservisible: true,
            details: [],
          };
        })
    : [];
  return { statuses, warnings: [] };
};

const getCourseCompletionStatus: WsFunction = (ctx, moodle, call) => {
  const course = courseOf(ctx, call);
  const user = userOf(ctx, call);
  // completion_can_view_data: completion enabled in the course, and report/completion:view for others.
  if (moodle.completionDisabled.has(course.id) || (user.id !== call.token.userId && !call.token.capabilities.has('report/completion:view'))) {
    throw new MoodleException('moodle_exception', 'cannotviewreport', 'You cannot view this report');
  }
  if (!isStudent(ctx, course.id, user.id)) {
    throw user.id === call.token.userId
      ? new MoodleException('moodle_exception', 'notenroled', 'You are not enrolled in this course')
      : new MoodleException('moodle_exception', 'usernotenroled', 'User is not enrolled in this course');
  }
  const settings = moodle.courseCompletion.get(course.id);
  if (!settings || settings.criteria.length === 0) throw new MoodleException('moodle_exception', 'nocriteriaset', 'No completion criteria set for this course');
  const marked = settings.completedAt.get(user.id);
  const completions = settings.criteria.map((criterion) => {
    const done = criterion.type === 'activity' ? moodle.completion.get(criterion.cmid)?.get(user.id) : undefined;
    const complete = criterion.type === 'activity' ? done !== undefined && done.state > 0 : marked !== undefined;
    const name = criterion.type === 'activity' ? (moodle.modules.get(criterion.cmid)?.name ?? '') : criterion.type === 'self' ? 'Self completion' : 'Date';
    return {
      type: criterion.type === 'activity' ? 4 : criterion.type === 'self' ? 1 : 2,
      title: criterion.type === 'activity' ? 'Activity completion' : criterion.type === 'self' ? 'Self completion' : 'Date',
      status: complete ? 'Yes' : 'No',
      complete,
      timecompleted: complete ? (done?.time ?? marked ?? 0) : null,
      details: { type: criterion.type === 'activity' ? 'Activity completion' : 'Self completion', criteria: name, requirement: 'Marking yourself complete', status: complete ? 'Yes' : 'No' },
    };
  });
  // Moodle's completion cron aggregates the criteria into course_completions; the simulator does it on read.
  const aggregated = settings.aggregation === 1 ? completions.every((c) => c.complete) : completions.some((c) => c.complete);
  return { completionstatus: { completed: marked !== undefined || aggregated, aggregation: settings.aggregation, completions }, warnings: [] };
};

const getGradeItems: WsFunction = (ctx, moodle, call) => {
  const course = courseOf(ctx, call);
  const userid = intParam(call.params, 'userid', 0);
  intParam(call.params, 'groupid', 0);
  requireCapability(call.token.capabilities, 'gradereport/user:view');
  if (userid === 0) requireCapability(call.token.capabilities, 'moodle/grade:viewall');
  else {
    if (!ctx.state.users.has(String(userid))) throw missingRecord('user');
    if (String(userid) !== call.token.userId && !call.token.capabilities.has('moodle/grade:viewall')) {
      throw new MoodleException('moodle_exception', 'nopermissiontoviewgrades', 'Can not view grades.');
    }
  }
  const users = userid === 0 ? [...(ctx.state.enrolments.get(course.id)?.keys() ?? [])].filter((id) => isStudent(ctx, course.id, id)).sort((a, b) => Number(a) - Number(b)) : [String(userid)];
  const items = gradeItemsOf(ctx, moodle, course.id);
  return {
    usergrades: users.map((id) => ({
      courseid: Number(course.id),
      courseidnumber: '',
      userid: Number(id),
      userfullname: ctx.state.users.get(id)!.name,
      useridnumber: '',
      maxdepth: 2,
      gradeitems: [...items.map((item) => gradeItemJson(item, item.grade(id))), courseTotal(course.id)],
    })),
    warnings: [],
  };
};

/** A gradebook column as the report lists it: a stored grade item, or an LTI activity's line item. */
type GradeSource = Omit<MoodleGradeItem, 'courseId' | 'grades'> & { grade(userId: string): number | null };

/** Hand-made grade items plus the gradebook columns of LTI activities (Moodle's AGS line item is a grade item). */
function gradeItemsOf(ctx: SimContext, moodle: MoodleWsState, courseId: string): GradeSource[] {
  const own = (moodle.gradeItemsByCourse.get(courseId) ?? []).map((item) => ({ ...item, grade: (userId: string) => item.grades.get(userId) ?? null }));
  ltiModules(ctx, moodle);
  const lti = moodle
    .modulesOf(courseId)
    .filter((m) => m.activityId !== undefined)
    .flatMap((m): GradeSource[] => {
      const lineItem = ctx.state.lineItems.get(ctx.state.activities.get(m.activityId!)?.lineItemId ?? '');
      if (!lineItem) return [];
      return [{ id: lineItem.id, itemname: lineItem.label, itemtype: 'mod', itemmodule: 'lti', iteminstance: m.instance, cmid: m.id, grademin: 0, grademax: lineItem.scoreMaximum, grade: (userId) => lineItem.results.get(userId)?.resultScore ?? null }];
    });
  return [...own, ...lti];
}

function gradeItemJson(item: GradeSource, graderaw: number | null) {
  return {
    id: Number(item.id),
    itemname: item.itemname,
    itemtype: item.itemtype,
    itemmodule: item.itemmodule,
    iteminstance: item.iteminstance,
    itemnumber: item.itemtype === 'mod' ? 0 : null,
    idnumber: '',
    categoryid: null,
    outcomeid: null,
    scaleid: null,
    locked: false,
    ...(item.cmid !== undefined ? { cmid: Number(item.cmid) } : {}),
    weightraw: 0,
    weightformatted: '0.00 %',
    status: '',
    graderaw,
    gradedatesubmitted: null,
    gradedategraded: graderaw === null ? null : 0,
    gradehiddenbydate: false,
    gradeneedsupdate: false,
    gradeishidden: false,
    gradeislocked: false,
    gradeisoverridden: false,
    gradeformatted: graderaw === null ? '-' : graderaw.toFixed(2),
    grademin: item.grademin,
    grademax: item.grademax,
    rangeformatted: `${item.grademin.toFixed(2)}&ndash;${item.grademax.toFixed(2)}`,
    percentageformatted: graderaw === null ? '-' : `${((100 * (graderaw - item.grademin)) / (item.grademax - item.grademin || 1)).toFixed(2)} %`,
    feedback: '',
    feedbackformat: 0,
  };
}

/** Every grade report ends with the course total (itemtype course); the watcher must not mistake it for an item. */
function courseTotal(courseId: string) {
  return { ...gradeItemJson({ id: String(9_000_000 + Number(courseId)), itemname: '', itemtype: 'manual', itemmodule: null, iteminstance: Number(courseId), cmid: undefined, grademin: 0, grademax: 100, grade: () => null }, null), itemname: null, itemtype: 'course' };
}

export const WS_FUNCTIONS: Record<string, WsFunction> = {
  core_webservice_get_site_info: getSiteInfo,
  core_course_get_contents: getCourseContents,
  core_enrol_get_enrolled_users: getEnrolledUsers,
  core_completion_get_activities_completion_status: getActivitiesCompletionStatus,
  core_completion_get_course_completion_status: getCourseCompletionStatus,
  gradereport_user_get_grade_items: getGradeItems,
};
