"""One exception base for everything a user can get wrong; the CLI maps it to an exit code."""

from __future__ import annotations


class PrepplanError(Exception):
    """A problem the user can act on: printed as one line, never as a traceback."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(PrepplanError):
    """Bad usage or input (a malformed date, a target outside the window, a bad file)."""

    exit_code = 2


class RefusedError(PrepplanError):
    """A well-formed request that cannot be carried out (infeasible, no plan yet, ambiguous)."""

    exit_code = 1


class CurriculumError(UsageError):
    """A curriculum file that cannot be read or does not follow the schema."""


class Interrupted(PrepplanError):
    """Ctrl-C (or the end of input) at a prompt, before anything was saved."""

    exit_code = 130

