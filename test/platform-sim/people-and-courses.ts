/** The LMS side's records: courses, people, enrolments, activities and their line items, with each flavour's identifiers. */
import { hexOf, uuidOf } from './flavours.ts';
import { SimError, type CourseRole, type Flavour, type SimActivity, type SimCourse, type SimLineItem, type SimState, type SimUser } from './model.ts';

export function addCourse(state: SimState, flavour: Flavour, course: { id?: string; title: string; label?: string }): SimCourse {
  const id = course.id ?? String(state.next() + 1);
  if (state.courses.has(id)) throw new SimError('SIM_DUPLICATE', `Course ${id} already exists.`);
  const record: SimCourse = {
    id,
    title: course.title,
    label: course.label ?? course.title.split(/\s+/).map((w) => w[0] ?? '').join('').toUpperCase().slice(0, 10),
    contextId: flavour === 'canvas' ? hexOf(`course-${id}`) : id,
  };
  state.courses.set(id, record);
  return record;
}

export function addUser(state: SimState, user: { id?: string; name: string; givenName?: string; familyName?: string; email?: string }): SimUser {
  const id = user.id ?? String(state.next() + 1);
  if (state.users.has(id)) throw new SimError('SIM_DUPLICATE', `User ${id} already exists.`);
  const [first = user.name, ...rest] = user.name.split(/\s+/);
  const givenName = user.givenName ?? first;
  const familyName = user.familyName ?? rest.join(' ');
  const username = `${givenName}${familyName}`.toLowerCase().replace(/[^a-z0-9]/g, '') || `user${id}`;
  const record: SimUser = { id, name: user.name, givenName, familyName, email: user.email ?? `${username}@example.edu`, username, ltiId: uuidOf(`user-${id}`), legacyId: hexOf(`user-${id}`) };
  state.users.set(id, record);
  return record;
}

export function enrol(state: SimState, courseId: string, userId: string, role: CourseRole): void {
  if (!state.courses.has(courseId)) throw new SimError('SIM_UNKNOWN_COURSE', `No course ${courseId}.`);
  if (!state.users.has(userId)) throw new SimError('SIM_UNKNOWN_USER', `No user ${userId}.`);
  let members = state.enrolments.get(courseId);
  if (!members) state.enrolments.set(courseId, (members = new Map()));
  members.set(userId, role);
}

export interface ActivityInput {
  id?: string;
  title: string;
  clientId: string;
  custom?: Record<string, string>;
  lineItem?: { scoreMaximum: number; label: string; resourceId?: string; tag?: string };
  legacyResourceKey?: string;
  url?: string;
}

/**
 * An LTI resource link in a course. Moodle gives every LTI activity a line item (100 points by
 * default); Canvas only when the link is an assignment (here: when `lineItem` is given).
 */
export function addActivity(state: SimState, flavour: Flavour, courseId: string, activity: ActivityInput): SimActivity {
  if (!state.courses.has(courseId)) throw new SimError('SIM_UNKNOWN_COURSE', `No course ${courseId}.`);
  if (!state.tools.has(activity.clientId)) throw new SimError('SIM_UNKNOWN_TOOL', `No tool with client_id ${activity.clientId}.`);
  const id = activity.id ?? String(state.next() + 1);
  if (state.activities.has(id)) throw new SimError('SIM_DUPLICATE', `Activity ${id} already exists.`);
  const resourceLinkId = flavour === 'canvas' ? uuidOf(`link-${id}`) : id;
  let lineItemId: string | undefined;
  const wanted = activity.lineItem ?? (flavour === 'moodle' ? { scoreMaximum: 100, label: activity.title } : undefined);
  if (wanted) {
    if (!(wanted.scoreMaximum > 0)) throw new SimError('SIM_BAD_INPUT', 'A line item needs a scoreMaximum above 0.');
    lineItemId = String(state.next() + 1);
    state.lineItems.set(lineItemId, newLineItem(lineItemId, courseId, activity.clientId, { ...wanted, resourceLinkId }));
  }
  const record: SimActivity = {
    id,
    courseId,
    title: activity.title,
    clientId: activity.clientId,
    custom: { ...(activity.custom ?? {}) },
    resourceLinkId,
    lineItemId,
    legacyResourceKey: activity.legacyResourceKey,
    url: activity.url,
  };
  state.activities.set(id, record);
  return record;
}

export function newLineItem(
  id: string,
  courseId: string,
  clientId: string,
  fields: { scoreMaximum: number; label: string; resourceId?: string | undefined; tag?: string | undefined; resourceLinkId?: string | undefined; startDateTime?: string | undefined; endDateTime?: string | undefined },
): SimLineItem {
  return {
    id,
    courseId,
    clientId,
    label: fields.label,
    scoreMaximum: fields.scoreMaximum,
    resourceId: fields.resourceId,
    tag: fields.tag,
    resourceLinkId: fields.resourceLinkId,
    startDateTime: fields.startDateTime,
    endDateTime: fields.endDateTime,
    results: new Map(),
  };
}
