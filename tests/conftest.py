"""Hermetic test environment: fixed clock passed in, no colour, fixed width and time zone, isolated git config."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from wkx_tasks.cli import State, app

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
# A Monday morning in Beijing; tests that care about the date pass --as-of or their own clock.
FIXED_NOW = datetime(2014, 1, 6, 1, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def hermetic_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    home = tmp_path_factory.mktemp("home")
    for key in list(os.environ):
        if key.startswith(("GIT_", "WKX_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    """A copy of the shipped tracker in a temporary folder, safe to break."""
    root = tmp_path / "tracker"
    shutil.copytree(DATA, root / "data")
    return root


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def wkx(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the CLI in-process with a fixed clock; `now=` overrides the instant the command believes it is."""

    def run(*args: str, now: datetime = FIXED_NOW, cwd: Path | None = None, input: str | None = None) -> Result:
        runner = CliRunner()
        if cwd is not None:
            monkeypatch.chdir(cwd)
        result = runner.invoke(app, list(args), obj=State(now=lambda: now), input=input, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def in_tracker(tracker: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tracker)
    yield tracker


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each run that asked the index: whether it answered (True) or sent the command down the full path."""
    answers: list[bool] = []
    from wkx_tasks import index

    real = index._read

    def reading(root: Path) -> Any:
        snap = real(root)
        answers.append(snap is not None)
        return snap

    monkeypatch.setattr(index, "_read", reading)
    return answers


def imported_by(
    args: list[str], watched: tuple[str, ...], *, cwd: Path, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run `wkx *args` in a fresh Python (cli.main, as the console script runs it) and say which of the `watched`
    modules it imported. Its own output is returned as run; the list is printed after it on standard error."""
    code = (
        f"import sys; sys.argv = {['wkx', *args]!r}\n"
        "from wkx_tasks.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(repr(sorted(m for m in {watched!r} if m in sys.modules)), file=sys.stderr)"
    )
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("WKX_")}
    full_env.update({"NO_COLOR": "1", "COLUMNS": "200", **(env or {})})
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=60)
    lines = proc.stderr.rstrip("\n").split("\n")
    proc.stderr = "\n".join(lines[:-1])
    return proc, ast.literal_eval(lines[-1])
