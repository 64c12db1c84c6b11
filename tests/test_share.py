"""share.py: a cold load shared with a forked worker gives what a load in one process gives — records, problems
with their places, and a cache the next run is served from — also when the worker fails."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from wkx_tasks import share, store
from wkx_tasks.cache import RecordCache, cache_path
from wkx_tasks.cachedir import records_token

pytestmark = pytest.mark.skipif(not share.worth_it(share.MIN_FILES), reason="needs Linux, fork and two cores")


@pytest.fixture(autouse=True)
def _no_early_worker_outlives_a_test() -> Any:
    yield
    share.end_early()


def _grow(root: Path, upto: int = 80, *, broken: bool = True) -> None:
    """Measures 19..upto made from measure 10, with (when broken) a few files broken in different ways."""
    text = (root / "data/tasks/10.yaml").read_text(encoding="utf-8")
    for n in range(19, upto + 1):
        (root / f"data/tasks/{n}.yaml").write_text(text.replace("id: 10\n", f"id: {n}\n"), encoding="utf-8")
    if not broken:
        return
    (root / "data/tasks/23.yaml").write_text("id: 23\ntitle: [unclosed\n", encoding="utf-8")  # YAML syntax
    bad_status = (root / "data/tasks/47.yaml").read_text(encoding="utf-8").replace("status: not_started", "status: finished")
    (root / "data/tasks/47.yaml").write_text(bad_status, encoding="utf-8")
    unknown = (root / "data/tasks/61.yaml").read_text(encoding="utf-8").replace("- dxb", "- dxbb", 1)
    (root / "data/tasks/61.yaml").write_text(unknown, encoding="utf-8")  # found across files, after the load
    (root / "data/tasks/70.yaml").unlink()
    (root / "data/tasks/70.yaml").mkdir()  # not a file: never cached, read again here
    (root / "data/tasks/75.yaml").write_bytes(b"\xff\xfe" + "id: 75\n".encode("utf-16-le"))


def _seen(tracker: store.Tracker) -> tuple[Any, ...]:
    return (tracker.tasks, tracker.plan, tracker.departments, [f.path for f in tracker.files], [str(p) for p in tracker.problems])


@pytest.fixture
def grown(tracker: Path, tmp_path: Path) -> tuple[Path, Path]:
    assert "id: 10\n" in (tracker / "data/tasks/10.yaml").read_text(encoding="utf-8")
    _grow(tracker)
    alone = tmp_path / "alone"
    shutil.copytree(tracker, alone)
    return tracker, alone


@pytest.fixture
def shared(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, int]]:
    """For each shared load: (files read here, files asked about, results in all: read here or handed back)."""
    monkeypatch.setattr(share, "MIN_FILES", 10)
    calls: list[tuple[int, int, int]] = []
    real = share.load

    def spying(files: list[str], read: Any, *rest: Any, **options: Any) -> Any:
        here: list[str] = []

        def counting(relpath: str) -> Any:
            here.append(relpath)
            return read(relpath)

        out = real(files, counting, *rest, **options)
        calls.append((len(here), len(files), len(out)))
        return out

    monkeypatch.setattr(share, "load", spying)
    return calls


def _pace(monkeypatch: pytest.MonkeyPatch, folder: Path, at: int, *, writes: int = 1, fail_after: int | None = None) -> list[str]:
    """Split the files where the test says, whatever the speed of either process: this process reads task files
    1..at, holding on at its `at`-th until the worker has written `writes` times to the pipe; the worker holds on
    before file at+1 until this process has read `at` (it has then met it: it parses at+1 and stops). With
    `fail_after`, the worker breaks just after that many writes. Returns the task files read here, in order."""
    parent = os.getpid()
    wrote, read_here = folder / "the worker wrote", folder / "read here"
    real_write, real_read, real_parse = os.write, store._read_one, store._parse_only
    own: list[str] = []

    def wait_for(done: Any) -> None:
        deadline = time.monotonic() + 30
        while not done() and time.monotonic() < deadline:
            time.sleep(0.002)

    def writing(fd: int, data: Any) -> int:
        written = real_write(fd, data)
        if os.getpid() != parent:
            with open(wrote, "ab") as marks:
                marks.write(b".")
            if fail_after is not None and wrote.stat().st_size >= fail_after:
                raise RuntimeError("the worker breaks")
        return written

    def reading_here(source: Any, relpath: str, *rest: Any, **options: Any) -> Any:
        if os.getpid() == parent and relpath.startswith("data/tasks/"):
            own.append(relpath)
            if len(own) == at:
                read_here.touch()
                wait_for(lambda: wrote.exists() and wrote.stat().st_size >= writes)
        return real_read(source, relpath, *rest, **options)

    def parsing_there(source: Any, relpath: str) -> Any:
        if relpath == f"data/tasks/{at + 1}.yaml":
            wait_for(read_here.exists)
        return real_parse(source, relpath)

    monkeypatch.setattr(os, "write", writing)
    monkeypatch.setattr(store, "_read_one", reading_here)
    monkeypatch.setattr(store, "_parse_only", parsing_there)
    return own


def test_a_shared_load_gives_what_one_process_gives(grown: tuple[Path, Path], shared: list[tuple[int, int, int]], monkeypatch: pytest.MonkeyPatch) -> None:
    root, alone = grown
    _pace(monkeypatch, root.parent, 27)
    both = store.load_tracker(root)
    assert both.indexed is False  # a folder in place of 70.yaml: no index for this tracker (as without a worker)
    # Every task file was missed (nothing cached yet): 1..27 read here, 28..80 by the worker, which hands back all
    # but the folder 70.yaml (no cache entry stands for it: read here, after).
    assert shared == [(27, 80, 79)]
    monkeypatch.setenv(share.WORKERS_ENV, "1")
    one = store.load_tracker(alone)
    assert len(shared) == 1  # WKX_WORKERS=1: no worker
    assert _seen(both) == _seen(one)
    messages = "\n".join(str(p) for p in both.problems)
    for name in ("23.yaml", "47.yaml", "61.yaml", "70.yaml", "75.yaml"):
        assert f"data/tasks/{name}" in messages
    assert "data/tasks/61.yaml:" in messages and "dxbb" in messages  # placed at its line in a file the worker parsed
    assert "data/tasks/47.yaml:" in messages and "finished" in messages  # a file the worker parsed, validated here


def test_the_next_run_is_served_from_the_cache_both_processes_wrote(
    grown: tuple[Path, Path], shared: list[tuple[int, int, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _ = grown
    first = store.load_tracker(root)
    cached = RecordCache.open(root)
    assert cached is not None and len(cached.entries) == 80 + 2 - 1  # plan, departments, the tasks but the folder
    parsed: list[str] = []
    real = store.load_bytes

    def counting(data: bytes, label: str, **options: Any) -> Any:
        parsed.append(label)
        return real(data, label, **options)

    monkeypatch.setattr(store, "load_bytes", counting)
    second = store.load_tracker(root)
    # Nothing parsed and nothing shared, but 61.yaml read again to place its unknown code, as after any cached load.
    assert parsed == ["data/tasks/61.yaml"] and len(shared) == 1
    parsed.clear()
    assert _seen(second) == _seen(first)
    # One file changed: read again (not shared: too few), the rest still served from both processes' entries.
    path = root / "data/tasks/33.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: 33", "id: 34"), encoding="utf-8")
    third = store.load_tracker(root)
    assert parsed[0] == "data/tasks/33.yaml"  # then those read again only to place a problem (two ids 34, 61's code)
    assert set(parsed) == {"data/tasks/33.yaml", "data/tasks/34.yaml", "data/tasks/61.yaml"}
    assert any("33.yaml" in str(p) and "34" in str(p) for p in third.problems)


def test_a_worker_that_fails_leaves_its_files_to_be_read_here(
    grown: tuple[Path, Path], shared: list[tuple[int, int, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, alone = grown
    parent = os.getpid()
    broke = root.parent / "the worker broke"
    real_parse, real_read = store._parse_only, store._read_one

    def failing_in_the_worker(source: Any, relpath: str) -> Any:
        if os.getpid() != parent:  # on its first file (80), having claimed it
            broke.touch()
            raise RuntimeError("the worker breaks")
        return real_parse(source, relpath)

    def reading_here(source: Any, relpath: str, *rest: Any, **options: Any) -> Any:
        if relpath == "data/tasks/1.yaml":  # this process's first file: it waits until the worker has broken
            deadline = time.monotonic() + 30
            while not broke.exists() and time.monotonic() < deadline:
                time.sleep(0.002)
        return real_read(source, relpath, *rest, **options)

    monkeypatch.setattr(store, "_parse_only", failing_in_the_worker)
    monkeypatch.setattr(store, "_read_one", reading_here)
    both = store.load_tracker(root)
    # 1..79 read here in the loop; 80, which the worker had claimed but never handed back, read here after.
    assert shared == [(79, 80, 79)]
    monkeypatch.setenv(share.WORKERS_ENV, "1")
    assert _seen(both) == _seen(store.load_tracker(alone))
    assert cache_path(root).is_file()


def test_parts_are_taken_whole_and_a_part_that_is_not_a_workers_stops_the_taking() -> None:
    import marshal

    def frame(data: Any) -> bytes:
        body = data if isinstance(data, bytes) else marshal.dumps(data)
        return len(body).to_bytes(8, "little") + body

    validated: list[Any] = []
    out: dict[str, Any] = {}
    r_fd, w_fd = os.pipe()
    handed = share._Handed(r_fd, {"a", "b", "c", "d"}, lambda item: validated.append(item) or ("ok", item[1]), out)
    good = frame([("a", 1), ("b", 2)])
    os.write(w_fd, good[:5])  # a frame arrives in pieces: nothing is taken before it is whole
    os.set_blocking(r_fd, False)
    handed.poll()
    assert out == {} and handed.sound
    os.write(w_fd, good[5:] + frame([("z", 3)]) + frame([("c", 4)]))  # then a part naming a file never asked about
    handed.poll()
    assert out == {"a": ("ok", 1), "b": ("ok", 2)} and not handed.sound  # what came before it stands; nothing after
    os.write(w_fd, frame([("d", 5)])[:-1])
    os.close(w_fd)
    os.set_blocking(r_fd, True)
    handed.rest()  # to the end of the pipe: a part cut short is never taken either
    os.close(r_fd)
    assert [item[0] for item in validated] == ["a", "b"]
    fresh = share._Handed(-1, {"a"}, lambda item: ("ok",), {})  # (no pipe read: the bytes are given to it)
    fresh._take(frame(b"not marshal data"))
    assert not fresh.sound and fresh.out == {}


def test_the_worker_hands_back_in_parts_and_what_it_handed_whole_before_failing_is_kept(
    grown: tuple[Path, Path], shared: list[tuple[int, int, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, alone = grown
    monkeypatch.setattr(share, "PART", 5)  # parts of 5 files, taken between this process's own files
    monkeypatch.setattr(share, "POLL_EVERY", 3)
    # The worker goes down from 80 in parts of 5 (80..76, 75..71) and breaks just after sending the second; this
    # process waits at its 20th file until both are sent, then goes on up to where the worker stopped (70).
    own = _pace(monkeypatch, root.parent, 20, writes=2, fail_after=2)
    taken: list[tuple[int, int]] = []  # per part taken: (files in it, task files read here by then)
    real_adopt = share._Handed._adopt

    def counting(self: Any, body: bytes) -> None:
        before = len(self.out)
        real_adopt(self, body)
        taken.append((len(self.out) - before, len(own)))

    monkeypatch.setattr(share._Handed, "_adopt", counting)
    both = store.load_tracker(root)
    assert shared == [(70, 80, 80)]  # 1..70 read here (the folder 70 among them), 71..80 handed back whole
    assert [size for size, _ in taken] == [5, 5]
    assert taken[0][1] < 70, "parts are taken while this process still reads its own files"
    monkeypatch.setenv(share.WORKERS_ENV, "1")
    assert _seen(both) == _seen(store.load_tracker(alone))
    cached = RecordCache.open(root)
    assert cached is not None and len(cached.entries) == 80 + 2 - 1


def test_no_worker_for_a_small_tracker_or_when_turned_off(tracker: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert share.MIN_FILES >= 1000
    assert not share.worth_it(18)
    assert share.worth_it(share.MIN_FILES)
    monkeypatch.setenv(share.WORKERS_ENV, "1")
    assert not share.worth_it(10_000)


def test_a_healthy_tracker_loaded_with_a_worker_gets_its_index_and_whole_cache(
    tracker: Path, shared: list[tuple[int, int, int]], served: list[bool], wkx: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wkx_tasks import index

    _grow(tracker, broken=False)
    forks: list[int] = []
    real_fork = os.fork

    def counting_fork() -> int:
        pid = real_fork()
        if pid != 0:
            forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counting_fork)
    cold = wkx("--root", str(tracker), "status", "--overdue", "--as-of", "2014-01-01")
    assert cold.exit_code == 0 and len(shared) == 1
    _, files, results = shared[0]
    # Every file read here or handed back by the worker, but perhaps the one where the two met, which each can
    # leave to the other (share._Claims): read here after, as the whole cache below shows.
    assert files == 80 and results >= 79
    # Two processes forked: the worker, and the writer of the record cache (the command waited for it to finish).
    assert len(forks) == 2
    assert served == [False]  # no index yet: the full path, which wrote one
    assert index.index_path(tracker).is_file()
    # The index names the write of the record cache it goes with (the writer's file, on disk when the command ended).
    fields = index._load(index.index_path(tracker))
    assert fields is not None and fields[0] == records_token(cache_path(tracker)) is not None
    cached = RecordCache.open(tracker)
    assert cached is not None and len(cached.entries) == 80 + 2  # plan, departments and every measure
    warm = wkx("--root", str(tracker), "status", "--overdue", "--as-of", "2014-01-01")
    assert served == [False, True] and len(shared) == 1
    assert warm.stdout == cold.stdout
    monkeypatch.setenv(share.WORKERS_ENV, "1")
    shutil.rmtree(cache_path(tracker).parent)
    alone = wkx("--root", str(tracker), "status", "--overdue", "--as-of", "2014-01-01")
    assert alone.stdout == cold.stdout and len(shared) == 1


def test_a_cache_writer_that_fails_leaves_every_answer_right(
    tracker: Path, shared: list[tuple[int, int, int]], served: list[bool], wkx: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wkx_tasks import cache as cache_mod

    _grow(tracker, broken=False)
    expected = wkx("--root", str(tracker), "--lang", "en", "status", "--overdue", "--as-of", "2014-01-01").stdout
    shutil.rmtree(cache_path(tracker).parent)
    served.clear()
    parent = os.getpid()
    real = cache_mod.write_framed

    def failing_in_the_writer(*args: Any, **kwargs: Any) -> bool:
        if os.getpid() != parent:
            raise OSError(28, "No space left on device")  # the forked writer meets a full disk
        return real(*args, **kwargs)

    monkeypatch.setattr(cache_mod, "write_framed", failing_in_the_writer)
    for _ in range(2):  # the index names a write that never reached the disk: each run takes the full path again
        again = wkx("--root", str(tracker), "--lang", "en", "status", "--overdue", "--as-of", "2014-01-01")
        assert again.exit_code == 0 and again.stdout == expected and again.stderr == ""
        assert not cache_path(tracker).exists()
    assert served == [False, False]
    monkeypatch.setattr(cache_mod, "write_framed", real)
    assert wkx("--root", str(tracker), "--lang", "en", "status", "--overdue", "--as-of", "2014-01-01").stdout == expected
    assert wkx("--root", str(tracker), "--lang", "en", "status", "--overdue", "--as-of", "2014-01-01").stdout == expected
    assert served == [False, False, False, True]  # written once the disk takes it, then answered from the index
    assert not [p.name for p in cache_path(tracker).parent.iterdir() if p.name.endswith(".tmp")]


# --- the worker started early by the command line (share.start_early) ------------------------------------


def _reaped(pid: Any) -> bool:
    """Whether the process forked as pid has ended and been waited for (no zombie, nothing still running)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.fixture
def early(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """What start_early and _adopt_early did in a run: the workers started, and what each load took on."""
    seen: dict[str, list[Any]] = {"started": [], "adopted": []}
    real_start, real_adopt = share.start_early, share._adopt_early

    def start(root: Path | None) -> None:
        real_start(root)
        seen["started"].append(share._EARLY[0].worker.pid if share._EARLY else None)

    def adopt(root: str | None, files: list[str]) -> Any:
        got = real_adopt(root, files)
        seen["adopted"].append(got.worker.pid if got is not None else None)
        return got

    monkeypatch.setattr(share, "start_early", start)
    monkeypatch.setattr(share, "_adopt_early", adopt)
    return seen


def test_a_cold_command_starts_its_worker_before_the_models_and_its_load_takes_it_on(
    tracker: Path, tmp_path: Path, shared: list[tuple[int, int, int]], early: dict[str, list[Any]], wkx: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _grow(tracker)
    alone = tmp_path / "alone"
    shutil.copytree(tracker, alone)
    cold = wkx("--root", str(tracker), "status", "--as-of", "2014-01-01")
    assert cold.exit_code == 1  # the broken files are named, as without a worker
    pid = early["started"][0]
    assert isinstance(pid, int) and early["adopted"] == [pid]  # forked at the start, taken on by the load
    assert len(shared) == 1 and shared[0][1:] == (80, 79)
    assert share._EARLY == [] and _reaped(pid)
    cached = RecordCache.open(tracker)
    assert cached is not None and len(cached.entries) == 2 + 79  # all but the folder in 70.yaml's place
    monkeypatch.setenv(share.WORKERS_ENV, "1")
    one = wkx("--root", str(alone), "status", "--as-of", "2014-01-01")
    assert early["started"][1] is None and len(shared) == 1  # WKX_WORKERS=1: no worker, early or late
    assert (one.exit_code, one.stdout, one.stderr.replace(str(alone), "ROOT")) == (1, cold.stdout, cold.stderr.replace(str(tracker), "ROOT"))


def test_no_early_worker_when_a_record_cache_is_there_or_for_a_reading_at_a_commit(
    tracker: Path, shared: list[tuple[int, int, int]], early: dict[str, list[Any]], wkx: Any
) -> None:
    _grow(tracker, broken=False)
    assert wkx("--root", str(tracker), "validate").exit_code == 0
    assert early["started"] == [early["adopted"][0]]
    (tracker / "data/tasks/80.yaml").unlink()  # the cache answers 78 measures, and misses none: no worker at all
    assert wkx("--root", str(tracker), "list").exit_code == 0
    assert early["started"][1] is None and len(early["adopted"]) == 1 and len(shared) == 1


def test_an_early_worker_no_load_takes_on_is_ended_with_the_command(
    tracker: Path, shared: list[tuple[int, int, int]], early: dict[str, list[Any]], wkx: Any
) -> None:
    _grow(tracker, broken=False)
    (tracker / "data/plan.yaml").write_text("number: [\n", encoding="utf-8")  # the load stops before the task files
    result = wkx("--root", str(tracker), "status")
    assert result.exit_code == 1 and "data/plan.yaml" in result.stderr
    assert isinstance(early["started"][0], int) and early["adopted"] == [] and shared == []
    assert share._EARLY == [] and _reaped(early["started"][0])


def _start_early(root: Path, early: dict[str, list[Any]]) -> int:
    share.start_early(root)
    started = early["started"][-1]
    assert isinstance(started, int), "a worker started early"
    return started


def _load_in_one_process(folder: Path) -> store.Tracker:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(share.WORKERS_ENV, "1")
        return store.load_tracker(folder)


def test_the_load_goes_on_from_the_early_listing_and_the_next_run_sees_what_came_after(
    grown: tuple[Path, Path], shared: list[tuple[int, int, int]], early: dict[str, list[Any]]
) -> None:
    root, alone = grown
    started = _start_early(root, early)
    shutil.copy(root / "data/tasks/30.yaml", root / "data/tasks/81.yaml")  # added after the listing: next run's
    text = (root / "data/tasks/81.yaml").read_text(encoding="utf-8").replace("id: 30\n", "id: 81\n")
    (root / "data/tasks/81.yaml").write_text(text, encoding="utf-8")
    first = store.load_tracker(root)
    assert early["adopted"] == [started] and shared[0][1] == 80 and share._EARLY == [] and _reaped(started)
    one = _load_in_one_process(alone)
    assert _seen(first) == _seen(one) and 81 not in [t.id for t in first.tasks]
    second = store.load_tracker(root)  # the folder listed again, 81.yaml read (the record cache has the rest)
    assert 81 in [t.id for t in second.tasks]
    assert [t for t in second.tasks if t.id != 81] == first.tasks


def test_an_early_worker_for_another_folder_is_ended_and_the_load_forks_its_own(
    grown: tuple[Path, Path], shared: list[tuple[int, int, int]], early: dict[str, list[Any]]
) -> None:
    root, alone = grown
    started = _start_early(alone, early)
    both = store.load_tracker(root)
    assert early["adopted"] == [None] and len(shared) == 1 and share._EARLY == [] and _reaped(started)
    assert shared[0][1:] == (80, 79)  # a worker forked by the load: every file read here or handed back
    assert _seen(both) == _seen(_load_in_one_process(alone))


def test_an_early_worker_goes_on_parsing_while_nothing_reads_its_pipe(
    tracker: Path, shared: list[tuple[int, int, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until the load starts, nothing reads what the worker hands back: a worker that waited for room in the pipe
    would stop after a few parts. Parts of 10 files in a pipe of the system's default size (64 KiB here, not
    widened), 200 files of about 1 KiB: the worker must claim every file before anything is read."""
    _grow(tracker, 200, broken=False)
    monkeypatch.setattr(share, "PART", 10)
    monkeypatch.setattr(share, "_widen", lambda fd: None)
    share.start_early(tracker)
    assert len(share._EARLY) == 1
    pid = share._EARLY[0].worker.pid
    mark = share._EARLY[0].worker.meeting.shared
    deadline = time.monotonic() + 60  # (a bound for a hung worker, not a measure of speed)
    while int.from_bytes(mark[8:16], "little") > 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert int.from_bytes(mark[8:16], "little") == 0, "the worker stopped before the first file"
    loaded = store.load_tracker(tracker)
    assert shared == [(0, 200, 200)]  # everything came from the worker: none read here (its mark met this one's at 0)
    assert [t.id for t in loaded.tasks] == list(range(1, 201)) and loaded.problems == []
    assert share._EARLY == [] and _reaped(pid)


def test_an_early_worker_is_ended_when_the_load_does_not_share(
    grown: tuple[Path, Path], shared: list[tuple[int, int, int]], early: dict[str, list[Any]]
) -> None:
    """A load that asks no worker (here: turned off; or the cache answered) ends the early one at once, before the
    record cache's writer is forked, not when the command ends."""
    root, _ = grown
    started = _start_early(root, early)
    loaded = _load_in_one_process(root)
    assert shared == [] and share._EARLY == [] and _reaped(started)
    assert len(loaded.tasks) == 80 - 5


def test_a_ctrl_c_as_the_load_takes_on_the_early_worker_still_ends_it(
    grown: tuple[Path, Path], early: dict[str, list[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _ = grown
    monkeypatch.setattr(share, "MIN_FILES", 10)
    started = _start_early(root, early)

    def interrupted(*args: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(share, "_Handed", interrupted)  # just after the load has taken the worker on
    with pytest.raises(KeyboardInterrupt):
        store.load_tracker(root)
    assert early["adopted"] == [started] and share._EARLY == [] and _reaped(started)


def test_ending_a_worker_twice_closes_its_pipe_once(tracker: Path) -> None:
    """Ended again after an interruption (WkxGroup.main's end_early), a worker does not close a file that took its
    pipe's number meanwhile."""
    worker = share._fork(["data/plan.yaml"], lambda relpath: None)
    assert worker is not None
    number = worker.r_fd
    worker.end(kill=True)
    opened = os.open(tracker / "data/plan.yaml", os.O_RDONLY)
    if opened != number:  # another file under the pipe's old number (the lowest free one, most often, already)
        os.dup2(opened, number)
        os.close(opened)
    try:
        worker.end(kill=True)
        assert os.read(number, 1)  # still open
    finally:
        os.close(number)
