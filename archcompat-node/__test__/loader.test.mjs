// The published loader (loader.js, issue 17): which package it loads, and what its error says
// when none fits. It runs here against fake platform packages in a temporary node_modules, so
// every branch is exercised without the native addon (the packaging test runs the real one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const loader = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'loader.js');
const platforms = ['darwin-arm64', 'linux-arm64-gnu', 'linux-x64-gnu', 'linux-x64-musl'];

function project(t) {
  const dir = mkdtempSync(path.join(tmpdir(), 'archcompat-loader-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = path.join(dir, 'node_modules', 'archcompat');
  mkdirSync(root, { recursive: true });
  cpSync(loader, path.join(root, 'index.js'));
  const optionalDependencies = Object.fromEntries(platforms.map((p) => [`archcompat-${p}`, '0.1.0']));
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'archcompat', version: '0.1.0', optionalDependencies }));
  return dir;
}

function platformPackage(dir, name, version, main, body) {
  const d = path.join(dir, 'node_modules', name);
  mkdirSync(d, { recursive: true });
  writeFileSync(path.join(d, 'package.json'), JSON.stringify({ name, version, main }));
  writeFileSync(path.join(d, main), body);
}

// Loads archcompat in a child process as `platform`/`arch`; returns the exports or the error.
function load(dir, platform = process.platform, arch = process.arch) {
  const js = `
    Object.defineProperty(process, 'platform', { value: ${JSON.stringify(platform)} });
    Object.defineProperty(process, 'arch', { value: ${JSON.stringify(arch)} });
    try { console.log(JSON.stringify({ ok: require('archcompat') })); }
    catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message, packageName: e.packageName,
      libc: e.libc, supported: e.supported, cause: e.cause && e.cause.code })); }`;
  return JSON.parse(execFileSync(process.execPath, ['-e', js], { cwd: dir, encoding: 'utf8' }));
}

const linux = process.platform === 'linux';

test('loads the platform package of this machine', { skip: !linux }, (t) => {
  const dir = project(t);
  const first = load(dir);
  const name = first.packageName;
  assert.match(name, /^archcompat-linux-[a-z0-9]+-(gnu|musl)$/);
  platformPackage(dir, name, '0.1.0', 'index.js', 'module.exports = { answer: 42 };');
  assert.deepEqual(load(dir), { ok: { answer: 42 } });
});

test('not installed: names the machine, the package at this version and the supported list', { skip: !linux }, (t) => {
  const dir = project(t);
  const r = load(dir, 'linux', 'x64');
  assert.equal(r.code, 'ARCHCOMPAT_NO_NATIVE_ADDON');
  assert.equal(r.cause, 'MODULE_NOT_FOUND');
  assert.deepEqual(r.supported, platforms);
  assert.ok(r.message.includes(`(linux x64 ${r.libc === 'gnu' ? 'glibc' : 'musl'})`), r.message);
  assert.ok(r.message.includes(`npm install ${r.packageName}@0.1.0`), r.message);
  assert.ok(r.message.endsWith(`Packages exist for: ${platforms.join(', ')}.`), r.message);
});

test('installed but not loadable: says why, not "install it"', { skip: !linux }, (t) => {
  const dir = project(t);
  const name = load(dir, 'linux', 'x64').packageName;
  platformPackage(dir, name, '0.1.0', 'archcompat.node', 'not an ELF file');
  const r = load(dir, 'linux', 'x64');
  assert.equal(r.code, 'ARCHCOMPAT_NO_NATIVE_ADDON');
  assert.match(r.message, /is installed but did not load \(.*archcompat\.node/);
});

test('a platform package of another version is refused', { skip: !linux }, (t) => {
  const dir = project(t);
  const name = load(dir).packageName;
  platformPackage(dir, name, '0.0.9', 'index.js', 'module.exports = {};');
  const r = load(dir);
  assert.equal(r.code, 'ARCHCOMPAT_NO_NATIVE_ADDON');
  assert.ok(r.message.includes(`found ${name} 0.0.9`), r.message);
});

test('an unsupported platform is named as such', (t) => {
  const dir = project(t);
  const r = load(dir, 'freebsd', 'riscv64');
  assert.equal(r.code, 'ARCHCOMPAT_NO_NATIVE_ADDON');
  assert.equal(r.packageName, 'archcompat-freebsd-riscv64');
  assert.match(r.message, /^archcompat has no native addon for this machine \(freebsd riscv64: looked for archcompat-freebsd-riscv64\)\. Packages exist for: /);
});
