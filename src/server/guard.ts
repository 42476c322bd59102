/**
 * Who may talk to the server. A web page on another site open in the user's browser must not
 * read their glove over `ws://127.0.0.1:8000/stream` or reset their text, and a DNS-rebinding
 * page must not reach the API under its own name. So, by default:
 *  - Host must be an IP address, `localhost`, this machine's name, or the host of an allowed origin;
 *  - a request carrying Origin (every browser WebSocket and cross-site fetch does) must come from
 *    the page's own origin (same host:port) or from an origin named with `serve --allow-origin`.
 * Clients that send no Origin (the CLI, curl, scripts, a glove bridge) are not browsers and pass.
 */
import { isIP } from 'node:net';
import os from 'node:os';
import type { MiddlewareHandler } from 'hono';
import { ApiError, errorJson } from './errors.js';

export interface AccessPolicy {
  /** Exact origins (scheme://host[:port]) allowed besides the server's own, e.g. https://app.example. */
  allowOrigins?: readonly string[];
}

/** `http://Example.com:80/` → `http://example.com`; throws on anything that is not an http(s) origin. */
export function normaliseOrigin(origin: string): string {
  const u = new URL(origin);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`'${origin}' is not an http(s) origin`);
  if (u.pathname !== '/' || u.search || u.hash || u.username) throw new Error(`'${origin}' is not an origin (scheme://host[:port], no path)`);
  return u.origin;
}

/** The host name of a Host header value, lower case, without port or IPv6 brackets. */
function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  const i = h.lastIndexOf(':');
  return i >= 0 && h.indexOf(':') === i ? h.slice(0, i) : h;
}

export function accessGuard(policy: AccessPolicy = {}): MiddlewareHandler {
  const allowed = new Set((policy.allowOrigins ?? []).map(normaliseOrigin));
  const me = os.hostname().toLowerCase();
  const names = new Set(['localhost', me, `${me}.local`, ...[...allowed].map((o) => new URL(o).hostname)]);
  const hostOk = (name: string): boolean => isIP(name) !== 0 || names.has(name) || name.endsWith('.localhost');
  return async (c, next) => {
    const host = c.req.header('host');
    if (host !== undefined && !hostOk(hostName(host))) {
      return errorJson(c, new ApiError(403, 'host_not_allowed', `Host '${host.slice(0, 100)}' is not allowed: use an IP address, localhost or this machine's name`));
    }
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      let o: string | undefined;
      try {
        o = new URL(origin).origin;
      } catch {
        o = undefined;
      }
      const sameOrigin = o !== undefined && host !== undefined && new URL(o).host === host.toLowerCase();
      if (!sameOrigin && !(o !== undefined && allowed.has(o))) {
        return errorJson(
          c,
          new ApiError(403, 'origin_not_allowed', `Origin '${origin.slice(0, 100)}' is not allowed; start the server with --allow-origin ORIGIN to let that site's pages connect`),
        );
      }
    }
    await next();
  };
}

/** Security headers on every response: no MIME sniffing, no framing, a strict content security policy on pages. */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('X-Frame-Options', 'DENY');
    h.set('Referrer-Policy', 'no-referrer');
    // A route that needs another policy (/docs) sets its own.
    if ((h.get('content-type') ?? '').startsWith('text/html') && !h.has('Content-Security-Policy')) {
      h.set(
        'Content-Security-Policy',
        // 'wasm-unsafe-eval': the page runs the model with the WebAssembly kernels; connect-src 'self' covers the same-origin WebSocket.
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; " +
          "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      );
    }
  };
}
