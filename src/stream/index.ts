// Glove frame sources, the live recogniser, Hangul composition and the glove simulator.
export * from './frame.js';
export { GloveLineParser, type ParsedLine } from './line-parser.js';
export { openSource, parseSourceSpec, SOURCE_FORMS, SourceSpecError, type SourceSpec, type OpenSourceOptions } from './source-spec.js';
export { openSerialSource, GLOVE_BAUD_RATE, type SerialSourceOptions, type SerialPortFactory } from './sources/serial.js';
export { openTcpSource } from './sources/tcp.js';
export { openUdpSource } from './sources/udp.js';
export { openStdinSource, openReadableSource } from './sources/readable.js';
export { openReplaySource } from './sources/replay.js';
export { openSimulatedSource } from './sources/simulated.js';
export { formatFirmwareLine, FIRMWARE_HEADER } from './firmware-csv.js';
export { spellText, composeLetters, HangulComposer, UnspellableTextError } from './hangul.js';
export { MotionDetector, type MotionOptions } from './motion.js';
export { Resampler, TRAINING_FRAME_MS } from './resample.js';
export { BounceDetector, type BounceOptions } from './bounce.js';
export { Lexicon, WordDecoder, splitWords, type WordDecoderOptions, type WordSuggestion } from './word-decoder.js';
export { SuggestionText, type SuggestionState } from './suggestions.js';
export { loadLexicon, koreanDictionaryWords, readWordList } from './lexicon-files.js';
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
export { loadSimulatorParams, SIMULATOR_PARAMS_FILE, type SimulatorParams } from './simulator/params.js';
export { estimateSimulatorParams } from './simulator/estimate.js';
export {
  runSimulatedWords,
  evaluateHeldLetters,
  SIMULATION_WORDS,
  type WordsResult,
  type HeldLetterResult,
} from './simulated-evaluation.js';
export { runLiveSession, recognizerFor, prototypeModel, type WindowModel, type LiveSessionResult } from './live-session.js';
