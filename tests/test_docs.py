"""The CLI reference is generated from the app and cannot drift; every command and option explains itself."""

from __future__ import annotations

import subprocess
import sys

import typer
import typer.main

from conftest import REPO
from wkx_tasks.cli import app
from wkx_tasks.cli.docs import render


def test_cli_reference_is_current() -> None:
    committed = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/cli.md is stale: run `python -m wkx_tasks.cli.docs` and commit it"


def test_reference_names_every_command_and_option() -> None:
    text = render()
    command = typer.main.get_command(app)
    ctx = typer.Context(command, info_name="wkx")
    for name in command.list_commands(ctx):
        assert f"## `wkx {name}`" in text
        section = text.split(f"## `wkx {name}`", 1)[1].split("\n## ", 1)[0]
        for param in command.get_command(ctx, name).params:
            if param.param_type_name == "option":
                assert all(opt in section for opt in param.opts), (name, param.opts)


def test_every_command_and_option_has_help() -> None:
    command = typer.main.get_command(app)
    ctx = typer.Context(command, info_name="wkx")
    names = command.list_commands(ctx)
    assert {"list", "status", "show", "validate", "schema", "new", "config"} <= set(names)
    for name in names:
        sub = command.get_command(ctx, name)
        assert sub.help and sub.help.strip(), f"wkx {name} has no help text"
        for param in sub.params:
            assert getattr(param, "help", None), f"wkx {name} {param.name} has no help text"
    for param in command.params:
        assert getattr(param, "help", None), f"wkx {param.name} has no help text"


def test_check_mode_fails_on_a_stale_file(tmp_path) -> None:
    stale = tmp_path / "cli.md"
    stale.write_text(render().replace("wkx validate", "wkx check", 1), encoding="utf-8")
    run = [sys.executable, "-m", "wkx_tasks.cli.docs", "--check", "-o", str(stale)]
    result = subprocess.run(run, capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "is stale" in result.stderr
    fresh = tmp_path / "fresh.md"
    assert subprocess.run([sys.executable, "-m", "wkx_tasks.cli.docs", "-o", str(fresh)], check=False).returncode == 0
    assert fresh.read_text(encoding="utf-8") == render()
    assert subprocess.run([*run[:-1], str(fresh)], capture_output=True, check=False).returncode == 0


GUIDE = REPO / "docs" / "staff-guide.zh.md"


def test_staff_guide_examples_are_true(wkx, in_tracker) -> None:
    import shlex

    text = GUIDE.read_text(encoding="utf-8")
    assert "wkx validate" in text and "pull request" in text and "git switch -c" in text
    # The `wkx new` example writes the next measure, and that file validates.
    line = next(line for line in text.splitlines() if line.startswith("wkx new "))
    result = wkx(*shlex.split(line)[1:])
    assert result.exit_code == 0 and result.stdout.startswith("data/tasks/19.yaml"), result.stderr
    assert wkx("validate").exit_code == 0
    # The error shown for a mistyped status is exactly what wkx prints for it.
    shown = next(line for line in text.splitlines() if line.startswith("data/tasks/10.yaml:"))
    task = in_tracker / "data" / "tasks" / "10.yaml"
    task.write_text(task.read_text(encoding="utf-8").replace("status: not_started", "status: in_progres"), encoding="utf-8")
    result = wkx("validate")
    assert result.exit_code == 1 and shown in result.stderr.splitlines()


def test_github_workflow_runs_validate_with_annotations() -> None:
    workflow = REPO / ".github" / "workflows" / "check.yml"
    assert "wkx validate --format github" in workflow.read_text(encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(workflow)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
