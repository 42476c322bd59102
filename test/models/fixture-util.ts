/** Loading the PyTorch parity fixtures (../shared/fixtures/torch-parity) into models. */
import type { Kernels } from '../../src/nn/kernels.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createModel, defaultConfig, type ArchConfig, type Model, type StateDict } from '../../src/models/index.js';
import { PARITY_DIR } from '../shared.js';

export interface FTensor { shape: number[]; data: number[] }
export interface Fixture {
  name: string;
  config: { arch: string; hidden: number; layers?: number; input_dense?: number; cnn_filters?: number; kernels?: number[]; stacked?: boolean };
  input: FTensor;
  target: number[];
  state_dict: Record<string, FTensor>;
  logits_eval: FTensor;
  train: {
    logits: FTensor; loss: number; grads: Record<string, FTensor>; bn_running_after: Record<string, FTensor>;
    adamw: { lr: number; betas: [number, number]; eps: number; weight_decay: number };
    params_after_step: Record<string, FTensor>;
  };
}

export const PARITY_FIXTURES = ['gru', 'gru_plain', 'stacked_gru', 'lstm', 'cnn_gru', 'cnn_stacked_gru', 'ms_gru', 'ms_stacked_gru'];

export function readFixture<T = Fixture>(name: string): T {
  return JSON.parse(readFileSync(path.join(PARITY_DIR, `${name}.json`), 'utf8')) as T;
}

/** The fixture's architecture as an ArchConfig with every dropout 0 (the fixtures' train part uses none). */
export function fixtureConfig(f: Pick<Fixture, 'config'>, numClasses = 24): ArchConfig {
  const c = f.config;
  const base = defaultConfig(c.arch, 8, numClasses);
  const cnn = c.kernels !== undefined;
  return {
    ...base,
    hidden: c.hidden,
    headHidden: 2 * c.hidden,
    layers: cnn ? (c.stacked ? 2 : 1) : c.layers!,
    inputDense: c.input_dense ?? 0,
    filters: c.cnn_filters ?? base.filters,
    kernels: c.kernels ?? [],
    rnnDropout: 0,
    headDropout: 0,
    cnnDropout: 0,
  };
}

export function toStateDict(sd: Record<string, FTensor>): StateDict {
  return new Map(Object.entries(sd).map(([k, v]) => [k, { shape: v.shape, data: Float32Array.from(v.data) }]));
}

export function fixtureModel(f: Fixture, kernels?: Kernels): Model {
  const m = createModel(fixtureConfig(f), { seed: 1, kernels });
  m.loadStateDict(toStateDict(f.state_dict));
  return m;
}

/** Largest |a−b| and largest |a−b|/max(|b|, floor). */
export function maxErr(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-6): { abs: number; rel: number } {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let abs = 0;
  let rel = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    abs = Math.max(abs, d);
    rel = Math.max(rel, d / Math.max(Math.abs(b[i]!), floor));
  }
  return { abs, rel };
}
