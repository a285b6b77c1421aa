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

test('explain gives the CLI JSON answer on real reports', async () => {
  const { readFileSync } = await import('node:fs');
  const { execFileSync } = await import('node:child_process');
  const path = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const real = path.join(root, 'fixtures', 'logs', 'real');
  const exe = path.join(root, 'target', 'debug', 'archcompat');
  const index = JSON.parse(readFileSync(path.join(real, 'index.json'), 'utf8'));
  for (const entry of index.filter((_, i) => i % 40 === 0)) {
    const file = path.join(real, entry.file);
    let out;
    try {
      out = execFileSync(exe, ['explain', file, '--json'], { encoding: 'utf8' });
    } catch (e) {
      out = e.stdout; // exit 1: a cause was found
    }
    assert.deepEqual(archcompat.explain(readFileSync(file, 'utf8')), JSON.parse(out), entry.file);
  }
});
