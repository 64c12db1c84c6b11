"""The record cache: never stale, rebuilt when corrupt or from another version, problems kept, outside the tracked tree."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from wkx_tasks import cache as cache_mod
from wkx_tasks import store
from wkx_tasks.cache import MAGIC, RecordCache, cache_path

TASK = "data/tasks/10.yaml"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files actually parsed (not served from the cache), in order."""
    seen: list[str] = []
    real = store.load_bytes

    def counting(data: bytes, label: str, **options):  # type: ignore[no-untyped-def]
        seen.append(label)
        return real(data, label, **options)

    monkeypatch.setattr(store, "load_bytes", counting)
    return seen


def _replace(path: Path, old: str, new: str) -> None:
    """Rewrite the file in place (same inode), as an editor that does not rename would."""
    data = path.read_bytes()
    assert old.encode() in data
    with open(path, "r+b") as fh:
        fh.write(data.replace(old.encode(), new.encode(), 1))
        fh.truncate()


def test_second_load_comes_from_the_cache(tracker: Path, parses: list[str]) -> None:
    first = store.load_tracker(tracker)
    assert len(parses) == 20 and cache_path(tracker).is_file()
    parses.clear()
    second = store.load_tracker(tracker)
    assert parses == [], "nothing re-parsed when no file changed"
    assert second.tasks == first.tasks and second.plan == first.plan and second.departments == first.departments
    assert [f.path for f in second.files] == [f.path for f in first.files]


def test_same_size_edit_in_the_same_instant_is_seen(tracker: Path, parses: list[str]) -> None:
    path = tracker / TASK
    before = os.stat(path)
    assert store.load_tracker(tracker).task(10).title == "规章制度建设"
    _replace(path, "规章制度建设", "规则制度建设")  # same number of bytes
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same mtime
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    assert store.load_tracker(tracker).task(10).title == "规则制度建设"


def test_identical_stat_is_still_checked_against_the_bytes_while_racy(tracker: Path) -> None:
    """Coarse file-system clocks can leave even ctime unchanged: an entry read right after a write is verified by hash."""
    store.load_tracker(tracker)
    path = tracker / TASK
    _replace(path, "规章制度建设", "规则制度建设")
    st = os.stat(path)
    # Make the cached entry claim exactly the file's present identity, as a write in the same clock tick would.
    cache = RecordCache.open(tracker)
    assert cache is not None
    cache.entries[TASK].key = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
    cache._seen = set(cache.entries)
    cache.dirty = True
    cache.save()
    assert store.load_tracker(tracker).task(10).title == "规则制度建设"


def test_old_unchanged_files_are_trusted_by_stat(tracker: Path, parses: list[str]) -> None:
    for path in (tracker / "data").rglob("*.yaml"):
        os.utime(path, ns=(1_400_000_000 * 10**9, 1_400_000_000 * 10**9))
    store.load_tracker(tracker)
    parses.clear()
    store.load_tracker(tracker)
    assert parses == []


def test_only_entries_made_while_racy_keep_a_hash_of_their_bytes(tracker: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Files written long before they are read can never become racy again under the same identity: their hash
    # would never be compared, so their entries keep none. A file changed just before it is read keeps one.
    # (The files were all just written, and a file's ctime cannot be set back: the reading is done a minute later.)
    later = time.time_ns() + 60 * 10**9
    monkeypatch.setattr(cache_mod.time, "time_ns", lambda: later)
    os.utime(tracker / TASK, ns=(later, later))
    store.load_tracker(tracker)
    cache = RecordCache.open(tracker)
    assert cache is not None
    assert len(cache.entries) == 20
    assert {relpath for relpath, entry in cache.entries.items() if entry.digest} == {TASK}
    assert cache.entries[TASK].digest == cache_mod._digest((tracker / TASK).read_bytes())


def test_changed_added_and_removed_files(tracker: Path, parses: list[str]) -> None:
    store.load_tracker(tracker)
    parses.clear()
    text = (tracker / TASK).read_text(encoding="utf-8")
    (tracker / "data/tasks/19.yaml").write_text(text.replace("id: 10", "id: 19"), encoding="utf-8")
    (tracker / "data/tasks/18.yaml").unlink()
    (tracker / "data/tasks/17.yaml").write_text((tracker / "data/tasks/17.yaml").read_text(encoding="utf-8") + "progress: 40\n", encoding="utf-8")
    loaded = store.load_tracker(tracker)
    assert sorted(parses) == ["data/tasks/17.yaml", "data/tasks/19.yaml"]
    assert [t.id for t in loaded.tasks] == [*range(1, 18), 19]
    assert loaded.task(17).progress == 40
    cache = RecordCache.open(tracker)
    assert cache is not None and "data/tasks/18.yaml" not in cache.entries


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "flipped"])
def test_corrupt_cache_is_ignored_and_rebuilt(tracker: Path, wkx, damage: str) -> None:
    expected = wkx("--root", str(tracker), "status", "--overdue", "--as-of", "2014-01-01")
    path = cache_path(tracker)
    blob = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(os.urandom(4096))
    elif damage == "truncated":
        path.write_bytes(blob[: len(blob) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.write_bytes(blob[:-100] + bytes([blob[-100] ^ 0xFF]) + blob[-99:])
    again = wkx("--root", str(tracker), "status", "--overdue", "--as-of", "2014-01-01")
    assert (again.exit_code, again.stdout, again.stderr) == (expected.exit_code, expected.stdout, expected.stderr)
    # (A damage that leaves the file's first bytes whole leaves the status index usable: it checks every data
    # file itself. The next command that reads records finds the damage and rebuilds the cache.)
    checked = wkx("--root", str(tracker), "validate")
    assert checked.exit_code == 0
    assert path.read_bytes().startswith(MAGIC)
    assert RecordCache.open(tracker).entries.keys() == RecordCache.open(tracker).entries.keys() != set()  # type: ignore[union-attr]


def test_cache_from_another_version_is_rebuilt(tracker: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    store.load_tracker(tracker)
    parses.clear()
    monkeypatch.setattr(cache_mod, "__version__", "99.0")
    store.load_tracker(tracker)
    assert len(parses) == 20, "a cache written by another wkx version is not used"
    parses.clear()
    store.load_tracker(tracker)
    assert parses == [], "and it is rewritten for this version"


def test_problems_are_cached_and_stay_reported(tracker: Path, wkx, parses: list[str]) -> None:
    _replace(tracker / TASK, "status: not_started", "status: finished")
    (tracker / "data/tasks/11.yaml").write_text("id: 11\n\tsection: x\n", encoding="utf-8")
    first = wkx("--root", str(tracker), "validate")
    assert first.exit_code == 1
    assert "data/tasks/10.yaml:13:9: status：'finished' 不是可选值" in first.stderr
    assert "data/tasks/11.yaml:2:1: 此处有制表符" in first.stderr
    parses.clear()
    second = wkx("--root", str(tracker), "validate")
    assert parses == [], "broken files are answered from the cache too"
    assert (second.exit_code, second.stderr) == (first.exit_code, first.stderr)
    # The cache keeps what was found, not its wording: the same problems read in English when asked.
    english = wkx("--root", str(tracker), "validate", "--lang", "en")
    assert parses == []
    assert "data/tasks/10.yaml:13:9: status: 'finished' is not one of" in english.stderr
    assert "data/tasks/11.yaml:2:1: tab character" in english.stderr


def test_cross_file_problems_keep_their_place_when_records_come_from_the_cache(tracker: Path, wkx, parses: list[str]) -> None:
    store.load_tracker(tracker)
    parses.clear()
    # Rename a section in the plan: measure 10, unchanged and cached, now names a section the plan does not have.
    _replace(tracker / "data/plan.yaml", "  - 三、体制机制建设", "  - 三、体制机制")
    result = wkx("--root", str(tracker), "validate", "--lang", "en")
    assert result.exit_code == 1
    assert "data/tasks/10.yaml:4:10: section '三、体制机制建设' is not one of the plan's sections" in result.stderr
    assert "data/plan.yaml" in parses and TASK in parses
    assert len(parses) < 20, "only the files whose problems need a place are parsed"


def test_cache_lives_in_the_git_dir_and_leaves_the_tree_clean(tracker: Path, wkx) -> None:
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(tracker), *args], check=True, capture_output=True, text=True).stdout

    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=调宣部 张伟", "-c", "user.email=zw@example.invalid", "commit", "-q", "-m", "导入")
    assert wkx("--root", str(tracker), "status", "--overdue").exit_code == 0
    path = cache_path(tracker)
    assert path.is_file() and path.parent == (tracker / ".git" / "wkx-cache").resolve()
    assert git("status", "--porcelain", "--ignored") == ""


def test_cache_outside_git_goes_to_the_user_cache_folder(tracker: Path, wkx) -> None:
    assert wkx("--root", str(tracker), "list").exit_code == 0
    path = cache_path(tracker)
    assert path.is_file()
    assert path.parent == Path(os.environ["XDG_CACHE_HOME"]) / "wkx-tasks"
    assert not any(p.name.endswith(".records") for p in tracker.rglob("*"))


def test_no_cache_env_turns_it_off(tracker: Path, wkx, parses: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WKX_NO_CACHE", "1")
    assert wkx("--root", str(tracker), "validate").exit_code == 0
    assert wkx("--root", str(tracker), "validate").exit_code == 0
    assert len(parses) == 40
    assert not cache_path(tracker).exists()


def test_unwritable_cache_location_never_fails_a_command(tracker: Path, wkx, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    result = wkx("--root", str(tracker), "status", "--overdue", "--as-of", "2014-01-01")
    assert result.exit_code == 0 and "逾期 7" in result.stdout
    assert blocker.read_text(encoding="utf-8").startswith("a file")


def test_concurrent_writers_leave_a_whole_cache(tracker: Path) -> None:
    """Each run writes a temporary file and renames it into place: whoever renames last, the file is whole."""
    a, b = RecordCache.open(tracker), RecordCache.open(tracker)
    assert a is not None and b is not None
    store.load_tracker(tracker)
    for c in (a, b):
        c.entries = dict(RecordCache.open(tracker).entries)  # type: ignore[union-attr]
        c._seen = set(c.entries)
        c.dirty = True
    a.save()
    b.save()
    assert set(RecordCache.open(tracker).entries) == set(a.entries)  # type: ignore[union-attr]
    assert not [p for p in cache_path(tracker).parent.iterdir() if p.suffix == ".tmp"]


def test_every_kind_of_entry_comes_back_from_the_file_as_it_was_written() -> None:
    import pickle

    from wkx_tasks.errors import Problem
    from wkx_tasks.messages import msg
    from wkx_tasks.models import Plan, Task

    task = Task.model_validate({"id": 7, "section": "一、数据库建设", "title": "建立人才库", "lead": ["dxb"], "due": "2013-12", "status": "not_started"})
    plan = Plan.model_validate({"number": "武科协〔2013〕48号", "title": "方案", "issuer": "武汉市科协", "issued": "2013-06-01", "sections": ["一"]})
    problem = Problem("data/tasks/08.yaml", 3, 1, msg("store.file_empty"))
    key = (10, 2, 3, 4, 5)
    entries = {
        "sound": cache_mod.Entry(key, b"", 9, "Task", task, True, []),  # (written in the short form)
        "plan": cache_mod.Entry(key, b"", 9, "Plan", plan, True, []),
        "racy": cache_mod.Entry(key, b"h" * 20, 9, "Task", task, True, []),
        "broken": cache_mod.Entry(key, b"", 9, "Task", None, True, [problem]),
        "unreadable as YAML": cache_mod.Entry(key, b"", 9, "Task", None, False, [problem]),
        "asked as another model": cache_mod.Entry(key, b"", 9, "Plan", task, True, []),
        "no document": cache_mod.Entry(key, b"", 9, "Task", task, False, []),
    }
    back = pickle.loads(cache_mod._dumps(entries))
    assert back == entries
    assert [type(e.record).__name__ if e.record is not None else None for e in back.values()] == ["Task", "Plan", "Task", None, None, "Task", "Task"]
