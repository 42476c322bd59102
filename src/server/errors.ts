import { HTTPException } from 'hono/http-exception';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from '@hono/zod-openapi';

/** One problem in a request, located by a path like `rows[3][2]`. */
export interface Issue {
  path: string;
  message: string;
}

/** The body of every error answer: a message a person can act on, and the details behind it. */
export interface ErrorBody {
  error: string;
  code: string;
  issues?: Issue[];
}

/** A client error with its status; thrown anywhere in a handler and turned into JSON by `onError`. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorJson(c: Context, err: ApiError): Response {
  const body: ErrorBody = { error: err.message, code: err.code };
  if (err.issues?.length) body.issues = err.issues;
  return c.json(body, err.status);
}

/** `rows[3][2]` from ['rows', 3, 2]. */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s || '(body)';
}

type ZodIssue = z.core.$ZodIssue;

/**
 * Zod's issues flattened to the most specific ones. For a union (a row may be an array or an
 * object) the branch that got furthest into the value explains the mistake best.
 */
export function zodIssues(issues: readonly ZodIssue[], prefix: readonly PropertyKey[] = []): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const best = issue.errors
        .map((branch) => zodIssues(branch, path))
        .sort((a, b) => depth(b) - depth(a))[0]!;
      out.push(...best);
      continue;
    }
    out.push({ path: formatPath(path), message: explain(issue) });
  }
  return out;
}

function depth(issues: Issue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

function explain(issue: ZodIssue): string {
  // JSON has no NaN or Infinity: JSON.stringify turns them into null, so say so.
  // (Zod names what it received only in the message text.)
  if (issue.code === 'invalid_type' && issue.expected === 'number') {
    const got = /received (\w+)/.exec(issue.message)?.[1] ?? 'something else';
    if (got === 'null') return 'expected a finite number, got null (NaN and Infinity become null in JSON)';
    return `expected a finite number, got ${got}`;
  }
  return issue.message;
}

/** Summary line for a list of issues: the first one, and how many more. */
export function summarize(issues: Issue[]): string {
  const first = issues[0];
  if (!first) return 'invalid request';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return `${first.path}: ${first.message}${more}`;
}

/**
 * Every thrown error becomes JSON. Client mistakes keep their 4xx; anything else is a real
 * server fault, logged, and answered 500 without internals.
 */
export function onError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return errorJson(c, err);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const msg = err.message || 'bad request';
    if (status === 415) {
      return errorJson(c, new ApiError(415, 'unsupported_media_type', 'send the body as JSON with the header Content-Type: application/json'));
    }
    if (/json/i.test(msg)) return errorJson(c, new ApiError(400, 'malformed_json', 'malformed JSON in request body (it must be one JSON object; NaN and Infinity are not JSON)'));
    return errorJson(c, new ApiError(status, status === 413 ? 'body_too_large' : 'bad_request', msg));
  }
  console.error('signglove serve: internal error', err);
  return c.json({ error: 'internal server error', code: 'internal' } satisfies ErrorBody, 500);
}

/** Unknown paths answer JSON too, naming what was asked for. */
export function notFound(c: Context): Response {
  return errorJson(c, new ApiError(404, 'not_found', `no such endpoint: ${c.req.method} ${new URL(c.req.url).pathname} (see /openapi.json)`));
}
