"""One error hierarchy for the whole app.

Services raise only these. Each carries a message that is already translated
(build it with ``_()`` and named fields) and the CLI exit code that fits it.
"""

from __future__ import annotations


class PeerSupportError(Exception):
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(PeerSupportError):
    exit_code = 2


class ValidationError(PeerSupportError):
    exit_code = 3

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(PeerSupportError):
    exit_code = 4


class ConflictError(PeerSupportError):
    exit_code = 5


class StorageError(PeerSupportError):
    exit_code = 6


class ExportError(PeerSupportError):
    exit_code = 6


class BadRequestError(UsageError, ExportError):
    """An export asked for in a way no command can do: a file name with an extension it cannot
    write, an unknown label sheet. A usage error (exit 2); still an ExportError to the GUI."""


class Cancelled(PeerSupportError):
    exit_code = 130
