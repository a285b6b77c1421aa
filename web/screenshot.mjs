// Writes docs/web-page.png for the README: the page after pasting a real Dockerfile from the
// corpus (findings, redaction, the rewrite for linux/arm64). Run after scripts/web-build.sh.
import { join } from 'node:path';
import { start, paste, read, REPO } from './test/harness.mjs';

const h = await start({ viewport: { width: 1100, height: 900 } });
try {
  const df = read('dockerfiles/go-hardcoded/Dockerfile')
    .replace('WORKDIR /src', 'WORKDIR /src\nARG NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789');
  await paste(h.page, df, { target: 'linux/arm64' });
  const out = join(REPO, 'docs/web-page.png');
  await h.page.screenshot({ path: out, fullPage: true });
  if (h.foreign.length) throw new Error(`requests to other origins: ${h.foreign}`);
  console.log(`wrote ${out}`);
} finally {
  await h.stop();
}
