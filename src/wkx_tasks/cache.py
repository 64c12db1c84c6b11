"""A cache of parsed, validated records, so that a tracker of thousands of files loads without re-reading them all.

What is cached, per data file: the record built from it (or None) and the problems found in it — a broken file
stays reported from the cache just as when it is read. Each entry is keyed by the file's identity as `stat`
gives it (size, mtime_ns, ctime_ns, inode, device); an entry made while its file was racy (below) also carries a
hash of the bytes it was built from.

Never stale: an entry is used only when the file's identity is unchanged. A file changed within the same tick
of the file system's clock as the moment it was read could keep its identity (same size, in-place write, coarse
timestamps), so — as git does for its index — an entry whose file was modified less than RACY_NS before it was
read is "racy": its bytes are hashed and compared on every use until the file is old enough to trust its stat.

Where: outside the tracked tree — `<git dir>/wkx-cache/` when the tracker is inside a git repository, else
the user's cache folder ($XDG_CACHE_HOME/wkx-tasks, ~/.cache/wkx-tasks, ~/Library/Caches/wkx-tasks,
%LOCALAPPDATA%/wkx-tasks). `WKX_NO_CACHE=1` turns it off.

Safe to lose: the file starts with a header naming the format, wkx, Python and the source files that shape a
record, then a hash of the body. A file from another version, a torn write or garbage bytes fails these checks
and is ignored (and rebuilt); it never reaches the unpickler. Writes go to a temporary file renamed over the
old one, so concurrent runs each see a whole cache; a cache that cannot be written (read-only folder, full
disk) is silently skipped — the command still answers from the files.

The body is a random token naming that write (the status index records it: index.py), then the pickled dict of
entries. The command line may have a forked writer pickle
and write the file while it goes on (`save(background=True)`); `finish_writes` waits for it before the command
ends.

Trust: the body is a pickle, so the cache is as trusted as the folder it lives in — the repository's own git
directory (which already holds hooks that git runs) or the user's private cache folder, like Python's .pyc files.
"""

from __future__ import annotations

import copyreg
import os
import pickle
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .cachedir import DISABLE_ENV as DISABLE_ENV
from .cachedir import IDENTITY, is_racy, racy_digest, read_framed, write_framed
from .cachedir import MAGIC as MAGIC
from .cachedir import RACY_NS as RACY_NS
from .cachedir import TOKEN_BYTES as TOKEN_BYTES
from .cachedir import cache_path as cache_path
from .cachedir import digest as _digest
from .cachedir import enabled as enabled
from .cachedir import header as _versioned_header
from .errors import Problem
from .models import Department, Departments, Milestone, Plan, Task, Update, Urging, Verification, _Record
from .yamlio import Document, LazyDocument

Key = tuple[int, int, int, int, int]
Loaded = tuple[Any, Document | None, list[Problem]]


# --- pickling records quickly ------------------------------------------------------------------------
# A record is rebuilt from its field values without validating again (they were valid when cached, and the
# header ties the cache to this exact model code); this is several times faster than BaseModel.__setstate__.

_set = object.__setattr__


def _rebuild(cls: type[_Record], values: dict[str, Any], fields_set: set[str]) -> _Record:
    obj = cls.__new__(cls)
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", fields_set)
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


# Records give the same few sets of fields: each distinct set is pickled once and shared by the records rebuilt
# from it (records are frozen, and Pydantic copies the set before it changes one, as in model_copy).
_FIELD_SETS: dict[frozenset[str], set[str]] = {}


def _reduce(obj: _Record) -> tuple[Any, ...]:
    fields_set = obj.__pydantic_fields_set__
    shared = _FIELD_SETS.get(frozenset(fields_set))
    if shared is None:
        if len(_FIELD_SETS) >= 1000:
            _FIELD_SETS.clear()
        shared = _FIELD_SETS[frozenset(fields_set)] = set(fields_set)
    return (_rebuild, (type(obj), obj.__dict__, shared))


def _reduce_entry(entry: Entry) -> tuple[Any, ...]:
    # Positional, not a dataclass's state dict: about a fifth quicker to load. Most entries are a sound record of
    # an old file (no hash, no problem, a document to place later problems in): only what differs is written,
    # which takes about a sixth less time to pickle for the 10,000 benchmark measures.
    record = entry.record
    if not entry.digest and not entry.problems and entry.has_document and record is not None and type(record).__name__ == entry.model:
        return (_sound, (entry.key, entry.verified_ns, record))
    return (Entry, (entry.key, entry.digest, entry.verified_ns, entry.model, record, entry.has_document, entry.problems))


def _sound(key: Key, verified_ns: int, record: Any) -> Entry:
    """The entry of a sound record, as _reduce_entry wrote it."""
    return Entry(key, b"", verified_ns, type(record).__name__, record, True, [])


_dispatch: dict[type, Any] = dict(copyreg.dispatch_table)
for _cls in (Task, Update, Urging, Verification, Milestone, Plan, Departments, Department):
    _dispatch[_cls] = _reduce


def _dumps(data: Any) -> bytes:
    import io

    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _dispatch
    pickler.dump(data)
    return buf.getvalue()


# Record cache files being written by a forked process (RecordCache.save(background=True)): waited for by
# finish_writes() before the command ends, so that a command never returns before its cache is on disk.
_WRITERS: list[int] = []


def finish_writes() -> None:
    """Wait for every record cache file still being written in the background."""
    from .share import reap

    while _WRITERS:
        reap(_WRITERS[-1])
        _WRITERS.pop()  # (only once reaped: a Ctrl-C while waiting leaves it to be waited for again)


def _header() -> bytes:
    return _versioned_header(__version__)


# --- the cache -------------------------------------------------------------------------------------------


@dataclass
class Entry:
    key: Key
    digest: bytes
    verified_ns: int
    model: str
    record: Any
    has_document: bool
    problems: list[Problem]


_dispatch[Entry] = _reduce_entry


@dataclass
class RecordCache:
    """The records of one tracker's files; `get` before reading a file, `put` after, `save` at the end."""

    root: Path
    path: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    dirty: bool = False
    _pending: dict[str, tuple[Key, int]] = field(default_factory=dict)
    _seen: set[str] = field(default_factory=set)
    on_disk: int = 0  # how many entries the cache file held when opened
    token: bytes | None = None  # the token of the cache file on disk (as read, or as last written), if any

    def __post_init__(self) -> None:
        self._root = str(self.root)

    @classmethod
    def open(cls, root: Path) -> RecordCache | None:
        """The cache for root, loaded from disk if it is there and sound; None when caching is turned off."""
        if not enabled():
            return None
        try:
            cache = cls(root, cache_path(root))
        except OSError:
            return None
        cache.entries = cache._read()
        cache.on_disk = len(cache.entries)
        return cache

    def _read(self) -> dict[str, Entry]:
        framed = read_framed(self.path, MAGIC, _header())
        if framed is None:
            return {}
        blob, start = framed
        try:
            with memoryview(blob) as view:  # the body unpickled where it lies, not copied out
                entries = pickle.loads(view[start + TOKEN_BYTES :])
        except Exception:
            return {}
        if not isinstance(entries, dict):
            return {}
        self.token = blob[start : start + TOKEN_BYTES]
        return entries

    def get(self, relpath: str, model: type[Any], reread: Callable[[], Document]) -> Loaded | None:
        """The cached result for relpath if the file is unchanged, else None (and remember its identity for `put`)."""
        self._seen.add(relpath)
        now = time.time_ns()
        path = os.path.join(self._root, relpath)
        try:
            st = os.lstat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):  # links and odd files take the full path, with its checks
            return None
        key: Key = IDENTITY(st)
        self._pending[relpath] = (key, now)
        entry = self.entries.get(relpath)
        if entry is None or entry.key != key or entry.model != model.__name__:
            return None
        if is_racy(key, entry.verified_ns):
            try:
                with open(path, "rb") as fh:
                    data = fh.read()
            except OSError:
                return None
            if _digest(data) != entry.digest:
                return None
            if not is_racy(key, now):
                entry.verified_ns = now
                self.dirty = True
        document = LazyDocument(reread) if entry.has_document else None
        return entry.record, document, list(entry.problems)

    def read_fresh(self, relpath: str, source: Any) -> bytes:
        """relpath's bytes from source, the cache not having been asked about it (`get`): its identity is taken from
        the file as it is read (one fstat of the open file, not an lstat before) when source can tell it."""
        self._seen.add(relpath)
        now = time.time_ns()
        read_and_stat = getattr(source, "read_and_stat", None)
        data: bytes
        data, st = read_and_stat(relpath) if read_and_stat is not None else (source.read(relpath), None)
        if st is not None:  # a regular file, opened without following a link: as `get` would have keyed it
            self._pending[relpath] = (IDENTITY(st), now)
        return data

    def put(self, relpath: str, model: type[Any], data: bytes, result: Loaded, reread: Callable[[], Document]) -> Document | None:
        """Remember what relpath's bytes became (only when `get` saw a regular file just before it was read).

        Returns the document to keep: a lazy one when cached, so that a big tracker's marks are not all held
        in memory for the few problems that need them.
        """
        pending = self._pending.pop(relpath, None)
        if pending is None:
            return result[1]
        key, read_ns = pending
        return self.put_read(relpath, model, key, read_ns, racy_digest(key, read_ns, data), result, reread)

    def put_read(
        self, relpath: str, model: type[Any], key: Key, read_ns: int, digest: bytes, result: Loaded, reread: Callable[[], Document]
    ) -> Document | None:
        """`put` for bytes read by another process (share.py), with the identity it took from the open file, the
        time it read them at (as `read_fresh` would have) and the hash it took of them (cachedir.racy_digest)."""
        record, document, problems = result
        self._enter(relpath, model, key, read_ns, digest, record, document is not None, problems)
        return LazyDocument(reread) if document is not None else None

    def put_record(self, relpath: str, model: type[Any], key: Key, read_ns: int, digest: bytes, record: Any, reread: Callable[[], Document]) -> LazyDocument:
        """`put_read` for a file whose record was built without a problem (the usual case, said more quickly)."""
        self._enter(relpath, model, key, read_ns, digest, record, True, [])
        return LazyDocument(reread)

    def _enter(self, relpath: str, model: type[Any], key: Key, read_ns: int, digest: bytes, record: Any, has_document: bool, problems: list[Problem]) -> None:
        # The hash is compared only while the file is racy (`get`): an entry made when it was not keeps none (b"").
        self._seen.add(relpath)
        self.entries[relpath] = Entry(key, digest, read_ns, model.__name__, record, has_document, list(problems))
        self.dirty = True

    def save(self, *, background: bool = False) -> None:
        """Write the cache if anything changed: atomically, and never failing the command.

        background: when thousands of entries are left to pickle and a forked process can do it on another core,
        it writes the file while this one goes on; the token is known at once, and finish_writes() waits for it.
        """
        for gone in set(self.entries) - self._seen:
            del self.entries[gone]
            self.dirty = True
        if not self.dirty:
            return
        token = os.urandom(TOKEN_BYTES)
        entries = self.entries
        if background:
            from . import share

            if share.worth_it(len(entries)):
                try:
                    pid = os.fork()
                except OSError:
                    pid = -1
                if pid == 0:  # the writer: never returns
                    code = 1
                    try:
                        code = 0 if self._write(token, entries) else 1
                    finally:
                        os._exit(code)
                if pid > 0:
                    _WRITERS.append(pid)
                    self.token, self.dirty = token, False
                    return
        if self._write(token, entries):
            self.token, self.dirty = token, False
        else:
            self.token = None

    def _write(self, token: bytes, entries: dict[str, Entry]) -> bool:
        try:
            body = _dumps(entries)
        except Exception:
            return False
        return write_framed(self.path, MAGIC, _header(), [token, body])
