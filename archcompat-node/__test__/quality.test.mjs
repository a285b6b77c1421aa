// Issue 17: errors with real codes, Promises that always reject, argument checks in JS terms,
// unknown option keys refused, per-path batches, Uint8Array inputs, and the CLI's --json shapes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const ac = createRequire(import.meta.url)('../index.js')
const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const FX = path.join(ROOT, 'fixtures', 'bin')
const EXAMPLE = path.join(ROOT, 'examples', 'hello-multiarch')
const DOCKERFILE = path.join(ROOT, 'fixtures', 'dockerfiles', 'go-hardcoded', 'Dockerfile')

function cli(...args) {
  const exe = path.join(process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target'), 'debug', 'archcompat')
  assert.ok(existsSync(exe), `build the CLI first (cargo build -p archcompat-cli): ${exe}`)
  try {
    return JSON.parse(execFileSync(exe, [...args, '--json'], { cwd: ROOT, encoding: 'utf8' }))
  } catch (e) {
    assert.equal(e.status, 1, String(e.stderr))
    return JSON.parse(e.stdout)
  }
}

// Same values and the same key order.
const same = (a, b) => assert.equal(JSON.stringify(a), JSON.stringify(b))

test('results have the shapes and key order of the CLI --json', async () => {
  process.chdir(ROOT)
  const paths = ['fixtures/bin/c-armhf-glibc-dyn', 'fixtures/bin/script-crlf.sh', 'fixtures/bin/lfs-pointer']
  same(await ac.inspect(paths, { host: 'linux/arm64' }), cli('inspect', '--host', 'linux/arm64', ...paths))
  same(await ac.image('examples/hello-multiarch', { host: 'linux/amd64' }), cli('image', 'examples/hello-multiarch', '--host', 'linux/amd64'))
  const rel = path.relative(ROOT, DOCKERFILE)
  same(await ac.lintDockerfile({ path: rel }), cli('lint', rel))
  same(ac.parsePlatforms(['armhf', 'x86_64', 'windows/amd64']), cli('platform', 'parse', 'armhf', 'x86_64', 'windows/amd64'))
  same(await ac.matchPlatforms('aws-graviton2', ['linux/amd64', 'linux/arm64']), cli('platform', 'match', '--host', 'aws-graviton2', 'linux/amd64', 'linux/arm64'))
  same(await ac.resolveHost('raspberry-pi-5'), cli('host', '--host', 'raspberry-pi-5'))
})

test('core errors carry a real code, kind, input, errno and limit', async () => {
  await assert.rejects(ac.inspect('/nonexistent/x', { host: 'linux/amd64' }), (e) => {
    assert.ok(e instanceof Error)
    assert.equal(e.code, 'ARCHCOMPAT_IO')
    assert.equal(e.kind, 'io')
    assert.equal(e.errno, 2)
    assert.equal(e.input, '/nonexistent/x')
    return true
  })
  await assert.rejects(ac.image(EXAMPLE, { host: 'linux/amd64', maxJsonBytes: 10 }), (e) => {
    assert.equal(e.code, 'ARCHCOMPAT_LIMIT')
    assert.equal(e.limit, 'maxJsonBytes')
    assert.ok(!e.message.includes('--'), e.message)
    return true
  })
  await assert.rejects(ac.image('docker://127.0.0.1:9/demo/app:1', { host: 'linux/amd64' }), { code: 'ARCHCOMPAT_REGISTRY' })
  assert.throws(() => ac.parsePlatform('linux//v7'), { code: 'ARCHCOMPAT_INVALID_PLATFORM' })
})

test('Promise functions reject, never throw, on bad arguments', async () => {
  const calls = [
    () => ac.inspect(42),
    () => ac.image(undefined),
    () => ac.image(EXAMPLE, 'linux/amd64'),
    () => ac.matchPlatforms('linux/amd64', 'linux/arm64'),
    () => ac.hostRuns('linux/amd64', 3),
    () => ac.lintDockerfile(),
    () => ac.admissionReview(7),
    () => ac.verifyImage(EXAMPLE, { timeout: -1 }),
    () => ac.audit(EXAMPLE, {}),
    () => ac.auditMerge('x', { hmtl: 'y' }),
    () => ac.resolveHost(null),
  ]
  for (const call of calls) {
    let p
    assert.doesNotThrow(() => { p = call() }, String(call))
    assert.ok(p instanceof Promise, String(call))
    await assert.rejects(p, (e) => {
      assert.ok(e instanceof TypeError || e instanceof RangeError, `${call}: ${e}`)
      assert.match(e.code, /^ERR_(INVALID_ARG_TYPE|INVALID_ARG_VALUE|OUT_OF_RANGE)$/)
      assert.ok(!/Rust|String|Vec<|napi|Either/.test(e.message), e.message)
      return true
    })
  }
})

test('argument errors speak JS and name the parameter', () => {
  assert.throws(() => ac.classifyBytes('text'), {
    name: 'TypeError',
    code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "data" argument must be an instance of Buffer or Uint8Array. Received type string',
  })
  assert.throws(() => ac.explain(42), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: /"text" argument must be of type string or an instance of Buffer or Uint8Array/ })
  assert.throws(() => ac.rewriteCommand('docker build .', ['linux/arm64', 5]), { message: /"platforms\[1\]" argument must be of type string/ })
  assert.throws(() => ac.fixesFor('arch-mismatch', { redact: 'no' }), { message: /"options.redact" argument must be of type boolean/ })
})

test('a typo in an option key is a TypeError naming the key and the valid ones', async () => {
  await assert.rejects(ac.image(EXAMPLE, { hots: 'linux/arm64' }), (e) => {
    assert.ok(e instanceof TypeError)
    assert.equal(e.code, 'ERR_INVALID_ARG_VALUE')
    assert.match(e.message, /unknown option "hots"/)
    assert.match(e.message, /host, insecure, maxBytes/)
    return true
  })
  assert.throws(() => ac.classifyBytes(new Uint8Array(4), { hots: 'x' }), { code: 'ERR_INVALID_ARG_VALUE', message: /"hots".*host, fileLen/ })
  await assert.rejects(ac.image(EXAMPLE, { maxBytes: -1 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' })
})

test('inspect of an array gives one result per path', async () => {
  const out = await ac.inspect([path.join(FX, 'c-arm64-glibc-dyn'), '/nonexistent/y', path.join(FX, 'script-bom.sh')], { host: 'linux/arm64' })
  assert.deepEqual(out.map((r) => Object.keys(r).slice(0, 2)), [['path', 'format'], ['path', 'error'], ['path', 'format']])
  assert.deepEqual(out[1].error.kind, 'io')
  assert.equal(out[1].error.errno, 2)
  assert.match(out[1].error.message, /\/nonexistent\/y/)
  assert.equal(out[2].problems[0].code, 'byte-order-mark')
})

test('Buffer and Uint8Array are both accepted', async () => {
  const buf = readFileSync(path.join(FX, 'c-arm64-glibc-dyn'))
  const u8 = new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length))
  same(ac.classifyBytes(buf, { host: 'linux/arm64' }), ac.classifyBytes(u8, { host: 'linux/arm64' }))
  const text = readFileSync(DOCKERFILE)
  same(await ac.lintDockerfile(new Uint8Array(text)), await ac.lintDockerfile(text.toString('utf8')))
  assert.equal(ac.redact(new TextEncoder().encode('postgres://u:pw12345@db/app')), 'postgres://u:[REDACTED]@db/app')
  assert.ok(ac.explain(new TextEncoder().encode('exec /app: exec format error\n')).causes.length > 0)
})

test('the same operations as the Python binding', () => {
  const stub = readFileSync(path.join(ROOT, 'archcompat-py', 'python', 'archcompat', '_archcompat.pyi'), 'utf8')
  const py = new Set([...stub.matchAll(/^def ([a-z_]+)\(/gm)].map((m) => m[1].replace(/_([a-z])/g, (_, c) => c.toUpperCase())))
  py.add('version') // Python: __version__
  assert.deepEqual(Object.keys(ac).filter((k) => !k.startsWith('__')).sort(), [...py].sort())
})
