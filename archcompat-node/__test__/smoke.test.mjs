import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const archcompat = require('../index.js');

test('version comes from the Rust core', () => {
  assert.match(archcompat.version(), /^\d+\.\d+\.\d+$/);
});

test('cause codes come from the Rust core', () => {
  const codes = archcompat.causeCodes();
  assert.ok(codes.includes('arch-mismatch'));
  assert.equal(new Set(codes).size, codes.length);
});
