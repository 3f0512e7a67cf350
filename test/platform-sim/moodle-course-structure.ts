/**
 * A Moodle course's structure for the simulated web services: sections (section 0 "General"
 * always exists) holding course modules, and the LTI activities of the LTI side shown as `lti`
 * course modules in section 0, as Moodle lists an external tool activity.
 */
import type { SimContext } from './context.ts';
import { SimError } from './model.ts';
import type { CompletionTracking, MoodleModule, MoodleSection, MoodleWsState } from './moodle-ws-model.ts';

export function sectionsOf(moodle: MoodleWsState, courseId: string): MoodleSection[] {
  let sections = moodle.sections.get(courseId);
  if (!sections) {
    sections = [];
    moodle.sections.set(courseId, sections);
    // Section ids come from their own sequence in Moodle's course_sections table.
    sections.push({ id: String(moodle.nextInstance()), courseId, number: 0, name: 'General', visible: true, moduleIds: [] });
  }
  return sections;
}

export function addSection(moodle: MoodleWsState, courseId: string, input: { name: string; visible?: boolean }): MoodleSection {
  const sections = sectionsOf(moodle, courseId);
  const section: MoodleSection = { id: String(moodle.nextInstance()), courseId, number: sections.length, name: input.name, visible: input.visible ?? true, moduleIds: [] };
  sections.push(section);
  return section;
}

export interface ModuleInput {
  readonly id: string;
  readonly name: string;
  readonly modname: string;
  readonly sectionId?: string | undefined;
  readonly completion: CompletionTracking;
  readonly visible?: boolean | undefined;
  readonly activityId?: string | undefined;
}

export function addModule(moodle: MoodleWsState, courseId: string, input: ModuleInput): MoodleModule {
  const sections = sectionsOf(moodle, courseId);
  const section = input.sectionId === undefined ? sections[0]! : sections.find((s) => s.id === input.sectionId);
  if (!section) throw new SimError('SIM_BAD_INPUT', `Course ${courseId} has no section ${input.sectionId}.`);
  if (!/^[a-z][a-z0-9_]*$/.test(input.modname)) throw new SimError('SIM_BAD_INPUT', `Not a module name: ${input.modname}.`);
  const module: MoodleModule = {
    id: input.id,
    courseId,
    sectionId: section.id,
    name: input.name,
    modname: input.modname,
    instance: moodle.nextInstance(),
    completion: input.completion,
    visible: input.visible ?? true,
    activityId: input.activityId,
  };
  moodle.modules.set(module.id, module);
  section.moduleIds.push(module.id);
  return module;
}

/**
 * Shows every LTI activity added since the last call as an `lti` course module (no completion
 * tracking, Moodle's default). Only runs a pass when the activity count changed, so a watch cycle
 * does not scan the site on every request.
 */
export function ltiModules(ctx: SimContext, moodle: MoodleWsState): void {
  if (ctx.state.activities.size === moodle.ltiSeen.size) return;
  for (const activity of ctx.state.activities.values()) {
    if (moodle.ltiSeen.has(activity.id)) continue;
    moodle.ltiSeen.add(activity.id);
    const module = addModule(moodle, activity.courseId, { id: String(ctx.state.next() + 1), name: activity.title, modname: 'lti', completion: 0, activityId: activity.id });
    moodle.moduleByActivity.set(activity.id, module.id);
  }
}
