// Shared by the browser tests, the benchmark and the screenshot script: serves web/dist on
// 127.0.0.1, launches Debian's Chromium through playwright-core with the flags that keep it
// from calling home, records every request that leaves the page's origin, and runs the
// archcompat CLI for the answers the page must equal.
import { chromium } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../serve.mjs';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = join(REPO, 'fixtures');

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function chromiumPath() {
  for (const p of [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && existsSync(p)) return p;
  }
  throw new Error('Debian chromium is not installed (scripts/setup.sh installs it)');
}

/** Start the server and the browser; `foreign` collects every request to another origin. */
export async function start({ viewport = { width: 1280, height: 900 } } = {}) {
  if (!existsSync(join(REPO, 'web/dist/pkg/archcompat_web_bg.wasm'))) {
    throw new Error('web/dist is not built: run scripts/web-build.sh');
  }
  const server = await serve(0);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport });
  const foreign = [];
  // Any request to another origin is recorded and refused (a test then fails on it).
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin !== origin && !url.startsWith('data:') && !url.startsWith('blob:')) {
      foreign.push(url);
      return route.abort();
    }
    return route.continue();
  });
  context.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(origin + '/');
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  return {
    server, browser, context, page, origin, foreign, errors,
    async stop() {
      await browser.close();
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Paste `text`, choose the kind and target, run, and return the page's answer. */
export async function paste(page, text, { kind = 'auto', target = 'linux/amd64', redact = true } = {}) {
  await page.selectOption('#kind', kind);
  await page.selectOption('#target', target);
  await page.setChecked('#redact', redact);
  await page.fill('#input', text);
  await page.evaluate(() => { window.archcompatAnswer = null; });
  await page.click('#run');
  await page.waitForFunction(() => window.archcompatAnswer !== null, null, { timeout: 30000 });
  return page.evaluate(() => window.archcompatAnswer);
}

export function cliBinary() {
  const dir = process.env.CARGO_TARGET_DIR || join(REPO, 'target');
  const bin = process.env.ARCHCOMPAT_BIN || join(dir, 'debug/archcompat');
  if (!existsSync(bin)) {
    const r = spawnSync('cargo', ['build', '--quiet', '-p', 'archcompat-cli'], { cwd: REPO, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('cargo build -p archcompat-cli failed');
  }
  return bin;
}

/** Run the CLI with `--json`; returns the parsed document (exit 0 or 1 both answer). */
export function cli(args, { input, cwd = REPO } = {}) {
  const r = spawnSync(cliBinary(), [...args, '--json'], { input, cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`archcompat ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  }
  return JSON.parse(r.stdout);
}

/** The image fixtures the Rust tests build (scripts/build-image-fixtures.sh, cached by hash). */
export function imageFixtures() {
  const script = join(REPO, 'scripts/build-image-fixtures.sh');
  const hash = createHash('sha256').update(readFileSync(script)).digest('hex').slice(0, 16);
  const dir = join(process.env.CARGO_TARGET_DIR || join(REPO, 'target'), 'tmp', `image-fixtures-${hash}`);
  const r = spawnSync('bash', [script, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('scripts/build-image-fixtures.sh failed');
  return dir;
}

export const read = (rel) => readFileSync(join(FIXTURES, rel), 'utf8');
