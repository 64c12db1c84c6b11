"""A cold load shared with a second process: about half of the files the record cache cannot answer are read,
parsed and validated by a forked worker while this process reads the rest.

A first run over 10,000 files spends most of its time in Python, one file after another, on one core. Where the
machine has a second core free for wkx, `os.fork` gives a worker everything already imported and the cache as
loaded, at no cost; the worker hands back its new cache entries (records and problems, pickled as the cache
keeps them) a few hundred files at a time, which this process adopts between its own files, as if it had read
those files itself. Nothing else changes: the worker
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
# The worker's part of the files: a little under half. It also pickles what it read, and this process unpickles
# that (and pickles its own part later, for the cache file, in the background where it can: RecordCache.save);
# the two take about as long when the worker reads 49% (10,000 measures: ~66 us a file, ~11 us to pickle an
# entry, ~9 us to unpickle and adopt one).
WORKER_SHARE = 0.49
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
    try:
        r_fd, w_fd = os.pipe()
    except OSError:
        return {}
    _widen(w_fd)
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
    handed = _Handed(r_fd, set(theirs), cache, reread, out)
    finished, writing_end_open = False, True
    try:  # (from the fork on: a Ctrl-C at any point still closes the pipe and kills and reaps the worker)
        os.close(w_fd)
        writing_end_open = False
        # The worker's parts are taken as they come, between this process's own files.
        os.set_blocking(r_fd, False)
        for n, relpath in enumerate(mine):
            out[relpath] = read(relpath)
            if not n % POLL_EVERY:
                handed.poll()
        os.set_blocking(r_fd, True)
        handed.rest()
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
    return out


# The worker hands its entries back in parts of PART files: each a frame (the length, 8 bytes, then the entries
# pickled as the cache file keeps them), adopted here while this process still reads its own files, instead of
# all of them at the end. A part is whole or not taken: a worker that fails half-way leaves what it handed back
# whole, and the rest to be read here.
PART = 250
POLL_EVERY = 32  # this process's own files between two looks at the pipe
_LENGTH = 8


class _Handed:
    """The worker's parts as they arrive on the pipe: each adopted into the cache and the results as it is whole."""

    def __init__(self, fd: int, asked: set[str], cache: RecordCache, reread: Callable[[str], Document], out: dict[str, Result]) -> None:
        self.fd, self.asked, self.cache, self.reread, self.out = fd, asked, cache, reread, out
        self.received = bytearray()
        self.sound = True  # until a part is not what a worker sends: nothing more is taken from it then

    def poll(self) -> None:
        """Take what has arrived, without waiting."""
        while True:
            try:
                chunk = os.read(self.fd, 1 << 20)
            except BlockingIOError:
                return
            if not chunk:
                return
            self._take(chunk)

    def rest(self) -> None:
        """Take everything until the worker ends."""
        while chunk := os.read(self.fd, 1 << 20):
            self._take(chunk)

    def _take(self, chunk: bytes) -> None:
        received = self.received
        received += chunk
        at = 0
        while len(received) - at >= _LENGTH:
            size = int.from_bytes(received[at : at + _LENGTH], "little")
            end = at + _LENGTH + size
            if end > len(received):
                break
            self._adopt(bytes(received[at + _LENGTH : end]))
            at = end
        del received[:at]

    def _adopt(self, body: bytes) -> None:
        if not self.sound:
            return
        from .cache import loads_entries
        from .yamlio import LazyDocument

        try:
            handed = loads_entries(body)
        except Exception:
            self.sound = False
            return
        if not self.asked.issuperset(handed):
            self.sound = False
            return
        cache, out, reread = self.cache, self.out, self.reread
        for relpath, entry in handed.items():
            cache.adopt(relpath, entry)
            document = LazyDocument(_bound(reread, relpath)) if entry.has_document else None
            out[relpath] = (entry.record, document, list(entry.problems))
        cache.add_segment(handed, body)


def _widen(fd: int) -> None:
    """A pipe that holds a few parts (the worker does not wait on this process between two looks): best effort."""
    import contextlib

    with contextlib.suppress(AttributeError, OSError):
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)


def _bound(reread: Callable[[str], Document], relpath: str) -> Callable[[], Document]:
    return lambda: reread(relpath)


def _work(theirs: list[str], read: Callable[[str], Result], cache: RecordCache, w_fd: int) -> None:
    code = 1
    try:
        from .cache import dumps_entries

        for start in range(0, len(theirs), PART):
            part = theirs[start : start + PART]
            for relpath in part:
                read(relpath)
            body = dumps_entries(cache.made(part))
            view = memoryview(len(body).to_bytes(_LENGTH, "little") + body)
            while view:
                view = view[os.write(w_fd, view) :]
        code = 0
    except BaseException:  # a worker never reports: whatever it did not hand back is read again
        pass
    finally:
        os._exit(code)


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
