"""A cold load shared with a second process: the files the record cache cannot answer are read from the first on
here and from the last on by a forked worker, which parses them and leaves their validation to this process.

A first run over 10,000 files spends most of its time in Python, one file after another, on one core. Where the
machine has a second core free for wkx, `os.fork` gives a worker everything already imported, at no cost. The
worker reads and parses (the larger part of the work on a file) and hands back, a few hundred files at a time,
each file's identity and parsed value, or its YAML problems, as plain data (marshal); this process validates
them between its own files and puts them in the record cache, as if it had read those files itself. (Handing
back validated records instead costs more: a record takes longer to pickle and unpickle than to validate.) The
two take files from either end until they meet (_Claims), so that neither waits for the other when the
machine's other jobs slow one of them down.

The command line starts that worker early (start_early): before it imports Pydantic and builds the models, when
no record cache is on disk yet, so that the second core is not idle while they load; the load takes it on if it
was started for the same files of the same folder, and the command ends it otherwise (end_early).

Nothing else changes: the worker writes no file and prints nothing, and anything it does not hand back (a file
it could not read, a worker that failed or was interrupted) is read here, one by one, as without it.

Only on Linux (fork is unsafe on macOS, absent on Windows), only with one thread running, only with two or more
cores to run on, and only for MIN_FILES or more files; `WKX_WORKERS=1` turns it off. The same test (`worth_it`)
decides whether the command line's record cache is written by a forked writer (cache.RecordCache.save), which
`WKX_WORKERS=1` turns off too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from .yamlio import Document

MIN_FILES = 1500  # below this, a fork and the hand-back cost about what the shared part saves
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


def load(
    files: list[str], read: Callable[[str], Result], parse: Callable[[str], Any], validate: Callable[[Any], Result], *, root: str | None = None
) -> dict[str, Result]:
    """Read `files` from the first on here, while a forked worker reads and parses them from the last on (`parse`: a
    picklable summary of a file, or None), each of which is validated here (`validate`); the two meet where they
    meet. The results by path (what the worker did not hand back is missing, for the caller to read itself).

    root: the tracker's folder, when `files` are all its task files: a worker started early for the same files of
    the same folder (start_early) is taken on instead of forking one now."""
    out: dict[str, Result] = {}
    worker: _Worker | None = None
    finished = False
    try:  # (a Ctrl-C at any point still closes the pipe and kills and reaps the worker)
        early = _adopt_early(root, files)
        worker = early.worker if early is not None else _fork(files, parse)
        if worker is None:
            return {}
        handed = _Handed(worker.r_fd, set(files), validate, out)
        # The worker's parts are taken as they come, between this process's own files.
        os.set_blocking(worker.r_fd, False)
        handed.poll()  # (what a worker started early has parsed already)
        n, count, meeting = 0, len(files), worker.meeting
        while n < count and meeting.take_low(n):
            out[files[n]] = read(files[n])
            n += 1
            if not n % POLL_EVERY:
                handed.poll()
        os.set_blocking(worker.r_fd, True)
        handed.rest()
        finished = True
    finally:
        if worker is not None:
            worker.end(kill=not finished)  # interrupted or failed here: the worker is of no more use
    return out


@dataclass
class _Worker:
    """A forked worker: the marks it shares with this process, the reading end of its pipe, its process id."""

    claims: Any
    meeting: _Claims
    r_fd: int
    pid: int

    def end(self, *, kill: bool) -> None:
        """Close the pipe, kill the worker if asked, wait for it to end. Each step is done once, also when this is
        called again after an interruption (a second close could close another file given the same number)."""
        import contextlib
        import signal

        if self.r_fd >= 0:
            fd, self.r_fd = self.r_fd, -1
            with contextlib.suppress(OSError):
                os.close(fd)
        if self.pid > 0:
            if kill:
                with contextlib.suppress(OSError):
                    os.kill(self.pid, signal.SIGKILL)
            reap(self.pid)
            self.pid = 0
        self.claims.close()  # (closing a closed mapping does nothing)


def _fork(files: list[str], parse: Callable[[str], Any]) -> _Worker | None:
    """A worker forked to read and parse `files` from the last on (_work); None when it cannot be."""
    import mmap

    try:
        claims = mmap.mmap(-1, 16)  # shared with the worker: how far each has taken the files (see _Claims)
        r_fd, w_fd = os.pipe()
    except OSError:
        return None
    _widen(w_fd)
    meeting = _Claims(claims, len(files))  # both marks set before the fork: after it, each moves only its own
    try:
        pid = os.fork()
    except OSError:
        os.close(r_fd)
        os.close(w_fd)
        claims.close()
        return None
    if pid == 0:  # the worker: never returns, whatever happens
        try:
            os.close(r_fd)
            _work(files, meeting, parse, w_fd)
        finally:
            os._exit(1)
    os.close(w_fd)
    return _Worker(claims, meeting, r_fd, pid)


class _Claims:
    """Where this process (from the first file up) and the worker (from the last down) have got to, in memory both
    see: each takes its next file only while the other has not claimed it, so that whichever goes faster (the
    other core may be busy with something else) reads more. Both marks are set before the fork; after it, each
    process writes only its own, and marks only move towards each other. A mark read late (nothing orders one
    process's write before its read of the other's mark) can make both read the file where they meet (this
    process keeps its own result), or both leave it (the caller reads what was not handed back): only that one
    file, and never an error. Each loop also stops at the ends of the list whatever it reads."""

    def __init__(self, shared: Any, count: int) -> None:
        self.shared = shared
        shared[0:16] = (0).to_bytes(8, "little") + count.to_bytes(8, "little")

    def take_low(self, n: int) -> bool:
        """Claim file n for this process (the files before it are its own): whether it is still free."""
        shared = self.shared
        shared[0:8] = (n + 1).to_bytes(8, "little")
        return n < int.from_bytes(shared[8:16], "little")

    def take_high(self, n: int) -> bool:
        """Claim file n for the worker (the files after it are its own): whether it is still free."""
        shared = self.shared
        shared[8:16] = n.to_bytes(8, "little")
        return n >= int.from_bytes(shared[0:8], "little")


# The worker hands its files back in parts of PART files: each a frame (the length, 8 bytes, then the list of
# what `parse` made of each file, marshalled), validated here while this process still reads its own files, instead
# of all of them at the end. A part is whole or not taken: a worker that fails half-way leaves what it handed back
# whole, and the rest to be read here.
PART = 250
POLL_EVERY = 32  # this process's own files between two looks at the pipe
_LENGTH = 8


class _Handed:
    """The worker's parts as they arrive on the pipe: each validated into the results as it is whole."""

    def __init__(self, fd: int, asked: set[str], validate: Callable[[Any], Result], out: dict[str, Result]) -> None:
        self.fd, self.asked, self.validate, self.out = fd, asked, validate, out
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
        import marshal

        try:
            part = marshal.loads(body)
        except Exception:
            self.sound = False
            return
        if not isinstance(part, list) or not all(isinstance(item, tuple) and item and item[0] in self.asked for item in part):
            self.sound = False
            return
        out, validate = self.out, self.validate
        for item in part:
            if item[0] not in out:  # (a file both processes read, where they met: this process's own result stands)
                out[item[0]] = validate(item)


def _widen(fd: int) -> None:
    """A pipe that holds a few parts (the worker does not wait on this process between two looks): best effort."""
    import contextlib

    with contextlib.suppress(AttributeError, OSError):
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)


def _work(files: list[str], meeting: _Claims, parse: Callable[[str], Any], w_fd: int) -> None:
    code = 1
    try:
        import marshal

        outbox = _Outbox(w_fd)
        n, part = len(files) - 1, []
        while n >= 0 and meeting.take_high(n):  # (n >= 0 first: whatever mark it reads, it stops at the first file)
            parsed = parse(files[n])
            if parsed is not None:
                part.append(parsed)
            n -= 1
            if len(part) >= PART:
                outbox.send(marshal.dumps(part))
                part = []
        if part:
            outbox.send(marshal.dumps(part))
        outbox.close()
        code = 0
    except BaseException:  # a worker never reports: whatever it did not hand back is read again
        pass
    finally:
        os._exit(code)


class _Outbox:
    """The worker's end of the pipe, written without waiting: what the pipe cannot take yet (this process is busy
    with its own files, or still starting: start_early) waits here while the worker goes on parsing, and is
    written at the next part, or at the end (then waiting for room)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.pending = bytearray()
        os.set_blocking(fd, False)

    def send(self, body: bytes) -> None:
        self.pending += len(body).to_bytes(_LENGTH, "little")
        self.pending += body
        self._flush()

    def _flush(self) -> None:
        pending = self.pending
        with memoryview(pending) as view:
            done = 0
            try:
                while done < len(view):
                    done += os.write(self.fd, view[done:])
            except BlockingIOError:
                pass
        del pending[:done]

    def close(self) -> None:
        os.set_blocking(self.fd, True)
        self._flush()


# --- a worker started early ------------------------------------------------------------------------------
# The command line starts the worker of a cold load before it imports Pydantic and builds the models (~0.1–0.2 s in
# which the second core has nothing to do): it lists the task files and reads them from the last on, as it would
# once the load begins, and hands back into a pipe the loading process reads from when it gets there (load).


@dataclass
class _Early:
    root: str
    files: list[str]
    listing: tuple[list[str], list[tuple[int, str]], list[Any]]  # as worktree.task_paths gave it (the names listed too)
    worker: _Worker


_EARLY: list[_Early] = []


def start_early(root: Path | None) -> None:
    """Before a command loads the working tree of the tracker at root (None: found from here), start the worker of
    its cold load, if it will have one: no record cache on disk yet, and enough task files (worth_it).

    Best effort and silent: whatever stops it here (no tracker, no folder, no fork) is met again, and said, by the
    load itself. end_early() lets go of a worker the command did not take on (see load)."""
    if _EARLY or not worth_it(MIN_FILES):  # (first what needs no count of the files)
        return
    try:
        from . import cachedir
        from .locate import find_root

        if not cachedir.enabled():
            return
        folder = find_root(explicit=root)
        if os.path.lexists(cachedir.cache_path(folder)):  # the load asks the cache first, and shares out what it misses
            return
        from .worktree import WorkTree, parse_only, task_paths

        tree = WorkTree(folder)
        names: list[str] = []
        found, problems = task_paths(tree, names)
    except Exception:
        return
    files = [relpath for _number, relpath in found]
    if len(files) < MIN_FILES:  # (the rest of worth_it held above)
        return
    from functools import partial

    worker = None
    try:
        worker = _fork(files, partial(parse_only, tree))
        if worker is not None:
            _EARLY.append(_Early(str(folder), files, (names, found, problems), worker))
    except BaseException:  # (a Ctrl-C between the fork and the note of it: the worker is ended here)
        if worker is not None and not any(early.worker is worker for early in _EARLY):
            worker.end(kill=True)
        raise


def early_listing(root: str) -> tuple[list[str], list[tuple[int, str]], list[Any]] | None:
    """The tasks folder of root as the worker started early listed it: (the names in it, what worktree.task_paths
    made of them), for the load to go on from the same list instead of listing the folder a second time."""
    for early in _EARLY:
        if early.root == root:
            return early.listing
    return None


def _adopt_early(root: str | None, files: list[str]) -> _Early | None:
    """The worker started early for exactly these files of root, taken on by load; any other is ended."""
    if not _EARLY:
        return None
    early = _EARLY[0]
    if root is not None and early.root == root and early.files == files:
        _EARLY.clear()
        return early
    end_early()
    return None


def end_early() -> None:
    """Stop and wait for a worker started early that no load took on (the command ended before, or loaded other
    files)."""
    while _EARLY:
        _EARLY[-1].worker.end(kill=True)  # (done once even if interrupted and called again: _Worker.end)
        _EARLY.pop()


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
