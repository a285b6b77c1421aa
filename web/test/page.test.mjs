// The web page in a real browser (Debian's Chromium through playwright-core): each kind of
// input pasted, findings, diff and redaction checked on screen, the page's answers equal to
// the CLI's JSON for the same input, dropped files, the network cut after load, phone width,
// keyboard use, and no request to any other origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, basename, dirname } from 'node:path';
import { start, paste, cli, read, imageFixtures, FIXTURES } from './harness.mjs';

let h;
let tmp;
before(async () => {
  h = await start();
  tmp = mkdtempSync(join(tmpdir(), 'archcompat-web-'));
});
after(async () => {
  await h?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  // Every test ran under the origin check: not one request left the page's origin.
  assert.deepEqual(h.foreign, [], 'requests to other origins');
  assert.deepEqual(h.errors, [], 'uncaught errors in the page');
});

const text = (sel) => h.page.locator(sel).innerText();

function cliFile(name, content, args) {
  const dir = mkdtempSync(join(tmp, 'f-'));
  writeFileSync(join(dir, name), content);
  return cli([...args, name], { cwd: dir });
}

test('a Dockerfile: findings on their lines, the rewrite as a diff, answers equal to lint/fix --json', async () => {
  const df = read('dockerfiles/go-hardcoded/Dockerfile');
  const a = await paste(h.page, df, { target: 'linux/arm64' });
  assert.equal(a.kind, 'dockerfile');
  const lint = cli(['lint', '-'], { input: df });
  assert.deepEqual(a.lint, lint);
  assert.ok(lint.findings.length > 0);
  const rewrite = cliFile('Dockerfile', df, ['fix', '--host', 'linux/arm64', '--file']).rewrite;
  assert.deepEqual(a.rewrite, rewrite);
  // On screen: each finding's code, its line highlighted, and the diff.
  const shown = await text('#findings');
  for (const f of lint.findings) {
    assert.ok(shown.includes(f.code), f.code);
    const line = f.location.line;
    assert.equal(await h.page.locator(`#line-${line}`).getAttribute('class'), 'ln hl', `line ${line}`);
  }
  assert.match(await text('#detected'), /Dockerfile \(detected\)/);
  const diff = await text('#diff');
  assert.equal(diff.trim(), rewrite.diff.trim());
  assert.ok(await h.page.locator('#diff .add').count() > 0);
  // Fixes per ecosystem, equal to `fix --for CODE --host TARGET --json`.
  for (const [code, fixes] of Object.entries(a.fixes_for_target)) {
    assert.deepEqual(fixes, cli(['fix', '--for', code, '--host', 'linux/arm64']).fixes, code);
  }
  assert.ok(await h.page.locator('#fixes section.eco').count() > 0);
});

test('real Dockerfiles from the corpus equal lint --json', async () => {
  for (const rel of ['dockerfiles-corpus/bad/arg-goarch-default.Dockerfile',
    'dockerfiles-corpus/bad/awscli-x86-64.Dockerfile', 'dockerfiles/node-clean/Dockerfile']) {
    const df = read(rel);
    const a = await paste(h.page, df);
    assert.equal(a.kind, 'dockerfile', rel);
    assert.deepEqual(a.lint, cli(['lint', '-'], { input: df }), rel);
  }
});

test('docker, buildx and compose command lines are rewritten like fix --from-command', async () => {
  for (const cmd of ['docker build -t reg/img:1 .', 'docker run --rm -it mysql:5.7',
    'docker buildx build --platform linux/amd64 -t reg/img:1 --push .', 'docker pull ghcr.io/o/img:1']) {
    const a = await paste(h.page, cmd, { target: 'aws-graviton2' });
    assert.equal(a.kind, 'command', cmd);
    const want = cli(['fix', '--from-command', cmd, '--host', 'aws-graviton2']).rewrite;
    assert.deepEqual(a.rewrite, want, cmd);
    assert.equal((await text('#diff')).trim(), (want.diff || want.rewritten).trim());
  }
  assert.match(await text('#diff'), /--platform linux\/arm64/);
});

test('a compose file is rewritten like fix --file', async () => {
  const yaml = read('rewrite/compose.yaml');
  const a = await paste(h.page, yaml, { target: 'linux/arm64' });
  assert.equal(a.kind, 'compose');
  const want = cliFile('compose.yaml', yaml, ['fix', '--host', 'linux/arm64', '--file']).rewrite;
  assert.deepEqual(a.rewrite, want);
  assert.ok(want.changes.length > 0);
  assert.match(await text('#diff'), /platform: linux\/arm64/);
  assert.ok(!(await h.page.locator('#rewrite-section').isHidden()));
});

test('real error logs are explained like explain --json, evidence lines highlighted', async () => {
  for (const rel of ['logs/real/r001.log', 'logs/real/r003.log', 'logs/real/r035.log',
    'logs/m1-amd64-on-arm64.log', 'logs/crlf-bad-interp.log']) {
    const log = read(rel);
    const a = await paste(h.page, log);
    assert.equal(a.kind, 'log', rel);
    const want = cli(['explain', '-'], { input: log });
    assert.deepEqual(a.explain, want, rel);
    assert.ok(want.causes.length > 0, rel);
    const shown = await text('#findings');
    for (const c of want.causes) assert.ok(shown.includes(c.code), `${rel}: ${c.code}`);
    const first = want.causes[0].evidence.find((e) => e.line)?.line;
    if (first) assert.equal(await h.page.locator(`#line-${first}`).getAttribute('class'), 'ln hl', rel);
  }
});

test('a long log is shown collapsed around its findings, every line on request, answers still equal explain --json', async () => {
  const one = read('logs/real/r001.log') + read('logs/clean-run.log');
  let log = '';
  while (log.split('\n').length < 1500) log += one;
  const a = await paste(h.page, log);
  assert.equal(a.kind, 'log');
  assert.deepEqual(a.explain, cli(['explain', '-'], { input: log }));
  const total = log.replace(/\n$/, '').split('\n').length;
  const shown = await h.page.locator('#redacted .ln').count();
  assert.ok(shown < total / 2, `${shown} of ${total} lines shown`);
  assert.ok(await h.page.locator('#redacted .gap').count() > 0);
  // Every evidence line is on screen, highlighted, and its link finds it.
  for (const c of a.explain.causes) {
    for (const e of c.evidence.filter((x) => x.line)) {
      assert.equal(await h.page.locator(`#line-${e.line}`).getAttribute('class'), 'ln hl', `line ${e.line}`);
    }
  }
  assert.match(await text('#counts'), new RegExp(`${total} lines`));
  await h.page.click('#all-lines');
  assert.equal(await h.page.locator('#redacted .ln').count(), total);
  assert.equal(await h.page.locator('#redacted .gap').count(), 0);
  assert.ok(await h.page.locator('#all-lines').isHidden());
});

test('secrets are redacted on screen, counted by kind, and the switch passes through', async () => {
  const log = 'docker login -u ci -p hunter2pass registry.example.com\n' +
    'curl -u admin:S3cretPass https://example.com/x\n' +
    'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n' +
    'exec /usr/local/bin/app: exec format error\n';
  const a = await paste(h.page, log);
  const screen = await h.page.locator('main').innerText();
  for (const s of ['hunter2pass', 'S3cretPass', 'AKIAIOSFODNN7EXAMPLE']) {
    assert.ok(!screen.includes(s), `${s} on screen`);
    assert.ok(!JSON.stringify(a).includes(s), `${s} in the answer`);
  }
  assert.ok((await text('#redacted')).includes('[REDACTED]'));
  assert.equal(a.redaction.total, 3);
  assert.deepEqual(a.redaction.counts, { 'aws-access-key-id': 1, 'login-password': 1, 'curl-password': 1 });
  assert.match(await text('#counts'), /Redacted 3 secrets: .*login-password ×1/);
  assert.deepEqual(a.explain, cli(['explain', '-'], { input: log }));
  const off = await paste(h.page, log, { redact: false });
  assert.ok((await text('#redacted')).includes('hunter2pass'));
  assert.equal(off.redaction.total, 0);
  assert.deepEqual(off.explain, cli(['explain', '--no-redact', '-'], { input: log }));
  // A secret in a Dockerfile is redacted in the findings and the rewrite too.
  const df = 'FROM node:20\nENV NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789\nRUN GOARCH=amd64 go build .\n';
  const d = await paste(h.page, df);
  assert.ok(!JSON.stringify(d).includes('npm_abcdefghijklmnopqrstuvwxyz0123456789'));
  assert.deepEqual(d.lint, cli(['lint', '-'], { input: df }));
});

test('a dropped executable is classified from its bytes like inspect --json', async () => {
  for (const rel of ['bin/c-arm64-glibc-dyn', 'bin/c-amd64-isa-v3', 'bin/script-crlf.sh']) {
    const file = join(FIXTURES, rel);
    await h.page.selectOption('#target', 'linux/amd64');
    await h.page.evaluate(() => { window.archcompatAnswer = null; });
    await h.page.setInputFiles('#file', file);
    await h.page.waitForFunction(() => window.archcompatAnswer !== null);
    const a = await h.page.evaluate(() => window.archcompatAnswer);
    const want = cli(['inspect', '--host', 'linux/amd64', basename(file)], { cwd: dirname(file) });
    assert.deepEqual(a.inspect, want[0], rel);
  }
  assert.match(await text('#findings'), /crlf-line-endings/);
});

test('a dropped docker save / OCI archive gets the image verdict, read in a worker', async () => {
  const dir = imageFixtures();
  for (const [name, host] of [['liar.docker.tar', 'linux/amd64'], ['multi.oci.tar', 'aws-graviton2']]) {
    await h.page.selectOption('#target', host);
    await h.page.evaluate(() => { window.archcompatAnswer = null; });
    await h.page.setInputFiles('#file', join(dir, name));
    await h.page.waitForFunction(() => window.archcompatAnswer !== null, null, { timeout: 60000 });
    const a = await h.page.evaluate(() => window.archcompatAnswer);
    assert.equal(a.kind, 'image');
    assert.deepEqual(a.image, cli(['image', '--host', host, name], { cwd: dir }), name);
  }
  // The mislabeled image: the verdict and the finding are on screen.
  await h.page.selectOption('#target', 'linux/amd64');
  await h.page.evaluate(() => { window.archcompatAnswer = null; });
  await h.page.setInputFiles('#file', join(dir, 'liar.docker.tar'));
  await h.page.waitForFunction(() => window.archcompatAnswer !== null);
  assert.match(await text('#detected'), /verdict (wont-run|warn)/);
  assert.match(await text('#findings'), /image-mislabeled/);
});

test('keyboard: every control has a label, Tab reaches them, Ctrl+Enter runs', async () => {
  const unlabeled = await h.page.evaluate(() => [...document.querySelectorAll('select, textarea, input')]
    .filter((e) => e.labels.length === 0).map((e) => e.id));
  assert.deepEqual(unlabeled, []);
  await h.page.fill('#input', '');
  await h.page.focus('#kind');
  const order = [];
  for (let i = 0; i < 6; i++) {
    order.push(await h.page.evaluate(() => document.activeElement.id));
    await h.page.keyboard.press('Tab');
  }
  assert.deepEqual(order.slice(0, 5), ['kind', 'target', 'redact', 'input', 'run']);
  await h.page.focus('#input');
  await h.page.keyboard.type('exec /app: exec format error');
  await h.page.evaluate(() => { window.archcompatAnswer = null; });
  await h.page.keyboard.press('Control+Enter');
  await h.page.waitForFunction(() => window.archcompatAnswer !== null);
  assert.equal(await h.page.evaluate(() => window.archcompatAnswer.kind), 'log');
});

test('phone width: nothing wider than the screen', async () => {
  const p = await h.context.newPage();
  await p.setViewportSize({ width: 360, height: 740 });
  await p.goto(h.origin + '/');
  await p.waitForSelector('body[data-ready="true"]');
  await p.fill('#input', read('dockerfiles/go-hardcoded/Dockerfile'));
  await p.click('#run');
  await p.waitForSelector('#out:not([hidden])');
  const width = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `page is ${width}px wide`);
  await p.close();
});

test('with the network cut after load, everything still works', async () => {
  const p = await h.context.newPage();
  await p.goto(h.origin + '/');
  await p.waitForSelector('body[data-ready="true"]');
  await h.context.setOffline(true);
  try {
    await p.fill('#input', read('logs/real/r001.log'));
    await p.click('#run');
    await p.waitForSelector('#out:not([hidden])');
    assert.ok((await p.locator('#findings li').count()) > 0);
    await p.evaluate(() => { window.archcompatAnswer = null; });
    await p.setInputFiles('#file', join(imageFixtures(), 'liar.docker.tar'));
    await p.waitForFunction(() => window.archcompatAnswer !== null, null, { timeout: 60000 });
    assert.equal(await p.evaluate(() => window.archcompatAnswer.kind), 'image');
  } finally {
    await h.context.setOffline(false);
    await p.close();
  }
});
