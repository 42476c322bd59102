/** The --queue URL, checked before BullMQ is loaded. Portable: no Node imports. */

/** Only redis:// and rediss:// URLs; anything else is the user's to fix. */
export function checkRedisUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw Object.assign(new Error(`--queue needs a Redis URL such as redis://host:6379, got '${url}'`), { name: 'UserError' });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw Object.assign(new Error(`--queue needs a redis:// URL, got '${url}'`), { name: 'UserError' });
  return url;
}
