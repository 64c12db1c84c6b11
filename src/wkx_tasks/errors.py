"""Errors that reach people as sentences, each with the exit code it ends the command with."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from functools import total_ordering


class ExitCode(IntEnum):
    OK = 0
    DATA = 1
    USAGE = 2


@total_ordering
@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, placed as precisely as the fault allows."""

    path: str
    line: int | None = None
    col: int | None = None
    message: str = ""

    def _key(self) -> tuple[str, int, int, str]:
        # A problem without a line (the whole file) sorts before the file's placed ones; None never meets an int.
        return (self.path, self.line or 0, self.col or 0, self.message)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        message = self.message
        if len(message) > 600:  # a value pasted a million times over: keep the start and the advice at the end
            message = f"{message[:400]} … ({len(message) - 550:,} characters left out) … {message[-150:]}"
        return f"{where}: {message}"

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "col": self.col, "message": self.message}


class WkxError(Exception):
    """An error wkx explains to its user; the message is the whole explanation."""

    exit_code: ExitCode = ExitCode.DATA

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(WkxError):
    """The command was asked for something that cannot be: a bad option value, an unknown id."""

    exit_code = ExitCode.USAGE


class DataError(WkxError):
    """The tracker's files are wrong; carries every problem found, not only the first."""

    exit_code = ExitCode.DATA

    def __init__(self, problems: list[Problem], message: str | None = None) -> None:
        self.problems = sorted(problems)
        n = len(self.problems)
        super().__init__(message or f"{n} problem{'s' if n != 1 else ''} in the tracker's files")


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """A ' (did you mean 'x'?)' suffix when one of the choices is close to the word, else ''."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
