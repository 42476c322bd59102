/** A bundle's model card (markdown): what the model is, how it was made, how well it does, and its limits. Portable. */
import type { BundleMeta } from './types.js';

const pct = (x: number | undefined): string => (x === undefined ? 'n/a' : `${(x * 100).toFixed(2)}%`);

function preprocessingLines(pre: BundleMeta['preprocess']): string[] {
  if (!pre.pipeline) {
    return [
      `- Channels \`${pre.channels.join(',')}\`; length ${pre.T} steps (${pre.lengthMode}, raw pad value ${pre.padValue}); ` +
        'one standardisation fitted on the training split (the reference\'s; bundles before session normalisation).',
    ];
  }
  const pl = pre.pipeline;
  const sessions = pre.trainingSessions ?? [];
  return [
    `- Reads \`${pl.raw.join(',')}\`; the model sees \`${pl.inputs.join(',')}\`` +
      `${pl.raw.includes('yaw') && !pl.inputs.includes('yaw') ? ' (yaw is dropped: it is the gyro integrated from power-on and drifts between wearings)' : ''}.`,
    `- Sensor faults removed first: a flex reading outside ${pl.faults.flexValid[0]}…${pl.faults.flexValid[1]} in most of an episode, or stuck ` +
      `(std < ${pl.faults.stuckStd}), is unknown (0 after normalisation) for that episode; a channel faulty in ≥ ${pl.faults.sessionShare * 100}% of a ` +
      'wearing\'s episodes is masked for the whole wearing.',
    `- ${pl.inputs.some((c) => c.startsWith('grav_')) ? 'Every flex channel' : 'Every channel'} is standardised by the statistics of the wearer's current session` +
      `${pl.angles.length ? ' (angles around their circular mean)' : ''}. ` +
      (pl.orientationReference
        ? 'Gravity (from pitch and roll) is turned about the board\'s normal into the model\'s frame, by an angle found from where it points over the session ' +
          `(training wearings: ${sessions.map((s) => `${s.wearing ?? 'data'} ${s.azimuth ?? 0}°`).join(', ')}). `
        : '') +
      `Trained on ${sessions.length} wearing(s)` +
      `${sessions.some((s) => s.masked.length) ? ` (masked: ${sessions.map((s) => s.masked.join(',') || 'none').join('; ')})` : ''}; ` +
      'without calibration the pooled training statistics are used (live, a real glove learns them while signing), so calibrate (`signglove calibrate`) on a new day.',
    ...(pre.postureShifts ? [`- Per-letter flex shifts between the posture variants (${pre.postureShifts.postures.join(', ')} against ${pre.postureShifts.base}) are recorded: calibration spreads each hold over them.`] : []),
    `- Length ${pre.T} steps (${pre.lengthMode}); live windows are stretched to ${pre.typicalLength ?? 80} frames.`,
  ];
}

const workersText = (w: number | undefined): string =>
  w === undefined ? 'one thread' : w === 1 ? '`--workers 1` (one thread)' : `\`--workers ${w}\` (data-parallel over ${w} threads)`;

function trainingLine(meta: BundleMeta): string {
  const t = meta.training;
  if (!t) return '- unknown';
  if (meta.arch.arch === 'ExtraTrees') {
    return `- Extremely randomised trees: ${meta.arch.trees} trees on ${meta.arch.inputSize} per-episode summary features ` +
      `(mean, std and percentiles of each normalised channel and of each flex relative to the hand's common flex), ` +
      `${t.params.toLocaleString('en')} nodes, fitted in ${t.trainSeconds.toFixed(1)} s (seed ${t.seed}). The features it was fitted on travel ` +
      'in the bundle (also with each flex channel masked in turn), so calibration can refit it, and a session with a broken sensor gets a forest without it.';
  }
  const aug = typeof t.augment === 'object'
    ? `, wearing augmentation (offset σ ${t.augment.offset}, gain σ ${t.augment.gain}${shiftedOf(meta, t.augment)}, noise σ ${t.augment.noise}, channel dropout ${t.augment.channelDropout}, time warp ±${t.augment.timeWarp})`
    : t.augment ? `, drift augmentation σ ${t.augment}` : '';
  const windows = t.windows ? `; a hold longer than ${meta.preprocess.T} frames trained as windows of ${meta.preprocess.T} spread over it` : '';
  return `- ${t.epochs} epochs (best ${t.bestEpoch}, stopped by ${t.stoppedBy}) in ${t.trainSeconds.toFixed(1)} s; ` +
    `AdamW lr ${t.lr}, weight decay ${t.weightDecay}, batch ${t.batchSize}, seed ${t.seed}${aug}${windows}; ${t.params.toLocaleString('en')} parameters; ` +
    `${workersText(t.workers)} (the same seed and worker count give the same weights).`;
}

/** A short model card: what it is, how it was made, how well it does, and its limits. */
export function modelCard(meta: BundleMeta, extra: { results?: string[] } = {}): string {
  const t = meta.training;
  const p = meta.provenance;
  const pre = meta.preprocess;
  const cal = meta.calibration;
  const lines = [
    `# ${meta.name}`,
    '',
    `Architecture **${meta.arch.arch}**: \`${JSON.stringify(meta.arch)}\``,
    ...(cal?.selfTrain
      ? ['', '## Adaptation', `- Adapted from \`${cal.base}\` to a new wearing by self-training on ${cal.files.length} unlabelled holds in ${cal.seconds.toFixed(1)} s: ` +
        `session statistics from those holds only; ${cal.selfTrain.rounds} refits on the source features plus the most confident holds of each letter ` +
        `(${cal.selfTrain.perClass} per letter more each round, ${cal.selfTrain.used} in the last, weight ${cal.selfTrain.weight}), with the letters the forest gave them; ` +
        `no label was read. Confidence is not recalibrated (no labels): expect it to be higher than the accuracy.`]
      : []),
    ...(cal && !cal.selfTrain
      ? ['', '## Calibration', `- Personal model made from \`${cal.base}\` by ${cal.method} on ${cal.files.length} episodes (${cal.shotsPerClass} per letter) ` +
        `in ${cal.seconds.toFixed(1)} s; session statistics from those episodes only; temperature ${cal.temperature.toFixed(3)}` +
        `${cal.shotWeight ? `; a calibration episode weighs ${cal.shotWeight} source episodes` : ''}.`]
      : []),
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
    ...preprocessingLines(pre),
    '',
    '## Training',
    trainingLine(meta),
    p?.command ? `- Command: \`${p.command}\`` : '',
    '',
    '## Results',
    t ? `- Test accuracy ${pct(t.testAccuracy)}, top-5 ${pct(t.testTop5)}, macro-F1 ${pct(t.testMacroF1)} on ${t.testN ?? '?'} test episodes ` +
      `(split \`${p?.split.kind ?? '?'}\`${p?.split.kind === 'random' ? ': the same wearings as training, an optimistic figure' : ''}).` : '- unknown',
    ...(extra.results ?? []),
    '',
    '## Limits',
    '- A random split tests the wearings the model was trained on. On a new day (the glove put on again) accuracy is much lower ' +
      'until it is calibrated; the posture-variant folders 1–5 of the datasets are one wearing, so leave-one-posture-out measures ' +
      'posture robustness, not a new day. See the generalization figures in the project README.',
    '',
  ];
  return lines.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n');
}

/** " (×0.33 on grav_x, grav_y, grav_z)" when some inputs got a smaller offset and gain. */
function shiftedOf(meta: BundleMeta, a: { shiftScale?: number[] }): string {
  const inputs = meta.preprocess.pipeline?.inputs;
  if (!a.shiftScale || !inputs) return '';
  const byScale = new Map<number, string[]>();
  a.shiftScale.forEach((k, i) => {
    if (k !== 1) byScale.set(k, [...(byScale.get(k) ?? []), inputs[i] ?? `#${i}`]);
  });
  return [...byScale].map(([k, chs]) => ` (×${Number(k.toFixed(2))} on ${chs.join(', ')})`).join('');
}
