"""The tracker's working tree as wkx reads it: its files (read without following links out of it), the task files
of its tasks folder, and a task file read and parsed but not validated.

Light on purpose: it imports neither Pydantic nor the models, so that a worker forked before they are imported
(share.start_early) can read and parse task files while the command line is still starting.
"""

from __future__ import annotations

import os
import re
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .cachedir import IDENTITY, racy_digest
from .errors import MessageError, Problem
from .locate import TASKS_DIR
from .messages import Msg, msg
from .yamlio import MAX_BYTES, YamlProblems, load_value

# How _quick_read opens a data file: read only, never waiting on a pipe, never following a link (None where the
# system has no O_NOFOLLOW: every file then takes the careful path).
_QUICK_OPEN: int | None = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0) | os.O_NOFOLLOW if hasattr(os, "O_NOFOLLOW") else None
)
_S_ISREG = stat.S_ISREG

TASK_FILE = re.compile(r"^([0-9]+)(-[A-Za-z0-9_.\-]+)?\.yaml$")


class Source(Protocol):
    """Where a tracker's files are read from: the working tree, or a commit (see gitrepo)."""

    @property
    def description(self) -> str | Msg: ...  # a commit is named in the run's language

    def read(self, relpath: str) -> bytes: ...

    def list_dir(self, relpath: str) -> list[str]: ...


class SourceFileError(MessageError):
    """A file of the tracker could not be read; the message says why, for a person."""


@dataclass
class WorkTree:
    root: Path
    description: str = "working tree"

    def _resolve(self, relpath: str) -> Path:
        from .files import OutsideTracker, inside

        try:
            path = inside(self.root, relpath)
        except OutsideTracker as exc:
            raise SourceFileError(exc.msg) from None
        if path.is_symlink() and not path.exists():
            raise SourceFileError(msg("source.dangling_link", target=os.readlink(path)))
        return path

    def _quick_read(self, relpath: str) -> tuple[bytes, os.stat_result] | None:
        """The bytes of a regular file (not a link) in a folder already found to lie inside the tracker, with the
        fstat of the open file; None for anything else, which the careful path then reads or explains."""
        folder, _, name = relpath.rpartition("/")
        if not folder or name in ("", ".", "..") or "\\" in relpath or _QUICK_OPEN is None:
            return None
        folders: dict[str, bool] = self.__dict__.setdefault("_inside", {})
        ok = folders.get(folder)
        if ok is None:
            from .files import OutsideTracker, inside

            try:
                inside(self.root, folder)
                ok = folders[folder] = True
            except OutsideTracker:
                ok = folders[folder] = False
        if not ok:
            return None
        try:
            # O_NOFOLLOW: a link in the file's place fails here and takes the careful path, which checks where it leads.
            fd = os.open(f"{self.root}/{relpath}", _QUICK_OPEN)
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not _S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
                return None
            first = os.read(fd, info.st_size + 1)
            if len(first) == info.st_size:  # the whole file, as fstat sized it: no second read to meet its end
                return first, info
            chunks: list[bytes] = [first]
            left = MAX_BYTES + 1 - len(first)
            while left > 0 and first:  # sized reads: a buffer of MAX_BYTES per small file would cost more than the file
                chunk = os.read(fd, left)
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
            return b"".join(chunks), info
        except OSError:
            return None
        finally:
            os.close(fd)

    def read_and_stat(self, relpath: str) -> tuple[bytes, os.stat_result | None]:
        """relpath's bytes, with the fstat of the file they were read from when it was opened directly (a regular
        file, not a link); None for the stat when the careful path read it."""
        quick = self._quick_read(relpath)
        return quick if quick is not None else (self._careful_read(relpath), None)

    def read(self, relpath: str) -> bytes:
        quick = self._quick_read(relpath)
        return quick[0] if quick is not None else self._careful_read(relpath)

    def _careful_read(self, relpath: str) -> bytes:
        path = self._resolve(relpath)
        try:
            info = path.stat()
            if stat.S_ISDIR(info.st_mode):
                raise SourceFileError(msg("source.folder"))
            if not stat.S_ISREG(info.st_mode):
                raise SourceFileError(msg("source.not_regular"))
            if info.st_size > MAX_BYTES:
                raise SourceFileError(msg("source.too_big", size=info.st_size, limit=MAX_BYTES))
            # Non-blocking, so that a named pipe swapped in after the check above cannot make wkx wait forever.
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
            with os.fdopen(fd, "rb") as fh:
                if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                    raise SourceFileError(msg("source.not_regular"))
                return fh.read(MAX_BYTES + 1)
        except FileNotFoundError:
            raise SourceFileError(msg("source.missing", path=relpath)) from None
        except PermissionError:
            raise SourceFileError(msg("source.permission")) from None
        except OSError as exc:
            raise SourceFileError(msg("source.cannot_read", detail=str(exc.strerror or exc))) from None

    def list_dir(self, relpath: str) -> list[str]:
        path = self._resolve(relpath)
        try:
            return sorted(os.listdir(path))
        except FileNotFoundError:
            raise SourceFileError(msg("source.no_folder")) from None
        except NotADirectoryError:
            raise SourceFileError(msg("source.file_for_folder")) from None
        except OSError as exc:
            raise SourceFileError(msg("source.cannot_list", detail=str(exc.strerror or exc))) from None


def task_paths(source: Source, listed: list[str] | None = None) -> tuple[list[tuple[int, str]], list[Problem]]:
    """(number from the file name, path) of every task file, and a problem for anything else in the folder.

    The folder's names, as listed, are added to `listed` when it is given.
    """
    try:
        names = source.list_dir(TASKS_DIR)
    except SourceFileError as exc:
        return [], [Problem(TASKS_DIR, None, None, msg("store.tasks_folder", reason=exc.msg))]
    if listed is not None:
        listed += names
    found: list[tuple[int, str]] = []
    problems: list[Problem] = []
    for name in names:
        if name.startswith("."):
            continue
        rel = f"{TASKS_DIR}/{name}"
        number = name[:-5]
        if name.endswith(".yaml") and number.isdigit() and number.isascii():  # '00042.yaml', as TASK_FILE reads it
            found.append((int(number), rel))
            continue
        m = TASK_FILE.match(name)
        if m:
            found.append((int(m.group(1)), rel))
        elif name.endswith((".yml", ".YAML", ".Yaml")):
            problems.append(Problem(rel, None, None, msg("store.yml_extension", name=name.rsplit(".", 1)[0])))
        else:
            problems.append(Problem(rel, None, None, msg("store.not_task_file")))
    found.sort()
    return found, problems


def parse_only(src: WorkTree, relpath: str) -> Parsed | None:
    """A task file read and parsed, not validated (by a forked worker, which needs no Pydantic: share.py): its path,
    identity as the record cache keys it, when it was read, the hash the cache keeps of its bytes (racy_digest), and
    its value or its problems (as Problem.as_data gives them), in tuples, strings and numbers only. None for a file
    the loading process must read itself (a link, a folder, unreadable: the careful path explains it).

    The bytes themselves stay here: a problem the models find is placed in the file as read again (as for a record
    from the cache), and a value that is not a mapping is told at its first line."""
    read_ns = time.time_ns()
    try:
        data, st = src.read_and_stat(relpath)
    except SourceFileError:
        return None
    if st is None:
        return None
    key = IDENTITY(st)
    hashed = racy_digest(key, read_ns, data)
    try:
        return relpath, key, read_ns, hashed, load_value(data, relpath), None
    except YamlProblems as exc:
        return relpath, key, read_ns, hashed, None, tuple(problem.as_data() for problem in exc.problems)


Parsed = tuple[str, tuple[int, int, int, int, int], int, bytes, Any, "tuple[tuple[Any, ...], ...] | None"]
