/**
 * The glove's wire and file formats, in one place for the file loader and the live sources.
 *
 * Firmware (Arduino Nano 33 IoT) prints CSV over USB serial at 115200 baud:
 *   9 fields:  timestamp,pitch,roll,yaw,flex1,flex2,flex3,flex4,flex5
 *   12 fields: timestamp,pitch,roll,yaw,accel_x,accel_y,accel_z,flex1,flex2,flex3,flex4,flex5
 * Lines starting with '#' are messages. Recorded episodes (the "unified" layout) have the header
 *   timestamp_ms,recv_timestamp_ms,pitch,roll,yaw,flex1..flex5,sampling_hz,accel_x,accel_y,accel_z
 */
export const FIRMWARE_FIELDS_9 = [
  'timestamp', 'pitch', 'roll', 'yaw', 'flex1', 'flex2', 'flex3', 'flex4', 'flex5',
] as const;

export const FIRMWARE_FIELDS_12 = [
  'timestamp', 'pitch', 'roll', 'yaw', 'accel_x', 'accel_y', 'accel_z', 'flex1', 'flex2', 'flex3', 'flex4', 'flex5',
] as const;

export const EPISODE_COLUMNS = [
  'timestamp_ms', 'recv_timestamp_ms', 'pitch', 'roll', 'yaw', 'flex1', 'flex2', 'flex3', 'flex4', 'flex5',
  'sampling_hz', 'accel_x', 'accel_y', 'accel_z',
] as const;

/** The glove's nominal sampling rate. */
export const NOMINAL_HZ = 33;

/** Header names that mean the device timestamp in milliseconds. */
export const TIMESTAMP_COLUMNS = ['timestamp_ms', 'timestamp'] as const;

/** Firmware field list for a headerless line with this many fields, or undefined. */
export function firmwareFieldsFor(count: number): readonly string[] | undefined {
  if (count === 9) return FIRMWARE_FIELDS_9;
  if (count === 12) return FIRMWARE_FIELDS_12;
  return undefined;
}
