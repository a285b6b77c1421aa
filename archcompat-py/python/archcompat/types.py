"""The shapes the functions return, as TypedDicts (the same keys as the CLI's ``--json``).

Importable at runtime (``from archcompat.types import InspectEntry``) and used by the type
stubs; ``archcompat/tests/binding_types.rs`` fails when a field the Rust result types
serialise is missing here.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict, Union, final

# ---------------------------------------------------------------- platform (issue 3)


Platform = TypedDict(
    "Platform",
    {"os": str, "architecture": str, "variant": str, "os.version": str, "os.features": list[str]},
    total=False,
)
"""An OCI platform (``variant``, ``os.version``, ``os.features`` present only when set)."""

class _LocationBase(TypedDict):
    path: str

class Location(_LocationBase, total=False):
    """Where a finding points in the user's input (1-based line and columns)."""
    line: int
    column: int
    end_column: int

class _EvidenceBase(TypedDict):
    detail: str

class Evidence(_EvidenceBase, total=False):
    """What was read that shows a finding, and where."""
    path: str
    layer: str
    line: int

class _FixBase(TypedDict):
    id: str
    title: str
    why: str
    applies_to: str
    snippet: str

class Fix(_FixBase, total=False):
    """A concrete, ready-to-paste change (``diff`` when the user's own input was rewritten)."""
    diff: str

class _FindingBase(TypedDict):
    code: str
    severity: Literal["error", "warning", "info"]
    message: str
    evidence: list[Evidence]
    fixes: list[Fix]

class Finding(_FindingBase, total=False):
    """One problem with its evidence and fixes."""
    location: Location

PlatformLike = Union[str, Platform]
Runs = Literal["native", "compatible", "emulated", "no"]
Spelling = Literal[
    "oci", "uname", "debian", "go-env", "rust-triple", "rust-triple-musl",
    "kubernetes", "ecs-cpu-architecture", "lambda-architecture",
]

@final
class ParseOk(TypedDict):
    input: str
    platform: Platform
    formatted: str

@final
class ParseErr(TypedDict):
    input: str
    error: str

class MatchCandidate(TypedDict):
    input: str
    platform: Platform
    runs: Runs
    reason: str

class MatchDocument(TypedDict):
    host: Platform
    host_source: str
    strict: bool
    candidates: list[MatchCandidate]
    best: Platform | None
    best_runnable: Platform | None

class RunVerdict(TypedDict):
    runs: Runs
    reason: str

class Emulator(TypedDict, total=False):
    name: str
    enabled: bool
    interpreter: str
    flags: str
    offset: int
    magic: str
    mask: str
    extension: str
    platform: Platform

class Libc(TypedDict, total=False):
    family: str
    version: str
    path: str

class HostReport(TypedDict, total=False):
    platform: Platform
    runs_natively: list[Platform]
    emulated: list[Platform]
    amd64_level: int
    arm64_variant: str
    page_size: int
    aarch32: bool
    ia32: bool
    emulators: list[Emulator]
    extra_emulated: list[Platform]
    libc: Libc
    machine: str
    kernel: str
    cpu: str
    cpu_features: list[str]
    binfmt_misc: bool
    source: str
    evidence: list[str]

class Profile(TypedDict):
    name: str
    description: str
    platform: str
    native: list[str]
    emulated: list[str]
    arm64_variant: str | None
    amd64_level: int | None
    cpu: str
    cpu_features: list[str]
    page_size: int
    aarch32: bool | None
    machine: str | None
    ia32: bool | None
    source: str


# ---------------------------------------------------------------- binary (issue 4)


BinaryFormat = Literal[
    "elf", "macho", "macho-fat", "pe", "script", "wasm", "java-class",
    "lfs-pointer", "html", "empty", "text", "data",
]

class _InspectEntryBase(TypedDict):
    path: str
    format: BinaryFormat
    details: dict[str, Any]
    problems: list[Finding]

@final
class InspectEntry(_InspectEntryBase, total=False):
    platform: Platform


# ---------------------------------------------------------------- image (issue 5)


class ImageIndexEntry(TypedDict, total=False):
    digest: str
    platform: dict[str, Any]
    status: Literal["selected", "candidate", "attestation", "rejected"]
    runs: Literal["native", "compatible", "emulated", "no"]
    reason: str

class ImageBinaries(TypedDict, total=False):
    scanned: int
    by_platform: dict[str, int]
    foreign: list[dict[str, str]]

class ImageReport(TypedDict, total=False):
    source: str
    host: dict[str, Any]
    selected: dict[str, Any] | None
    platforms: list[ImageIndexEntry]
    entrypoint: dict[str, Any] | None
    binaries: ImageBinaries
    layers: list[dict[str, Any]]
    verdict: Literal["runs", "runs-emulated", "wont-run"]
    findings: list[Finding]
    notes: list[str]


# ---------------------------------------------------------------- fix, redact, sarif (issue 6)


# ---------------------------------------------------------------- explain (issue 6)

class Explanation(TypedDict, total=False):
    causes: list[dict[str, Any]]
    fixes: list[Fix]
    image: str


# ---------------------------------------------------------------- lint, rewrite (issue 6)

class LintReport(TypedDict):
    findings: list[Finding]

class Rewrite(TypedDict, total=False):
    kind: Literal["command", "compose", "dockerfile"]
    original: str
    rewritten: str
    diff: str
    argv: list[str]
    changes: list[str]
    fix: Fix


# ---------------------------------------------------------------- admission (issue 13)

class AdmissionStatus(TypedDict):
    code: int
    reason: str
    message: str

class _AdmissionResponseBase(TypedDict):
    uid: str
    allowed: bool

class AdmissionResponse(_AdmissionResponseBase, total=False):
    status: AdmissionStatus
    warnings: list[str]

class AdmissionReviewResponse(TypedDict):
    apiVersion: str
    kind: str
    response: AdmissionResponse

class _AdmissionDecisionBase(TypedDict):
    uid: str
    allowed: bool

class AdmissionDecision(_AdmissionDecisionBase, total=False):
    message: str
    warnings: list[str]
    findings: list[dict[str, Any]]
    platforms: list[Platform]

class AdmissionResult(TypedDict):
    review: AdmissionReviewResponse
    decision: AdmissionDecision


class CodeQualityLines(TypedDict):
    begin: int

class CodeQualityLocation(TypedDict):
    path: str
    lines: CodeQualityLines

class CodeQualityIssue(TypedDict):
    description: str
    check_name: str
    fingerprint: str
    severity: Literal["info", "minor", "major", "critical", "blocker"]
    location: CodeQualityLocation


# image --verify and audit (issue 12)


# ---------------------------------------------------------------- batches, errors as data (issue 17)


class _InspectErrorBase(TypedDict):
    kind: Literal["io", "invalid-platform", "malformed", "limit-exceeded", "unsupported", "registry"]
    message: str


class InspectError(_InspectErrorBase, total=False):
    """Why one path of a batch could not be inspected (``errno`` for I/O failures that have
    one, ``limit`` when a limit the caller can raise tripped)."""
    errno: int
    limit: str


@final
class InspectFailure(TypedDict):
    """A path of ``inspect([...])`` that could not be read."""
    path: str
    error: InspectError


InspectResult = Union[InspectEntry, InspectFailure]


# ---------------------------------------------------------------- pasted text, dropped files (issue 11's page, from Python)


InputKind = Literal["dockerfile", "command", "compose", "log"]
"""What ``detect_input`` (``archcompat detect``) says a text is."""

SecretKind = Literal[
    "private-key", "aws-secret-key", "aws-access-key-id", "account-id", "bearer-token",
    "basic-auth", "url-password", "registry-auth", "login-password", "password-flag",
    "curl-password", "secret-variable", "connection-string", "known-token", "slack-webhook",
    "high-entropy",
]
"""A kind of secret ``redact_report`` counts."""


@final
class RedactReport(TypedDict):
    """``redact_report`` / ``archcompat redact --json``: the text with secrets replaced, how
    many of each kind (kinds with none absent) and the total."""
    text: str
    counts: dict[SecretKind, int]
    total: int
