// Sync results are built as JS values directly (no JSON text + JSON.parse): JSON.stringify of
// what a function returns is the CLI's `--json` document byte for byte (same keys, same key
// order, same numbers), on real inputs: the cross-compiled binaries and real files of this
// machine, platform specifiers and aliases, profiles, and real logs (floats in confidences).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, statSync, lstatSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const ac = createRequire(import.meta.url)('../index.js')
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const exe = path.join(root, 'target', 'debug', 'archcompat')

// The CLI's JSON, re-printed by JSON.stringify (key order and numbers as the CLI wrote them).
function cliText (args) {
  const r = spawnSync(exe, args, { maxBuffer: 64 << 20 })
  assert.ok(r.status === 0 || r.status === 1, r.stderr.toString())
  return JSON.stringify(JSON.parse(r.stdout.toString()))
}

function realFiles () {
  const bins = path.join(root, 'fixtures', 'bin')
  const out = readdirSync(bins).sort().map((f) => path.join(bins, f)).filter((p) => statSync(p).isFile())
  for (const d of ['/usr/bin', '/usr/lib/x86_64-linux-gnu']) {
    let here = []
    try {
      here = readdirSync(d).sort().map((f) => path.join(d, f)).filter((p) => lstatSync(p).isFile())
    } catch {}
    const step = Math.max(1, Math.floor(here.length / 30))
    out.push(...here.filter((_, i) => i % step === 0))
  }
  return out
}

test('inspectBytes and classifyBytes give the CLI entry byte for byte', () => {
  const files = realFiles()
  assert.ok(files.length > 40)
  const want = JSON.parse(cliText(['inspect', '--host', 'linux/arm64', '--json', ...files]))
  files.forEach((f, i) => {
    const data = readFileSync(f)
    const got = ac.inspectBytes(data, { name: f, host: 'linux/arm64' })
    assert.equal(JSON.stringify(got), JSON.stringify(want[i]), f)
  })
  for (const f of files.slice(0, 10)) {
    const data = new Uint8Array(readFileSync(f))
    assert.equal(JSON.stringify(ac.classifyBytes(data, { host: 'linux/amd64' })), JSON.stringify(ac.inspectBytes(data, { host: 'linux/amd64' })), f)
  }
})

test('platform documents are the CLI JSON byte for byte', () => {
  const specs = ['linux/arm64', 'aarch64', 'armv7l', 'windows/amd64', 'x86_64-unknown-linux-musl', 'GOARCH=arm GOARM=6']
  assert.equal(JSON.stringify(ac.parsePlatforms(specs)), cliText(['platform', 'parse', '--json', ...specs]))
  const parsed = JSON.parse(cliText(['platform', 'parse', '--json', ...specs]))
  specs.forEach((s, i) => assert.equal(JSON.stringify(ac.parsePlatform(s)), JSON.stringify(parsed[i].platform), s))
  assert.equal(JSON.stringify(ac.hostProfiles()), cliText(['host', '--list-profiles', '--json']))
  assert.equal(ac.formatPlatform('linux/arm64'), 'linux/arm64')
  assert.equal(ac.formatPlatform('linux/riscv64', 'lambda-architecture'), null)
})

test('explain is the CLI JSON byte for byte', () => {
  const real = path.join(root, 'fixtures', 'logs', 'real')
  const index = JSON.parse(readFileSync(path.join(real, 'index.json'), 'utf8'))
  let floats = 0
  index.filter((_, i) => i % 20 === 0).forEach((e) => {
    const p = path.join(real, e.file)
    const got = ac.explain(readFileSync(p))
    assert.equal(JSON.stringify(got), cliText(['explain', '--json', p]), p)
    floats += got.causes.filter((c) => !Number.isInteger(c.confidence)).length
  })
  assert.ok(floats > 0)
})
