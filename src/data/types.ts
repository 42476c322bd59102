/** Channels every model uses unless told otherwise: the reference's 8 inputs, in its order. */
export const DEFAULT_CHANNELS = ['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll', 'yaw'] as const;

/** Every numeric channel a glove recording may carry. */
export const ALL_CHANNELS = [
  'flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll', 'yaw', 'accel_x', 'accel_y', 'accel_z',
] as const;

/** One held sign: a time series of `length` frames × `channels.length` values. */
export interface Episode {
  /** Path as given or found (relative to the dataset root when loaded from a folder). */
  file: string;
  /** Class index into JAMO, or -1 when unknown (e.g. a single file outside the layout). */
  label: number;
  /** The jamo of `label` ('' when unknown). */
  jamo: string;
  /** Posture-variant folder name in the layout (1–5 in the reference datasets; '' when unknown). Not a wearing. */
  session: string;
  /**
   * The wearing (one time the glove was put on: a recording day, a calibration) the episode
   * belongs to: the dataset root's folder name when loaded for training (absent: unknown).
   */
  wearing?: string;
  /** Names of the channels, in the order the values are stored. */
  channels: string[];
  /** Row-major values: frame t, channel c at data[t * channels.length + c]. */
  data: Float32Array;
  /** Number of frames. */
  length: number;
  /** Device timestamps in ms when the file has them (for rate statistics and replay). */
  timestampsMs?: Float64Array;
  /** Absolute path of the file as found on disk (not NFC-normalised), when loaded from disk. */
  path?: string;
}

/** A file that could not be used, with why. */
export interface LoadProblem {
  file: string;
  /** 1-based line number in the file when the problem is at one row. */
  row?: number;
  /** Column name when the problem is in one column. */
  column?: string;
  reason: string;
}
