import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';

/** Where Vite puts the console built from dashboards/console (vite.config.js). */
export const WEB_DIST = new URL('../../dist/console/', import.meta.url);
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8', '.svg': 'image/svg+xml' };

/**
 * Serves the built console: index.html (no-cache, so a new build is picked up) and the hashed assets
 * (immutable). Read once at start; without a build, / says how to make one.
 */
export const webRoutes: FastifyPluginAsync = async (app) => {
  const index = new URL('index.html', WEB_DIST);
  if (!existsSync(index)) {
    app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => reply.status(503).type('text/plain; charset=utf-8')
      .send('The console is not built: run "npm run build -w @liftwatch/dashboards" (npm start and npm test do it), then reload.'));
    return;
  }
  const html = readFileSync(index);
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => reply.type(TYPES['.html']!).header('cache-control', 'no-cache').send(html));
  const assets = new URL('assets/', WEB_DIST);
  const files = new Map<string, Buffer>();
  for (const name of existsSync(assets) ? readdirSync(assets) : []) files.set(name, readFileSync(new URL(name, assets)));
  app.get<{ Params: { file: string } }>('/assets/:file', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const body = files.get(req.params.file);
    if (!body) return reply.status(404).send({ error: { code: 'LW_ERR_NOT_FOUND', message: `no asset ${req.params.file}: rebuild the console and reload the page` } });
    const ext = req.params.file.slice(req.params.file.lastIndexOf('.'));
    return reply.type(TYPES[ext] ?? 'application/octet-stream').header('cache-control', 'public, max-age=31536000, immutable').send(body);
  });
};
