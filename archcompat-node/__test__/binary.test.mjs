// inspect / classifyBytes on the committed, compiler-built fixtures.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const ac = createRequire(import.meta.url)('../index.js')
const FX = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'bin')

test('inspect resolves to contract entries', async () => {
  const es = await ac.inspect([path.join(FX, 'c-s390x-glibc-dyn'), path.join(FX, 'script-bom.sh')], { host: 'linux/amd64' })
  assert.equal(es.length, 2)
  assert.deepEqual(es[0].platform, { os: 'linux', architecture: 's390x' })
  assert.equal(es[0].details.endianness, 'big')
  assert.equal(es[0].problems[0].code, 'arch-mismatch')
  assert.equal(es[1].format, 'script')
  assert.equal(es[1].problems[0].code, 'byte-order-mark')
})

test('inspect rejects with a coded error naming the path', async () => {
  await assert.rejects(ac.inspect('/nonexistent/y'), { code: 'ARCHCOMPAT_IO', message: /\/nonexistent\/y/ })
})

test('classifyBytes takes a Buffer and reads Go build info', () => {
  const data = gunzipSync(readFileSync(path.join(FX, 'go-linux-arm-6.gz')))
  const e = ac.classifyBytes(data, { host: 'linux/arm64' })
  assert.equal(e.path, '<bytes>')
  assert.equal(e.platform.variant, 'v6')
  assert.equal(e.details.go.build_settings.GOARM, '6')
  const j = ac.classifyBytes(readFileSync(path.join(FX, 'Hello.class')), { host: 'linux/amd64' })
  assert.equal(j.format, 'java-class')
})
