/** Waiting times between reconnection attempts: quick at first (a glove replugged at once), then every few seconds. */
export function backoffMs(attempt: number, firstMs = 200, maxMs = 3000): number {
  return Math.min(maxMs, firstMs * 2 ** Math.min(attempt, 10));
}
