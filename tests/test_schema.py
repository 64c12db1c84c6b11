"""`wkx schema` and the modelines: committed schemas are current, and check-jsonschema agrees with wkx validate."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, REPO
from wkx_tasks import api, schema

SCHEMA_DIR = REPO / "schema"
DATA_FILES = sorted(DATA.rglob("*.yaml"))


def check_jsonschema(schema_file: Path, *files: Path) -> tuple[int, set[str], str]:
    """Run the real check-jsonschema; (exit code, names of the files it rejected, raw output)."""
    proc = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--output-format", "json", "--schemafile", str(schema_file), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(proc.stdout)
    failed = {Path(e["filename"]).name for e in report.get("errors", [])} | {Path(e["filename"]).name for e in report.get("parse_errors", [])}
    return proc.returncode, failed, proc.stdout + proc.stderr


def test_committed_schemas_are_current() -> None:
    tracker = api.open_tracker(REPO)
    built = schema.build(tracker.departments, tracker.plan)
    assert set(built) == {"task", "departments", "plan"}
    for kind, content in built.items():
        committed = SCHEMA_DIR / schema.schema_file(kind)
        assert committed.read_bytes() == schema.render(content), f"{committed} is stale: run `wkx schema` and commit schema/"


def test_schema_command_writes_the_three_files(wkx, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = wkx("--root", str(REPO), "schema", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["departments.schema.json", "plan.schema.json", "task.schema.json"]
    for p in out.iterdir():
        assert p.read_bytes() == (SCHEMA_DIR / p.name).read_bytes()


def test_schema_command_defaults_to_the_trackers_schema_folder(wkx, in_tracker: Path) -> None:
    assert wkx("schema").exit_code == 0
    assert (in_tracker / "schema" / "task.schema.json").read_bytes() == (SCHEMA_DIR / "task.schema.json").read_bytes()


def test_task_schema_names_codes_sections_and_statuses() -> None:
    task = json.loads((SCHEMA_DIR / "task.schema.json").read_text(encoding="utf-8"))
    codes = task["$defs"]["DepartmentCode"]
    assert codes["enum"][:3] == ["dxb", "zrb", "xhb"] and "gqkx" in codes["enum"]
    assert codes["enumDescriptions"][0] == "调宣部", "editors show the name next to the code"
    assert task["properties"]["lead"]["items"] == {"$ref": "#/$defs/DepartmentCode"}
    assert task["$defs"]["Status"]["enum"] == ["not_started", "in_progress", "done", "blocked", "cancelled"]
    assert task["properties"]["section"]["enum"] == ["一、数据库建设", "二、平台建设", "三、体制机制建设", "四、实施保障建设"]
    assert task["additionalProperties"] is False


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.relative_to(DATA).as_posix())
def test_every_data_file_starts_with_its_modeline(path: Path) -> None:
    rel = path.relative_to(REPO).as_posix()
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == schema.modeline(rel)
    target = (path.parent / first.removeprefix(schema.MODELINE_PREFIX)).resolve()
    assert target.is_file() and target.parent == SCHEMA_DIR


def test_check_jsonschema_accepts_every_shipped_file() -> None:
    tasks = sorted((DATA / "tasks").glob("*.yaml"))
    assert len(tasks) == 18
    for schema_name, files in [("task", tasks), ("plan", [DATA / "plan.yaml"]), ("departments", [DATA / "departments.yaml"])]:
        code, failed, output = check_jsonschema(SCHEMA_DIR / schema.schema_file(schema_name), *files)
        assert code == 0 and not failed, output


# Edits to data/tasks/10.yaml, and whether the file is then valid. wkx and check-jsonschema must agree on each.
VARIANTS = [
    ("as_shipped", None, None, True),
    ("quoted_id", "id: 10", "id: '10'", True),
    ("day_deadline", "due: 2013-12", "due: 2013-12-15", True),
    ("done_with_date", "status: not_started", "status: done\ncompleted: 2013-11-30", True),
    ("progress_quoted", "status: not_started", "status: in_progress\nprogress: '50'", True),
    ("no_cooperating", "cooperating:\n  - bgs  # 办公室", "cooperating:", True),
    ("group_cooperating", "  - bgs  # 办公室", "  - jggbs  # 机关各部室", True),
    ("update_log", "status: not_started", "status: in_progress\nupdates:\n  - date: 2013-06-01\n    by: 张三\n    note: 起草\n    progress: 30", True),
    ("unknown_status", "status: not_started", "status: finished", False),
    ("unknown_code", "  - bgs  # 办公室", "  - bgss", False),
    ("misspelt_key", "status: not_started", "stauts: not_started", False),
    ("missing_status", "status: not_started\n", "", False),
    ("unknown_section", "section: 三、体制机制建设", "section: 三、体制建设", False),
    ("progress_over_100", "status: not_started", "status: in_progress\nprogress: 120", False),
    ("not_a_deadline", "due: 2013-12", "due: 年底", False),
    ("empty_lead", "lead:\n  - dxb  # 调宣部", "lead: []", False),
    ("empty_title", "title: 规章制度建设", "title: ''", False),
    ("id_zero", "id: 10", "id: 0", False),
    ("done_without_date", "status: not_started", "status: done", False),
    ("bad_date", "status: not_started", "status: done\ncompleted: 2013/11/30", False),
]


def _variant_text(old: str | None, new: str | None) -> str:
    text = (DATA / "tasks" / "10.yaml").read_text(encoding="utf-8")
    if old is None or new is None:
        return text
    assert old in text
    return text.replace(old, new, 1)


def test_check_jsonschema_and_wkx_agree(tracker: Path, tmp_path: Path) -> None:
    folder = tmp_path / "variants"
    folder.mkdir()
    for name, old, new, _ok in VARIANTS:
        (folder / f"{name}.yaml").write_text(_variant_text(old, new), encoding="utf-8")
    _code, rejected_by_schema, output = check_jsonschema(SCHEMA_DIR / "task.schema.json", *sorted(folder.iterdir()))
    target = tracker / "data" / "tasks" / "10.yaml"
    for name, old, new, ok in VARIANTS:
        target.write_text(_variant_text(old, new), encoding="utf-8")
        wkx_ok = api.validate(api.open_tracker(tracker)).is_valid
        schema_ok = f"{name}.yaml" not in rejected_by_schema
        assert (wkx_ok, schema_ok) == (ok, ok), f"{name}: wkx valid={wkx_ok}, check-jsonschema valid={schema_ok}\n{output}"


def test_check_jsonschema_rejects_an_unknown_status_with_its_message(tmp_path: Path) -> None:
    bad = tmp_path / "10.yaml"
    bad.write_text(_variant_text("status: not_started", "status: finished"), encoding="utf-8")
    code, failed, output = check_jsonschema(SCHEMA_DIR / "task.schema.json", bad)
    assert code == 1 and failed == {"10.yaml"}
    assert "'finished' is not one of" in output and "$.status" in output


def test_modeline_paths() -> None:
    assert schema.modeline("data/plan.yaml") == "# yaml-language-server: $schema=../schema/plan.schema.json"
    assert schema.modeline("data/tasks/07.yaml") == "# yaml-language-server: $schema=../../schema/task.schema.json"
    with pytest.raises(ValueError):
        schema.modeline("README.md")


def test_schema_outside_a_tracker_is_a_usage_error(wkx, tmp_path: Path) -> None:
    result = wkx("--lang", "en", "schema", cwd=tmp_path)
    assert result.exit_code == 2 and "no wkx tracker here" in result.stderr
    assert "Traceback" not in result.stderr


def test_schemas_are_copied_with_a_new_tracker(tracker: Path) -> None:
    # A tracker copied without schema/ gets it back from `wkx schema`; the modelines then resolve again.
    shutil.rmtree(tracker / "schema", ignore_errors=True)
    written = api.write_schemas(api.open_tracker(tracker))
    assert {p.name for p in written} == {"task.schema.json", "plan.schema.json", "departments.schema.json"}
    assert all(p.parent == tracker / "schema" for p in written)
