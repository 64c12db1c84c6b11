"""Where wkx keeps its caches, and the header that ties a cache file to the code that wrote it.

Light on purpose (no record models): the warm index (index.py) uses it before anything heavy is imported.
"""

from __future__ import annotations

import gc
import hashlib
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from pathlib import Path

from . import __version__

FORMAT = 2  # 2: problems are kept as message keys and fields (messages.py), worded when shown
MAGIC = b"wkx-tasks record cache\n"
RACY_NS = 2_000_000_000
# A file's identity, as the record cache keys it and the status index checks it, from its stat.
IDENTITY = attrgetter("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino", "st_dev")


def is_racy(key: Sequence[int], read_ns: int) -> bool:
    """Whether a file with this identity (IDENTITY), read at read_ns, was changed too close to that moment for its
    identity to show a same-size edit made in the same tick of the clock: its bytes must be hashed and compared."""
    return max(key[1], key[2]) >= read_ns - RACY_NS


DISABLE_ENV = "WKX_NO_CACHE"
# The modules whose code decides what a file's bytes become: a change to any of them invalidates the cache.
_SHAPING = ("cache.py", "cachedir.py", "console.py", "errors.py", "index.py", "messages.py", "models.py", "store.py", "worktree.py", "yamlio.py")


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


def racy_digest(key: Sequence[int], read_ns: int, data: bytes) -> bytes:
    """The hash a record cache entry keeps of the bytes it was made from: only while the file is racy (is_racy), which
    a file older than that never becomes again under the same identity; b"" otherwise."""
    return digest(data) if is_racy(key, read_ns) else b""


def enabled() -> bool:
    return os.environ.get(DISABLE_ENV, "").strip().lower() in ("", "0", "false", "no")


def git_dir(root: Path) -> Path | None:
    """The git directory of the repository holding root (following a worktree's `.git` file), or None."""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():
            try:
                text = dot_git.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return None
            if text.startswith("gitdir:"):
                target = Path(text[len("gitdir:") :].strip())
                target = target if target.is_absolute() else folder / target
                return target if target.is_dir() else None
            return None
    return None


def user_cache_dir() -> Path:
    """The platform's per-user cache folder for wkx-tasks."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "wkx-tasks" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "wkx-tasks"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base_dir = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base_dir / "wkx-tasks"


def cache_path(root: Path) -> Path:
    """The cache file for the tracker at root: under its git directory, else in the user's cache folder."""
    resolved = root.resolve()
    name = hashlib.sha256(str(resolved).encode("utf-8", "surrogateescape")).hexdigest()[:24] + ".records"
    found = git_dir(resolved)
    folder = found / "wkx-cache" if found is not None else user_cache_dir()
    return folder / name


def header(version: str = __version__) -> bytes:
    """What a cache file must start with to be read: its format, wkx, Python, Pydantic and the shaping sources."""
    here = Path(__file__).resolve().parent
    shape = []
    for name in _SHAPING:
        try:
            st = os.stat(here / name)
            shape.append((name, st.st_size, st.st_mtime_ns))
        except OSError:
            shape.append((name, -1, -1))
    return repr((FORMAT, version, sys.version_info[:2], _pydantic_identity(), shape)).encode()


def _pydantic_identity() -> tuple[str, int, int] | None:
    """Which Pydantic validated and pickled the records: its version file's path, size and mtime, taken without
    importing Pydantic (~18 ms), which a warm `status` or `list` never needs."""
    from importlib.util import find_spec

    try:
        spec = find_spec("pydantic")
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = os.path.join(folder, "version.py")
        try:
            st = os.stat(path)
        except OSError:
            continue
        return (path, st.st_size, st.st_mtime_ns)
    return None


TOKEN_BYTES = 16  # a record cache body starts with a token naming that write of the file; the status index records it


DIGEST_BYTES = 32  # the body's blake2b hash, after the frame's magic line and header


def frame_head(magic: bytes, head: bytes) -> bytes:
    """How a framed file (write_framed) starts: its magic line, the header's length and the header."""
    return magic + len(head).to_bytes(4, "big") + head


def read_framed(path: Path, magic: bytes, head: bytes) -> tuple[bytes, int] | None:
    """The bytes of the framed file at path and where its body starts, when it starts with this magic line and
    header and its body matches its hash (hashed in place: megabytes are not copied out); None otherwise."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    prefix = frame_head(magic, head)
    if not blob.startswith(prefix):
        return None
    start = len(prefix) + DIGEST_BYTES
    with memoryview(blob) as view:
        if hashlib.blake2b(view[start:], digest_size=DIGEST_BYTES).digest() != blob[len(prefix) : start]:
            return None
    return blob, start


def records_token(path: Path) -> bytes | None:
    """The token of the record cache file at path (written by this version of wkx), read from its first bytes
    only; None when there is no such file. The status index is used only beside the record cache it was made with."""
    prefix = frame_head(MAGIC, header())
    try:
        with open(path, "rb") as fh:
            first = fh.read(len(prefix) + DIGEST_BYTES + TOKEN_BYTES)
    except OSError:
        return None
    if len(first) != len(prefix) + DIGEST_BYTES + TOKEN_BYTES or not first.startswith(prefix):
        return None
    return first[len(prefix) + DIGEST_BYTES :]


def write_framed(path: Path, magic: bytes, head: bytes, body: bytes | list[bytes], *, unless_same: bool = False) -> bool:
    """Write the magic line, the header, the body's hash and the body to path by temp file and rename; True when written.

    The body may come in parts (written one after another, as one body): megabytes are not copied to join them.
    A cache is disposable, so this never fails the command (an unwritable folder just means no cache) and does
    not fsync: a torn file after a crash fails the hash check on the next read and is rebuilt.
    """
    import contextlib
    import tempfile

    parts = body if isinstance(body, list) else [body]
    check = hashlib.blake2b(digest_size=DIGEST_BYTES)
    for part in parts:
        check.update(part)
    frame = frame_head(magic, head) + check.digest()
    if unless_same:
        with contextlib.suppress(OSError):
            if path.read_bytes() == b"".join([frame, *parts]):
                return False
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb", buffering=0) as fh:
            for piece in (frame, *parts):
                view = memoryview(piece)
                while view:  # unbuffered: a short write goes on from where it stopped
                    view = view[fh.write(view) :]
        os.replace(tmp, path)
        tmp = None
        return True
    except OSError:
        return False
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


@contextmanager
def paused_gc() -> Iterator[None]:
    """The garbage collector paused while a tracker's records or index load: that makes hundreds of thousands of
    long-lived objects and no cycles, so collecting meanwhile is wasted work."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
