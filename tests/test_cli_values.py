"""cli/values.py: every option of wkx gets the plain coercion, and it gives what Typer's own coercion gives (the
value, or the same refusal) for the values people type and for generated ones."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param

from conftest import imported_by
from wkx_tasks.cli import app
from wkx_tasks.cli.values import PlainValue, install, install_help, kind_of


def _params(command: Any, path: str = "wkx") -> Iterator[tuple[str, Any, Any]]:
    for param in command.params:
        yield f"{path} {param.name}", command, param
    help_option = command.get_help_option(Context(command))
    if help_option is not None:
        yield f"{path} --help", command, help_option
    for name, sub in getattr(command, "commands", {}).items():
        yield from _params(sub, f"{path} {name}")


PARAMS = list(_params(typer.main.get_command(app)))


def _outcome(runtime: Any, value: Any, param: Any, ctx: Context) -> tuple[str, Any]:
    try:
        result = runtime.coerce(value, param=param, ctx=ctx)
    except BadParameter as exc:
        return ("refused", exc.format_message())
    return ("value", (type(result), result))


def _same(command: Any, param: Any, value: Any) -> None:
    ctx = Context(command)
    descriptor = param.type_descriptor
    kind = kind_of(descriptor)
    assert kind is not None
    ours = _outcome(PlainValue(descriptor, kind), value, param, ctx)
    typers = _outcome(build_runtime_param(descriptor), value, param, ctx)
    assert ours == typers, (param.name, value)


def test_every_option_of_wkx_is_coerced_without_pydantic() -> None:
    assert len(PARAMS) > 80
    left = [name for name, _, param in PARAMS if kind_of(param.type_descriptor) is None]
    assert left == []  # an option of a new kind: teach values.kind_of, or Pydantic loads again on every run
    command = typer.main.get_command(app)
    assert install(command) == len([p for _, _, p in PARAMS if p.name != "help"])
    assert install(command) == 0  # once given, never replaced
    install_help(command, Context(command))
    assert isinstance(command.get_help_option(Context(command))._runtime_param, PlainValue)


TYPED = [
    "",
    " ",
    "0",
    "7",
    "007",
    "+7",
    "-1",
    " 7",
    "7 ",
    "1_000",
    "7.0",
    "1e3",
    "٣",
    "99999999999999999999999",
    "json",
    "JSON",
    " json",
    "table",
    "md",
    "xlsx",
    "html",
    "in_progress",
    "done",
    "zh",
    "en",
    "调宣部",
    "2014-01-01",
    "a\0b",
    "true",
    "no",
    "--format",
    "-",
]


@pytest.mark.parametrize(("name", "command", "param"), PARAMS, ids=[name for name, _, _ in PARAMS])
def test_typed_values_come_out_as_typer_gives_them(name: str, command: Any, param: Any, tmp_path: Path) -> None:
    values: list[Any] = [*TYPED, None, True, False, 0, 3, -2, str(tmp_path), str(tmp_path / "missing"), (), ("a", "调宣部"), ["x"]]
    annotation = param.type_descriptor.annotation
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        values += [*annotation, *(m.value for m in annotation), *(m.value.upper() for m in annotation)]
    file = tmp_path / "f.txt"
    file.write_text("x", encoding="utf-8")
    values.append(str(file))
    for value in values:
        _same(command, param, value)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(PARAMS), st.one_of(st.text(max_size=8), st.from_regex(r"[+-]?[0-9_ ]{1,6}", fullmatch=True), st.integers(-5, 5)))
def test_generated_values_come_out_as_typer_gives_them(entry: tuple[str, Any, Any], value: Any) -> None:
    _, command, param = entry
    _same(command, param, value)


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads every folder")
def test_a_root_that_cannot_be_read_is_refused_as_typer_refuses_it(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o000)
    try:
        root = next(param for name, _, param in PARAMS if name == "wkx root")
        _same(typer.main.get_command(app), root, str(locked))
    finally:
        locked.chmod(0o700)


def test_commands_that_need_no_records_load_no_pydantic(tracker: Path, tmp_path: Path) -> None:
    watched = ("pydantic", "pydantic_core", "typer._adapters")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}

    def run(*args: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
        return imported_by(["--root", str(tracker), *args], watched, cwd=tmp_path, env=env)

    first, loaded = run("status", "--overdue", "--as-of", "2014-01-01")  # cold: validates the records, with Pydantic
    assert first.stderr == "" and "pydantic" in loaded
    for args in (("status", "--overdue", "--as-of", "2014-01-01"), ("list", "--status", "not_started", "--dept", "dxb"), ("--help",), ("status", "--help")):
        warm, loaded = run(*args)
        assert warm.stderr == "" and warm.stdout, (args, warm.stderr)
        assert loaded == [], (args, loaded)
    bad, loaded = run("status", "--due-within", "-1")  # a value the plain coercion does not take: Typer's own refusal
    assert "wkx: --due-within 不能小于 0" in bad.stderr
    assert "typer._adapters" in loaded
