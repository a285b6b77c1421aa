"""Type stubs for the native module (kept in sync with archcompat-py/src)."""

import os
from typing import Any, Literal, TypedDict, Union

__version__: str

class ArchcompatError(Exception): ...
class ReadError(ArchcompatError): ...
class InvalidPlatformError(ArchcompatError): ...
class MalformedInputError(ArchcompatError): ...
class LimitExceededError(ArchcompatError): ...
class UnsupportedInputError(ArchcompatError): ...

def cause_codes() -> list[str]: ...

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

class ParseOk(TypedDict):
    input: str
    platform: Platform
    formatted: str

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

def parse_platform(spec: str, containerd: bool = False) -> Platform: ...
def parse_platforms(specs: list[str], containerd: bool = False) -> list[ParseOk | ParseErr]: ...
def normalize_platform(platform: PlatformLike) -> Platform: ...
def format_platform(platform: PlatformLike, spelling: Spelling = "oci") -> str | None: ...
def match_platforms(host: str, candidates: list[str], strict: bool = False) -> MatchDocument: ...
def host_runs(host: str, platform: PlatformLike) -> RunVerdict: ...
def detect_host() -> HostReport: ...
def resolve_host(spec: str) -> HostReport: ...
def host_profiles() -> list[Profile]: ...


# ---------------------------------------------------------------- binary (issue 4)

import os as _os
from typing import Any as _Any

BinaryFormat = Literal[
    "elf", "macho", "macho-fat", "pe", "script", "wasm", "java-class",
    "lfs-pointer", "html", "empty", "text", "data",
]

class _InspectEntryBase(TypedDict):
    path: str
    format: BinaryFormat
    details: dict[str, _Any]
    problems: list[Finding]

class InspectEntry(_InspectEntryBase, total=False):
    platform: Platform

def inspect(
    paths: str | _os.PathLike[str] | list[str | _os.PathLike[str]], host: str | None = None, *, redact: bool = True
) -> InspectEntry | list[InspectEntry]: ...
def classify_bytes(
    data: bytes, host: str | None = None, file_len: int | None = None
) -> InspectEntry: ...


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

def image(
    source: str,
    host: str | None = None,
    *,
    insecure: bool = False,
    max_bytes: int | None = None,
    max_entries: int | None = None,
    max_json_bytes: int | None = None,
    max_file_read: int | None = None,
    max_link_hops: int | None = None,
    registry_timeout: int | None = None,
    registry_min_rate: int | None = None,
    registry_grace: int | None = None,
    redact: bool = True,
) -> ImageReport:
    """Will the image at ``source`` run on ``host`` (default: this machine)? Same dict as
    ``archcompat image --json``. Releases the GIL while reading."""


# ---------------------------------------------------------------- fix, redact, sarif (issue 6)

def fixes_for(code: str, *, host: str | None = None, platforms: list[str] | None = None, image: str | None = None, path: str | None = None, interpreter: str | None = None, redact: bool = True) -> list[Fix]: ...
def redact(text: str, *, account_ids: bool = True, high_entropy: bool = True) -> str: ...
def sarif(findings: list[dict[str, Any]]) -> dict[str, Any]: ...


# ---------------------------------------------------------------- explain (issue 6)

class Explanation(TypedDict, total=False):
    causes: list[dict[str, Any]]
    fixes: list[Fix]
    image: str

def explain(text: str, *, redact: bool = True) -> Explanation: ...


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

def lint_dockerfile(text: str | None = None, *, path: str | os.PathLike[str] | None = None, context: str | os.PathLike[str] | None = None, redact: bool = True) -> LintReport: ...
def rewrite_command(command: str, platforms: list[str], *, push: bool = False, lambda_: bool = False, redact: bool = True) -> Rewrite: ...
def rewrite_compose(text: str, platform: str, *, services: list[str] | None = None, path: str | None = None, redact: bool = True) -> Rewrite: ...
def rewrite_dockerfile(text: str, *, path: str | None = None, redact: bool = True) -> Rewrite: ...


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

def admission_review(
    review: str | bytes,
    cluster_platforms: list[str] = ["linux/amd64"],
    *,
    failure_policy: Literal["fail", "ignore"] = "fail",
    deadline: float = 8.0,
    insecure: bool = False,
) -> AdmissionResult:
    """Decide on a Kubernetes AdmissionReview (admission.k8s.io/v1) as ``archcompat webhook``
    would: deny when an image offers no entry the pod's possible nodes run. Reads the images'
    indexes from their registries with the GIL released."""

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

def code_quality(sarif: dict[str, Any]) -> list[CodeQualityIssue]:
    """GitLab Code Quality issues from a SARIF 2.1.0 log (archcompat's or any tool's)."""

# image --verify and audit (issue 12)

def verify_image(
    source: str,
    host: str | None = None,
    *,
    command: list[str] | None = None,
    timeout: float = 5.0,
    emulator_dir: str | os.PathLike[str] | None = None,
    insecure: bool = False,
) -> dict[str, Any]:
    """``archcompat image SOURCE --host HOST --verify --json``: the image report plus ``verify``
    (``started``, ``exit_code``, ``signal``, ``timed_out``, ``emulator``, ``stderr_tail``,
    ``agrees_with_verdict``, ``outcome``, ``message``). Needs bwrap (Debian ``bubblewrap``) and,
    for foreign platforms, ``qemu-ARCH-static`` (``qemu-user-static``). Releases the GIL."""

def audit(
    source: str,
    targets: list[str],
    *,
    deep: bool = False,
    jobs: int = 8,
    page_size: int = 100,
    state: str | os.PathLike[str] | None = None,
    html: str | os.PathLike[str] | None = None,
    insecure: bool = False,
) -> dict[str, Any]:
    """``archcompat audit SOURCE --target …  --json``: one record per repository and tag
    (``platforms``, ``attestations``, ``targets``, ``missing``, ``findings``) and a ``summary``.
    Releases the GIL."""

def audit_merge(
    paths: list[str | os.PathLike[str]], *, html: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """``archcompat audit --merge FILE… --json``: partial audits joined."""
