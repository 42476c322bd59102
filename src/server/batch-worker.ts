/**
 * Worker thread of BatchOffload: a large /predict/batch body is parsed, validated, converted and
 * predicted here, so the server's event loop never spends the hundreds of milliseconds that
 * JSON.parse and schema validation of a 512-episode body take. Same schema, same error bodies and
 * same response as the route on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Predictor } from '../infer/core.js';
import { selectKernels } from '../nn/select-kernels.js';
import { BatchRequest } from './schemas.js';
import { rowsToEpisode } from './episode.js';
import { ApiError, summarize, zodIssues, type ErrorBody } from './errors.js';
import { toJson } from './routes/predict.js';

export type BatchJobReply =
  | { id: number; body: string }
  | { id: number; error: { status: number; body: ErrorBody } }
  /** The body names another model: the main thread answers it. */
  | { id: number; fallback: true };

const port = parentPort!;
const predictor = Predictor.fromBytes(workerData.bundle as Uint8Array, workerData.name as string, selectKernels('auto'));
const name = predictor.info.name;

function fail(id: number, err: ApiError): BatchJobReply {
  const body: ErrorBody = { error: err.message, code: err.code };
  if (err.issues?.length) body.issues = err.issues;
  return { id, error: { status: err.status, body } };
}

function handle(id: number, text: string): BatchJobReply {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail(id, new ApiError(400, 'malformed_json', 'malformed JSON in request body (it must be one JSON object; NaN and Infinity are not JSON)'));
  }
  const r = BatchRequest.safeParse(raw);
  if (!r.success) {
    const issues = zodIssues(r.error.issues);
    return fail(id, new ApiError(400, 'invalid_request', summarize(issues), issues));
  }
  const body = r.data;
  if (body.model !== undefined && body.model !== name) return { id, fallback: true };
  try {
    const episodes = body.episodes.map((e, i) => rowsToEpisode(e.rows, predictor.info.channels, body.channels, `episodes[${i}].rows`));
    const preds = predictor.predictBatch(episodes, { topK: body.top_k });
    const predictions = preds.map((p, i) => ({ ...(body.episodes[i]!.id !== undefined ? { id: body.episodes[i]!.id } : {}), ...toJson(p, episodes[i]!.length) }));
    return { id, body: JSON.stringify({ model: name, predictions }) };
  } catch (err) {
    if (err instanceof ApiError) return fail(id, err);
    throw err;
  }
}

port.on('message', (m: { id: number; text: string }) => {
  try {
    port.postMessage(handle(m.id, m.text));
  } catch (err) {
    port.postMessage({ id: m.id, error: { status: 500, body: { error: 'internal server error', code: 'internal' } } } satisfies BatchJobReply);
    console.error('signglove serve: batch worker error', err);
  }
});
port.postMessage({ ready: true });
