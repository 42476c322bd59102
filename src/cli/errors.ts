import { InputError } from '../util/input-error.js';

/** An error whose message is meant for the user as is (no stack trace), with the exit code to use. */
export class UserError extends InputError {
  constructor(message: string, exitCode = 2) {
    super(message, exitCode);
    this.name = 'UserError';
  }
}
