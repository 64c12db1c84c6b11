"""The warm index: `status` and `list` tables from it are byte-identical to the full path's, and never stale."""

from __future__ import annotations

import importlib.util
import marshal
import os
import random
from array import array
from pathlib import Path
from typing import Any

import pytest

from wkx_tasks import index
from wkx_tasks.cachedir import digest
from wkx_tasks.index import index_path

GENERATE = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"

COMMANDS: list[tuple[str, ...]] = [
    ("status", "--overdue"),
    ("status", "--as-of", "2014-06-30", "--due-within", "90", "--dept", "dxb"),
    ("status", "--due-soon", "--lang", "en", "--as-of", "2015-01-01"),
    ("list", "--section", "2", "--overdue"),
    ("list", "--status", "in_progress", "--dept", "科普部", "--lang", "en"),
]


def _generate(out: Path, measures: int) -> Path:
    spec = importlib.util.spec_from_file_location("wkx_bench_generate", GENERATE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    root: Path = module.generate(out, measures)
    return root


def _same_as_full_path(wkx: Any, root: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]) -> Any:
    fast = wkx("--root", str(root), *args)
    with monkeypatch.context() as m:
        m.setenv("WKX_NO_CACHE", "1")
        full = wkx("--root", str(root), *args)
    assert (fast.exit_code, fast.stdout, fast.stderr) == (full.exit_code, full.stdout, full.stderr), args
    return fast


def _edit_in_place(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert old in data
    with open(path, "r+b") as fh:
        fh.write(data.replace(old, new, 1))
        fh.truncate()


def test_index_answers_exactly_as_the_full_path_through_edits(tmp_path: Path, wkx: Any, served: list[bool], monkeypatch: pytest.MonkeyPatch) -> None:
    root = _generate(tmp_path / "big", 30)
    tasks = root / "data" / "tasks"
    rng = random.Random(48)
    wkx("--root", str(root), "validate")  # a full load writes the record cache and the index
    edits = ["status", "due", "lead", "add", "remove", "break", "mend", "rename"]
    broken: Path | None = None
    for round_no, edit in enumerate(edits):
        files = sorted(p for p in tasks.iterdir() if p.suffix == ".yaml")
        victim = rng.choice(files)
        text = victim.read_text(encoding="utf-8")
        if edit == "status":
            current = next(s for s in ("not_started", "in_progress", "done", "blocked", "cancelled") if f"status: {s}" in text)
            victim.write_text(text.replace(f"status: {current}", "status: done" if current != "done" else "status: blocked"), encoding="utf-8")
        elif edit == "due":
            line = next(ln for ln in text.splitlines() if ln.startswith("due:"))
            victim.write_text(text.replace(line, "due: 2013-02"), encoding="utf-8")
        elif edit == "lead":
            victim.write_text(
                text.replace("lead: [", "lead: [kpb, ", 1) if "lead: [" in text else text.replace("lead:\n", "lead:\n  - kpb\n", 1), encoding="utf-8"
            )
        elif edit == "add":
            new_id = max(int(p.name.split(".")[0].split("-")[0]) for p in files) + 1
            body = text.replace(f"id: {int(victim.name.split('.')[0].split('-')[0])}\n", f"id: {new_id}\n", 1)
            (tasks / f"{new_id}.yaml").write_text(body, encoding="utf-8")
        elif edit == "remove":
            victim.unlink()
        elif edit == "break":
            broken = victim
            victim.write_text(text.replace("status:", "statsu:", 1), encoding="utf-8")
        elif edit == "mend":
            assert broken is not None
            broken.write_text(broken.read_text(encoding="utf-8").replace("statsu:", "status:", 1), encoding="utf-8")
        else:
            victim.rename(victim.with_name(victim.stem + "-moved.yaml"))
        served.clear()
        for args in COMMANDS:
            _same_as_full_path(wkx, root, monkeypatch, args)
        assert served[0] is False, f"round {round_no} ({edit}): the first run after an edit must not use the index"
        assert all(served[1:]), f"round {round_no} ({edit}): later runs answer from the fresh index"
    last = wkx("--root", str(root), "list")
    assert last.stdout.count("\n│") >= 25, "the tables compared hold the measures, not only messages"


def test_broken_files_stay_reported_from_the_index(tracker: Path, wkx: Any, served: list[bool], monkeypatch: pytest.MonkeyPatch) -> None:
    _edit_in_place(tracker / "data/tasks/10.yaml", b"status:", b"statsu:")
    first = _same_as_full_path(wkx, tracker, monkeypatch, ("status", "--overdue", "--as-of", "2014-01-01"))
    second = _same_as_full_path(wkx, tracker, monkeypatch, ("status", "--overdue", "--as-of", "2014-01-01"))
    assert served == [False, True]
    assert first.exit_code == second.exit_code == 1 and "data/tasks/10.yaml" in second.stderr


def test_a_same_size_edit_behind_an_unchanged_identity_is_caught_while_racy(tracker: Path, wkx: Any, served: list[bool]) -> None:
    path = tracker / "data/tasks/10.yaml"
    _edit_in_place(path, b"status: not_started", b"status: in_progress")
    first = wkx("--root", str(tracker), "list", "--as-of", "2014-01-01")
    assert "进行中" in first.stdout
    _edit_in_place(path, b"status: in_progress", b"status: not_started")  # same size, same inode
    # Make the index believe the file's identity is unchanged, as a coarse clock would (same size, same tick).
    ipath = index_path(tracker)
    blob = ipath.read_bytes()
    body_at = blob.index(index.MAGIC) + len(index.MAGIC)
    head_len = int.from_bytes(blob[body_at : body_at + 4], "big")
    fields = list(marshal.loads(blob[body_at + 4 + head_len + 32 :]))
    _records, _names, task_names, keys, racy = fields[:5]
    assert "data/tasks/10.yaml" in racy, "a file edited just before it was read is racy"
    current = array("q", keys)
    i = 2 + task_names.index("10.yaml")  # after the plan and the department list; five numbers per file
    st = os.stat(path)
    current[5 * i : 5 * i + 5] = array("q", (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev))
    fields[3] = current.tobytes()
    # The control: with the new bytes' hash in it too, the forged index is trusted and answers with what it
    # recorded — so the forged identity is right, and the hash of the racy file is all that can catch the edit.
    trusting = dict(racy, **{"data/tasks/10.yaml": digest(path.read_bytes())})
    index._write(ipath, marshal.dumps((*fields[:4], trusting, *fields[5:])))
    served.clear()
    forged = wkx("--root", str(tracker), "list", "--as-of", "2014-01-01")
    assert served == [True] and "进行中" in forged.stdout
    index._write(ipath, marshal.dumps(tuple(fields)))
    served.clear()
    second = wkx("--root", str(tracker), "list", "--as-of", "2014-01-01")
    assert served == [False], "the bytes differ from those indexed: the full path answers"
    assert "进行中" not in second.stdout


def test_damaged_or_orphaned_index_is_not_used(tracker: Path, wkx: Any, served: list[bool]) -> None:
    expected = wkx("--root", str(tracker), "status", "--as-of", "2014-01-01")
    ipath = index_path(tracker)
    blob = ipath.read_bytes()
    ipath.write_bytes(blob[:-50] + bytes([blob[-50] ^ 0xFF]) + blob[-49:])
    served.clear()
    assert wkx("--root", str(tracker), "status", "--as-of", "2014-01-01").stdout == expected.stdout
    assert served == [False] and ipath.read_bytes() == blob, "rebuilt as it was"
    ipath.with_suffix(".records").unlink()  # the record cache it was made with is gone
    served.clear()
    assert wkx("--root", str(tracker), "status", "--as-of", "2014-01-01").stdout == expected.stdout
    assert served == [False]
