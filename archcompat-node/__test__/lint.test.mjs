import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const require = createRequire(import.meta.url);
const archcompat = require('../index.js');
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'dockerfiles');

test('lintDockerfile(text) finds a constant --platform', async () => {
  const { findings } = await archcompat.lintDockerfile('FROM --platform=linux/amd64 alpine\n');
  assert.equal(findings[0].code, 'hardcoded-arch');
  assert.equal(findings[0].location.line, 1);
});

test('lint output is redacted unless { redact: false }', async () => {
  const secret = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
  const text = `FROM golang\nRUN GITHUB_TOKEN=${secret} GOARCH=amd64 go build -o /a .\n`;
  assert.ok(!JSON.stringify(await archcompat.lintDockerfile(text)).includes(secret));
  assert.ok(JSON.stringify(await archcompat.lintDockerfile(text, { redact: false })).includes(secret));
});

test('lintDockerfile reads the file and its context (Promise)', async () => {
  const { findings } = await archcompat.lintDockerfile({ path: path.join(fixtures, 'context-scripts', 'Dockerfile') });
  const codes = new Set(findings.map((f) => f.code));
  assert.ok(codes.has('lfs-pointer') && codes.has('crlf-line-endings'));
  await assert.rejects(archcompat.lintDockerfile({ path: '/nonexistent/Dockerfile' }), { code: 'ARCHCOMPAT_IO', message: /nonexistent/ });
});

test('rewrites keep everything else', () => {
  const r = archcompat.rewriteCommand('docker run --rm mysql:5.7', ['linux/amd64']);
  assert.equal(r.rewritten, 'docker run --platform linux/amd64 --rm mysql:5.7');
  assert.deepEqual(r.argv, ['docker', 'run', '--platform', 'linux/amd64', '--rm', 'mysql:5.7']);
  const l = archcompat.rewriteCommand('docker build -t x .', ['linux/arm64'], { lambda: true, push: true });
  assert.ok(l.argv.includes('--provenance=false') && l.argv.includes('--push'));
  const c = archcompat.rewriteCompose('services:\n  web:\n    image: nginx\n', 'linux/arm64');
  assert.match(c.rewritten, /platform: linux\/arm64/);
  const d = archcompat.rewriteDockerfile('FROM --platform=$TARGETPLATFORM alpine\n');
  assert.equal(d.rewritten, 'FROM alpine\n');
});

test('rewrites are redacted unless { redact: false }', () => {
  const secret = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
  const cmd = `docker build --build-arg GITHUB_TOKEN=${secret} -t app .`;
  assert.ok(!JSON.stringify(archcompat.rewriteCommand(cmd, ['linux/arm64'])).includes(secret));
  assert.ok(archcompat.rewriteCommand(cmd, ['linux/arm64'], { redact: false }).rewritten.includes(secret));
  const df = `FROM golang\nRUN GITHUB_TOKEN=${secret} GOARCH=amd64 go build\n`;
  assert.ok(!JSON.stringify(archcompat.rewriteDockerfile(df)).includes(secret));
  assert.ok(archcompat.rewriteDockerfile(df, { redact: false }).rewritten.includes(secret));
});
