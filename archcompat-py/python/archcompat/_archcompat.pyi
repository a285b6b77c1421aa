"""Type stubs for the native module (kept in sync with archcompat-py/src; the result shapes
are in ``archcompat.types``, the exceptions in ``archcompat._errors``)."""

import os
from collections.abc import Sequence
from typing import Any, Literal, overload

from .types import (
    AdmissionResult,
    CodeQualityIssue,
    Explanation,
    Fix,
    HostReport,
    ImageReport,
    InspectEntry,
    InputKind,
    InspectResult,
    LintReport,
    MatchDocument,
    ParseErr,
    ParseOk,
    Platform,
    PlatformLike,
    Profile,
    RedactReport,
    Rewrite,
    RunVerdict,
    Spelling,
)

_StrPath = str | os.PathLike[str]
_Buffer = bytes | bytearray | memoryview
_Text = str | bytes | bytearray | memoryview

__version__: str

def cause_codes() -> list[str]: ...

# ---------------------------------------------------------------- platform

def parse_platform(spec: str, containerd: bool = False) -> Platform: ...
def parse_platforms(specs: Sequence[str], containerd: bool = False) -> list[ParseOk | ParseErr]: ...
def normalize_platform(platform: PlatformLike) -> Platform: ...
def format_platform(platform: PlatformLike, spelling: Spelling = "oci") -> str | None: ...
def match_platforms(host: str, candidates: Sequence[str], strict: bool = False) -> MatchDocument: ...
def host_runs(host: str, platform: PlatformLike) -> RunVerdict: ...
def detect_host() -> HostReport: ...
def resolve_host(spec: str) -> HostReport: ...
def host_profiles() -> list[Profile]: ...

# ---------------------------------------------------------------- binary

@overload
def inspect(paths: _StrPath, host: str | None = None, *, redact: bool = True) -> InspectEntry:
    """One file: its entry (raises FileError when it cannot be read)."""

@overload
def inspect(
    paths: Sequence[_StrPath], host: str | None = None, *, redact: bool = True
) -> list[InspectResult]:
    """Many files: one result per path, an unreadable one as ``{"path", "error"}``."""

def classify_bytes(data: _Buffer, host: str | None = None, file_len: int | None = None) -> InspectEntry: ...

# ---------------------------------------------------------------- image

def image(
    source: _StrPath,
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

# ---------------------------------------------------------------- fix, redact, sarif

def fixes_for(
    code: str,
    *,
    host: str | None = None,
    platforms: Sequence[str] | None = None,
    image: str | None = None,
    path: _StrPath | None = None,
    interpreter: str | None = None,
    redact: bool = True,
) -> list[Fix]: ...
def redact(text: _Text, *, account_ids: bool = True, high_entropy: bool = True) -> str: ...
def sarif(findings: Sequence[Any]) -> dict[str, Any]: ...

# ---------------------------------------------------------------- explain

def explain(text: _Text, *, redact: bool = True) -> Explanation: ...

# ---------------------------------------------------------------- lint, rewrite

def lint_dockerfile(
    text: _Text | None = None,
    *,
    path: _StrPath | None = None,
    context: _StrPath | None = None,
    redact: bool = True,
) -> LintReport: ...
def rewrite_command(
    command: str, platforms: Sequence[str], *, push: bool = False, lambda_: bool = False, redact: bool = True
) -> Rewrite: ...
def rewrite_compose(
    text: _Text,
    platform: str,
    *,
    services: Sequence[str] | None = None,
    path: _StrPath | None = None,
    redact: bool = True,
) -> Rewrite: ...
def rewrite_dockerfile(text: _Text, *, path: _StrPath | None = None, redact: bool = True) -> Rewrite: ...

# ---------------------------------------------------------------- admission, reports

def admission_review(
    review: _Text,
    cluster_platforms: Sequence[str] | None = None,
    *,
    failure_policy: Literal["fail", "ignore"] = "fail",
    deadline: float = 8.0,
    insecure: bool = False,
) -> AdmissionResult:
    """Decide on a Kubernetes AdmissionReview (admission.k8s.io/v1) as ``archcompat webhook``
    would (``cluster_platforms`` defaults to ``["linux/amd64"]``). Releases the GIL."""

def code_quality(sarif: dict[str, Any]) -> list[CodeQualityIssue]:
    """GitLab Code Quality issues from a SARIF 2.1.0 log (archcompat's or any tool's)."""

# ---------------------------------------------------------------- image --verify and audit

def verify_image(
    source: _StrPath,
    host: str | None = None,
    *,
    command: Sequence[str] | None = None,
    timeout: float = 5.0,
    emulator_dir: _StrPath | None = None,
    insecure: bool = False,
) -> dict[str, Any]:
    """``archcompat image SOURCE --host HOST --verify --json``: the image report plus ``verify``.
    Needs bwrap and, for foreign platforms, ``qemu-ARCH-static``. Releases the GIL."""

def audit(
    source: _StrPath,
    targets: Sequence[str],
    *,
    deep: bool = False,
    jobs: int = 8,
    page_size: int = 100,
    state: _StrPath | None = None,
    html: _StrPath | None = None,
    insecure: bool = False,
) -> dict[str, Any]:
    """``archcompat audit SOURCE --target … --json``. Releases the GIL."""

def audit_merge(paths: Sequence[_StrPath], *, html: _StrPath | None = None) -> dict[str, Any]:
    """``archcompat audit --merge FILE… --json``: partial audits joined."""

# ---------------------------------------------------------------- pasted text, dropped files

def detect_input(text: _Text) -> InputKind: ...
def redact_report(text: _Text, *, account_ids: bool = True, high_entropy: bool = True) -> RedactReport: ...
def inspect_bytes(
    data: _Buffer,
    *,
    name: str | None = None,
    host: str | None = None,
    file_len: int | None = None,
    redact: bool = True,
) -> InspectEntry: ...
def image_bytes(
    data: _Buffer,
    host: str | None = None,
    *,
    name: str | None = None,
    tag: str | None = None,
    max_bytes: int | None = None,
    max_entries: int | None = None,
    max_json_bytes: int | None = None,
    max_file_read: int | None = None,
    max_link_hops: int | None = None,
    redact: bool = True,
) -> ImageReport: ...
