"""The audit trail: who changed which field of which measure, when — read back from git.

One event per (commit, measure file) under data/tasks/. Each side of a change is read with the strict reader
(yamlio), so values are compared as written (every scalar is text): `due: 2013-12` → `2014-06`.
The whole history costs two git processes whatever its length (gitrepo.log_changes and gitrepo.BlobStream);
each blob is read once, and only the top-level blocks that changed are parsed (see _Reader).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

from .messages import msg
from .models import Task, due_last_day
from .store import TASK_FILE, TASKS_DIR
from .yamlio import YamlProblems, load_bytes, parse

if TYPE_CHECKING:
    from .gitrepo import BlobStream, CommitInfo, FileChange

Kind = Literal["created", "modified", "deleted", "renamed"]

# Fields in the order a measure's file writes them; keys outside the model come after, in their own order.
FIELD_ORDER: tuple[str, ...] = tuple(Task.model_fields)
LOG_FIELDS = ("updates", "urgings")
"""Logs that only grow: an entry added is shown on its own, as {field: 'updates', old: None, new: {...}}."""
UNREADABLE = "(file)"
"""The field of a change whose file side could not be read as YAML (a syntax error, conflict markers)."""


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class Event:
    """One commit's change to one measure's file."""

    commit: str
    author: str
    email: str
    date: datetime  # author date, aware, in the plan's time zone
    message: str
    task_id: int
    path: str
    kind: Kind
    old_path: str | None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def deadline_move(self) -> Literal["延期", "提前"] | None:
        """延期 when `due` moved later, 提前 when earlier (ongoing counts as later than any date), else None."""
        for change in self.changes:
            if change.field == "due" and isinstance(change.old, str) and isinstance(change.new, str):
                return _direction(change.old, change.new)
        return None

    @property
    def is_deadline_move(self) -> bool:
        return self.deadline_move is not None

    @property
    def is_reopening(self) -> bool:
        """A measure that was done is set to anything else (the file still exists)."""
        return any(c.field == "status" and c.old == "done" and c.new is not None and c.new != "done" for c in self.changes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "commit": self.commit,
            "author": self.author,
            "email": self.email,
            "date": self.date.isoformat(),
            "message": self.message,
            "id": self.task_id,
            "path": self.path,
            "kind": self.kind,
            "old_path": self.old_path,
            "changes": [c.as_dict() for c in self.changes],
            # The same judgement the table shows, so that reports and scripts need not make their own.
            "deadline_move": {"延期": "extended", "提前": "advanced"}.get(self.deadline_move or ""),
            "reopening": self.is_reopening,
        }


def _direction(old: str, new: str) -> Literal["延期", "提前"] | None:
    try:
        before, after = due_last_day(old), due_last_day(new)
    except ValueError:
        return None
    if before == after:
        return None
    if before is None:  # ongoing → a date
        return "提前"
    if after is None or after > before:
        return "延期"
    return "提前"


# --- comparing two versions of a file ---------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """One side of a change: the parsed mapping, or why it could not be read."""

    values: dict[str, Any] | None
    problem: str | None = None


_ABSENT = Version({})


def parse_version(data: bytes | None, label: str) -> Version:
    if data is None:
        return Version(None, msg("history.content_missing").render())
    try:
        doc = load_bytes(data, label)
    except YamlProblems as exc:
        first = exc.problems[0]
        if first.line is not None:
            return Version(None, msg("history.unreadable_at", line=first.line, detail=first.msg).render())
        return Version(None, msg("history.unreadable", detail=first.msg).render())
    if not isinstance(doc.value, dict):
        return Version(None, msg("history.not_mapping").render())
    return Version(doc.value)


def _ordered_keys(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    known = [k for k in FIELD_ORDER if k in old or k in new]
    extra = [k for k in (*old, *new) if k not in FIELD_ORDER]
    return known + list(dict.fromkeys(extra))


def diff_values(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """Field-level changes between two mappings, in the model's field order.

    Logs (updates, urgings) that only grew give one change per added entry; a list of mappings of the same
    length (milestones) gives one change per changed key, as `milestones[1].status`; anything else is compared
    whole.
    """
    changes: list[FieldChange] = []
    for key in _ordered_keys(old, new):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if key in LOG_FIELDS and isinstance(after, list) and isinstance(before, list | None):
            prior = before or []
            if after[: len(prior)] == prior:
                changes.extend(FieldChange(key, None, entry) for entry in after[len(prior) :])
                continue
        if (
            isinstance(before, list)
            and isinstance(after, list)
            and len(before) == len(after)
            and all(isinstance(x, dict) for x in (*before, *after))
            and key not in LOG_FIELDS
        ):
            for i, (b, a) in enumerate(zip(before, after, strict=True)):
                for sub in dict.fromkeys((*b, *a)):
                    if b.get(sub) != a.get(sub):
                        changes.append(FieldChange(f"{key}[{i}].{sub}", b.get(sub), a.get(sub)))
            continue
        changes.append(FieldChange(key, before, after))
    return changes


# --- comparing quickly: only the top-level blocks that changed are parsed -----------------------------

_TOP_KEY = re.compile(rb"([A-Za-z_][A-Za-z0-9_]*):(?:[ \t]|$)", re.M)
_COLUMN_0 = re.compile(rb"\n[^ \t\n#]")  # a line that starts a top-level entry (not indented, not a comment); searching for
# the newline first is 15 times faster than a multi-line '^' over the long logs of a measure
_ITEM = re.compile(rb"^( *- )")


def split_blocks(data: bytes) -> dict[str, bytes] | None:
    """A block-style mapping's bytes cut into one piece per top-level key (its lines, comments included).

    None when the file is anything else (flow style, several documents, conflict markers, a duplicate key,
    a line at column 0 that is not `key:`, a byte order mark or CR line ends): such a file is parsed whole.
    """
    if data.startswith(b"\xef\xbb\xbf") or b"\r" in data:
        return None
    starts = [m.start() + 1 for m in _COLUMN_0.finditer(data)]
    if data and data[:1] not in (b" ", b"\t", b"\n", b"#"):
        starts.insert(0, 0)
    if not starts or any(line.strip() and not line.lstrip().startswith(b"#") for line in data[: starts[0]].split(b"\n")):
        return None
    blocks: dict[str, bytes] = {}
    for i, start in enumerate(starts):
        m = _TOP_KEY.match(data, start)
        if m is None:
            return None
        key = m.group(1).decode("ascii")
        if key in blocks:
            return None
        end = starts[i + 1] if i + 1 < len(starts) else len(data)
        blocks[key] = data[start:end].rstrip(b"\n") + b"\n"
    return blocks


_FAILED = object()


def _key(value: Any) -> str:
    """A hashable stand-in for a value read from YAML (lists and mappings included)."""
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class _Reader:
    """Parses blobs for the history, each distinct blob and each distinct block of text at most once.

    Two versions of a file are compared block by block (one block per top-level key): a block whose text did not
    change has not changed value, so only the changed blocks go through the strict reader — and a log (updates)
    that only grew has just its new entries read. Anything unusual falls back to reading both files whole.
    """

    def __init__(self, blobs: BlobStream) -> None:
        self.blobs = blobs
        self.whole: dict[tuple[str, str], Version] = {}
        self.split: dict[str, dict[str, bytes] | None] = {}
        self.block_values: dict[bytes, Any] = {}

    def version(self, side: tuple[str, str]) -> Version:
        if side not in self.whole:
            self.whole[side] = parse_version(self.blobs.get(side[0]), side[1])
        return self.whole[side]

    def blocks(self, blob: str) -> dict[str, bytes] | None:
        if blob not in self.split:
            data = self.blobs.get(blob)
            self.split[blob] = split_blocks(data) if data is not None else None
        return self.split[blob]

    def block(self, data: bytes, label: str) -> Any:
        """The value of a one-key block, or _FAILED when the strict reader finds anything wrong with it."""
        if data not in self.block_values:
            value: Any = _FAILED
            try:
                doc = parse(data.decode("utf-8"), label)
                if isinstance(doc.value, dict) and len(doc.value) == 1:
                    value = next(iter(doc.value.values()))
            except (YamlProblems, UnicodeDecodeError):
                pass
            self.block_values[data] = value
        return self.block_values[data]

    def task_id(self, path: str, *sides: tuple[str, str] | None) -> int:
        for side in sides:
            if side is None:
                continue
            blocks = self.blocks(side[0])
            raw = self.block(blocks["id"], side[1]) if blocks is not None and "id" in blocks else None
            if raw is None or raw is _FAILED:
                raw = (self.version(side).values or {}).get("id")
            if isinstance(raw, str) and raw.isdigit():
                return int(raw)
        m = TASK_FILE.match(path.rsplit("/", 1)[-1])
        return int(m.group(1)) if m else 0

    def changes(self, old: tuple[str, str] | None, new: tuple[str, str] | None) -> list[FieldChange]:
        if old is not None and new is not None:
            quick = self._changed_blocks(old, new)
            if quick is not None:
                return quick
        before = self.version(old) if old is not None else _ABSENT
        after = self.version(new) if new is not None else _ABSENT
        if before.values is not None and after.values is not None:
            return diff_values(before.values, after.values)
        return [FieldChange(UNREADABLE, before.problem, after.problem)]

    def own_changes_of_merge(self, changes: list[FieldChange], others: tuple[str, ...], result: tuple[str, str] | None) -> list[FieldChange]:
        """Of a merge's changes against its first parent, those that no other parent already had: what the merge
        itself decided (a conflict resolved by hand, an edit made while merging)."""
        label = result[1] if result is not None else "merge"
        after = self.version(result) if result is not None else _ABSENT
        own = list(changes)
        for blob in others:
            other = self.version((blob, label)) if blob.strip("0") else _ABSENT
            if other.values is None or after.values is None:
                continue
            differs = {(c.field, _key(c.new)) for c in diff_values(other.values, after.values)}
            own = [c for c in own if (c.field, _key(c.new)) in differs]
        return own

    def _changed_blocks(self, old: tuple[str, str], new: tuple[str, str]) -> list[FieldChange] | None:
        ob, nb = self.blocks(old[0]), self.blocks(new[0])
        if ob is None or nb is None:
            return None
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for key in dict.fromkeys((*ob, *nb)):
            o, n = ob.get(key), nb.get(key)
            if o == n:
                continue
            if key in LOG_FIELDS and o is not None and n is not None and n.startswith(o):
                suffix = n[len(o) :]
                first = _ITEM.match(o.split(b"\n", 2)[1]) if o.count(b"\n") >= 2 else None
                if first is not None and suffix.startswith(first.group(1)):
                    added = self.block(key.encode() + b":\n" + suffix, new[1])
                    if isinstance(added, list):
                        before[key], after[key] = [], added
                        continue
            for blocks, values, side in ((ob, before, old), (nb, after, new)):
                if key in blocks:
                    value = self.block(blocks[key], side[1])
                    if value is _FAILED:
                        return None
                    values[key] = value
        return diff_values(before, after)


# --- reading the history -----------------------------------------------------------------------------


def _is_task_path(path: str | None) -> bool:
    if path is None or not path.startswith(f"{TASKS_DIR}/"):
        return False
    name = path[len(TASKS_DIR) + 1 :]
    return "/" not in name and TASK_FILE.match(name) is not None


_KIND: dict[str, Kind] = {"A": "created", "D": "deleted", "R": "renamed", "M": "modified", "T": "modified"}


def read_history(
    root: Path,
    *,
    zone: ZoneInfo,
    since: date | None = None,
    until: date | None = None,
    task_id: int | None = None,
    author: str | None = None,
    field: str | None = None,
    rev: str = "HEAD",
    command: str = "wkx history",
) -> list[Event]:
    """Every change to a measure's file reachable from rev, newest first, filtered.

    since/until are days on the plan's calendar (inclusive) and apply to the author date; author matches a part
    of the name or e-mail, ignoring case; field keeps the events that changed it (`milestones` also matches
    `milestones[0].status`) and only those changes. Raises gitrepo.GitError outside a repository or in a
    shallow clone: a cut-short history is never shown as if it were whole.
    """
    from . import gitrepo

    repo = gitrepo.open_repo(root, command)
    repo.require_full_history(command)
    commits = gitrepo.log_changes(repo, TASKS_DIR, rev)
    needle = author.casefold() if author else None

    picked: list[tuple[CommitInfo, datetime, FileChange]] = []
    for info, files in commits:
        when = info.date.astimezone(zone)
        day = when.date()
        if (since is not None and day < since) or (until is not None and day > until):
            continue
        if needle is not None and needle not in info.author.casefold() and needle not in info.email.casefold():
            continue
        for change in files:
            if _is_task_path(change.path) or _is_task_path(change.old_path):
                picked.append((info, when, change))

    # The blobs in the order the loop below reads them, so that git writes the later ones while Python reads the first.
    blobs = gitrepo.BlobStream(repo, (b for _, _, c in picked for b in (c.new_blob, c.old_blob, *c.other_parents)))
    reader = _Reader(blobs)

    try:
        return _events(picked, reader, task_id, field)
    finally:
        blobs.close()


def _events(picked: list[tuple[CommitInfo, datetime, FileChange]], reader: _Reader, task_id: int | None, field: str | None) -> list[Event]:
    events: list[Event] = []
    for info, when, change in picked:
        kind = _KIND.get(change.status, "modified")
        old_path = change.old_path if kind == "renamed" else (change.path if kind != "created" else None)
        old = (change.old_blob, old_path) if kind != "created" and old_path is not None else None
        new = (change.new_blob, change.path) if kind != "deleted" else None
        tid = reader.task_id(change.path, new, old)
        if task_id is not None and tid != task_id:
            continue
        changes = reader.changes(old, new)
        if change.other_parents:
            changes = reader.own_changes_of_merge(changes, change.other_parents, new)
            if not changes:
                continue
        if field is not None:
            changes = [c for c in changes if c.field == field or c.field.startswith((f"{field}[", f"{field}."))]
            if not changes:
                continue
        events.append(
            Event(
                commit=info.sha,
                author=info.author,
                email=info.email,
                date=when,
                message=info.message,
                task_id=tid,
                path=change.path,
                kind=kind,
                old_path=change.old_path if kind == "renamed" else None,
                changes=changes,
            )
        )
    return events


# --- blame ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldOrigin:
    """Who last set a field of a measure to the value it has now."""

    field: str
    value: Any
    commit: str | None  # None: set in the working tree, not committed yet
    author: str | None
    email: str | None
    date: datetime | None
    message: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "value": self.value,
            "commit": self.commit,
            "author": self.author,
            "email": self.email,
            "date": self.date.isoformat() if self.date else None,
            "message": self.message,
        }


def blame(root: Path, task_id: int, current: dict[str, Any], *, zone: ZoneInfo, rev: str = "HEAD") -> list[FieldOrigin]:
    """For each field of `current` (the measure's file as read now), the newest event that set its value.

    A field whose value differs from what that event set (an edit not committed yet) has no commit. Entries of
    the logs (updates, urgings) are blamed one by one, as `updates[0]`.
    """
    events = read_history(root, zone=zone, task_id=task_id, rev=rev, command="wkx blame")
    origins: list[FieldOrigin] = []

    def origin_of(name: str, value: Any, matches: Any) -> FieldOrigin:
        for event in events:  # newest first
            hit = next((c for c in event.changes if matches(c)), None)
            if hit is None:
                continue
            if hit.field == name and hit.new != value:
                break  # changed since, in the working tree
            return FieldOrigin(name, value, event.commit, event.author, event.email, event.date, event.message)
        return FieldOrigin(name, value, None, None, None, None, None)

    for key in _ordered_keys(current, {}):
        value = current[key]
        if key in LOG_FIELDS and isinstance(value, list):
            for i, entry in enumerate(value):
                origins.append(
                    origin_of(
                        f"{key}[{i}]",
                        entry,
                        lambda c, key=key, entry=entry: c.field == key and (c.new == entry or (isinstance(c.new, list) and entry in c.new)),
                    )
                )
            continue
        origins.append(origin_of(key, value, lambda c, key=key: c.field == key or c.field.startswith(f"{key}[")))
    return origins
