/**
 * The live loop shared by `signglove live`, `signglove demo` and servers: frames from a source
 * through a StreamingRecognizer until the source ends or the signal aborts.
 */
import type { Frame, FrameSource } from './frame.js';
import { StreamingRecognizer, type RecognizedLetter, type RecognizerOptions, type WindowClassifier } from './recognizer.js';
import { prototypeClassifier } from './prototype-classifier.js';
import { JAMO } from '../jamo.js';
import { DEFAULT_CHANNELS } from '../data/types.js';

export interface LiveSessionResult {
  letters: RecognizedLetter[];
  text: string;
  frames: number;
}

/** `onFrame` sees every frame before the recogniser does (e.g. a sensor health monitor). */
export async function runLiveSession(source: FrameSource, recognizer: StreamingRecognizer, onFrame?: (frame: Frame) => void): Promise<LiveSessionResult> {
  let frames = 0;
  for await (const frame of source) {
    onFrame?.(frame);
    recognizer.push(frame);
    frames++;
  }
  recognizer.finish();
  return { letters: [...recognizer.letters], text: recognizer.text, frames };
}

/** What the recogniser needs from a model: the shipped LoadedModel fits (info + classifyWindow). */
export interface WindowModel {
  readonly info: { channels: string[]; classes: string[]; T: number; name: string };
  classifyWindow(frames: Float32Array, length: number): Float32Array;
}

/** Recogniser settings and classifier for a model (its channels, classes and longest window). */
export function recognizerFor(model: WindowModel, opts: RecognizerOptions = {}): StreamingRecognizer {
  return new StreamingRecognizer((w, n) => model.classifyWindow(w, n), {
    channels: model.info.channels,
    classes: model.info.classes,
    maxWindow: Math.min(80, model.info.T),
    ...opts,
  });
}

/** A WindowModel around the prototype classifier (no trained network needed). */
export function prototypeModel(): WindowModel {
  const classify: WindowClassifier = prototypeClassifier();
  return {
    info: { channels: [...DEFAULT_CHANNELS], classes: [...JAMO], T: 80, name: 'prototype (class means from the simulator parameters)' },
    classifyWindow: classify,
  };
}
