import type { RecognizedLetter } from './recognizer.js';
export interface WordDecoder {
  decodeText(letters: readonly RecognizedLetter[]): string;
}
