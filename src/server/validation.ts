import type { Hook } from '@hono/zod-openapi';
import { ApiError, summarize, zodIssues } from './errors.js';

export type AppEnv = { Variables: Record<string, never> };

/** Schema failures become one 400 with every located problem (thrown so `onError` formats it). */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (!result.success) {
    const issues = zodIssues(result.error.issues);
    throw new ApiError(400, 'invalid_request', summarize(issues), issues);
  }
};
