"""Type stubs for the native module (kept in sync with archcompat-py/src)."""

__version__: str

class ArchcompatError(Exception): ...
class ReadError(ArchcompatError): ...
class InvalidPlatformError(ArchcompatError): ...
class MalformedInputError(ArchcompatError): ...
class LimitExceededError(ArchcompatError): ...
class UnsupportedInputError(ArchcompatError): ...

def cause_codes() -> list[str]: ...

# ---------------------------------------------------------------- platform (issue 3)


# ---------------------------------------------------------------- binary (issue 4)


# ---------------------------------------------------------------- image (issue 5)

from typing import Any, Literal, TypedDict

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
    findings: list[dict[str, Any]]
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
) -> ImageReport:
    """Will the image at ``source`` run on ``host`` (default: this machine)? Same dict as
    ``archcompat image --json``. Releases the GIL while reading."""


# ---------------------------------------------------------------- diagnose, fix, lint, redact (issue 6)

