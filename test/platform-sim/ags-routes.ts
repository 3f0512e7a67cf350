/**
 * LTI Assignment and Grade Services 2.0 — the platform half: §3.2 line item container (GET with
 * filters and paging, POST to create), §3.3 line item (GET, PUT, DELETE), §3.4 score publish
 * service (POST application/vnd.ims.lis.v1.score+json, validated), §3.5 result service (GET with
 * paging). Scores are normalised to the line item's maximum, as both LMSs report results.
 */
import express, { type Request, type Response } from 'express';
import type { SimContext } from './context.ts';
import { AGS_SCOPES } from './flavours.ts';
import type { SimLineItem, SimTool } from './model.ts';
import { newLineItem } from './people-and-courses.ts';
import { hasMediaType, paginate, requestUrl, requireToken, resolveScope } from './service-access.ts';

export const AGS_MEDIA = {
  container: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  results: 'application/vnd.ims.lis.v2.resultcontainer+json',
  score: 'application/vnd.ims.lis.v1.score+json',
} as const;

const ACTIVITY_PROGRESS = ['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed'];
const GRADING_PROGRESS = ['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady'];
const READ = [AGS_SCOPES.lineitem, AGS_SCOPES.lineitemReadonly];

export function agsRoutes(ctx: SimContext): express.Router {
  const router = express.Router();
  // Parse whatever the declared type: the handlers check the media type themselves (415), as the platforms do.
  const json = () => express.json({ limit: '64kb', type: () => true, strict: true });
  const moodle = ctx.profile.flavour === 'moodle';
  const base = moodle ? '/mod/lti/services.php/:courseId/lineitems' : '/api/lti/courses/:courseId/line_items';
  const item = moodle ? `${base}/:itemId/lineitem` : `${base}/:itemId`;

  router.get(base, (req, res) => withItems(ctx, req, res, READ, false, ({ tool, course }) => {
    let items = [...ctx.state.lineItems.values()].filter((li) => li.courseId === course.id && li.clientId === tool.clientId);
    const q = req.query as Record<string, unknown>;
    if (typeof q.resource_link_id === 'string') items = items.filter((li) => li.resourceLinkId === q.resource_link_id);
    if (typeof q.resource_id === 'string') items = items.filter((li) => li.resourceId === q.resource_id);
    if (typeof q.tag === 'string') items = items.filter((li) => li.tag === q.tag);
    const page = paginate(items, req, res, requestUrl(ctx, req));
    res.type(AGS_MEDIA.container).send(JSON.stringify(page.map((li) => lineItemJson(ctx, li, tool))));
  }));

  router.post(base, json(), (req, res) => withItems(ctx, req, res, [AGS_SCOPES.lineitem], false, ({ tool, course }) => {
    if (!hasMediaType(ctx, req, AGS_MEDIA.lineItem)) return void res.status(415).json({ error: 'unsupported_media_type', error_description: `Send ${AGS_MEDIA.lineItem}.` });
    const parsed = parseLineItem(ctx, req.body, course.id, tool);
    if (typeof parsed === 'string') return void res.status(400).json({ error: 'invalid_request', error_description: parsed });
    const id = String(ctx.state.next() + 1);
    const created = newLineItem(id, course.id, tool.clientId, parsed);
    ctx.state.lineItems.set(id, created);
    const body = lineItemJson(ctx, created, tool);
    res.status(201).location(String(body.id)).type(AGS_MEDIA.lineItem).send(JSON.stringify(body));
  }));

  router.get(item, (req, res) => withItems(ctx, req, res, READ, true, ({ tool, lineItem }) => {
    res.type(AGS_MEDIA.lineItem).send(JSON.stringify(lineItemJson(ctx, lineItem!, tool)));
  }));

  router.put(item, json(), (req, res) => withItems(ctx, req, res, [AGS_SCOPES.lineitem], true, ({ tool, course, lineItem }) => {
    if (!hasMediaType(ctx, req, AGS_MEDIA.lineItem)) return void res.status(415).json({ error: 'unsupported_media_type', error_description: `Send ${AGS_MEDIA.lineItem}.` });
    const parsed = parseLineItem(ctx, req.body, course.id, tool);
    if (typeof parsed === 'string') return void res.status(400).json({ error: 'invalid_request', error_description: parsed });
    const li = lineItem!;
    if (parsed.resourceLinkId !== undefined && parsed.resourceLinkId !== li.resourceLinkId) return void res.status(400).json({ error: 'invalid_request', error_description: 'resourceLinkId cannot be changed.' });
    Object.assign(li, { label: parsed.label, scoreMaximum: parsed.scoreMaximum, resourceId: parsed.resourceId, tag: parsed.tag, startDateTime: parsed.startDateTime, endDateTime: parsed.endDateTime });
    res.type(AGS_MEDIA.lineItem).send(JSON.stringify(lineItemJson(ctx, li, tool)));
  }));

  router.delete(item, (req, res) => withItems(ctx, req, res, [AGS_SCOPES.lineitem], true, ({ lineItem }) => {
    const owner = [...ctx.state.activities.values()].find((activity) => activity.lineItemId === lineItem!.id);
    if (owner) return void res.status(403).json({ error: 'forbidden', error_description: `The line item of activity "${owner.title}" is deleted with the activity, not through the service.` });
    ctx.state.lineItems.delete(lineItem!.id);
    res.status(204).end();
  }));

  router.post(`${item}/scores`, json(), (req, res) => withItems(ctx, req, res, [AGS_SCOPES.score], true, ({ tool, course, lineItem }) => {
    if (!hasMediaType(ctx, req, AGS_MEDIA.score)) return void res.status(415).json({ error: 'unsupported_media_type', error_description: `Send ${AGS_MEDIA.score}.` });
    const problem = validateScore(req.body);
    if (problem) return void res.status(400).json({ error: 'invalid_request', error_description: problem });
    const score = req.body as Record<string, unknown>;
    const user = findUser(ctx, String(score.userId));
    if (!user || ctx.state.roleOf(course.id, user.id) !== 'Learner') return void res.status(ctx.profile.notGradable.status).json(ctx.profile.notGradable.body);
    const li = lineItem!;
    const previous = li.results.get(user.id);
    if (previous && previous.source === 'tool' && Date.parse(String(score.timestamp)) <= Date.parse(previous.timestamp)) {
      return void res.status(400).json({ error: 'invalid_request', error_description: `Provided timestamp of ${String(score.timestamp)} not after current timestamp of ${previous.timestamp}.` });
    }
    const given = typeof score.scoreGiven === 'number' ? score.scoreGiven : undefined;
    const maximum = typeof score.scoreMaximum === 'number' ? score.scoreMaximum : undefined;
    li.results.set(user.id, {
      userId: user.id,
      scoreGiven: given,
      scoreMaximum: maximum,
      resultScore: given !== undefined && maximum !== undefined ? (given / maximum) * li.scoreMaximum : undefined,
      comment: typeof score.comment === 'string' ? score.comment : undefined,
      timestamp: String(score.timestamp),
      activityProgress: String(score.activityProgress),
      gradingProgress: String(score.gradingProgress),
      source: 'tool',
    });
    if (moodle) return void res.status(200).end();
    res.json({ resultUrl: ctx.profile.resultId(ctx.baseUrl(), course.id, li.id, tool, user.ltiId) });
  }));

  router.get(`${item}/results`, (req, res) => withItems(ctx, req, res, [AGS_SCOPES.resultReadonly], true, ({ tool, course, lineItem }) => {
    const li = lineItem!;
    let results = [...li.results.values()].filter((r) => r.resultScore !== undefined || r.comment !== undefined);
    const filter = typeof req.query.user_id === 'string' ? findUser(ctx, req.query.user_id) : undefined;
    if (typeof req.query.user_id === 'string') results = results.filter((r) => r.userId === filter?.id);
    const page = paginate(results, req, res, requestUrl(ctx, req));
    const lineItemUrl = ctx.profile.lineItemUrl(ctx.baseUrl(), course.id, li.id, tool);
    const body = page.map((r) => {
      const user = ctx.state.users.get(r.userId)!;
      const userId = ctx.profile.flavour === 'canvas' ? user.ltiId : user.id;
      return {
        id: ctx.profile.resultId(ctx.baseUrl(), course.id, li.id, tool, userId),
        scoreOf: lineItemUrl,
        userId,
        ...(r.resultScore !== undefined ? { resultScore: round(r.resultScore), resultMaximum: li.scoreMaximum } : {}),
        ...(r.comment !== undefined ? { comment: r.comment } : {}),
      };
    });
    res.type(AGS_MEDIA.results).send(JSON.stringify(body));
  }));
  return router;
}

interface Scope {
  tool: SimTool;
  course: { id: string };
  lineItem: SimLineItem | undefined;
}

function withItems(ctx: SimContext, req: Request, res: Response, scopes: readonly string[], needsItem: boolean, handle: (scope: Scope) => void): void {
  const token = requireToken(ctx, req, res, scopes);
  if (!token) return;
  const resolved = resolveScope(ctx, req, res, token, typeof req.query.type_id === 'string' ? req.query.type_id : undefined);
  if (!resolved) return;
  let lineItem: SimLineItem | undefined;
  if (needsItem) {
    lineItem = ctx.state.lineItems.get(String(req.params.itemId));
    if (!lineItem || lineItem.courseId !== resolved.course.id) return void res.status(404).json({ error: 'not_found', error_description: 'No such line item in this course.' });
    if (lineItem.clientId !== resolved.tool.clientId) return void res.status(403).json({ error: 'forbidden', error_description: 'Tool does not have permission to view line_item' });
  }
  handle({ tool: resolved.tool, course: resolved.course, lineItem });
}

function lineItemJson(ctx: SimContext, li: SimLineItem, tool: SimTool): Record<string, unknown> {
  return {
    id: ctx.profile.lineItemUrl(ctx.baseUrl(), li.courseId, li.id, tool),
    scoreMaximum: li.scoreMaximum,
    label: li.label,
    ...(li.resourceId !== undefined ? { resourceId: li.resourceId } : {}),
    ...(li.tag !== undefined ? { tag: li.tag } : {}),
    ...(li.resourceLinkId !== undefined ? { resourceLinkId: li.resourceLinkId } : {}),
    ...(li.startDateTime !== undefined ? { startDateTime: li.startDateTime } : {}),
    ...(li.endDateTime !== undefined ? { endDateTime: li.endDateTime } : {}),
  };
}

type LineItemFields = { label: string; scoreMaximum: number; resourceId: string | undefined; tag: string | undefined; resourceLinkId: string | undefined; startDateTime: string | undefined; endDateTime: string | undefined };

function parseLineItem(ctx: SimContext, body: unknown, courseId: string, tool: SimTool): LineItemFields | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The line item must be a JSON object.';
  const b = body as Record<string, unknown>;
  if (typeof b.label !== 'string' || b.label.trim() === '') return 'label is required.';
  if (typeof b.scoreMaximum !== 'number' || !(b.scoreMaximum > 0) || !Number.isFinite(b.scoreMaximum)) return 'scoreMaximum must be a number above 0.';
  for (const key of ['resourceId', 'tag', 'resourceLinkId', 'startDateTime', 'endDateTime'] as const) {
    if (b[key] !== undefined && typeof b[key] !== 'string') return `${key} must be a string.`;
  }
  for (const key of ['startDateTime', 'endDateTime'] as const) {
    if (typeof b[key] === 'string' && Number.isNaN(Date.parse(b[key]))) return `${key} must be an ISO 8601 date-time.`;
  }
  if (typeof b.resourceLinkId === 'string') {
    const linked = [...ctx.state.activities.values()].some((a) => a.resourceLinkId === b.resourceLinkId && a.courseId === courseId && a.clientId === tool.clientId);
    if (!linked) return `resourceLinkId "${b.resourceLinkId}" is not a link of this tool in this course.`;
  }
  return {
    label: b.label,
    scoreMaximum: b.scoreMaximum,
    resourceId: b.resourceId as string | undefined,
    tag: b.tag as string | undefined,
    resourceLinkId: b.resourceLinkId as string | undefined,
    startDateTime: b.startDateTime as string | undefined,
    endDateTime: b.endDateTime as string | undefined,
  };
}

function validateScore(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The score must be a JSON object.';
  const b = body as Record<string, unknown>;
  if (typeof b.userId !== 'string' || b.userId === '') return 'userId is required.';
  if (typeof b.timestamp !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(b.timestamp)) return 'timestamp must be an ISO 8601 date-time with a time zone.';
  if (typeof b.activityProgress !== 'string' || !ACTIVITY_PROGRESS.includes(b.activityProgress)) return `activityProgress must be one of ${ACTIVITY_PROGRESS.join(', ')}.`;
  if (typeof b.gradingProgress !== 'string' || !GRADING_PROGRESS.includes(b.gradingProgress)) return `gradingProgress must be one of ${GRADING_PROGRESS.join(', ')}.`;
  if (b.scoreGiven !== undefined) {
    if (typeof b.scoreGiven !== 'number' || !Number.isFinite(b.scoreGiven) || b.scoreGiven < 0) return 'scoreGiven must be a number of at least 0.';
    if (typeof b.scoreMaximum !== 'number' || !Number.isFinite(b.scoreMaximum) || !(b.scoreMaximum > 0)) return 'scoreMaximum is required with scoreGiven and must be above 0.';
  } else if (b.scoreMaximum !== undefined && (typeof b.scoreMaximum !== 'number' || !(b.scoreMaximum > 0))) return 'scoreMaximum must be above 0.';
  if (b.comment !== undefined && typeof b.comment !== 'string') return 'comment must be a string.';
  return undefined;
}

/** Moodle's AGS user ids are Moodle user ids; Canvas takes the LTI user id (sub) or the Canvas user id. */
function findUser(ctx: SimContext, userId: string) {
  const direct = ctx.state.users.get(userId);
  if (direct) return direct;
  if (ctx.profile.flavour === 'canvas') return [...ctx.state.users.values()].find((user) => user.ltiId === userId);
  return undefined;
}

function round(value: number): number {
  return Math.round(value * 100000) / 100000;
}
