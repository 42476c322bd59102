/**
 * Re-estimates the shipped simulator parameters from a recorded dataset:
 *   node --import tsx scripts/estimate-simulator.ts [DATASET_DIR] [OUT_JSON] [REFERENCE_DAY_DIR]
 * Defaults: ../shared/datasets/signglove-2025-10-01 → assets/simulator/params.json, with
 * 2025-08-19 as the reference day for letters whose channel is faulty on every episode (ㅌ flex2).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadDataset } from '../src/data/load.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { FRAME_CHANNELS } from '../src/stream/frame.js';
import { estimateSimulatorParams } from '../src/stream/simulator/estimate.js';
import { validateParams } from '../src/stream/simulator/params.js';
import { SIMULATOR_PARAMS_FILE } from '../src/stream/simulator/params-file.js';

const dataset = process.argv[2] ?? path.resolve(PACKAGE_ROOT, '..', 'shared', 'datasets', 'signglove-2025-10-01');
const out = process.argv[3] ?? SIMULATOR_PARAMS_FILE;
const referenceDir = process.argv[4] ?? path.resolve(PACKAGE_ROOT, '..', 'shared', 'datasets', 'signglove-2025-08-19');

const { episodes, problems } = await loadDataset(dataset, { channels: FRAME_CHANNELS });
for (const p of problems) console.error(`skipped ${p.file}: ${p.reason}`);
const reference = (await loadDataset(referenceDir, { channels: FRAME_CHANNELS })).episodes;
const params = validateParams(estimateSimulatorParams(episodes, { source: path.basename(dataset), reference }));
mkdirSync(path.dirname(out), { recursive: true });
const text = JSON.stringify(params);
writeFileSync(out, text + '\n');
console.log(`${episodes.length} episodes, ${params.classes.length} classes → ${out} (${(text.length / 1024).toFixed(1)} KB)`);
