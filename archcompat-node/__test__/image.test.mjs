// image() on the bundled example (a multi-arch OCI layout whose linux/amd64 entry holds an
// aarch64 program): verdicts, JSON shape and error codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const require = createRequire(import.meta.url);
const archcompat = require('../index.js');
const example = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'hello-multiarch');

test('mislabeled amd64 entry will not run on amd64', async () => {
  const r = await archcompat.image(example, { host: 'linux/amd64' });
  assert.equal(r.verdict, 'wont-run');
  assert.equal(r.selected.platform.architecture, 'amd64');
  assert.equal(r.selected.actual_platform.architecture, 'arm64');
  const codes = r.findings.map((f) => f.code);
  assert.ok(codes.includes('arch-mismatch') && codes.includes('image-mislabeled'), codes.join());
  assert.equal(r.findings[0].evidence[0].path, '/usr/local/bin/hello');
  assert.deepEqual(r.binaries.by_platform, { 'linux/arm64': 1 });
});

test('arm64 host runs it', async () => {
  const r = await archcompat.image(`oci:${example}:latest`, { host: 'linux/arm64' });
  assert.equal(r.verdict, 'runs');
});

test('errors carry stable codes', async () => {
  await assert.rejects(archcompat.image('/no/such/image', { host: 'linux/amd64' }), { code: 'ARCHCOMPAT_IO', errno: 2 });
  await assert.rejects(archcompat.image(example, { host: 'linux/amd64', maxBytes: 10 }), { code: 'ARCHCOMPAT_LIMIT', limit: 'maxBytes', message: /the maxBytes option/ });
});

test('registry limits are options and a refused connection keeps its cause', async () => {
  const net = await import('node:net');
  const port = await new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
  const src = `docker://127.0.0.1:${port}/demo/app:1`;
  await assert.rejects(
    archcompat.image(src, { host: 'linux/amd64', registryTimeout: 10, registryMinRate: 1024, registryGrace: 5 }),
    (e) => /refused/i.test(e.message) && e.message.includes(src),
  );
});
