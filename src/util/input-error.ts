/**
 * Errors about the user's input (a missing folder, a damaged file, an unknown source, a text the
 * glove cannot spell): the message says what is wrong and is shown alone, and the error carries
 * its exit code, so the CLI maps errors by this marker instead of by a list of class names.
 */
export class InputError extends Error {
  /** The message is meant for the user as is (no stack trace). */
  readonly userFacing = true;
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** The error when it is meant for the user (an InputError, also after structured cloning keeps its fields), else undefined. */
export function userFacing(err: unknown): { message: string; exitCode: number } | undefined {
  const e = err as { userFacing?: unknown; exitCode?: unknown; message?: unknown } | null;
  if (e === null || typeof e !== 'object' || e.userFacing !== true || typeof e.message !== 'string') return undefined;
  return { message: e.message, exitCode: typeof e.exitCode === 'number' ? e.exitCode : 2 };
}
