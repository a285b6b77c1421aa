import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import os from 'node:os';
import { execFileSync } from 'node:child_process';

const require = createRequire(import.meta.url);
const ac = require('../index.js');

test('parse with aliases and containerd-exact', () => {
  assert.deepEqual(ac.parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
  assert.equal(ac.parsePlatform('armv7-unknown-linux-gnueabihf').architecture, 'arm');
  assert.equal(ac.parsePlatform('linux/armv7l', true).architecture, 'armv7l');
  assert.throws(() => ac.parsePlatform('armv7l', true), { code: 'ARCHCOMPAT_INVALID_PLATFORM', message: /armv7l/ });
  assert.throws(() => ac.parsePlatform('linux/&arm'), /&arm/);
  const w = ac.parsePlatform('windows(10.0.17763+win32k)/amd64');
  assert.equal(w['os.version'], '10.0.17763');
  assert.deepEqual(w['os.features'], ['win32k']);
});

test('parsePlatforms returns the CLI document', () => {
  const doc = ac.parsePlatforms(['linux/amd64', '*']);
  assert.deepEqual(doc[0], { input: 'linux/amd64', platform: { os: 'linux', architecture: 'amd64' }, formatted: 'linux/amd64' });
  assert.match(doc[1].error, /wildcard/);
});

test('normalize and format', () => {
  assert.deepEqual(ac.normalizePlatform({ os: 'Linux', architecture: 'x86_64', variant: 'v1' }), { os: 'linux', architecture: 'amd64' });
  assert.deepEqual(ac.normalizePlatform('linux/arm'), { os: 'linux', architecture: 'arm', variant: 'v7' });
  assert.equal(ac.formatPlatform('linux/arm/v6', 'go-env'), 'GOOS=linux GOARCH=arm GOARM=6');
  assert.equal(ac.formatPlatform('linux/ppc64le', 'debian'), 'ppc64el');
  assert.equal(ac.formatPlatform({ os: 'linux', architecture: 'amd64' }, 'ecs-cpu-architecture'), 'X86_64');
  assert.equal(ac.formatPlatform('linux/arm/v7', 'lambda-architecture'), null);
  assert.equal(ac.formatPlatform('linux/arm64/v8'), 'linux/arm64');
  assert.throws(() => ac.formatPlatform('linux/arm64', 'klingon'), { code: 'ARCHCOMPAT_UNSUPPORTED' });
  assert.throws(() => ac.normalizePlatform(42), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
});

test('match ranks as containerd and reports real verdicts', async () => {
  const doc = await ac.matchPlatforms('linux/arm64', ['linux/amd64', 'linux/arm/v7', 'linux/arm64/v8']);
  assert.deepEqual(doc.candidates.map((c) => c.runs), ['no', 'compatible', 'native']);
  assert.deepEqual(doc.best, { os: 'linux', architecture: 'arm64', variant: 'v8' });
  const g4 = await ac.matchPlatforms('aws-graviton4', ['linux/amd64', 'linux/arm/v7']);
  assert.equal(g4.best.architecture, 'arm');
  assert.equal(g4.best_runnable, null);
  const v = await ac.hostRuns('apple-silicon-docker-desktop', 'linux/amd64');
  assert.equal(v.runs, 'emulated');
  await assert.rejects(ac.matchPlatforms('nowhere-cloud', ['linux/amd64']), { code: 'ARCHCOMPAT_INVALID_PLATFORM', message: /hostProfiles\(\)/ });
});

test('detectHost describes this machine', async () => {
  const h = await ac.detectHost();
  assert.equal(h.source, 'detected');
  assert.equal(h.kernel, os.release());
  assert.equal(String(h.page_size), execFileSync('getconf', ['PAGESIZE']).toString().trim());
  if (process.arch === 'x64') {
    assert.deepEqual(h.platform, { os: 'linux', architecture: 'amd64' });
    assert.ok(h.amd64_level >= 1 && h.amd64_level <= 4);
  }
});

test('profiles', async () => {
  const names = ac.hostProfiles().map((p) => p.name);
  assert.ok(names.includes('aws-graviton2') && names.includes('cloud-run'));
  const pi5 = await ac.resolveHost('raspberry-pi-5');
  assert.equal(pi5.page_size, 16384);
});
