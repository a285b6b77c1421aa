// verifyImage() and audit() on real images: Debian busybox-static (scripts/build-verify-fixtures.sh,
// cached under target/tmp) run in bwrap, the foreign ones under qemu-user-static; an audit of a
// folder of OCI layouts and its merge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const archcompat = require('../index.js');
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = path.join(root, 'scripts', 'build-verify-fixtures.sh');
const hash = crypto.createHash('sha256').update(fs.readFileSync(script)).digest('hex').slice(0, 16);
const out = path.join(root, 'target', 'tmp', `verify-fixtures-${hash}`);
execFileSync('bash', [script, out], { stdio: 'inherit' });
const layout = path.join(out, 'oci');

test('an armhf busybox runs under qemu-arm', async () => {
  const r = await archcompat.verifyImage(`oci:${layout}:busybox-armhf`, { host: 'linux/arm/v7' });
  assert.equal(r.verdict, 'runs');
  assert.equal(r.verify.started, true);
  assert.equal(r.verify.agrees_with_verdict, true);
  assert.equal(r.verify.stdout_tail, 'armv7l\n');
  assert.match(r.verify.emulator, /^qemu-arm-static -cpu cortex-a15/);
});

test('a program without its libc contradicts the runs verdict', async () => {
  const r = await archcompat.verifyImage(`oci:${layout}:nolibs`, { host: 'linux/amd64' });
  assert.equal(r.verdict, 'runs');
  assert.equal(r.verify.outcome, 'missing-library');
  assert.equal(r.verify.agrees_with_verdict, false);
});

test('a missing emulator is a coded error naming the package', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'archcompat-noemu-'));
  await assert.rejects(
    archcompat.verifyImage(`oci:${layout}:riscv64`, { host: 'linux/riscv64', emulatorDir: empty }),
    /qemu-user-static/,
  );
  fs.rmdirSync(empty);
});

test('audit of a folder of layouts, and merge', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archcompat-audit-'));
  fs.mkdirSync(path.join(dir, 'layouts'));
  fs.symlinkSync(layout, path.join(dir, 'layouts', 'verify'));
  const r = await archcompat.audit(path.join(dir, 'layouts'), { targets: ['linux/riscv64'] });
  assert.equal(r.summary.tags, 9);
  assert.equal(r.summary.complete, 1);
  const part = path.join(dir, 'part.json');
  fs.writeFileSync(part, JSON.stringify(r));
  const m = await archcompat.auditMerge([part, part]);
  assert.equal(m.summary.tags, 9);
  fs.rmSync(dir, { recursive: true });
});
