import { InputError } from '../util/input-error.js';

/** An error whose message is meant for the user as is (no stack trace), with the exit code to use. */
export class UserError extends InputError {
  constructor(message: string, exitCode = 2) {
    super(message, exitCode);
    this.name = 'UserError';
  }
}

/** Runs `f`; what it throws (or its promise rejects with) is about the user's input: a UserError with the same message. */
export function asUserError<T>(f: () => T): T {
  const toUser = (err: unknown): never => {
    throw new UserError(err instanceof Error ? err.message : String(err));
  };
  try {
    const r = f();
    return (r instanceof Promise ? r.catch(toUser) : r) as T;
  } catch (err) {
    return toUser(err);
  }
}
