/**
 * `GET|POST <site>/webservice/rest/server.php`: Moodle's REST web-service entry point with a
 * permanent token (webservice/lib.php webservice_base_server::run): authenticate the token, require
 * webservice/rest:use, find the function, require it in the token's external service, validate
 * and run it. Every Moodle exception is an HTTP 200 answer in the requested format.
 */
import express from 'express';
import type { SimContext } from './context.ts';
import { WS_FUNCTIONS } from './moodle-ws-functions.ts';
import type { MoodleWsState } from './moodle-ws-model.ts';
import { MoodleException, accessException, errorBody, invalidToken, missingRecord, phpParams, responseBody, type PhpValue } from './moodle-ws-protocol.ts';

export function moodleWsRoutes(ctx: SimContext, moodle: MoodleWsState): express.Router {
  const router = express.Router();
  const form = express.text({ type: 'application/x-www-form-urlencoded', limit: '256kb' });

  router.all('/webservice/rest/server.php', form, (req, res) => {
    if (req.method !== 'GET' && req.method !== 'POST') return void res.status(405).end();
    if (moodle.failNext.count > 0) {
      moodle.failNext.count -= 1;
      moodle.log.push({ wsfunction: '', outcome: `HTTP ${moodle.failNext.status}` });
      return void res.status(moodle.failNext.status).type('html').send('<html><body><h1>Service Unavailable</h1></body></html>');
    }
    // array_merge($_GET, $_POST): body fields win over the query string.
    const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
    const body = new URLSearchParams(typeof req.body === 'string' ? req.body : '');
    const params: Record<string, PhpValue> = { ...phpParams(query), ...phpParams(body) };
    const format = params.moodlewsrestformat === 'json' ? 'json' : 'xml';
    const wsfunction = typeof params.wsfunction === 'string' ? params.wsfunction : '';
    for (const reserved of ['moodlewsrestformat', 'wstoken', 'wsfunction']) delete params[reserved];
    res.set('Cache-Control', 'private, must-revalidate, pre-check=0, post-check=0, max-age=0');
    res.type(format === 'json' ? 'application/json' : 'application/xml; charset=utf-8');
    try {
      const token = moodle.tokens.get(body.get('wstoken') ?? query.get('wstoken') ?? '');
      if (!token || token.revoked) throw invalidToken();
      if (!token.capabilities.has('webservice/rest:use')) throw accessException();
      const fn = WS_FUNCTIONS[wsfunction];
      if (!fn) throw missingRecord('external_functions');
      if (!token.functions.has(wsfunction)) throw accessException();
      const value = fn(ctx, moodle, { token, params });
      moodle.log.push({ wsfunction, outcome: 'ok' });
      res.send(responseBody(value, format));
    } catch (error) {
      if (!(error instanceof MoodleException)) throw error;
      moodle.log.push({ wsfunction, outcome: error.errorcode });
      res.send(errorBody(error, format));
    }
  });
  return router;
}
