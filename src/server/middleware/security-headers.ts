import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';

/** One CSP for every page we serve: nothing inline, nothing from elsewhere. */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The security headers of every response, pages and API alike. */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: 'no-referrer',
  });
}

/** CORS for the listed origins only; without this middleware the app is same-origin only. */
export function allowedOrigins(origins: string[]): MiddlewareHandler {
  return cors({
    origin: origins,
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['Content-Type', 'Accept'],
    // The widget on an allowed page reads it to count down before Retry.
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
  });
}
