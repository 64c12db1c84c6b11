"""A cold load shared with a second process: about half of the files the record cache cannot answer are read,
parsed and validated by a forked worker while this process reads the rest.

A first run over 10,000 files spends most of its time in Python, one file after another, on one core. Where the
machine has a second core free for wkx, `os.fork` gives a worker everything already imported and the cache as
loaded, at no cost; the worker hands back its new cache entries (records and problems, pickled as the cache
keeps them), which this process adopts as if it had read those files itself. Nothing else changes: the worker
writes no file and prints nothing, and anything it does not hand back (a file it could not read, a worker that
failed or was interrupted) is read here, one by one, as without it.

Only on Linux (fork is unsafe on macOS, absent on Windows), only with one thread running, only with two or more
cores to run on, and only for MIN_FILES or more files; `WKX_WORKERS=1` turns it off. The same test (`worth_it`)
decides whether the command line's record cache is written by a forked writer (cache.RecordCache.save), which
`WKX_WORKERS=1` turns off too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .cache import RecordCache
    from .yamlio import Document

MIN_FILES = 1500  # below this, a fork and the hand-back cost about what the shared half saves
# The worker's part of the files: a little under half, as it also pickles what it read (this process pickles its
# own part later, for the cache file, in the background where it can: RecordCache.save).
WORKER_SHARE = 0.46
WORKERS_ENV = "WKX_WORKERS"

Result = tuple[Any, "Document | None", list[Any]]


def worth_it(files: int) -> bool:
    """True when `files` files (to read, or entries to pickle) are enough, and a forked process can take them on."""
    if files < MIN_FILES or sys.platform != "linux" or not hasattr(os, "fork") or os.environ.get(WORKERS_ENV, "").strip() == "1":
        return False
    import threading

    if threading.active_count() != 1:  # forking a process with threads can copy a lock another thread held
        return False
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) >= 2


def load(mine: list[str], theirs: list[str], read: Callable[[str], Result], cache: RecordCache, reread: Callable[[str], Document]) -> dict[str, Result]:
    """Read `mine` here and `theirs` in a forked worker; the results of both by path (what the worker did not
    hand back is missing, for the caller to read itself)."""
    from .yamlio import LazyDocument

    try:
        r_fd, w_fd = os.pipe()
    except OSError:
        return {}
    try:
        pid = os.fork()
    except OSError:
        os.close(r_fd)
        os.close(w_fd)
        return {}
    if pid == 0:  # the worker: never returns
        os.close(r_fd)
        _work(theirs, read, cache, w_fd)
    out: dict[str, Result] = {}
    finished, writing_end_open = False, True
    try:  # (from the fork on: a Ctrl-C at any point still closes the pipe and kills and reaps the worker)
        os.close(w_fd)
        writing_end_open = False
        for relpath in mine:
            out[relpath] = read(relpath)
        body = _read_all(r_fd)
        finished = True
    finally:
        os.close(r_fd)
        if writing_end_open:
            os.close(w_fd)
        if not finished:  # interrupted or failed here: the worker is of no more use
            import contextlib
            import signal

            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        reap(pid)
    try:
        from .cache import loads_entries

        handed = loads_entries(body)
    except Exception:  # a worker that died half-way: what it sent is not whole
        return out
    asked = set(theirs)
    if not asked.issuperset(handed):
        return out
    for relpath, entry in handed.items():
        cache.adopt(relpath, entry)
        document = LazyDocument(_bound(reread, relpath)) if entry.has_document else None
        out[relpath] = (entry.record, document, list(entry.problems))
    cache.add_segment(handed, body)
    return out


def _bound(reread: Callable[[str], Document], relpath: str) -> Callable[[], Document]:
    return lambda: reread(relpath)


def _work(theirs: list[str], read: Callable[[str], Result], cache: RecordCache, w_fd: int) -> None:
    code = 1
    try:
        for relpath in theirs:
            read(relpath)
        from .cache import dumps_entries

        view = memoryview(dumps_entries(cache.made(theirs)))
        while view:
            view = view[os.write(w_fd, view) :]
        code = 0
    except BaseException:  # a worker never reports: whatever it did not hand back is read again
        pass
    finally:
        os._exit(code)


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def reap(pid: int) -> None:
    """Wait for a forked process to end (it is gone already, or not ours: nothing to wait for)."""
    import contextlib

    with contextlib.suppress(ChildProcessError, OSError):
        while True:
            try:
                os.waitpid(pid, 0)
                return
            except InterruptedError:
                continue
