/** The --queue URL, checked before BullMQ is loaded. Portable: no Node imports. */
import { InputError } from '../util/input-error.js';

/** Only redis:// and rediss:// URLs; anything else is the user's to fix. */
export function checkRedisUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(`--queue needs a Redis URL such as redis://host:6379, got '${url}'`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new InputError(`--queue needs a redis:// URL, got '${url}'`);
  return url;
}
