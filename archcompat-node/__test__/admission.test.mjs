// admissionReview(): the webhook's decision from Node, against Debian's docker-registry on
// loopback holding the bundled multi-arch example pushed by skopeo.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const archcompat = require('../index.js')
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const dir = mkdtempSync(join(tmpdir(), 'archcompat-node-registry-'))
let host

const freePort = () =>
  new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => ok(port))
    })
  })

before(async () => {
  const port = await freePort()
  execFileSync('bash', [join(repo, 'scripts/test-registry.sh'), 'start', dir, String(port)])
  host = `127.0.0.1:${port}`
  execFileSync('skopeo', ['copy', '-q', '--all', '--dest-tls-verify=false',
    `oci:${join(repo, 'examples/hello-multiarch')}:latest`, `docker://${host}/hello:multi`])
})

after(() => {
  execFileSync('bash', [join(repo, 'scripts/test-registry.sh'), 'stop', dir])
})

const review = (image, spec = {}) => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid: 'node-1',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    operation: 'CREATE',
    object: { metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image }], ...spec } },
  },
})

test('a multi-arch image is admitted on an amd64+arm64 cluster', async () => {
  const r = await archcompat.admissionReview(JSON.stringify(review(`${host}/hello:multi`)), {
    clusterPlatforms: ['linux/amd64', 'linux/arm64'],
  })
  assert.equal(r.review.response.uid, 'node-1')
  assert.equal(r.review.response.allowed, true)
  assert.deepEqual(r.decision.platforms.map((p) => p.architecture), ['amd64', 'arm64'])
})

test('a Buffer review pinned to s390x is denied with a fix', async () => {
  const body = Buffer.from(JSON.stringify(review(`${host}/hello:multi`, { nodeSelector: { 'kubernetes.io/arch': 's390x' } })))
  const r = await archcompat.admissionReview(body, { clusterPlatforms: ['linux/amd64'] })
  assert.equal(r.review.response.allowed, false)
  assert.match(r.review.response.status.message, /linux\/s390x/)
  assert.equal(r.decision.findings[0].code, 'no-matching-manifest')
})

test('failure policy and errors', async () => {
  const r = await archcompat.admissionReview(JSON.stringify(review('127.0.0.1:9/none:1')), {
    failurePolicy: 'ignore',
    deadline: 3,
  })
  assert.equal(r.review.response.allowed, true)
  assert.match(r.review.response.warnings[0], /failurePolicy Ignore/)
  await assert.rejects(archcompat.admissionReview('not json'), { code: 'ARCHCOMPAT_MALFORMED' })
  await assert.rejects(archcompat.admissionReview('{}', { failurePolicy: 'sometimes' }), { code: 'ARCHCOMPAT_MALFORMED', message: /failure policy/ })
})

test('codeQuality converts SARIF', () => {
  const finding = { code: 'hardcoded-arch', severity: 'error', message: 'GOARCH=amd64', evidence: [], location: { path: 'Dockerfile', line: 5 }, fixes: [] }
  const issues = archcompat.codeQuality(archcompat.sarif([finding]))
  assert.equal(issues[0].check_name, 'hardcoded-arch')
  assert.deepEqual(issues[0].location, { path: 'Dockerfile', lines: { begin: 5 } })
  assert.throws(() => archcompat.codeQuality({ no: 'runs' }), { code: 'ARCHCOMPAT_MALFORMED' })
})
