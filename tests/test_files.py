"""Atomic writes keep the mode and never leave a partial file; concurrent updates lose no edit."""

from __future__ import annotations

import multiprocessing
import os
import stat
from pathlib import Path

import pytest

from wkx_tasks.errors import WkxError
from wkx_tasks.files import atomic_write, update_file


def test_atomic_write_keeps_mode_and_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "01.yaml"
    path.write_bytes(b"old\n")
    os.chmod(path, 0o640)
    atomic_write(path, "新内容\n".encode())
    assert path.read_bytes() == "新内容\n".encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["01.yaml"]


def test_failed_change_leaves_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "01.yaml"
    path.write_bytes(b"keep me\n")

    def refuse(data: bytes) -> bytes:
        raise ValueError("would not validate")

    with pytest.raises(ValueError):
        update_file(path, refuse)
    assert path.read_bytes() == b"keep me\n"
    assert [p.name for p in tmp_path.iterdir()] == ["01.yaml"]


def _append_many(path: str, tag: str, n: int) -> None:
    for i in range(n):
        update_file(Path(path), lambda data, i=i: data + f"{tag}{i}\n".encode())


def test_concurrent_updates_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_bytes(b"")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_append_many, args=(str(path), tag, 40)) for tag in ("a", "b", "c")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    lines = path.read_text().splitlines()
    assert sorted(lines) == sorted(f"{t}{i}" for t in "abc" for i in range(40))


def test_lock_folder_taken_by_someone_else_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wkx_tasks import files

    shared_tmp, cache = tmp_path / "tmp", tmp_path / "cache"
    shared_tmp.mkdir()
    monkeypatch.setattr(files.tempfile, "gettempdir", lambda: str(shared_tmp))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    target = tmp_path / "data.yaml"
    own = shared_tmp / f"wkx-locks-{os.getuid()}"
    assert files._lock_path(target).parent == own, "the folder this user made, private: used"
    own.chmod(0o777)  # as if another user had made it first, writable by all
    assert files._lock_path(target).parent == cache / "wkx-tasks" / "locks"
    own.rmdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    own.symlink_to(elsewhere)  # a link planted under the expected name
    assert files._lock_path(target).parent == cache / "wkx-tasks" / "locks"
    with files.locked(target):
        assert list((cache / "wkx-tasks" / "locks").iterdir())
    assert not list(elsewhere.iterdir()), "nothing is written where the link points"
    own.unlink()
    own.write_text("not a folder")
    assert files._lock_path(target).parent == cache / "wkx-tasks" / "locks"
    # With no folder of its own to be had either, a sentence that says what to set.
    monkeypatch.setenv("XDG_CACHE_HOME", str(own))
    with pytest.raises(WkxError) as caught:
        files._lock_path(target)
    assert caught.value.msg.key == "locks.no_folder" and "XDG_CACHE_HOME" in caught.value.msg.render("en")
