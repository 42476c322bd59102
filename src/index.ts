// Public library API of signglove. Each area exports its user-facing pieces here.
export { JAMO, jamoIndex, isJamo, type Jamo } from './jamo.js';
export * from './data/types.js';
export * from './infer/types.js';
