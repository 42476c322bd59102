import { ApiError, type Issue } from './errors.js';

type Row = number[] | Record<string, number>;

/**
 * Validated JSON rows → one episode in the model's channel order. Shape problems that the schema
 * cannot see (row width, missing channels) are reported per row, so a client can find them.
 */
export function rowsToEpisode(
  rows: Row[],
  modelChannels: readonly string[],
  given: readonly string[] | undefined,
  where = 'rows',
): { channels: string[]; data: Float32Array; length: number } {
  const C = modelChannels.length;
  const data = new Float32Array(rows.length * C);
  const issues: Issue[] = [];
  const order = given ?? modelChannels;
  // Where each model channel sits in an array row.
  const col = modelChannels.map((ch) => order.indexOf(ch));
  if (given) {
    const missing = modelChannels.filter((_, i) => col[i]! < 0);
    if (missing.length) {
      throw new ApiError(400, 'invalid_request', `channels: missing ${missing.join(', ')}; the model needs ${modelChannels.join(', ')}`);
    }
  }
  for (let t = 0; t < rows.length && issues.length < 20; t++) {
    const row = rows[t]!;
    if (Array.isArray(row)) {
      if (row.length !== order.length) {
        issues.push({ path: `${where}[${t}]`, message: `has ${row.length} values; expected ${order.length} (${order.join(', ')})` });
        continue;
      }
      for (let c = 0; c < C; c++) data[t * C + c] = row[col[c]!]!;
    } else {
      const missing = modelChannels.filter((ch) => typeof row[ch] !== 'number');
      if (missing.length) {
        issues.push({ path: `${where}[${t}]`, message: `is missing channel${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` });
        continue;
      }
      for (let c = 0; c < C; c++) data[t * C + c] = row[modelChannels[c]!]!;
    }
  }
  // Finite in JSON but beyond float32 (e.g. 1e300) would turn into Infinity inside the network.
  for (let i = 0; i < data.length && issues.length === 0; i++) {
    if (!Number.isFinite(data[i]!)) {
      issues.push({ path: `${where}[${Math.floor(i / C)}]`, message: `value for ${modelChannels[i % C]} is out of range` });
    }
  }
  if (issues.length) {
    const first = issues[0]!;
    throw new ApiError(400, 'invalid_shape', `${first.path} ${first.message}`, issues);
  }
  return { channels: [...modelChannels], data, length: rows.length };
}
