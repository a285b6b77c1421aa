/* Interfaces for the JSON-shaped values returned by archcompat (see shared contract).
   Kept in one place so the generated index.d.ts can reference them by name. */

/** A finding: one problem with its evidence and fixes. */
export interface Finding {
  code: string
  severity: 'error' | 'warning' | 'info'
  message: string
  evidence: Evidence[]
  location?: Location
  fixes: Fix[]
}

/** What was read that shows a finding, and where. */
export interface Evidence {
  detail: string
  path?: string
  layer?: string
  line?: number
}

/** Where a finding points in the user's input (1-based line and columns). */
export interface Location {
  path: string
  line?: number
  column?: number
  end_column?: number
}

/** A concrete, ready-to-paste change. */
export interface Fix {
  id: string
  title: string
  why: string
  applies_to: string
  snippet: string
  diff?: string
}

/** An OCI platform in its JSON form. */
export interface Platform {
  os: string
  architecture: string
  variant?: string
  'os.version'?: string
  'os.features'?: string[]
}

// ---------------------------------------------------------------- platform (issue 3)

/** How a host runs a platform. */
export type Runs = 'native' | 'compatible' | 'emulated' | 'no'

/** Spellings `formatPlatform` knows. */
export type Spelling =
  | 'oci' | 'uname' | 'debian' | 'go-env' | 'rust-triple' | 'rust-triple-musl'
  | 'kubernetes' | 'ecs-cpu-architecture' | 'lambda-architecture'

/** One `platform parse` entry. */
export type ParseEntry =
  | { input: string; platform: Platform; formatted: string }
  | { input: string; error: string }

/** A verdict: how and why. */
export interface RunVerdict {
  runs: Runs
  reason: string
}

/** The `platform match` document. */
export interface MatchDocument {
  host: Platform
  host_source: string
  strict: boolean
  candidates: Array<{ input: string; platform: Platform; runs: Runs; reason: string }>
  best: Platform | null
  best_runnable: Platform | null
}

/** A binfmt_misc handler. */
export interface Emulator {
  name: string
  enabled: boolean
  interpreter: string
  flags: string
  offset?: number
  magic?: string
  mask?: string
  extension?: string
  platform?: Platform
}

/** The `host` document. */
export interface HostReport {
  platform: Platform
  runs_natively: Platform[]
  emulated: Platform[]
  amd64_level?: number
  arm64_variant?: string
  page_size: number
  aarch32?: boolean
  ia32?: boolean
  emulators: Emulator[]
  extra_emulated?: Platform[]
  libc?: { family: string; version?: string; path: string }
  machine?: string
  kernel?: string
  cpu?: string
  cpu_features?: string[]
  binfmt_misc?: boolean
  source: string
  evidence?: string[]
}

/** A named deployment target (`host --list-profiles`). */
export interface HostProfile {
  name: string
  description: string
  platform: string
  native: string[]
  emulated: string[]
  arm64_variant: string | null
  amd64_level: number | null
  cpu: string
  cpu_features: string[]
  page_size: number
  aarch32: boolean | null
  machine: string | null
  ia32: boolean | null
  source: string
}


// ---------------------------------------------------------------- binary (issue 4)

/** What kind of file `inspect`/`classifyBytes` found. */
export type BinaryFormat =
  | 'elf' | 'macho' | 'macho-fat' | 'pe' | 'script' | 'wasm' | 'java-class'
  | 'lfs-pointer' | 'html' | 'empty' | 'text' | 'data'

/** One entry of `archcompat inspect --json`. */
export interface InspectEntry {
  path: string
  format: BinaryFormat
  /** The platform the file is for, when it is a native program of a known architecture. */
  platform?: Platform
  /** Format-specific facts (ELF: class, endianness, machine, type, linkage, interpreter, libc, float_abi, isa_level, go …; scripts: interpreter, line_endings, bom). */
  details: Record<string, unknown>
  /** What would make exec fail on the host; the first evidence line names the errno. */
  problems: Finding[]
}


// ---------------------------------------------------------------- image (issue 5)

/** One index entry and what selection did with it. */
export interface ImageIndexEntry {
  digest: string
  platform?: Platform
  status: 'selected' | 'candidate' | 'attestation' | 'rejected'
  runs?: 'native' | 'compatible' | 'emulated' | 'no'
  reason: string
}

/** A file inside the image, as found (after links). */
export interface ImageFile {
  path: string
  layer?: string
  links?: string[]
  size: number
  mode: number
  /** The inspect entry of the file (format, platform, details). */
  binary?: { format: string; platform?: Platform; details?: Record<string, unknown> }
}

/** The process the image starts and what it resolves to. */
export interface ImageEntrypoint {
  argv: string[]
  form?: 'exec' | 'shell'
  working_dir: string
  path_var: string
  program?: string
  file?: ImageFile
  interpreter?: { requested: string; found: boolean; file?: ImageFile; problem?: string }
  /** Shell form: the program the shell runs, when the command is a simple one. */
  command?: ImageFile
  problem?: string
}

/** Classified files of an image, by platform. */
export interface ImageBinaries {
  scanned: number
  by_platform: Record<string, number>
  foreign?: Array<{ path: string; layer?: string; platform: string }>
}

/** What `image()` resolves to: the JSON of `archcompat image --json`. */
export interface ImageReport {
  source: string
  host: Platform
  selected: { digest: string; platform: Platform; actual_platform?: Platform } | null
  platforms: ImageIndexEntry[]
  entrypoint: ImageEntrypoint | null
  binaries: ImageBinaries
  layers: Array<{ digest: string; compression: 'none' | 'gzip' | 'zstd'; size: number; uncompressed: number; entries: number }>
  verdict: 'runs' | 'runs-emulated' | 'wont-run'
  findings: Finding[]
  notes?: string[]
}


// ---------------------------------------------------------------- fix, redact, sarif (issue 6)


// ---------------------------------------------------------------- explain (issue 6)

/** One ranked cause of an error log. */
export interface ExplainedCause {
  code: string
  confidence: number
  why: string
  evidence: Array<{ detail: string; line?: number }>
  platforms: { host?: string; image?: string; requested?: string }
  /** The command that decides between candidates. */
  check?: string
}

/** `archcompat explain --json`. */
export interface Explanation {
  causes: ExplainedCause[]
  fixes: Fix[]
  image?: string
}


// ---------------------------------------------------------------- lint, rewrite (issue 6)

/** `archcompat lint --json`: Dockerfile hazards with `location.line`. */
export interface LintReport {
  findings: Finding[]
}

/** A rewrite of the user's own command line, compose file or Dockerfile. */
export interface Rewrite {
  kind: 'command' | 'compose' | 'dockerfile'
  original: string
  rewritten: string
  /** Unified diff (empty when nothing changed). */
  diff: string
  /** Commands only: the rewritten command split as a POSIX shell would. */
  argv?: string[]
  changes: string[]
  fix: Fix
}


// ---------------------------------------------------------------- admission (issue 13)

/** The AdmissionReview response document the API server expects. */
export interface AdmissionReviewResponse {
  apiVersion: 'admission.k8s.io/v1'
  kind: 'AdmissionReview'
  response: {
    uid: string
    allowed: boolean
    status?: { code: number; reason: string; message: string }
    warnings?: string[]
  }
}

/** The decision behind a review: findings with fixes, and the platforms the pods may land on. */
export interface AdmissionDecision {
  uid: string
  allowed: boolean
  message?: string
  warnings?: string[]
  findings?: Array<Record<string, unknown>>
  platforms?: Array<{ os: string; architecture: string; variant?: string }>
}

/** What `admissionReview()` resolves to. */
export interface AdmissionResult {
  review: AdmissionReviewResponse
  decision: AdmissionDecision
}

/** One GitLab Code Quality issue (`codeQuality()`). */
export interface CodeQualityIssue {
  description: string
  check_name: string
  fingerprint: string
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker'
  location: { path: string; lines: { begin: number } }
}

// ---------------------------------------------------------------- batches (issue 17)

/** Why one path of `inspect([...])` could not be read. */
export interface InspectError {
  kind: 'io' | 'invalid-platform' | 'malformed' | 'limit-exceeded' | 'unsupported' | 'registry'
  message: string
  /** The operating-system error number (2 = ENOENT …), for I/O failures that have one. */
  errno?: number
  /** The option that raises the limit that tripped (`maxBytes` …). */
  limit?: string
}

/** A path of `inspect([...])` that could not be read. */
export interface InspectFailure {
  path: string
  error: InspectError
}

/** One result of `inspect([...])`: narrow with `'error' in r`. */
export type InspectResult = InspectEntry | InspectFailure

// ---------------------------------------------------------------- errors (issue 17)

/** The `code` of every error the package throws or rejects with. */
export type ArchcompatErrorCode =
  | 'ARCHCOMPAT_IO'
  | 'ARCHCOMPAT_INVALID_PLATFORM'
  | 'ARCHCOMPAT_MALFORMED'
  | 'ARCHCOMPAT_LIMIT'
  | 'ARCHCOMPAT_UNSUPPORTED'
  | 'ARCHCOMPAT_REGISTRY'
  | 'ERR_INVALID_ARG_TYPE'
  | 'ERR_INVALID_ARG_VALUE'
  | 'ERR_OUT_OF_RANGE'

/** An `Error` from the core (`ARCHCOMPAT_*` codes); argument errors are `TypeError`/`RangeError`
 * with Node's `ERR_INVALID_ARG_*`/`ERR_OUT_OF_RANGE` codes and no `kind`. */
export interface ArchcompatError extends Error {
  code: ArchcompatErrorCode
  kind?: InspectError['kind']
  /** What the error concerns (path, reference, digest or value), redacted. */
  input?: string
  errno?: number
  limit?: string
}

// ---------------------------------------------------------------- options (issue 17)
// Unknown keys are refused with a TypeError (code ERR_INVALID_ARG_VALUE) naming the valid ones.

/** The redaction switch (`redact: false` echoes user text as written; on by default). */
export interface RedactionOptions {
  redact?: boolean
}

export interface InspectOptions extends RedactionOptions {
  /** Platform, alias, profile or `local` (default). */
  host?: string
}

export interface ClassifyOptions {
  host?: string
  /** The whole file's length, when `data` is only its first bytes. */
  fileLen?: number
}

export interface ImageOptions extends RedactionOptions {
  host?: string
  insecure?: boolean
  maxBytes?: number
  maxEntries?: number
  maxJsonBytes?: number
  maxFileRead?: number
  maxLinkHops?: number
  registryTimeout?: number
  registryMinRate?: number
  registryGrace?: number
}

export interface FixOptions extends RedactionOptions {
  host?: string
  platforms?: string[]
  image?: string
  path?: string
  interpreter?: string
}

export interface RedactOptions {
  accountIds?: boolean
  highEntropy?: boolean
}

export interface LintOptions extends RedactionOptions {
  /** The Dockerfile's text (or give it as the first argument). */
  text?: string | Uint8Array
  /** The Dockerfile to read, or the name shown for `text`. */
  path?: string
  /** The build context (default: the Dockerfile's directory). */
  context?: string
}

export interface CommandRewriteOptions extends RedactionOptions {
  push?: boolean
  lambda?: boolean
}

export interface ComposeRewriteOptions extends RedactionOptions {
  services?: string[]
  path?: string
}

export interface DockerfileRewriteOptions extends RedactionOptions {
  path?: string
}

export interface AdmissionOptions {
  /** The cluster's node platforms or profiles (default `["linux/amd64"]`). */
  clusterPlatforms?: string[]
  failurePolicy?: 'fail' | 'ignore'
  /** Seconds the review may take (default 8, at most 30). */
  deadline?: number
  insecure?: boolean
}

export interface VerifyImageOptions {
  host?: string
  command?: string[]
  /** Seconds (default 5). */
  timeout?: number
  emulatorDir?: string
  insecure?: boolean
}

export interface AuditOptions {
  targets: string[]
  deep?: boolean
  jobs?: number
  pageSize?: number
  state?: string
  html?: string
  insecure?: boolean
}

export interface AuditMergeOptions {
  html?: string
}

// ---------------------------------------------------------------- pasted text, dropped files

/** What `detectInput` (`archcompat detect`) says a text is. */
export type InputKind = 'dockerfile' | 'command' | 'compose' | 'log'

/** A kind of secret `redactReport` counts. */
export type SecretKind =
  | 'private-key' | 'aws-secret-key' | 'aws-access-key-id' | 'account-id' | 'bearer-token'
  | 'basic-auth' | 'url-password' | 'registry-auth' | 'login-password' | 'password-flag'
  | 'curl-password' | 'secret-variable' | 'connection-string' | 'known-token' | 'slack-webhook'
  | 'high-entropy'

/** `redactReport` / `archcompat redact --json`: the redacted text, counts by kind, total. */
export interface RedactReport {
  text: string
  counts: Partial<Record<SecretKind, number>>
  total: number
}

export interface InspectBytesOptions extends RedactionOptions {
  /** The file's name, shown as `path` (default `<bytes>`). */
  name?: string
  host?: string
  /** The whole file's length, when `data` is only its first bytes. */
  fileLen?: number
}

export interface ImageBytesOptions extends RedactionOptions {
  host?: string
  /** The name the report gives as its `source` (default `-`, as for standard input). */
  name?: string
  /** Which image, when the archive holds several. */
  tag?: string
  maxBytes?: number
  maxEntries?: number
  maxJsonBytes?: number
  maxFileRead?: number
  maxLinkHops?: number
}

// ---------------------------------------------------------------- overloads (issue 17)

/** One path: its entry (rejects with code ARCHCOMPAT_IO when it cannot be read). */
export declare function inspect(paths: string, options?: InspectOptions): Promise<InspectEntry>
/** Many paths: one result per path, an unreadable one as `{ path, error }`. */
export declare function inspect(paths: string[], options?: InspectOptions): Promise<InspectResult[]>
