"""`wkx validate`: every rule, each with a broken file, reported as path:line:col: message, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

TASK = "data/tasks/10.yaml"


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_data_is_valid(wkx, in_tracker) -> None:
    result = wkx("validate", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert "18" in result.stdout
    assert wkx("validate", "--lang", "en").stdout.startswith("All 18 measures")


# (file, old text, new text, expected "line:col: message" fragment)
CASES = [
    ("unknown code", TASK, "  - bgs", "  - bgss", "data/tasks/10.yaml:10:5: cooperating: unknown department code 'bgss' (did you mean 'bgs'?)"),
    ("unknown lead", TASK, "  - dxb", "  - dxbb", "data/tasks/10.yaml:8:5: lead: unknown department code 'dxbb' (did you mean 'dxb'?)"),
    ("bad month", TASK, "due: 2013-12", "due: 2013-13", "data/tasks/10.yaml:11:6: due: '2013-13' is not a real month"),
    ("bad day", TASK, "due: 2013-12", "due: 2013-02-30", "data/tasks/10.yaml:11:6: due: '2013-02-30' is not a real date"),
    ("not a deadline", TASK, "due: 2013-12", "due: 年底", "data/tasks/10.yaml:11:6: due: '年底' is not a deadline"),
    (
        "status",
        TASK,
        "status: not_started",
        "status: finished",
        "data/tasks/10.yaml:13:9: status: 'finished' is not one of not_started, in_progress, done, blocked, cancelled",
    ),
    ("status typo", TASK, "status: not_started", "status: not_startd", "(did you mean 'not_started'?)"),
    ("misspelt key", TASK, "status: not_started", "stauts: not_started", "data/tasks/10.yaml:13:1: unknown key 'stauts' (did you mean 'status'?)"),
    ("missing key", TASK, "status: not_started\n", "", "data/tasks/10.yaml:3:1: missing key 'status'; add it"),
    ("id mismatch", TASK, "id: 10", "id: 11", "data/tasks/10.yaml:3:5: id is 11 but the file name says 10"),
    (
        "section",
        TASK,
        "section: 三、体制机制建设",
        "section: 三、体制建设",
        "data/tasks/10.yaml:4:10: section '三、体制建设' is not one of the plan's sections",
    ),
    (
        "done without date",
        TASK,
        "status: not_started",
        "status: done",
        "data/tasks/10.yaml:13:9: status: status is done but there is no 'completed: YYYY-MM-DD'",
    ),
    ("completed while open", TASK, "status: not_started", "status: in_progress\ncompleted: 2013-11-30", "'completed' is set but status is in_progress"),
    (
        "bad completion date",
        TASK,
        "status: not_started",
        "status: done\ncompleted: 2013-11-31",
        "data/tasks/10.yaml:14:12: completed: '2013-11-31' is not a real date",
    ),
    (
        "updates out of order",
        TASK,
        "status: not_started",
        "status: in_progress\nupdates:\n  - date: 2013-06-01\n    by: 张三\n    note: 起草\n  - date: 2013-05-01\n    by: 李四\n    note: 修改",
        "data/tasks/10.yaml:18:11: updates[1].date: updates are not in date order",
    ),
    ("yaml 1.1 no", TASK, "status: not_started", "status: no", "data/tasks/10.yaml:13:9: value no is read as true/false by YAML 1.1 tools"),
    ("yaml 1.1 on", TASK, "title: 规章制度建设", "title: on", "data/tasks/10.yaml:5:8: value on is read as true/false"),
    (
        "yaml 1.1 time",
        TASK,
        "status: not_started",
        "status: not_started\nupdates:\n  - date: 2013-05-01\n    by: 1:30\n    note: x",
        "data/tasks/10.yaml:16:9: value 1:30 is read as a base-60 number",
    ),
    ("octal", TASK, "id: 10", "id: 010", "data/tasks/10.yaml:3:5: value 010 has a leading zero"),
    (
        "duplicate key",
        TASK,
        "status: not_started",
        "status: not_started\nstatus: done",
        "data/tasks/10.yaml:14:1: duplicate key 'status' (first written on line 13)",
    ),
    ("empty lead", TASK, "lead:\n  - dxb  # 调宣部", "lead: []", "data/tasks/10.yaml:7:7: lead: must not be empty"),
    ("lead twice", TASK, "  - bgs", "  - dxb", "'dxb' is both lead and cooperating"),
    ("progress over 100", TASK, "status: not_started", "status: in_progress\nprogress: 120", "data/tasks/10.yaml:14:11: progress:"),
    ("tab indent", TASK, "  - dxb", "\t- dxb", "data/tasks/10.yaml:8:1: tab character where YAML needs spaces"),
    ("stray dash", TASK, "id: 10", "- id: 10", "data/tasks/10.yaml:4:1: YAML syntax error"),
]


@pytest.mark.parametrize(("name", "rel", "old", "new", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_rule(wkx, in_tracker, name: str, rel: str, old: str, new: str, expected: str) -> None:
    _edit(in_tracker, rel, old, new)
    before = (in_tracker / rel).read_bytes()
    result = wkx("validate", "--lang", "en")
    assert result.exit_code == 1
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert (in_tracker / rel).read_bytes() == before, "validate never changes a file"


def test_all_problems_at_once(wkx, in_tracker) -> None:
    _edit(in_tracker, "data/tasks/03.yaml", "  - xhb", "  - xhbb")
    _edit(in_tracker, "data/tasks/07.yaml", "status: not_started", "status: nope")
    _edit(in_tracker, "data/tasks/12.yaml", "due: 2014-12", "due: 2014-00")
    _edit(in_tracker, "data/tasks/12.yaml", "title: 合作机制建设", "titel: 合作机制建设")
    result = wkx("validate")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("data/")]
    assert [line.split(":")[0] for line in lines] == [
        "data/tasks/03.yaml",
        "data/tasks/07.yaml",
        "data/tasks/12.yaml",
        "data/tasks/12.yaml",
        "data/tasks/12.yaml",
    ]
    assert result.stderr.endswith("wkx: 发现 5 个问题。\n")


def test_duplicate_ids_with_padding(wkx, in_tracker) -> None:
    tasks = in_tracker / "data" / "tasks"
    (tasks / "00010-copy.yaml").write_bytes((tasks / "10.yaml").read_bytes())
    result = wkx("validate", "--lang", "en")
    assert result.exit_code == 1
    assert "data/tasks/10.yaml:3:5: id 10 is also used by data/tasks/00010-copy.yaml" in result.stderr


def test_zero_padded_names_are_accepted(wkx, in_tracker) -> None:
    tasks = in_tracker / "data" / "tasks"
    (tasks / "10.yaml").rename(tasks / "00010-regulations.yaml")
    assert wkx("validate", "--lang", "en").exit_code == 0


def test_stray_files(wkx, in_tracker) -> None:
    tasks = in_tracker / "data" / "tasks"
    (tasks / "notes.txt").write_text("x", encoding="utf-8")
    (tasks / "19.yml").write_text("id: 19", encoding="utf-8")
    (tasks / ".gitkeep").write_text("", encoding="utf-8")
    result = wkx("validate", "--lang", "en")
    assert result.exit_code == 1
    assert "data/tasks/notes.txt: not a task file" in result.stderr
    assert "data/tasks/19.yml: task files end in .yaml; rename it to 19.yaml" in result.stderr
    assert ".gitkeep" not in result.stderr


def test_broken_departments_file(wkx, in_tracker) -> None:
    _edit(in_tracker, "data/departments.yaml", "    name: 学会部", "    name: 调宣部")
    result = wkx("validate", "--lang", "en")
    assert result.exit_code == 1
    assert "data/departments.yaml:" in result.stderr and "name '调宣部' is already listed as entry 1" in result.stderr
    result = wkx("status", "--overdue", "--lang", "en")
    assert result.exit_code == 1 and "data/departments.yaml" in result.stderr


def test_unknown_group_member(wkx, in_tracker) -> None:
    _edit(in_tracker, "data/departments.yaml", "members: [kjzxfwzx]", "members: [kjzxfwz]")
    result = wkx("validate", "--lang", "en")
    assert result.exit_code == 1
    assert "group 'gzsdw' lists unknown member 'kjzxfwz' (did you mean 'kjzxfwzx'?)" in result.stderr


def test_broken_plan_file(wkx, in_tracker) -> None:
    _edit(in_tracker, "data/plan.yaml", "timezone: Asia/Shanghai", "timezone: Asia/Beijing")
    result = wkx("validate", "--lang", "en")
    assert result.exit_code == 1
    assert "data/plan.yaml:9:11: timezone: unknown time zone 'Asia/Beijing'" in result.stderr


def test_other_commands_answer_for_healthy_files_and_name_broken_ones(wkx, in_tracker) -> None:
    _edit(in_tracker, "data/tasks/10.yaml", "due: 2013-12", "due: 2013-13")
    result = wkx("status", "--overdue", "--as-of", "2014-01-01", "--format", "json")
    assert result.exit_code == 1
    assert {r["id"] for r in result.json()} == {1, 11, 14, 15, 16, 17}
    assert "data/tasks/10.yaml:11:6" in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "data/tasks/10.yaml:1:1: the file is empty"),
        ("# only a comment\n", "data/tasks/10.yaml:1:1: the file is empty"),
        ("- id: 10\n- id: 11\n", "data/tasks/10.yaml:1:1: the file is a list"),
        ("just some words\n", "data/tasks/10.yaml:1:1: the file is a single value"),
    ],
)
def test_wrong_shape_of_file(wkx, in_tracker, content: str, expected: str) -> None:
    (in_tracker / TASK).write_text(content, encoding="utf-8")
    result = wkx("validate", "--lang", "en")
    assert result.exit_code == 1
    assert expected in result.stderr


def test_group_cannot_list_itself(wkx, in_tracker) -> None:
    _edit(in_tracker, "data/departments.yaml", "members: [kjzxfwzx]", "members: [kjzxfwzx, gzsdw]")
    result = wkx("validate", "--lang", "en")
    assert result.exit_code == 1
    assert "group 'gzsdw' lists itself as a member" in result.stderr


def test_a_missing_key_inside_a_list_entry_names_the_entry(wkx, in_tracker) -> None:
    _edit(in_tracker, TASK, "status: not_started", "status: in_progress\nupdates:\n  - date: 2013-05-01")
    result = wkx("validate", "--lang", "en")
    assert result.exit_code == 1
    assert "data/tasks/10.yaml:15:5: updates[0]: missing key 'by'; add it" in result.stderr
