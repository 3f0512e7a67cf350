/** The simulated LMS platform for LTI tests: see README.md in this folder. */
export { startPlatform, Browser, SimError } from './start-platform.ts';
export type { BrowserPage, CourseRole, DeepLinkReceipt, Flavour, LaunchArgs, LaunchOverride, ManualTool, RegistrationOutcome, SimActivity, SimCourse, SimPlatform, SimTool, SimUser, StartPlatformOptions } from './start-platform.ts';
export type { DeepLinkSubmission } from './deep-link-routes.ts';
export type { Gradebook, GradebookLineItem, GradebookResult } from './gradebook.ts';
export type { HtmlForm } from './html-forms.ts';
export { PlatformStorage } from './platform-storage.ts';
export { AGS_MEDIA } from './ags-routes.ts';
export { NRPS_MEDIA } from './nrps-routes.ts';
export { AGS_SCOPES, NRPS_SCOPE } from './flavours.ts';
export { CANVAS_SCOPES } from './canvas-sim-api.ts';
export type { CanvasSim, ModuleItemInput } from './canvas-sim-api.ts';
export { MOODLE_CAPABILITIES } from './moodle-sim-api.ts';
export type { MoodleSim } from './moodle-sim-api.ts';
export { MOODLE_WS_FUNCTIONS } from './moodle-ws-model.ts';
