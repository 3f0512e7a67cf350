/**
 * What every Canvas REST API (/api/v1) answer goes through, as canvas-lms does it: the request
 * throttle (app/middleware/request_throttle.rb: a leaky bucket per access token, X-Request-Cost and
 * X-Rate-Limit-Remaining on every answer, "403 Forbidden (Rate Limit Exceeded)" when full), Bearer
 * access tokens (invalid/expired/revoked → 401 with WWW-Authenticate: Bearer realm="canvas-lms"),
 * enforced developer-key scopes (401 "Insufficient scopes on access token.", checked before the
 * resource is looked up), permissions (401 "user not authorized to perform that action", no
 * WWW-Authenticate) and pagination (lib/api.rb: per_page ≤ 100, Link rel current/next/prev/first/last).
 */
import type { NextFunction, Request, Response } from 'express';
import { canvasId, type CanvasAccessToken, type CanvasArea, type CanvasState } from './canvas-model.ts';
import type { SimContext } from './context.ts';

const MAX_PER_PAGE = 100;
const DEFAULT_PER_PAGE = 10;

export interface CanvasRequest {
  readonly token: CanvasAccessToken;
  readonly query: URLSearchParams;
}

/** Failure injection, throttle and authentication for every /api/v1 request; sets res.locals.canvas. */
export function canvasGate(ctx: SimContext, canvas: CanvasState) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const arrived = ctx.now();
    let remaining: number | undefined;
    res.on('finish', () => {
      const userId = bearer ? canvas.tokens.get(bearer)?.userId : undefined;
      canvas.log.push({ method: req.method, path: req.originalUrl, status: res.statusCode, userId, remaining, at: arrived });
    });
    if (canvas.failNext > 0) {
      canvas.failNext -= 1;
      res.status(503).type('text/plain').send('503 Service Unavailable');
      return;
    }
    const key = bearer ?? `ip:${req.ip ?? ''}`;
    const bucket = leak(canvas, key, arrived);
    if (bucket.level >= canvas.throttle.capacity) {
      remaining = 0;
      res.status(403).set({ 'X-Request-Cost': '0', 'X-Rate-Limit-Remaining': '0.0' }).type('text/plain').send('403 Forbidden (Rate Limit Exceeded)\n');
      return;
    }
    bucket.level += canvas.throttle.requestCost;
    remaining = Math.max(0, canvas.throttle.capacity - bucket.level);
    res.set({ 'X-Request-Cost': String(canvas.throttle.requestCost), 'X-Rate-Limit-Remaining': remaining.toFixed(3) });
    const token = bearer ? canvas.tokens.get(bearer) : undefined;
    if (!bearer) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="canvas-lms"').json({ status: 'unauthenticated', errors: [{ message: 'user authorization required' }] });
      return;
    }
    if (!token || token.revoked || (token.expiresAt !== undefined && token.expiresAt <= arrived)) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="canvas-lms"').json({ errors: [{ message: 'Invalid access token.' }] });
      return;
    }
    const query = new URLSearchParams(req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '');
    res.locals.canvas = { token, query } satisfies CanvasRequest;
    next();
  };
}

function leak(canvas: CanvasState, key: string, now: number): { level: number; at: number } {
  let bucket = canvas.buckets.get(key);
  if (!bucket) canvas.buckets.set(key, (bucket = { level: 0, at: now }));
  bucket.level = Math.max(0, bucket.level - (Math.max(0, now - bucket.at) / 1000) * canvas.throttle.leakPerSecond);
  bucket.at = now;
  return bucket;
}

/** Developer-key scope check (url:GET|<route>), which Canvas makes while loading the user, before the route runs. */
export function requireScope(res: Response, scope: string): CanvasRequest | undefined {
  const request = res.locals.canvas as CanvasRequest;
  if (request.token.scopes && !request.token.scopes.includes(scope)) {
    res.status(401).json({ errors: [{ message: 'Insufficient scopes on access token.' }] });
    return undefined;
  }
  return request;
}

export function notFound(res: Response): void {
  res.status(404).json({ errors: [{ message: 'The specified resource does not exist.' }] });
}

/** Whether the token's user may read `area` in the course: account admins and the course's teachers, unless denied. */
export function mayRead(ctx: SimContext, canvas: CanvasState, userId: string, courseId: string, area: CanvasArea): boolean {
  if (canvas.deniedAreas.get(userId)?.has(area)) return false;
  if (canvas.accountAdmins.has(userId)) return true;
  const role = ctx.state.roleOf(courseId, userId);
  return role === 'Instructor' || role === 'Administrator';
}

export function unauthorized(res: Response): void {
  res.status(401).json({ status: 'unauthorized', errors: [{ message: 'user not authorized to perform that action' }] });
}

/** One page of `items` with Canvas's Link header (absolute URLs, every other query parameter kept). */
export function canvasPage<T>(ctx: SimContext, req: Request, res: Response, items: readonly T[]): T[] {
  const query = (res.locals.canvas as CanvasRequest).query;
  const asked = Number(query.get('per_page'));
  const perPage = Number.isInteger(asked) && asked > 0 ? Math.min(asked, MAX_PER_PAGE) : DEFAULT_PER_PAGE;
  const pageAsked = Number(query.get('page'));
  const page = Number.isInteger(pageAsked) && pageAsked > 0 ? pageAsked : 1;
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const kept = new URLSearchParams(query);
  for (const name of ['page', 'per_page', 'access_token']) kept.delete(name);
  const base = `${ctx.baseUrl()}${req.originalUrl.split('?')[0]}?${kept.toString() ? `${kept.toString()}&` : ''}`;
  const link = (n: number, rel: string) => `<${base}page=${n}&per_page=${perPage}>; rel="${rel}"`;
  const links = [link(page, 'current')];
  if (page < last) links.push(link(page + 1, 'next'));
  if (page > 1) links.push(link(page - 1, 'prev'));
  links.push(link(1, 'first'), link(last, 'last'));
  res.set('Link', links.join(','));
  return items.slice((page - 1) * perPage, page * perPage);
}

/** The repeated parameter `name[]` (Canvas's array parameters), e.g. include[]=items. */
export function listParam(res: Response, name: string): string[] {
  return (res.locals.canvas as CanvasRequest).query.getAll(`${name}[]`);
}

export function userJson(user: { id: string; name: string; givenName: string; familyName: string; email: string }, withEmail: boolean): Record<string, unknown> {
  return {
    id: canvasId(user.id),
    name: user.name,
    created_at: '2025-08-01T09:00:00Z',
    sortable_name: user.familyName ? `${user.familyName}, ${user.givenName}` : user.name,
    short_name: user.givenName || user.name,
    ...(withEmail ? { email: user.email } : {}),
  };
}
