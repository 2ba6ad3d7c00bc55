import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ApiError } from '@liftwatch/contract';

/** Where Vite puts the console built from dashboards/console (vite.config.js). */
export const WEB_DIST = new URL('../../dist/console/', import.meta.url);
/** The console's pages and files: public, not part of the API's documentation. */
const PAGE = { config: { access: 'public', scope: 'none' }, schema: { hide: true, response: { 200: Type.String({ description: 'The page' }), 503: Type.String({ description: 'Why the console is not there' }) } } } as const;
const ASSET = { config: { access: 'public', scope: 'none' }, schema: { hide: true, response: { 200: Type.String({ description: 'The file' }), 404: ApiError } } } as const;
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8', '.svg': 'image/svg+xml' };

/**
 * Serves the built console: index.html (no-cache, so a new build is picked up) and the hashed assets
 * (immutable). Read once at start; without a build, / says how to make one.
 */
export const webRoutes: FastifyPluginAsync = async (app) => {
  const index = new URL('index.html', WEB_DIST);
  if (!existsSync(index)) {
    app.get('/', PAGE, async (_req, reply) => reply.status(503).type('text/plain; charset=utf-8')
      .send('The console is not built: run "npm run build -w @liftwatch/dashboards" (npm start and npm test do it), then reload.'));
    return;
  }
  const html = readFileSync(index);
  app.get('/', PAGE, async (_req, reply) => reply.type(TYPES['.html']!).header('cache-control', 'no-cache').send(html));
  const assets = new URL('assets/', WEB_DIST);
  const files = new Map<string, Buffer>();
  for (const name of existsSync(assets) ? readdirSync(assets) : []) files.set(name, readFileSync(new URL(name, assets)));
  app.get<{ Params: { file: string } }>('/assets/:file', ASSET, async (req, reply) => {
    const body = files.get(req.params.file);
    if (!body) return reply.status(404).send({ error: { code: 'LW_ERR_NOT_FOUND', message: `no asset ${req.params.file}: rebuild the console and reload the page` } });
    const ext = req.params.file.slice(req.params.file.lastIndexOf('.'));
    return reply.type(TYPES[ext] ?? 'application/octet-stream').header('cache-control', 'public, max-age=31536000, immutable').send(body);
  });
};
