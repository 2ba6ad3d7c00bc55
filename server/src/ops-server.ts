import { createServer, type Server } from 'node:http';
import type { Readiness } from '@liftwatch/dashboards';

/**
 * The HTTP server of a node without the dashboards role: /healthz and /readyz for the orchestrator's
 * checks and /metrics for Prometheus, nothing else (every other path is 404).
 */
export function createOpsServer(metrics: { text(): Promise<string>; contentType: string }, readiness: () => Readiness = () => ({ ready: true, checks: [] })): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    } else if (req.method === 'GET' && path === '/readyz') {
      const r = readiness();
      res.writeHead(r.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(r));
    } else if (req.method === 'GET' && path === '/metrics') {
      metrics.text().then((text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text), (err: unknown) => res.writeHead(500).end(String(err)));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'LW_ERR_NOT_FOUND', message: `${path} is not served here: this node runs without the dashboards role (setting roles)` } }));
    }
  });
}
