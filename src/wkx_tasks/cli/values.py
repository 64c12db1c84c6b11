"""Option values that need no Pydantic: Typer's own coercion, taken only for the plain cases wkx's options meet.

Typer 0.29 turns every option's text into its value through a Pydantic `TypeAdapter` it builds per option, which
loads Pydantic (~50 ms) and builds ~15 adapters (~12 ms) on every run, before wkx has done anything: more than
a warm `wkx status --overdue` over 10,000 measures spends on its own work. Most values need none of it: a
string is already a string, `7` is an int, `json` is one of the choices. `install()` gives each option a
stand-in for Typer's runtime coercion that answers exactly those cases itself, with the result Typer's adapter
gives, and hands every other value (a bad one above all) to Typer's own coercion, built as Typer builds it. So
what is accepted, what is refused and the words of the refusal stay Typer's; only the cost of the common case
goes. Parsing, help, completion and errors stay Typer's (the one command-line parser).

The stand-in uses two attributes of Typer's parameters (`type_descriptor`, `_runtime_param`); if a Typer
release changes them, `install()` leaves the parameters alone and Typer coerces as before (slower, not wrong).
`tests/test_cli_values.py` compares the two on every option and on generated values.
"""

import os
import re
from enum import Enum
from pathlib import Path
from typing import Any

_INT = re.compile(r"[0-9]{1,18}")  # what Typer reads as the same int; anything else (signs, spaces, "1_000", "7.0") goes to Typer
_PATH_CHECKS = ("exists", "writable", "resolve_path", "allow_dash", "path_type")  # (a parser: see kind_of)


class PlainValue:
    """Coerces the common values of one option as Typer would; every other value goes to Typer's own coercion."""

    __slots__ = ("_choices", "_descriptor", "_kind", "_max", "_min", "_typer")

    def __init__(self, descriptor: Any, kind: str) -> None:
        self._descriptor = descriptor
        self._kind = kind
        info = descriptor.parameter_info
        self._min = getattr(info, "min", None)
        self._max = getattr(info, "max", None)
        self._choices: dict[str, Any] = {}
        if kind == "enum":
            self._choices = {str(member.value): member for member in descriptor.annotation}
        self._typer: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:  # as Typer: no value given
            return () if (param.multiple or param.nargs == -1) else None
        plain = self._plain(value, ctx)
        if plain is not _TYPER:
            return plain
        if self._typer is None:
            from typer._coercion import build_runtime_param

            self._typer = build_runtime_param(self._descriptor)
        return self._typer.coerce(value, param=param, ctx=ctx)

    def _plain(self, value: Any, ctx: Any) -> Any:
        kind = self._kind
        if kind == "str":
            return value if type(value) is str else _TYPER
        if kind == "bool":
            return value if type(value) is bool else _TYPER
        if kind == "int":
            if type(value) is int:
                number = value
            elif type(value) is str and _INT.fullmatch(value):
                number = int(value)
            else:
                return _TYPER
            if (self._min is not None and number < self._min) or (self._max is not None and number > self._max):
                return _TYPER  # Typer words the refusal (or clamps, if the option asks it to)
            return number
        if kind == "enum":
            if isinstance(value, Enum) and value in self._choices.values():
                return value
            if type(value) is str and (ctx is None or ctx.token_normalize_func is None):
                return self._choices.get(value, _TYPER)  # an exact match; other cases Typer decides
            return _TYPER
        if kind == "path":
            if type(value) is not str or "\0" in value or not value:
                return _TYPER
            return _path(value)
        if kind == "strs":
            if type(value) in (tuple, list) and all(type(item) is str for item in value):
                return list(value)
            return _TYPER
        return _TYPER


class _ToTyper:
    """Marks a value only Typer's own coercion may decide."""


_TYPER: Any = _ToTyper()


def _path(value: str) -> Any:
    """`Path(value)` when Typer's default checks pass (it refuses an existing path that cannot be read), else to Typer."""
    try:
        os.stat(value)
    except OSError:
        return Path(value)  # a path that does not exist is not Typer's to refuse (exists=False)
    # A file and a folder are both allowed (file_okay, dir_okay); a path that cannot be read is Typer's to refuse.
    return Path(value) if os.access(value, os.R_OK) else _TYPER


def kind_of(descriptor: Any) -> str | None:
    """Which plain kind an option's resolved type is, or None where Typer alone coerces it."""
    annotation = descriptor.annotation
    info = descriptor.parameter_info
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
        return None
    if descriptor.file_annotation is not None:
        return None
    if annotation is str:
        return "str"
    if annotation is bool:
        return "bool"
    if annotation is int:
        return None if getattr(info, "clamp", False) else "int"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        if not getattr(info, "case_sensitive", True):
            return None
        return "enum" if all(isinstance(member.value, str) for member in annotation) else None
    if annotation is Path:
        if any(getattr(info, name, None) for name in _PATH_CHECKS) or not getattr(info, "file_okay", True) or not getattr(info, "dir_okay", True):
            return None
        return "path"
    if annotation == list[str]:
        return "strs"
    return None


def install(command: Any) -> int:
    """Give each parameter of `command` and its subcommands the plain coercion where it applies; how many got it."""
    count = sum(_give(param) for param in getattr(command, "params", ()))
    for sub in getattr(command, "commands", {}).values():
        count += install(sub)
    return count


def install_help(command: Any, ctx: Any) -> None:
    """The same for a command's `--help`, which Typer makes only once a context asks for it."""
    try:
        option = command.get_help_option(ctx)
    except Exception:  # a Typer whose commands make their help differently: it coerces as it always did
        return
    if option is not None:
        _give(option)


def _give(param: Any) -> bool:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or getattr(param, "_runtime_param", False) is not None:
        return False  # not a Typer parameter of the shape this module knows, or already coerced
    kind = kind_of(descriptor)
    if kind is None:
        return False
    param._runtime_param = PlainValue(descriptor, kind)
    return True
