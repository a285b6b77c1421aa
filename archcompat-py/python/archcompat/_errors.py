"""The exception hierarchy: every error archcompat raises derives from ArchcompatError, and from
the standard library class that fits where one does (so ``except ValueError`` or
``except OSError`` also catches what it should). The native module raises these classes; the
mapping from the core's error kinds lives in ``archcompat-py/src/conv.rs``.
"""

from __future__ import annotations

import os


class ArchcompatError(Exception):
    """Base class of every archcompat error.

    ``kind`` is the core's stable error kind (``"io"``, ``"invalid-platform"``, ``"malformed"``,
    ``"limit-exceeded"``, ``"unsupported"``, ``"registry"``, or ``"argument"`` for a wrong
    argument); ``input`` names what the error concerns (redacted); ``message`` is ``str(err)``.
    """

    kind: str = "error"
    input: str | None
    message: str

    def __init__(self, message: str, *, kind: str | None = None, input: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if kind is not None:
            self.kind = kind
        self.input = input

    def __str__(self) -> str:
        return self.message


class InputError(ArchcompatError, ValueError):
    """A value given is wrong: an invalid platform, a malformed document, an unsupported
    input, an out-of-range number. ``param`` names the argument when the value was one."""

    param: str | None

    def __init__(
        self,
        message: str,
        *,
        kind: str | None = None,
        input: str | None = None,
        param: str | None = None,
    ) -> None:
        super().__init__(message, kind=kind, input=input)
        self.param = param


class InvalidPlatformError(InputError):
    """A platform specifier (or host, or profile name) is invalid."""


class MalformedInputError(InputError):
    """An input is truncated, corrupt or the wrong kind of document."""


class UnsupportedInputError(InputError):
    """The input is well-formed but not what this call needs."""


class ArgumentTypeError(ArchcompatError, TypeError):
    """An argument has the wrong type (``param`` names it)."""

    param: str | None

    def __init__(self, message: str, *, param: str | None = None) -> None:
        super().__init__(message, kind="argument")
        self.param = param


class FileError(ArchcompatError, OSError):
    """A file, directory or blob could not be read: ``errno`` (when the system gave one),
    ``strerror`` and ``filename`` as on any OSError."""

    def __init__(
        self,
        message: str,
        *,
        kind: str | None = None,
        input: str | None = None,
        errno: int | None = None,
    ) -> None:
        super().__init__(message, kind=kind, input=input)
        self.errno = errno
        self.strerror = os.strerror(errno) if errno is not None else message
        self.filename = input


class LimitError(ArchcompatError):
    """A resource limit tripped (decompression bomb, oversized document, link loop, registry
    deadline). ``limit`` is the keyword argument that raises it (``"max_bytes"`` …) or None for
    a fixed limit."""

    limit: str | None

    def __init__(
        self,
        message: str,
        *,
        kind: str | None = None,
        input: str | None = None,
        limit: str | None = None,
    ) -> None:
        super().__init__(message, kind=kind, input=input)
        self.limit = limit


class RegistryError(ArchcompatError, ConnectionError):
    """A registry could not be reached or refused a request (connection, TLS, authentication,
    an HTTP error status)."""


# Earlier names, kept for code written against them.
ReadError = FileError
LimitExceededError = LimitError

__all__ = [
    "ArchcompatError",
    "ArgumentTypeError",
    "FileError",
    "InputError",
    "InvalidPlatformError",
    "LimitError",
    "LimitExceededError",
    "MalformedInputError",
    "ReadError",
    "RegistryError",
    "UnsupportedInputError",
]
