"""Errors that are shown to the user: the CLI turns each into one line on stderr.

Exit codes (as the README documents them): 1 for a user error (bad input, not found,
database problem), 3 for a remote service that still failed after retries. Click keeps 2
for usage errors.
"""


class EvidenceError(Exception):
    """Base class for every error that is displayed to the user."""

    exit_code = 1


class InputError(EvidenceError):
    """Bad input: a malformed file, an invalid identifier, an impossible option."""


class NotFoundError(EvidenceError):
    """A claim, study, document or file that does not exist."""


class DatabaseError(EvidenceError):
    """The database cannot be opened, reached, or is at the wrong schema revision."""


class PubMedError(EvidenceError):
    """A remote service (E-utilities, ID converter) failed after retries."""

    exit_code = 3


class ParseError(EvidenceError):
    """Input that is not PubMed XML, or is malformed. Names the source and position."""

    def __init__(
        self,
        message: str,
        *,
        source: str = "<bytes>",
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.source = source
        self.line = line
        self.column = column
        where = source
        if line is not None:
            where += f", line {line}"
            if column is not None:
                where += f", column {column}"
        super().__init__(f"{where}: {message}")
