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


# ---------------------------------------------------------------- diagnose, fix, lint, redact (issue 6)

