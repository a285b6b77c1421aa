// Redaction parity (Node): the same secret-laden inputs as the CLI's parity test
// (fixtures/redact/parity/) through every function that echoes user text. No secret survives;
// image references, platforms and positions stay; `{ redact: false }` is the one switch.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const ac = createRequire(import.meta.url)('../index.js')
const P = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'redact', 'parity')
const read = (f) => readFileSync(path.join(P, f), 'utf8')
const SECRETS = read('secrets.txt').split('\n').filter((l) => l && !l.startsWith('#'))

async function outputs (redact) {
  const o = { redact }
  const cmd = read('command.txt').trim()
  return {
    lintText: await ac.lintDockerfile(read('Dockerfile'), { path: 'Dockerfile', ...o }),
    lintFile: await ac.lintDockerfile({ path: path.join(P, 'Dockerfile'), ...o }),
    image: await ac.image(path.join(P, 'config.json'), { host: 'linux/amd64', redact }),
    inspect: await ac.inspect([path.join(P, 'script.sh')], { host: 'linux/amd64', ...o }),
    explain: ac.explain(read('crash.log'), o),
    rewriteCommand: ac.rewriteCommand(cmd, ['linux/amd64', 'linux/arm64'], { redact }),
    rewriteCompose: ac.rewriteCompose(read('compose.yaml'), 'linux/arm64', o),
    rewriteDockerfile: ac.rewriteDockerfile(read('Dockerfile'), o),
    fixesFor: ac.fixesFor('arch-mismatch', {
      host: 'linux/arm64', platforms: ['linux/amd64'], image: 'ghcr.io/acme/api:1.4',
      path: '/app --password ParityEntrypointPw', redact
    })
  }
}

test('no secret survives any function', async () => {
  const out = await outputs(undefined)
  for (const [name, v] of Object.entries(out)) {
    const text = JSON.stringify(v)
    for (const s of SECRETS) assert.ok(!text.includes(s), `${name}: ${s} survived`)
  }
  assert.ok(out.rewriteCommand.rewritten.includes('ghcr.io/acme/api:1.4'))
  assert.ok(out.lintText.findings.some((f) => f.location && f.location.line === 5))
})

test('errors do not echo secrets', async () => {
  await assert.rejects(ac.image('docker://robot:ParityRobotPass@127.0.0.1:1/app:1', { host: 'linux/amd64' }),
    (e) => !String(e.message).includes('ParityRobotPass'))
})

test('{ redact: false } is the switch', async () => {
  const text = JSON.stringify(await outputs(false))
  assert.ok(text.includes('ParityEntrypointPw'))
  assert.ok(text.includes('ParityShebangPass'))
  // The private keys and Docker config `auths` of the inputs reach the output unredacted.
  assert.ok(text.includes('ParityKeyTail'))
  assert.ok(text.includes('cGFyaXR5OkF1dGhaOQ'))
  assert.ok(text.includes('Y2k6RXNjQXV0aDc'))
})
