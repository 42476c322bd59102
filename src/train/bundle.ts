/**
 * Model bundles: one .safetensors file with the weights under PyTorch state_dict names and the
 * model's whole description (architecture, preprocessing, classes, training record, provenance)
 * as JSON in the header metadata. Written atomically, so a crash never leaves half a model.
 */
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Model } from '../models/index.js';
import { writeSafetensors } from '../nn/safetensors-fs.js';
import type { BundleMeta } from './bundle-types.js';
import { CHECKSUM_KEY, tensorChecksum } from '../infer/bundle-check.js';

export type { BundleMeta } from './bundle-types.js';

/** Saves model + meta to `file` (…/name.safetensors) atomically. */
export function saveBundle(file: string, model: Model, meta: BundleMeta): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const sd = model.stateDict();
  writeSafetensors(file, sd, { signglove: JSON.stringify(meta), [CHECKSUM_KEY]: tensorChecksum(sd) });
}

const pct = (x: number | undefined): string => (x === undefined ? 'n/a' : `${(x * 100).toFixed(2)}%`);

/** A short model card: what it is, how it was made, how well it does, and its limits. */
export function modelCard(meta: BundleMeta): string {
  const t = meta.training;
  const p = meta.provenance;
  const pre = meta.preprocess;
  const lines = [
    `# ${meta.name}`,
    '',
    `Architecture **${meta.arch.arch}**: \`${JSON.stringify(meta.arch)}\``,
    '',
    '## Data and split',
    p
      ? `- Dataset \`${p.dataset}\`: ${p.episodes} episodes loaded, ${p.skipped} skipped.\n` +
        `- Split \`${p.split.kind}\` (seed ${p.split.seed}${p.split.heldOut ? `, held out ${p.split.heldOut}` : ''}): ` +
        `${p.split.train} train / ${p.split.val} validation / ${p.split.test} test episodes. ` +
        'The test episodes (listed in the bundle) were never used for training or model selection.'
      : '- unknown',
    '',
    '## Preprocessing',
    `- Channels \`${pre.channels.join(',')}\`; length ${pre.T} steps (${pre.lengthMode}, raw pad value ${pre.padValue}); ` +
      'standardisation fitted on the training split only.',
    '',
    '## Training',
    t
      ? `- ${t.epochs} epochs (best ${t.bestEpoch}, stopped by ${t.stoppedBy}) in ${t.trainSeconds.toFixed(1)} s; ` +
        `AdamW lr ${t.lr}, weight decay ${t.weightDecay}, batch ${t.batchSize}, seed ${t.seed}` +
        `${t.augment ? `, drift augmentation σ ${t.augment}` : ''}; ${t.params.toLocaleString('en')} parameters.`
      : '- unknown',
    p?.command ? `- Command: \`${p.command}\`` : '',
    '',
    '## Results',
    t ? `- Test accuracy ${pct(t.testAccuracy)}, top-5 ${pct(t.testTop5)}, macro-F1 ${pct(t.testMacroF1)} on ${t.testN ?? '?'} test episodes.` : '- unknown',
    '',
    '## Limits',
    '- Trained on one recording day: accuracy on a new session or day (the glove put on again, drifting sensors) is lower; ' +
      'see the leave-one-session-out figures in the project README before relying on it live.',
    '',
  ];
  return lines.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n');
}
