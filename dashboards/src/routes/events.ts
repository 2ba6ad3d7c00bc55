import type { FastifyPluginAsync } from 'fastify';
import type { Change, DashboardDeps } from '../deps.js';
import { readLifts } from '../lift-reads.js';

/**
 * GET /api/events: server-sent events that keep the page current without a reload. An alert change
 * is sent at once as `alerts`; changed lift summaries are gathered and sent every `intervalMs` as
 * `lifts`, so a busy fleet costs one message per interval, not one per record.
 */
export const eventRoutes: FastifyPluginAsync<{ deps: DashboardDeps; intervalMs: number }> = async (app, { deps, intervalMs }) => {
  const open = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const stop of [...open]) stop();
  });

  app.get('/api/events', { config: { access: 'read' } }, (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify({ at: Date.now() })}\n\n`);

    const lifts = new Set<string>();
    // Alerts go out at once (a P1 must not wait); lift summaries are gathered per interval.
    const canSee = req.lw!.canSee;
    const unsubscribe = deps.changes.subscribe((c: Change) => {
      if (c.kind === 'lifts') for (const id of c.liftIds) lifts.add(id);
      else if (canSee(c.alert.liftId)) res.write(`event: alerts\ndata: ${JSON.stringify([c.alert])}\n\n`);
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
    const stop = () => {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      open.delete(stop);
      res.end();
    };
    open.add(stop);
    req.raw.on('close', stop);
  });
};
