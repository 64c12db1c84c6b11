"""Writing files safely: atomically (temp file, fsync, rename), mode kept, one writer at a time."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath

from .errors import MessageError, WkxError
from .messages import msg


class OutsideTracker(MessageError, ValueError):
    """A path that would lead outside the tracker's folder; the message says how, for a person."""


def inside(root: Path, relpath: str | Path) -> Path:
    """root/relpath, refusing a path that leaves root: absolute, with '..', or through a symbolic link (of the
    file itself or of any folder on the way, such as a linked data/tasks) that points outside.

    Every path wkx reads or writes under a tracker goes through here, so that no name taken from data or an
    option can make it touch a file elsewhere.
    """
    text = str(relpath)
    if PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute() or PureWindowsPath(text).drive:
        raise OutsideTracker(msg("files.absolute"))
    if ".." in PurePosixPath(text.replace("\\", "/")).parts:
        raise OutsideTracker(msg("files.dotdot"))
    real_root = Path(root).resolve()
    path = Path(root) / text
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        raise OutsideTracker(msg("files.link_loop")) from None
    if not real.is_relative_to(real_root):
        raise OutsideTracker(msg("files.link_outside", target=str(real)))
    return path


def _within(path: Path, root: Path | None) -> Path:
    if root is None:
        return Path(path)
    path = Path(path)
    if path.is_absolute():
        try:
            path = path.relative_to(root)
        except ValueError:
            raise OutsideTracker(msg("files.not_inside", path=str(path), root=str(root))) from None
    return inside(root, path)


def atomic_write(path: Path, data: bytes, *, within: Path | None = None) -> None:
    """Replace path's content with data so that a reader sees the old file or the new one, never half of either.

    The temporary file lives in the same folder (os.replace is atomic only within one file system), is flushed
    to disk before the rename, and takes the mode of the file it replaces. With `within` (the tracker's root),
    a path that leads outside it — absolute elsewhere, with '..', or through a linked folder — raises
    OutsideTracker before anything is written.
    """
    path = _within(path, within)
    folder = path.parent
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".wkx-tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def write_output(path: Path, data: bytes) -> None:
    """Write a command's output file (a report): a regular file atomically — through a link to one, keeping the
    link — and a pipe, FIFO or device (`-o /dev/stdout`, `-o >(…)`) straight into it, never replacing it."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        atomic_write(path, data)
        return
    if stat.S_ISREG(info.st_mode):
        atomic_write(Path(os.path.realpath(path)), data)
        return
    with open(path, "wb") as out:
        out.write(data)


def _lock_path(path: Path) -> Path:
    # Outside the tracked tree, so that locking never shows up in `git status`; keyed by the file's real path.
    key = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:32]
    folder = Path(tempfile.gettempdir()) / f"wkx-locks-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        private = _private_folder(folder)
    except OSError:  # a file of that name, or a temporary folder this user cannot write to
        private = False
    if not private:
        # Someone else made that name first (a shared /tmp): use the user's own cache folder instead.
        from .cachedir import user_cache_dir

        folder = user_cache_dir() / "locks"
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise WkxError(msg("locks.no_folder", folder=str(folder), detail=exc.strerror or str(exc))) from None
    return folder / f"{key}.lock"


def _private_folder(folder: Path) -> bool:
    """Whether folder is a real folder (not a link) that this user owns and no one else may write to."""
    if not hasattr(os, "getuid"):
        return True  # Windows: the temporary folder is already per user
    st = os.lstat(folder)
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o022


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on path for the duration (blocking); other wkx processes wait their turn."""
    lock_file = _lock_path(path)
    with open(lock_file, "a+b") as fh:
        try:
            import fcntl
        except ImportError:  # Windows: msvcrt locks a byte range instead
            import msvcrt

            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
            try:
                yield
            finally:
                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
            return
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def update_file(path: Path, change: Callable[[bytes], bytes], *, within: Path | None = None) -> bytes:
    """Read, change and atomically rewrite a file while holding its lock, so concurrent edits apply one after another.

    `change` receives the current bytes and returns the new ones; it may raise to leave the file untouched.
    Returns the bytes written. `within` as for atomic_write.
    """
    path = _within(path, within)
    with locked(path):
        current = path.read_bytes()
        new = change(current)
        if new != current:
            atomic_write(path, new)
        return new
