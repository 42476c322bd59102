/** An error whose message is meant for the user as is (no stack trace), with the exit code to use. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UserError';
  }
}
