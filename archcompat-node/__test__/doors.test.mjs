// The web page's operations from Node: detectInput, redactReport, inspectBytes and imageBytes
// give what `archcompat detect|redact|inspect|image --json` prints for the same real inputs
// (collected real logs, bundled Dockerfiles, the redaction parity inputs, the cross-compiled
// binaries, and an OCI archive of the bundled multi-arch example made with tar).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const ac = createRequire(import.meta.url)('../index.js')
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const exe = path.join(root, 'target', 'debug', 'archcompat')
const parity = path.join(root, 'fixtures', 'redact', 'parity')

function cli (args, input) {
  const r = spawnSync(exe, args, { input, maxBuffer: 64 << 20 })
  return { code: r.status, json: JSON.parse(r.stdout.toString()) }
}

function realTexts () {
  const real = path.join(root, 'fixtures', 'logs', 'real')
  const index = JSON.parse(readFileSync(path.join(real, 'index.json'), 'utf8'))
  const out = index.filter((_, i) => i % 25 === 0).map((e) => path.join(real, e.file))
  for (const f of readdirSync(parity).sort()) out.push(path.join(parity, f))
  const dfs = path.join(root, 'fixtures', 'dockerfiles')
  for (const d of readdirSync(dfs).sort()) {
    const p = path.join(dfs, d, 'Dockerfile')
    if (existsSync(p)) out.push(p)
  }
  return out
}

test('detectInput equals the CLI on real inputs', () => {
  const kinds = new Set()
  for (const p of realTexts()) {
    const { code, json } = cli(['detect', '--json', p])
    assert.equal(code, 0)
    const text = readFileSync(p, 'utf8')
    assert.equal(ac.detectInput(text), json, p)
    assert.equal(ac.detectInput(new Uint8Array(Buffer.from(text))), json, p)
    kinds.add(json)
  }
  assert.deepEqual([...kinds].sort(), ['command', 'compose', 'dockerfile', 'log'])
  assert.throws(() => ac.detectInput(42), { code: 'ERR_INVALID_ARG_TYPE', name: 'TypeError' })
})

test('redactReport equals the CLI on real inputs, keys in the same order', () => {
  for (const p of realTexts()) {
    const { code, json } = cli(['redact', '--json', p])
    assert.equal(code, 0)
    const got = ac.redactReport(readFileSync(p, 'utf8'))
    assert.deepEqual(got, json, p)
    assert.deepEqual(Object.keys(got), ['text', 'counts', 'total'])
    assert.equal(JSON.stringify(got), JSON.stringify(json))
  }
  const arn = 'role arn:aws:iam::123456789012:role/deploy'
  assert.deepEqual(ac.redactReport(arn).counts, { 'account-id': 1 })
  const kept = ac.redactReport(arn, { accountIds: false })
  assert.deepEqual(kept, cli(['redact', '--json', '--no-account-ids', '-'], arn).json)
  assert.equal(kept.total, 0)
  assert.throws(() => ac.redactReport(arn, { acountIds: false }), { code: 'ERR_INVALID_ARG_VALUE' })
})

test('inspectBytes equals the CLI entry', () => {
  const bins = path.join(root, 'fixtures', 'bin')
  for (const name of ['c-amd64-isa-v3', 'c-armhf-glibc-dyn', 'script-crlf.sh', 'lfs-pointer', 'error-page.html']) {
    const p = path.join(bins, name)
    const { json } = cli(['inspect', '--host', 'linux/arm64', '--json', p])
    const got = ac.inspectBytes(new Uint8Array(readFileSync(p)), { name: p, host: 'linux/arm64' })
    assert.equal(JSON.stringify(got), JSON.stringify(json[0]), name)
  }
  const script = Buffer.from('#!/bin/sh --password SuperSecretPw1\r\necho\r\n')
  assert.ok(!JSON.stringify(ac.inspectBytes(script, { host: 'linux/amd64' })).includes('SuperSecretPw1'))
  assert.ok(JSON.stringify(ac.inspectBytes(script, { host: 'linux/amd64', redact: false })).includes('SuperSecretPw1'))
  assert.equal(ac.inspectBytes(script, { host: 'linux/amd64' }).path, '<bytes>')
  assert.throws(() => ac.inspectBytes(script, { host: 'x/y/z/w' }), { code: 'ARCHCOMPAT_INVALID_PLATFORM' })
})

const archive = () => execFileSync('tar', ['-C', path.join(root, 'examples', 'hello-multiarch'), '-cf', '-', '.'], { maxBuffer: 64 << 20 })

test('imageBytes equals the CLI reading the archive from stdin', async () => {
  const data = archive()
  for (const [host, exit] of [['linux/amd64', 1], ['aws-graviton2', 0]]) {
    const { code, json } = cli(['image', '-', '--host', host, '--json'], data)
    assert.equal(code, exit)
    const got = await ac.imageBytes(data, { host })
    assert.equal(JSON.stringify(got), JSON.stringify(json), host)
    assert.deepEqual(await ac.imageBytes(new Uint8Array(data), { host }), json)
  }
  const named = await ac.imageBytes(data, { host: 'linux/amd64', name: 'hello.tar' })
  assert.equal(named.source, 'hello.tar')
  assert.equal(named.verdict, 'wont-run')
})

test('imageBytes always rejects, with the documented codes', async () => {
  const data = archive()
  await assert.rejects(ac.imageBytes(data, { host: 'linux/amd64', maxJsonBytes: 10 }),
    (e) => e.code === 'ARCHCOMPAT_LIMIT' && e.limit === 'maxJsonBytes' && !e.message.includes('--max'))
  await assert.rejects(ac.imageBytes(Buffer.from('not an archive at all'.repeat(40)), { host: 'linux/amd64' }),
    { code: 'ARCHCOMPAT_MALFORMED' })
  await assert.rejects(ac.imageBytes('a string', { host: 'linux/amd64' }), { code: 'ERR_INVALID_ARG_TYPE' })
  await assert.rejects(ac.imageBytes(data, { hots: 'linux/amd64' }), { code: 'ERR_INVALID_ARG_VALUE' })
  await assert.rejects(ac.imageBytes(data.subarray(0, 3000), { host: 'linux/amd64' }), (e) => e.code.startsWith('ARCHCOMPAT_'))
})
