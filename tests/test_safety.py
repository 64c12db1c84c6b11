"""Safety: YAML never constructs objects, no path leads a read or a write out of the tracker, errors print once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from wkx_tasks.errors import DataError
from wkx_tasks.files import OutsideTracker, atomic_write, inside, update_file
from wkx_tasks.messages import language, msg
from wkx_tasks.store import WorkTree, load_tracker
from wkx_tasks.yamlio import YamlProblems, dump_plain, load_bytes, rt_load


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The checks that call wkx's functions directly quote the English wording (those that run wkx pass --lang en)."""
    with language("en"):
        yield


OBJECT_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!binary aGVsbG8=",
    "!!set {{a, b}}",
    "!!timestamp 2013-12-01",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
]


@pytest.mark.parametrize("tagged", OBJECT_TAGS)
def test_no_tag_constructs_anything_in_either_reader(tagged: str, tmp_path: Path) -> None:
    marker = tmp_path / "RAN"
    text = f"title: {tagged.format(marker=marker)}\n"
    with pytest.raises(YamlProblems) as strict:
        load_bytes(text.encode(), "t.yaml")
    assert "t.yaml:1:8: YAML tags" in str(strict.value)
    with pytest.raises(YamlProblems) as editing:
        rt_load(text, "t.yaml")
    assert "t.yaml:1:8: YAML tags" in str(editing.value)
    assert not marker.exists()


def test_the_editing_reader_refuses_what_would_overflow_it() -> None:
    with pytest.raises(YamlProblems, match="nested too deep"):
        rt_load("a: " + "[" * 3000 + "]" * 3000 + "\n", "t.yaml")
    with pytest.raises(YamlProblems, match="nested more than"):
        rt_load("".join(" " * i + f"k{i}:\n" for i in range(200)), "t.yaml")
    with pytest.raises(YamlProblems, match="anchors"):
        rt_load("a: &x [1]\nb: *x\n", "t.yaml")


@pytest.mark.parametrize(
    ("relpath", "message"),
    [
        ("/etc/passwd", "is an absolute path"),
        ("C:\\Windows\\win.ini", "is an absolute path"),
        ("data/tasks/../../../x.yaml", "contains '..'"),
        ("..\\x.yaml", "contains '..'"),
    ],
)
def test_paths_that_leave_the_tracker_are_refused(tracker: Path, relpath: str, message: str) -> None:
    with pytest.raises(OutsideTracker, match=message):
        inside(tracker, relpath)


def test_links_out_of_the_tracker_are_refused_at_any_depth(tracker: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (tracker / "data" / "tasks" / "19.yaml").symlink_to(outside / "19.yaml")
    (tracker / "data" / "notes").symlink_to(outside, target_is_directory=True)
    (tracker / "data" / "loop.yaml").symlink_to(tracker / "data" / "loop.yaml")
    assert inside(tracker, "data/tasks/01.yaml") == tracker / "data" / "tasks" / "01.yaml"
    with pytest.raises(OutsideTracker, match="leads outside the tracker"):
        inside(tracker, "data/tasks/19.yaml")
    with pytest.raises(OutsideTracker, match="leads outside the tracker"):
        inside(tracker, "data/notes/new.yaml")  # a file that does not exist yet, in a linked folder
    with pytest.raises(OutsideTracker):
        inside(tracker, "data/loop.yaml")


def test_a_link_inside_the_tracker_is_followed(tracker: Path) -> None:
    tasks = tracker / "data" / "tasks"
    (tasks / "10.yaml").rename(tracker / "data" / "ten.yaml")
    (tasks / "10.yaml").symlink_to("../ten.yaml")
    assert WorkTree(tracker).read("data/tasks/10.yaml") == (tracker / "data" / "ten.yaml").read_bytes()
    assert load_tracker(tracker).problems == []


def test_a_linked_data_folder_is_not_read(tracker: Path, tmp_path: Path) -> None:
    """The whole data/ folder moved elsewhere and linked back: wkx reads nothing through the link."""
    elsewhere = tmp_path / "elsewhere"
    (tracker / "data").rename(elsewhere)
    (tracker / "data").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(DataError) as info:
        load_tracker(tracker)
    assert [p.path for p in info.value.problems] == ["data/departments.yaml", "data/plan.yaml"]
    assert all("leads outside the tracker through a symbolic link" in p.message for p in info.value.problems)


def test_writing_to_a_link_replaces_the_link_and_never_the_file_it_points_to(tmp_path: Path) -> None:
    """atomic_write renames a new file over the path: a link there is replaced, its target stays untouched."""
    target = tmp_path / "outside.yaml"
    target.write_bytes(b"precious\n")
    link = tmp_path / "tracker.yaml"
    link.symlink_to(target)
    atomic_write(link, b"new\n")
    assert target.read_bytes() == b"precious\n"
    assert not link.is_symlink() and link.read_bytes() == b"new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outside.yaml", "tracker.yaml"]  # no temp file left


def test_a_file_name_cannot_smuggle_a_path(tracker: Path) -> None:
    """Task files are found by listing data/tasks/, whose names cannot hold '/'; a name with dots stays a name."""
    tasks = tracker / "data" / "tasks"
    (tasks / "19-..yaml").write_bytes((tasks / "10.yaml").read_bytes())
    problems = load_tracker(tracker).problems
    assert sorted(str(p) for p in problems) == [
        "data/tasks/19-..yaml:3:5: id 10 is also used by data/tasks/10.yaml; each measure needs its own id",
        "data/tasks/19-..yaml:3:5: id is 10 but the file name says 19; make them agree",
    ]


def test_status_names_each_problem_once(wkx, tracker: Path) -> None:
    path = tracker / "data" / "tasks" / "10.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - bgs", "  - bgss"), encoding="utf-8")
    for command in (("status", "--overdue"), ("list",), ("show", "1")):
        result = wkx("--lang", "en", *command, cwd=tracker)
        assert result.exit_code == 1
        assert result.stderr.count("data/tasks/10.yaml:10:5: cooperating: unknown department code 'bgss'") == 1, result.stderr


def test_show_of_a_broken_measure_names_its_file(wkx, tracker: Path) -> None:
    (tracker / "data" / "tasks" / "10.yaml").write_text("id: 10\ntitle: [\n", encoding="utf-8")
    result = wkx("--lang", "en", "show", "10", cwd=tracker)
    assert result.exit_code == 1
    assert "data/tasks/10.yaml:3:1:" in result.stderr and "measure 10 cannot be read" in result.stderr


def test_a_tracker_without_its_department_list_is_still_found(wkx, tracker: Path) -> None:
    (tracker / "data" / "departments.yaml").unlink()
    result = wkx("--lang", "en", "validate", cwd=tracker / "data" / "tasks")
    assert result.exit_code == 1
    assert "data/departments.yaml: does not exist; restore it (`git checkout -- data/departments.yaml`)" in result.stderr


def test_what_dump_plain_writes_the_reader_reads_back() -> None:
    values = {"a": "no", "b": "on", "c": "1:30", "d": "010", "e": "null", "f": "", "g": "Y", "h": "规章\u2028制度", "i": "x\ty", "j": "多\n行\n"}
    assert load_bytes(dump_plain(values).encode(), "t.yaml").value == values


def test_a_fifo_never_blocks_a_read(tracker: Path) -> None:
    fifo = tracker / "data" / "tasks" / "10.yaml"
    fifo.unlink()
    os.mkfifo(fifo)
    problems = load_tracker(tracker).problems
    assert [str(p) for p in problems] == [
        "data/tasks/10.yaml: is not a regular file (a named pipe, device or socket); remove it: data files are plain text files"
    ]


def test_writes_within_the_tracker_cannot_be_led_out(tracker: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (tracker / "data" / "linked").symlink_to(outside, target_is_directory=True)
    for path in (tracker / "data" / "tasks" / ".." / ".." / ".." / "evil.yaml", tracker / "data" / "linked" / "evil.yaml", outside / "evil.yaml"):
        with pytest.raises(OutsideTracker):
            atomic_write(path, b"x", within=tracker)
        with pytest.raises(OutsideTracker):
            update_file(path, lambda old: b"x", within=tracker)
    assert list(outside.iterdir()) == [] and not (tmp_path / "evil.yaml").exists()
    atomic_write(tracker / "data" / "tasks" / "19.yaml", b"id: 19\n", within=tracker)
    update_file(Path("data/tasks/19.yaml"), lambda old: old + b"# ok\n", within=tracker)
    assert (tracker / "data" / "tasks" / "19.yaml").read_bytes() == b"id: 19\n# ok\n"


def test_thousands_of_faults_in_one_file_give_a_short_answer(wkx, tracker: Path) -> None:
    path = tracker / "data" / "tasks" / "10.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "status: done\n" * 1000, encoding="utf-8")
    result = wkx("--lang", "en", "validate", cwd=tracker)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("data/tasks/10.yaml:")]
    assert len(lines) == 26
    assert lines[0] == "data/tasks/10.yaml:14:1: duplicate key 'status' (first written on line 13); keep only one"
    assert lines[-1].startswith("data/tasks/10.yaml:38:1: … and 975 more problems in this file, not shown")


def test_problems_with_and_without_a_line_sort_together() -> None:
    from wkx_tasks.errors import Problem

    problems = [Problem("a.yaml", 3, 1, msg("yaml.tab")), Problem("a.yaml", None, None, msg("yaml.binary")), Problem("a.yaml", 3, None, msg("yaml.alias"))]
    assert [p.code for p in sorted(problems)] == ["yaml.binary", "yaml.alias", "yaml.tab"]


def test_a_huge_value_gives_a_message_of_readable_length(wkx, tracker: Path) -> None:
    path = tracker / "data" / "tasks" / "10.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("section: 三、体制机制建设", "section: " + "三、体制建设" * 50000), encoding="utf-8")
    result = wkx("--lang", "en", "validate", cwd=tracker)
    line = next(line for line in result.stderr.splitlines() if line.startswith("data/tasks/10.yaml:4:10: section '三、体制建设三、体制建设"))
    assert len(line) < 700 and "(299,532 characters left out)" in line and line.endswith("四、实施保障建设)")


def test_an_output_that_cannot_show_chinese_gets_escapes_not_a_crash(tracker: Path) -> None:
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    proc = subprocess.run([sys.executable, "-m", "wkx_tasks", "show", "1"], cwd=tracker, env=env, capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert b"\\u8c03\\u5ba3\\u90e8" in proc.stdout  # 调宣部, escaped


def test_commands_that_write_in_the_tracker_are_not_led_out_by_a_link(wkx, tracker: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    kept = outside / "10.yaml"
    kept.write_bytes((tracker / "data" / "tasks" / "10.yaml").read_bytes())
    (tracker / "data" / "tasks" / "10.yaml").unlink()
    (tracker / "data" / "tasks" / "10.yaml").symlink_to(kept)
    before = kept.read_bytes()
    result = wkx("--lang", "en", "--root", str(tracker), "update", "10", "--status", "in_progress")
    assert result.exit_code == 1 and "data/tasks/10.yaml leads outside the tracker through a symbolic link" in result.stderr
    assert "nothing was written" in result.stderr and "internal error" not in result.stderr
    assert kept.read_bytes() == before and (tracker / "data" / "tasks" / "10.yaml").is_symlink()

    (tracker / "schema").symlink_to(outside / "schemas", target_is_directory=True)
    (outside / "schemas").mkdir()
    result = wkx("--lang", "en", "--root", str(tracker), "schema")
    assert result.exit_code == 2 and "leads outside the tracker" in result.stderr
    assert list((outside / "schemas").iterdir()) == []


def test_odd_options_of_the_writing_commands_are_sentences(wkx, in_tracker: Path) -> None:
    onto_a_file = wkx("--lang", "en", "schema", "-o", "data/plan.yaml")
    assert (onto_a_file.exit_code, onto_a_file.stderr) == (2, "wkx: data/plan.yaml is a file, not a folder; name the folder to write the schemas into\n")
    no_lead = wkx("--lang", "en", "new", "--title", "x", "--section", "1", "--lead", ",", "--due", "2013-12")
    assert no_lead.exit_code == 2 and no_lead.stderr.startswith("wkx: --lead: name at least one lead department")
    assert not (in_tracker / "data" / "tasks" / "19.yaml").exists()
