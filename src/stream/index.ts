// The live recogniser, Hangul composition, word decoding and the glove simulator (portable).
// Frame sources on devices and files are Node: ./node.ts.
export * from './frame.js';
export { GloveLineParser, type ParsedLine } from './line-parser.js';
export { openSimulatedSource } from './sources/simulated.js';
export { formatFirmwareLine, FIRMWARE_HEADER } from './firmware-csv.js';
export { spellText, composeLetters, HangulComposer, UnspellableTextError } from './hangul.js';
export { MotionDetector, type MotionOptions } from './motion.js';
export { Resampler, TRAINING_FRAME_MS } from './resample.js';
export { BounceDetector, type BounceOptions } from './bounce.js';
export { Lexicon, WordDecoder, splitWords, type WordDecoderOptions, type WordSuggestion } from './word-decoder.js';
export { SuggestionText, type SuggestionState } from './suggestions.js';
export { buildEpisodeStream, EpisodePool, LIVE_BENCHMARK_PHRASES, type EpisodeStream, type EpisodeStreamOptions, type HeldEpisode, type StreamSegment } from './episode-streams.js';
export {
  StreamingRecognizer,
  SPACE,
  topScores,
  type WindowClassifier,
  type RecognizerOptions,
  type RecognizedLetter,
  type FrameUpdate,
} from './recognizer.js';
export { prototypeClassifier } from './prototype-classifier.js';
export { simulateText, simulateLetters, simulateHeldLetters, type SimulateOptions, type SimulatedStream } from './simulator/simulate.js';
export { shippedSimulatorParams, validateParams, type SimulatorParams } from './simulator/params.js';
export { estimateSimulatorParams } from './simulator/estimate.js';
export {
  runSimulatedWords,
  evaluateHeldLetters,
  SIMULATION_WORDS,
  type WordsResult,
  type HeldLetterResult,
} from './simulated-evaluation.js';
export {
  createLiveSession, recognize, recognizerFor, canAdapt, liveDefaults, windowClassifier, runLiveSession, prototypeModel,
  type LiveModel, type WindowModel, type LiveEvent, type LiveSession, type LiveSessionOptions, type LiveSessionFactory,
  type RecognizeOptions, type LiveSessionResult,
} from './live-session.js';
export { adaptiveClassifier, type AdaptiveClassifier, type SessionAwareModel } from './adaptive-session.js';
