import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JAMO, jamoIndex } from '../src/jamo.js';

test('24 jamo in the reference order, NFC and NFD both resolve', () => {
  assert.equal(JAMO.length, 24);
  assert.equal(jamoIndex('ㄱ'), 0);
  assert.equal(jamoIndex('ㅣ'), 23);
  assert.equal(jamoIndex('ㅣ'.normalize('NFD')), 23);
  assert.equal(jamoIndex('a'), -1);
});
