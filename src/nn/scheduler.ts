/**
 * ReduceLROnPlateau with PyTorch's semantics (mode 'min', threshold_mode 'rel'): the lr is
 * multiplied by `factor` (not below minLr) once the metric has not improved on the best by a
 * relative `threshold` for more than `patience` steps.
 */
export interface LrHolder {
  lr: number;
}

export interface ReduceLROnPlateauOptions {
  factor?: number;
  patience?: number;
  threshold?: number;
  cooldown?: number;
  minLr?: number;
  /** Changes smaller than this are ignored, like PyTorch's eps. */
  eps?: number;
}

export class ReduceLROnPlateau {
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly eps: number;
  best = Infinity;
  numBadEpochs = 0;
  cooldownCounter = 0;

  constructor(readonly optimizer: LrHolder, o: ReduceLROnPlateauOptions = {}) {
    this.factor = o.factor ?? 0.1;
    if (this.factor >= 1) throw new Error(`ReduceLROnPlateau: factor must be < 1, got ${this.factor}`);
    this.patience = o.patience ?? 10;
    this.threshold = o.threshold ?? 1e-4;
    this.cooldown = o.cooldown ?? 0;
    this.minLr = o.minLr ?? 0;
    this.eps = o.eps ?? 1e-8;
  }

  /** Call once per epoch with the monitored metric; returns true when the lr was reduced. */
  step(metric: number): boolean {
    if (metric < this.best * (1 - this.threshold)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
      const old = this.optimizer.lr;
      const lr = Math.max(old * this.factor, this.minLr);
      if (old - lr > this.eps) {
        this.optimizer.lr = lr;
        return true;
      }
    }
    return false;
  }
}
