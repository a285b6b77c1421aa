// Every documented function, used as the README shows it: `tsc --strict --noEmit` checks this
// file against the generated index.d.ts (scripts/test.sh).
import * as ac from '../index.js'
import type { ArchcompatError, ImageReport, InputKind, InspectEntry, InspectResult, Platform, RedactReport, SecretKind } from '../index.js'

export async function main(): Promise<void> {
  const version: string = ac.version()
  const codes: string[] = ac.causeCodes()
  const p: Platform = ac.parsePlatform('armhf', false)
  for (const e of ac.parsePlatforms(['x86_64', 'nope//'])) {
    if ('error' in e) console.log(e.error)
    else console.log(e.formatted, e.platform.architecture)
  }
  const n: Platform = ac.normalizePlatform({ os: 'linux', architecture: 'aarch64' })
  const spelled: string | null = ac.formatPlatform(n, 'debian')
  const doc = await ac.matchPlatforms('aws-graviton2', ['linux/amd64', 'linux/arm64'], true)
  if (doc.best) console.log(doc.best.architecture)
  const v = await ac.hostRuns('linux/amd64', 'linux/386')
  const local = await ac.detectHost()
  const pi = await ac.resolveHost('raspberry-pi-5')
  const names = ac.hostProfiles().map((x) => x.name)
  console.log(version, codes, p.os, spelled, v.runs, local.page_size, pi.platform, names)

  const one: InspectEntry = await ac.inspect('fixtures/bin/c-arm64-glibc-dyn', { host: 'linux/arm64' })
  console.log(one.format, one.platform?.architecture, one.problems.map((f) => f.code))
  const many: InspectResult[] = await ac.inspect(['fixtures/bin/lfs-pointer', '/nonexistent'], { host: 'linux/amd64', redact: false })
  for (const r of many) {
    if ('error' in r) console.log(r.path, r.error.kind, r.error.errno)
    else console.log(r.path, r.format, r.problems.length)
  }
  const bytes = new Uint8Array([0x7f, 0x45, 0x4c, 0x46])
  const c: InspectEntry = ac.classifyBytes(bytes, { host: 'linux/arm64', fileLen: 4096 })
  console.log(c.details)

  const report = await ac.image('examples/hello-multiarch', { host: 'linux/amd64', maxBytes: 1 << 30, redact: false })
  for (const f of report.findings) for (const fix of f.fixes) console.log(fix.snippet, fix.diff)
  console.log(report.verdict)

  const fixes = ac.fixesFor('arch-mismatch', { host: 'linux/arm64', platforms: ['linux/amd64'], image: 'app:1' })
  console.log(fixes.map((f) => f.title), ac.redact('token', { accountIds: false, highEntropy: true }))
  const ex = ac.explain(bytes, { redact: true })
  console.log(ex.causes.map((x) => x.code))
  const lint = await ac.lintDockerfile({ path: 'fixtures/dockerfiles/go-hardcoded/Dockerfile', context: '.' })
  const lint2 = await ac.lintDockerfile('FROM alpine\n', { path: 'Dockerfile', redact: false })
  const log = ac.sarif([...lint.findings, ...lint2.findings])
  console.log(ac.codeQuality(log).map((i) => i.severity))
  console.log(ac.rewriteCommand('docker build -t app .', ['linux/amd64', 'linux/arm64'], { push: true, lambda: false }).rewritten)
  console.log(ac.rewriteCompose('services:\n  a:\n    image: x\n', 'linux/arm64', { services: ['a'], path: 'compose.yaml' }).diff)
  console.log(ac.rewriteDockerfile('FROM alpine\n', { path: 'Dockerfile' }).changes)

  try {
    const out = await ac.admissionReview('{}', { clusterPlatforms: ['linux/amd64'], failurePolicy: 'ignore', deadline: 3, insecure: false })
    console.log(out.review.response.allowed, out.decision.message)
    const verified = await ac.verifyImage('examples/hello-multiarch', { host: 'linux/arm64', command: ['true'], timeout: 2.5, emulatorDir: '/usr/bin' })
    console.log(verified.verify)
    const audit = await ac.audit('examples', { targets: ['linux/amd64'], jobs: 2, pageSize: 10, deep: false, html: '/tmp/a.html' })
    console.log(audit.summary, (await ac.auditMerge(['/tmp/a.json'], { html: '/tmp/b.html' })).summary)
  } catch (e) {
    const err = e as ArchcompatError
    if (err.code === 'ARCHCOMPAT_IO') console.log(err.errno, err.input)
    else if (err.code === 'ARCHCOMPAT_LIMIT') console.log(err.limit)
    else console.log(err.code, err.kind, err.message)
  }
}

/** The web page's operations: detect, redact with counts, bytes of a file or an archive. */
export async function pasted (archive: Uint8Array): Promise<void> {
  const kind: InputKind = ac.detectInput('FROM alpine\n')
  if (kind === 'dockerfile') console.log(ac.detectInput(new TextEncoder().encode('docker run alpine')))
  const r: RedactReport = ac.redactReport('docker login -p hunter2pass', { accountIds: false, highEntropy: true })
  for (const [k, n] of Object.entries(r.counts)) console.log(k as SecretKind, n, r.total, r.text)
  const e: InspectEntry = ac.inspectBytes(new Uint8Array([35, 33, 47]), { name: 'run.sh', host: 'linux/amd64', fileLen: 12, redact: true })
  console.log(e.path, e.format, e.problems.map((p) => p.code))
  try {
    const img: ImageReport = await ac.imageBytes(archive, {
      host: 'linux/amd64', name: 'hello.tar', maxBytes: 1 << 30, maxEntries: 1000, maxJsonBytes: 1 << 20,
      maxFileRead: 1 << 20, maxLinkHops: 8, redact: false
    })
    console.log(img.verdict, img.source)
  } catch (err) {
    const x = err as ArchcompatError
    if (x.code === 'ARCHCOMPAT_LIMIT') console.log(x.limit)
    else console.log(x.code, x.input)
  }
}
