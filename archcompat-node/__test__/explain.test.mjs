import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const archcompat = require('../index.js');

test('explain ranks causes from a string or a Buffer', () => {
  const log = 'no matching manifest for linux/arm64/v8 in the manifest list entries\n';
  for (const input of [log, Buffer.from(log)]) {
    const e = archcompat.explain(input);
    assert.equal(e.causes[0].code, 'no-matching-manifest');
    assert.equal(e.causes[0].platforms.requested, 'linux/arm64/v8');
    assert.ok(e.fixes.length > 0);
  }
  assert.deepEqual(archcompat.explain('hello\n').causes, []);
});
