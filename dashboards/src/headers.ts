import type { FastifyHelmetOptions } from '@fastify/helmet';

/**
 * Security headers on every answer (the console, /api/*, /docs, errors and the live stream), from
 * @fastify/helmet: a Content-Security-Policy that lets pages load only this origin's scripts, styles,
 * images and connections (the console and Swagger UI need no inline script), `frame-ancestors 'none'`
 * with `X-Frame-Options: DENY` so that no other page (another port is another origin) can frame the
 * logged-in console and trick clicks out of it, and `X-Content-Type-Options: nosniff`.
 * `upgrade-insecure-requests` is left out: liftwatch is often reached over plain HTTP on a LAN
 * address, where upgrading its own requests to HTTPS would break the page.
 */
export const SECURITY_HEADERS: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
};
