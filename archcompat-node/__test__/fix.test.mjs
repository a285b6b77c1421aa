import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const archcompat = require('../index.js');

test('fixesFor fills the host and image', () => {
  const fixes = archcompat.fixesFor('attestation-unsupported', { host: 'aws-lambda-arm64', image: 'acct.dkr.ecr.eu-west-1.amazonaws.com/fn:1' });
  const f = fixes.find((x) => x.id === 'buildx-no-attestations');
  assert.match(f.snippet, /--platform linux\/arm64 --provenance=false --sbom=false -t acct\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/fn:1 --push \./);
  assert.throws(() => archcompat.fixesFor('nope'), { code: 'ARCHCOMPAT_UNSUPPORTED' });
});

test('redact accepts strings and Buffers', () => {
  assert.equal(archcompat.redact('Authorization: Bearer abcdefghijklmnop123'), 'Authorization: Bearer [REDACTED]');
  assert.equal(archcompat.redact(Buffer.from('postgres://u:pw12345@db/app')), 'postgres://u:[REDACTED]@db/app');
});

test('sarif renders findings', async () => {
  const { findings } = await archcompat.lintDockerfile('FROM --platform=linux/amd64 alpine\n');
  const log = archcompat.sarif(findings);
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs[0].results[0].ruleId, 'hardcoded-arch');
  assert.throws(() => archcompat.sarif([{ code: 'nope' }]), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
});
