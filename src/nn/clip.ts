/** Gradient-norm clipping like torch.nn.utils.clip_grad_norm_ (L2 norm over all gradients). */
import type { Param } from './param.js';

/** Scales every grad by maxNorm/(norm + 1e-6) when the total norm exceeds maxNorm; returns the norm before clipping. */
export function clipGradNorm(params: Param[], maxNorm: number): number {
  let sq = 0;
  for (const p of params) for (let i = 0; i < p.grad.length; i++) sq += p.grad[i]! * p.grad[i]!;
  const norm = Math.sqrt(sq);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) for (const p of params) for (let i = 0; i < p.grad.length; i++) p.grad[i] *= coef;
  return norm;
}
