"""The pre-commit hook other trackers use, and this repository's own pre-commit config, run for real."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import DATA, REPO

MANIFEST = REPO / ".pre-commit-hooks.yaml"
CONFIG = REPO / ".pre-commit-config.yaml"


def pre_commit(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, capture_output=True, text=True, check=False, env=env)


def test_manifest_declares_wkx_validate() -> None:
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "wkx-validate")
    assert hook["language"] == "python" and hook["entry"] == "wkx validate" and hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("data/tasks/07.yaml") and files.search("data/plan.yaml") and files.search("wkx.toml")
    assert not files.search("src/wkx_tasks/models.py") and not files.search("README.md")
    result = pre_commit("validate-manifest", str(MANIFEST), cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_config_uses_the_hook_and_ruff() -> None:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    ids = [h["id"] for repo in config["repos"] for h in repo["hooks"]]
    assert "wkx-validate" in ids and {"ruff-check", "ruff-format"} <= set(ids)
    result = pre_commit("validate-config", str(CONFIG), cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def git_tracker(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A git repository holding the shipped data and this repository's pre-commit config, with wkx on PATH."""
    repo = tmp_path / "repo"
    shutil.copytree(DATA, repo / "data")
    shutil.copytree(REPO / "schema", repo / "schema")
    shutil.copy(CONFIG, repo / ".pre-commit-config.yaml")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return repo, env


def test_hook_passes_on_shipped_data_and_fails_on_a_broken_file(git_tracker: tuple[Path, dict[str, str]]) -> None:
    repo, env = git_tracker
    ok = pre_commit("run", "wkx-validate", "--all-files", cwd=repo, env=env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "wkx validate" in ok.stdout and "Passed" in ok.stdout
    task = repo / "data" / "tasks" / "07.yaml"
    task.write_text(task.read_text(encoding="utf-8").replace("status: not_started", "status: finished"), encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    bad = pre_commit("run", "wkx-validate", "--all-files", cwd=repo, env=env)
    assert bad.returncode == 1
    assert "Failed" in bad.stdout and "data/tasks/07.yaml:16:9: status：'finished' 不是可选值" in bad.stdout
