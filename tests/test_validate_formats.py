"""`wkx validate --format github|json`: annotations on the pull request's diff, and an array for other tools."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from wkx_tasks.errors import Problem
from wkx_tasks.formats import escape_data, escape_property, github_annotation, repo_prefix
from wkx_tasks.messages import language, msg


def _break(root: Path) -> None:
    path = root / "data" / "tasks" / "07.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: not_started", "status: finished"), encoding="utf-8")


def test_github_annotation_on_a_broken_file(wkx, in_tracker: Path) -> None:
    _break(in_tracker)
    result = wkx("validate", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=data/tasks/07.yaml,line=16,col=9::status：'finished' 不是可选值（not_started, in_progress, done, blocked, cancelled）之一"
    ]
    assert "发现 1 个问题" in result.stderr and "Traceback" not in result.stderr
    english = wkx("validate", "--format", "github", "--lang", "en")
    assert english.exit_code == 1
    assert english.stdout.splitlines() == [
        "::error file=data/tasks/07.yaml,line=16,col=9::status: 'finished' is not one of not_started, in_progress, done, blocked, cancelled"
    ]
    assert english.stderr == "wkx: 1 problem found.\n"


def test_json_is_an_array_of_problems(wkx, in_tracker: Path) -> None:
    _break(in_tracker)
    (in_tracker / "data" / "tasks" / "notes.txt").write_text("x", encoding="utf-8")
    result = wkx("validate", "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert rows == [
        {
            "path": "data/tasks/07.yaml",
            "line": 16,
            "col": 9,
            "message": "status: 'finished' is not one of not_started, in_progress, done, blocked, cancelled",
            "code": "field.not_one_of",
        },
        {
            "path": "data/tasks/notes.txt",
            "line": None,
            "col": None,
            "message": "not a task file: task files are named by number, like 07.yaml or 07-some-name.yaml; rename it, or move it out of data/tasks/",
            "code": "store.not_task_file",
        },
    ]
    # Chinese by default, as characters; the codes are the same in every language, for scripts.
    chinese = wkx("validate", "--format", "json")
    assert chinese.exit_code == 1 and "\\u" not in chinese.stdout
    assert json.loads(chinese.stdout) == [
        {
            "path": "data/tasks/07.yaml",
            "line": 16,
            "col": 9,
            "message": "status：'finished' 不是可选值（not_started, in_progress, done, blocked, cancelled）之一",
            "code": "field.not_one_of",
        },
        {
            "path": "data/tasks/notes.txt",
            "line": None,
            "col": None,
            "message": "不是任务文件：任务文件以编号命名，例如 07.yaml 或 07-some-name.yaml；请改名，或将其移出 data/tasks/",
            "code": "store.not_task_file",
        },
    ]


def test_valid_tracker_in_each_format(wkx, in_tracker: Path) -> None:
    assert wkx("validate", "--format", "json").stdout == "[]\n"
    result = wkx("validate", "--format", "github")
    assert result.exit_code == 0 and "::error" not in result.stdout
    assert wkx("validate", "--format", "json").exit_code == 0


def test_broken_plan_is_reported_in_the_chosen_format(wkx, in_tracker: Path) -> None:
    plan = in_tracker / "data" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("timezone: Asia/Shanghai", "timezone: Asia/Beijing"), encoding="utf-8")
    result = wkx("validate", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)[0]["path"] == "data/plan.yaml" and json.loads(result.stdout)[0]["line"] == 9
    github = wkx("validate", "--format", "github")
    assert github.exit_code == 1 and github.stdout.startswith("::error file=data/plan.yaml,line=9,col=11::timezone：未知的时区 'Asia/Beijing'")
    github = wkx("validate", "--format", "github", "--lang", "en")
    assert github.exit_code == 1 and github.stdout.startswith("::error file=data/plan.yaml,line=9,col=11::timezone: unknown time zone")


def test_usage_errors_keep_exit_code_2(wkx, tmp_path: Path) -> None:
    assert wkx("validate", "--format", "github", cwd=tmp_path).exit_code == 2
    result = wkx("validate", "--format", "xml", cwd=tmp_path)
    assert result.exit_code == 2 and "xml" in result.stderr


def test_escaping_follows_the_workflow_command_rules() -> None:
    assert escape_data("50%\r\nnext") == "50%25%0D%0Anext"
    assert escape_property("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A"
    p = Problem("data/tasks/a,b:c.yaml", 3, None, msg("field.other", name="line one\nline two", detail="100%"))
    with language("en"):
        assert github_annotation(p) == "::error file=data/tasks/a%2Cb%3Ac.yaml,line=3::line one%0Aline two: 100%25"
    assert github_annotation(p) == "::error file=data/tasks/a%2Cb%3Ac.yaml,line=3::line one%0Aline two：取值不符合要求（100%25）"
    assert github_annotation(Problem("data/tasks", None, None, msg("none"))) == "::error file=data/tasks::无"


def test_paths_are_relative_to_the_repository(tracker: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tracker.parent
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    assert repo_prefix(tracker) == "tracker/"
    assert github_annotation(Problem("data/plan.yaml", 2, 1, msg("none")), repo_prefix(tracker)) == "::error file=tracker/data/plan.yaml,line=2,col=1::无"
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tracker))
    assert repo_prefix(tracker) == ""


def test_github_annotations_name_the_repository_path(wkx, tracker: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tracker.parent)], check=True)
    _break(tracker)
    result = wkx("validate", "--format", "github", cwd=tracker)
    assert result.stdout.startswith("::error file=tracker/data/tasks/07.yaml,line=16,col=9::")
