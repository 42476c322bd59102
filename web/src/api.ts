/** Calls to the server that served this page (same origin, so nothing leaves the machine). */
import type { Prediction } from '../../src/infer/types.js';

export interface ModelListing {
  default: string;
  models: { name: string; arch: string; test_accuracy?: number; default: boolean; channels?: string[]; browser?: boolean }[];
}

interface ApiError {
  error: string;
}

/** The server's own one-line answer to a bad request (shown as the detail of a user message). */
export class ServerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerError';
  }
}

async function json<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => ({ error: `HTTP ${res.status}` }))) as T | ApiError;
  if (!res.ok) throw new ServerError((body as ApiError).error ?? `HTTP ${res.status}`);
  return body as T;
}

export async function listModels(): Promise<ModelListing> {
  return json<ModelListing>(await fetch('/models'));
}

export async function fetchBundle(name: string): Promise<Uint8Array> {
  const res = await fetch(`/models/${encodeURIComponent(name)}/bundle`);
  if (!res.ok) await json(res);
  return new Uint8Array(await res.arrayBuffer());
}

/** POST /predict with rows keyed by channel name, answered in the library's Prediction shape. */
export async function predictOnServer(model: string, rows: Record<string, number>[], topK: number): Promise<Prediction> {
  const res = await fetch('/predict', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, rows, top_k: topK }),
  });
  const body = await json<{ jamo: string; index: number; confidence: number; top_k: Prediction['topK'] }>(res);
  return { jamo: body.jamo, index: body.index, confidence: body.confidence, topK: body.top_k };
}

export interface SampleListing {
  samples: { name: string; jamo: string }[];
}

export async function listSamples(): Promise<SampleListing> {
  return json<SampleListing>(await fetch('/samples'));
}

export async function fetchSample(name: string): Promise<string> {
  const res = await fetch(`/samples/${encodeURIComponent(name)}`);
  if (!res.ok) await json(res);
  return res.text();
}
