/**
 * What AGS and NRPS endpoints share: RFC 6750 Bearer access tokens checked for expiry and scope,
 * which course and tool a request is about, and paging with RFC 8288 Link headers (AGS 2.0 §3.2.4,
 * NRPS 2.0 §3.7: `limit` asks for a page size, rel="next" leads to the following page).
 */
import type { Request, Response } from 'express';
import type { SimContext } from './context.ts';
import type { AccessToken, SimCourse, SimTool } from './model.ts';

/** The valid access token of the request when it carries one of `scopes`; otherwise answers 401/403 and returns undefined. */
export function requireToken(ctx: SimContext, req: Request, res: Response, scopes: readonly string[]): AccessToken | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  const token = match?.[1] ? ctx.state.accessTokens.get(match[1]) : undefined;
  if (!token || token.expiresAt <= ctx.now()) {
    res
      .status(401)
      .set('WWW-Authenticate', `Bearer error="invalid_token"`)
      .json({ error: 'invalid_token', error_description: token ? 'The access token has expired.' : 'A valid Bearer access token is required.' });
    return undefined;
  }
  if (!scopes.some((scope) => token.scopes.includes(scope))) {
    res
      .status(403)
      .set('WWW-Authenticate', `Bearer error="insufficient_scope", scope="${scopes.join(' ')}"`)
      .json({ error: 'insufficient_scope', error_description: `This operation needs one of: ${scopes.join(', ')}.` });
    return undefined;
  }
  return token;
}

/**
 * The course and the token's tool for a service URL. Moodle's URLs name the tool type
 * (`type_id` or `/bindings/<typeid>/`), which must be the token's tool; Canvas's do not.
 */
export function resolveScope(ctx: SimContext, req: Request, res: Response, token: AccessToken, typeId: string | undefined): { course: SimCourse; tool: SimTool } | undefined {
  const course = ctx.state.courses.get(String(req.params.courseId));
  const tool = ctx.state.tools.get(token.clientId);
  if (!course || !tool) {
    res.status(404).json({ error: 'not_found', error_description: 'No such course.' });
    return undefined;
  }
  if (ctx.profile.flavour === 'moodle' && typeId !== tool.typeId) {
    res.status(403).json({ error: 'forbidden', error_description: 'The type_id of this URL is not the tool the access token was issued to.' });
    return undefined;
  }
  return { course, tool };
}

export function paginate<T>(items: readonly T[], req: Request, res: Response, selfUrl: string): T[] {
  const limitRaw = typeof req.query.limit === 'string' ? Number(req.query.limit) : NaN;
  const limit = Number.isInteger(limitRaw) && limitRaw > 0 ? Math.min(limitRaw, 1000) : 1000;
  const pageRaw = typeof req.query.page === 'string' ? Number(req.query.page) : 1;
  const page = Number.isInteger(pageRaw) && pageRaw > 0 ? pageRaw : 1;
  const last = Math.max(1, Math.ceil(items.length / limit));
  const link = (n: number) => {
    const url = new URL(selfUrl);
    url.searchParams.set('limit', String(limit));
    url.searchParams.set('page', String(n));
    return url.toString();
  };
  const links = [`<${link(1)}>; rel="first"`, `<${link(last)}>; rel="last"`];
  if (page < last) links.unshift(`<${link(page + 1)}>; rel="next"`);
  if (page > 1) links.push(`<${link(page - 1)}>; rel="prev"`);
  if (limit < 1000 || items.length > limit) res.set('Link', links.join(', '));
  return items.slice((page - 1) * limit, page * limit);
}

/** The request URL as the client addressed it (for Link headers and container ids). */
export function requestUrl(ctx: SimContext, req: Request): string {
  return `${ctx.baseUrl()}${req.originalUrl}`;
}

/** Whether the request body has the media type the spec requires (Canvas also takes application/json). */
export function hasMediaType(ctx: SimContext, req: Request, mediaType: string): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === mediaType || (ctx.profile.flavour === 'canvas' && type === 'application/json');
}
