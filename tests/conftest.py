"""Hermetic test environment: fixed clock passed in, no colour, fixed width and time zone, isolated git config."""

from __future__ import annotations

import json
import os
import shutil
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
