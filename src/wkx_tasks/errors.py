"""Errors that reach people as sentences, each with the exit code it ends the command with."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from functools import total_ordering
from typing import Any

from .i18n import Lang
from .messages import Msg, count_msg, msg


class ExitCode(IntEnum):
    OK = 0
    DATA = 1
    USAGE = 2


@total_ordering
@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, placed as precisely as the fault allows.

    The message is a catalogue key with its fields (see messages.py), worded when shown: `message` and `str()` in
    the run's language, `text(lang)` in a given one; `code` is the key, for scripts.
    """

    path: str
    line: int | None
    col: int | None
    msg: Msg

    def _key(self) -> tuple[str, int, int, bool, str, str]:
        # A problem without a line (the whole file) sorts before the file's placed ones; None never meets an int.
        # The same order in every language: the key and fields, not the wording, break ties; the line that counts
        # a file's problems left out (store.cap_problems) stays after those shown.
        return (self.path, self.line or 0, self.col or 0, self.msg.key == "store.more_problems", self.msg.key, repr(self.msg.fields))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return self._key() < other._key()

    @property
    def code(self) -> str:
        return self.msg.code

    @property
    def message(self) -> str:
        return self.msg.render()

    def text(self, lang: Lang | None = None) -> str:
        return self.msg.render(lang)

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        message = self.message
        if len(message) > 600:  # a value pasted a million times over: keep the start and the advice at the end
            message = msg("truncated", start=message[:400], left=len(message) - 550, end=message[-150:]).render()
        return f"{where}: {message}"

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "col": self.col, "message": self.message, "code": self.code}

    def as_data(self) -> tuple[Any, ...]:
        """Tuples, strings and numbers only (for the status index, written with marshal)."""
        return (self.path, self.line, self.col, self.msg.as_data())

    @classmethod
    def from_data(cls, data: tuple[Any, ...]) -> Problem:
        path, line, col, message = data
        return cls(path, line, col, Msg.from_data(message))


class MessageError(Exception):
    """An exception whose text is a catalogue message, worded in the run's language when shown."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message)
        self.msg = message

    def __str__(self) -> str:
        return self.msg.render()


class RuleError(MessageError, ValueError):
    """A value breaks a rule of the records or the settings (Pydantic reports it as a value error)."""


class WkxError(MessageError):
    """An error wkx explains to its user; the message is the whole explanation."""

    exit_code: ExitCode = ExitCode.DATA

    @property
    def message(self) -> str:
        return self.msg.render()


class UsageError(WkxError):
    """The command was asked for something that cannot be: a bad option value, an unknown id."""

    exit_code = ExitCode.USAGE


class DataError(WkxError):
    """The tracker's files are wrong; carries every problem found, not only the first."""

    exit_code = ExitCode.DATA

    def __init__(self, problems: list[Problem], message: Msg | None = None) -> None:
        self.problems = sorted(problems)
        super().__init__(message or count_msg(len(self.problems), "problems.one", "problems.many"))


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> Msg | str:
    """A ' (did you mean 'x'?)' suffix when one of the choices is close to the word, else ''."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return msg("did_you_mean", word=close[0]) if close else ""
