import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { tokenOf } from '../auth/guard.js';
import type { Change, DashboardDeps } from '../deps.js';
import { readLifts } from '../lift-reads.js';

export interface EventRouteOptions {
  deps: DashboardDeps;
  intervalMs: number;
  /** How often a stream's session is checked again (expired, or closed on a node the feed did not reach), ms. */
  sessionCheckMs: number;
}

/**
 * GET /api/events: server-sent events that keep the page current without a reload. An alert change
 * is sent at once as `alerts`; changed lift summaries are gathered and sent every `intervalMs` as
 * `lifts`, so a busy fleet costs one message per interval, not one per record. A stream ends with a
 * `closed` event as soon as its user's sessions are closed (disabled, new password: the `sessions`
 * change of any node), and within `sessionCheckMs` when its session expires.
 */
export const eventRoutes: FastifyPluginAsync<EventRouteOptions> = async (app, { deps, intervalMs, sessionCheckMs }) => {
  const open = new Set<() => void>();
  // preClose, not onClose: the server waits for open requests before onClose, and a live stream never ends by itself.
  app.addHook('preClose', async () => {
    for (const stop of [...open]) stop();
  });

  app.get('/api/events', {
    config: { access: 'read', scope: 'list' },
    schema: {
      description: 'Server-sent events: hello, then alerts (at once) and lifts (gathered per interval) that you may see, and closed when your session ends',
      produces: ['text/event-stream'],
      response: { 200: Type.String({ description: 'text/event-stream' }) },
    },
  }, (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify({ at: Date.now() })}\n\n`);

    const lifts = new Set<string>();
    const { canSee, user } = req.lw!;
    const token = tokenOf(req)!;
    // Alerts go out at once (a P1 must not wait); lift summaries are gathered per interval.
    const unsubscribe = deps.changes.subscribe((c: Change) => {
      if (c.kind === 'lifts' || c.kind === 'liftsSeen') for (const id of c.liftIds) lifts.add(id);
      else if (c.kind === 'alert') {
        if (canSee(c.alert.liftId)) res.write(`event: alerts\ndata: ${JSON.stringify([c.alert])}\n\n`);
      } else if (c.userId === user.id) {
        stop('the session was closed (user changed or disabled): log in again');
      }
    });
    // One read at a time: with a shared store the read may take longer than the interval.
    let reading = false;
    let stopped = false;
    const timer = setInterval(() => {
      if (lifts.size === 0 || reading) return;
      const ids = [...lifts].filter((id) => canSee(id));
      lifts.clear();
      reading = true;
      readLifts(deps, ids).then((summaries) => {
        if (summaries.length > 0 && !stopped) res.write(`event: lifts\ndata: ${JSON.stringify(summaries)}\n\n`);
      }, (err: unknown) => {
        req.log.warn(`live feed: reading ${ids.length} lifts failed: ${String(err)}`);
      }).finally(() => {
        reading = false;
      });
    }, intervalMs);
    const sessionTimer = setInterval(() => {
      Promise.resolve(deps.users.sessionUser(token)).then((u) => {
        if (!u || u.mustChangePassword) stop('the session has expired or was closed: log in again');
      }, (err: unknown) => req.log.warn(`live feed: checking the session of ${user.id} failed: ${String(err)}`));
    }, sessionCheckMs);
    const stop = (reason?: string) => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      clearInterval(sessionTimer);
      unsubscribe();
      open.delete(end);
      if (reason) res.write(`event: closed\ndata: ${JSON.stringify({ reason })}\n\n`);
      // The connection goes with the stream: kept alive, it would hold a closing server for its keep-alive time.
      const socket = res.socket;
      res.end(() => socket?.destroy());
    };
    const end = () => stop();
    open.add(end);
    req.raw.on('close', end);
    res.on('close', end);
  });
};
