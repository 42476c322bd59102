import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChannelList } from '../../src/data/channels.js';
import { DEFAULT_CHANNELS } from '../../src/data/types.js';

test('channel lists: names, default, and ranges in both spellings', () => {
  assert.deepEqual(parseChannelList('default'), [...DEFAULT_CHANNELS]);
  assert.deepEqual(parseChannelList('default,accel_x..z'), [...DEFAULT_CHANNELS, 'accel_x', 'accel_y', 'accel_z']);
  assert.deepEqual(parseChannelList('flex1..5'), ['flex1', 'flex2', 'flex3', 'flex4', 'flex5']);
  assert.deepEqual(parseChannelList(' Pitch , flex2..flex3 '), ['pitch', 'flex2', 'flex3']);
  assert.deepEqual(parseChannelList('accel_x..accel_y'), ['accel_x', 'accel_y']);
});

test('channel lists: unknown names, bad ranges, duplicates and empty lists are refused', () => {
  assert.throws(() => parseChannelList('flex6'), /unknown channel 'flex6'; known channels: flex1/);
  assert.throws(() => parseChannelList('flex3..1'), /bad channel range 'flex3..1'/);
  assert.throws(() => parseChannelList('flex1..pitch'), /bad channel range/);
  assert.throws(() => parseChannelList('default,yaw'), /'yaw' is listed twice/);
  assert.throws(() => parseChannelList(' , '), /no channels/);
});
