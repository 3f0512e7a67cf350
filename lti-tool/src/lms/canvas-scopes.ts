/**
 * The Canvas REST API endpoints the tool reads, as developer-key scopes (url:GET|<route>): what an
 * admin ticks when the key has "Enforce Scopes" on, and what the OAuth2 authorize request asks for.
 */
export const CANVAS_API_SCOPES = {
  self: 'url:GET|/api/v1/users/:id',
  modules: 'url:GET|/api/v1/courses/:course_id/modules',
  assignments: 'url:GET|/api/v1/courses/:course_id/assignments',
  users: 'url:GET|/api/v1/courses/:course_id/users',
  submissions: 'url:GET|/api/v1/courses/:course_id/students/submissions',
} as const;

export const ALL_CANVAS_API_SCOPES: readonly string[] = Object.values(CANVAS_API_SCOPES);
