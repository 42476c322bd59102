// Node-only stream pieces: frame sources (serial, TCP, UDP, stdin, replay files), lexicon and simulator files.
export { openSource, parseSourceSpec, SOURCE_FORMS, SourceSpecError, type SourceSpec, type OpenSourceOptions } from './source-spec.js';
export { openSerialSource, GLOVE_BAUD_RATE, type SerialSourceOptions, type SerialPortFactory } from './sources/serial.js';
export { openTcpSource } from './sources/tcp.js';
export { openUdpSource } from './sources/udp.js';
export { openStdinSource, openReadableSource } from './sources/readable.js';
export { openReplaySource } from './sources/replay.js';
export { loadLexicon, koreanDictionaryWords, readWordList } from './lexicon-files.js';
export { loadSimulatorParams, SIMULATOR_PARAMS_FILE } from './simulator/params-file.js';
