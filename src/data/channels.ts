/** Turning a user's channel list (`--channels`) into channel names. */
import { ALL_CHANNELS, DEFAULT_CHANNELS } from './types.js';

/**
 * Parse a comma-separated channel list (`derived`: names computed from raw channels that are also
 * allowed, e.g. the pipeline's gravity inputs `grav_x..z`). Items are channel names, `default` (the 8 reference
 * channels), or ranges written `flex1..flex5`, `flex1..5`, `accel_x..accel_z` or `accel_x..z`.
 * Example: `default,accel_x..z` → the 8 defaults then accel_x, accel_y, accel_z.
 * Throws an Error naming the bad item and the valid names.
 */
export function parseChannelList(spec: string, derived: readonly string[] = []): string[] {
  const names = [...ALL_CHANNELS, ...derived];
  const out: string[] = [];
  for (const raw of spec.split(',')) {
    const item = raw.trim().toLowerCase();
    if (item === '') continue;
    if (item === 'default') out.push(...DEFAULT_CHANNELS);
    else if (item.includes('..')) out.push(...expandRange(item, names));
    else out.push(checkName(item, names));
  }
  if (out.length === 0) throw new Error(`no channels in '${spec}'`);
  const dup = out.find((c, i) => out.indexOf(c) !== i);
  if (dup !== undefined) throw new Error(`channel '${dup}' is listed twice in '${spec}'`);
  return out;
}

function checkName(name: string, names: readonly string[]): string {
  if (!names.includes(name)) throw new Error(`unknown channel '${name}'; known channels: ${names.join(', ')}`);
  return name;
}

/** `flex1..5` → flex1..flex5: the end may drop the prefix shared with the start. */
function expandRange(item: string, all: readonly string[]): string[] {
  const [from, toRaw] = item.split('..') as [string, string];
  const start = checkName(from, all);
  const prefix = start.slice(0, -1);
  const end = checkName(toRaw.length === 1 ? prefix + toRaw : toRaw, all);
  const a = all.indexOf(start);
  const b = all.indexOf(end);
  if (b < a || end.slice(0, -1) !== prefix) {
    throw new Error(`bad channel range '${item}'; write e.g. flex1..flex5 or accel_x..z`);
  }
  return all.slice(a, b + 1);
}
