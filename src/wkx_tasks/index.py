"""The warm index: what `wkx status` and `wkx list` print, kept per tracker so that a warm run reads one small file.

After a full load with the record cache (store.load_tracker), the index records, for every file the tracker was
read from, its identity (as the record cache keys it: size, mtime_ns, ctime_ns, inode, device), the hash of its
bytes and when they were read; the names in data/tasks/; and the answer the files gave: the plan's sections and
time zone, the departments, per measure only the fields the two tables and their filters use, and the
tracker's problems. It is written with marshal (tuples, strings and numbers only) beside the record cache.

A table-format `status` or `list` asks the index first (`quick_status`, `quick_list`). It answers only when
every file is unchanged — the same checks as the record cache, racy entries (changed less than RACY_NS before
they were read) hashed on every use — and the folder holds the same names; otherwise, or when the index is
missing, damaged or from another version, it returns False and the command takes the full path, which writes
a fresh index. The answer is computed as query.py computes it; tests compare the two on edited trackers.
"""

from __future__ import annotations

import marshal
import os
import stat
import time
from array import array
from dataclasses import dataclass
from datetime import date
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cachedir import IDENTITY, cache_path, digest, enabled, is_racy, paused_gc, read_framed, records_token, write_framed
from .cachedir import header as _header
from .locate import DEPARTMENTS_FILE, PLAN_FILE, TASKS_DIR
from .views import Summary, is_within, judge, match_department, match_section, passes_window

if TYPE_CHECKING:
    from .cache import RecordCache
    from .store import Tracker

MAGIC = b"wkx-tasks status index\n"
# A measure in the index: the fields the status and list tables and their filters read.
ID, SECTION, TITLE, LEAD, COOP, LEAD_NAMES, COOP_NAMES, DEADLINE, DUE_ORD, STATUS, CLOSED, ONGOING, TITLE_WIDTH = range(13)


# What a file's lstat must show to be the file the index was made from: a regular file with the identity the
# record cache keys it by (CacheEntry.key).
_MODE = attrgetter("st_mode")


def index_path(root: Path) -> Path:
    return cache_path(root).with_suffix(".index")


# --- writing (after a full load) ---------------------------------------------------------------------------


def save(tracker: Tracker, cache: RecordCache, names: list[str], tasks: list[str]) -> bool:
    """Write the index for a tracker just loaded from its working tree with the record cache. Returns whether the
    tracker is one the index can describe — every file read with an identity — so that the command may print its
    tables from `snapshot(tracker)`, as a warm run does; False, writing nothing, when a file was read without one
    (a link, unreadable), which keeps every run of that tracker on the full path. Never fails the command.

    Not rewritten when the index on disk is sound and was made with this record cache and these names: what it
    holds follows from the files, whose identities the record cache keys (a changed file changes the record cache).

    names: the tasks folder's names, as listed; tasks: the task files among them (worktree.task_paths), as paths, in
    the order the load read them.
    """
    task_names = tuple([relpath[len(TASKS_DIR) + 1 :] for relpath in tasks])
    relpaths = [PLAN_FILE, DEPARTMENTS_FILE, *tasks]
    entries = cache.entries
    if not cache._seen.issuperset(relpaths) or not all(map(entries.__contains__, relpaths)):
        return False
    chosen = [entries[relpath] for relpath in relpaths]
    try:
        keys = array("q", chain.from_iterable([entry.key for entry in chosen]))
    except OverflowError:
        return False
    # (An entry keeps a hash only if its file was racy when read; it can stop being racy since, never start again.)
    racy = {relpath: entry.digest for relpath, entry in zip(relpaths, chosen, strict=True) if entry.digest and is_racy(entry.key, entry.verified_ns)}
    if cache.token is None:  # the record cache could not be written, so no index either; the snapshot still serves this run
        return True
    # The folder's other names (not task files: dot files, a README, a misnamed file): with task_names, all it holds.
    task_set = set(task_names)
    made_with = (cache.token, tuple(n for n in names if n not in task_set))
    fields = _load(index_path(tracker.root))
    if fields is not None and (fields[0], fields[1], fields[2]) == (*made_with, task_names):
        return True
    snap = snapshot(tracker)
    problems = tuple(p.as_data() for p in snap.problems)  # key and fields: worded in the language of each run
    # The index goes with the record cache it was made beside (the token that write of it starts with): a missing
    # or rewritten record cache sends the next run down the full path, which rebuilds both. (A record cache damaged
    # past its first bytes is found by the next command that reads records; the index checks every file itself.)
    body = marshal.dumps((*made_with, task_names, keys.tobytes(), racy, snap.sections, snap.timezone, snap.departments, snap.statuses, snap.tasks, problems))
    _write(index_path(tracker.root), body)
    return True


def snapshot(tracker: Tracker) -> Snapshot:
    """What the index holds for a tracker: per measure only the fields the status and list tables and their
    filters use, each distinct string or tuple one object (marshal then writes each once and refers back to it,
    so that thousands of measures naming the same sections, departments and deadlines load quickly). Made once
    per tracker."""
    if isinstance(tracker.snapshot, Snapshot):
        return tracker.snapshot
    from .console import plain_widths
    from .models import ONGOING, Status, due_last_day

    by_code = tracker.departments.by_code()
    # Deadlines, sections, statuses and lists of departments repeat across thousands of measures: each distinct
    # one is worked out once (a list of codes: the one tuple that stands for it, and the departments' names).
    deadlines: dict[str, tuple[str, int | None, bool]] = {}
    sections: dict[str, str] = {}
    codes_of = _Named({code: d.name for code, d in by_code.items()})
    statuses_of = {status: (status.value, status.is_closed) for status in Status}
    values = [f.task.__dict__ for f in tracker.files]  # the validated field values (models are frozen)
    # Measured here only when wkx measures them by itself (no rich: the index does not follow rich's version).
    widths = plain_widths([t["title"] for t in values])
    tasks = []
    for t, width in zip(values, widths, strict=True):
        due = t["due"]
        deadline = deadlines.get(due)
        if deadline is None:
            last = due_last_day(due)
            deadline = deadlines[due] = (due, last.toordinal() if last is not None else None, due == ONGOING)
        lead, coop = codes_of[tuple(t["lead"])], codes_of[tuple(t["cooperating"])]
        status, closed = statuses_of[t["status"]]
        section = t["section"]
        tasks.append(
            (
                t["id"],
                sections.setdefault(section, section),
                t["title"],
                lead[0],
                coop[0],
                lead[1],
                coop[1],
                deadline[0],
                deadline[1],
                status,
                closed,
                deadline[2],
                width,
            )
        )
    departments = tuple((d.code, d.name, tuple(d.members)) for d in tracker.departments.departments)
    statuses = tuple(s.value for s in Status)
    made = Snapshot(tuple(tracker.plan.sections), tracker.plan.timezone, departments, statuses, tuple(tasks), list(tracker.problems))
    tracker.snapshot = made
    return made


class _Named(dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]]):
    """A list of department codes -> (the one tuple that stands for it, the departments' names): each list worked out
    the first time it is asked for (a code no department has stands for itself)."""

    def __init__(self, names: dict[str, str]) -> None:
        super().__init__()
        self.names = names

    def __missing__(self, codes: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        made = self[codes] = (codes, tuple(self.names.get(c, c) for c in codes))
        return made


def _write(path: Path, body: bytes) -> None:
    # An index identical to the one on disk is not rewritten (a warm run that fell back for one changed file).
    write_framed(path, MAGIC, _header(), body, unless_same=True)


# --- reading ------------------------------------------------------------------------------------------------


@dataclass
class Snapshot:
    """The tracker as the index recorded it, checked against the files just now."""

    sections: tuple[str, ...]
    timezone: str
    departments: tuple[tuple[str, str, tuple[str, ...]], ...]
    statuses: tuple[str, ...]
    tasks: tuple[tuple[Any, ...], ...]
    problems: list[Any]

    @property
    def zone(self) -> Any:  # what config.zone asks of a plan
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.timezone)


def _load(path: Path) -> tuple[Any, ...] | None:
    """The fields of a sound index file from this version of wkx, else None."""
    framed = read_framed(path, MAGIC, _header())
    if framed is None:
        return None
    blob, start = framed
    with memoryview(blob) as view, view[start:] as body:  # read in place, not copied out of the file's bytes
        try:
            fields = marshal.loads(body)
        except (ValueError, EOFError, TypeError):
            return None
    return fields if isinstance(fields, tuple) and len(fields) == 11 else None


def _read(root: Path) -> Snapshot | None:
    """The snapshot if the index is sound and every file it names is unchanged; None otherwise."""
    path = index_path(root)
    fields = _load(path)
    if fields is None:
        return None
    records, others, task_names, keys, racy, sections, timezone, departments, statuses, tasks, problems = fields
    if records_token(path.with_suffix(".records")) != records:  # made beside another record cache, or none
        return None
    if os.stat not in os.supports_dir_fd or os.listdir not in os.supports_fd:
        return None  # (Windows) no stat relative to a folder's descriptor: the full path answers
    base = str(root)
    tasks_dir = os.path.join(base, TASKS_DIR)
    now = time.time_ns()
    fd = None
    try:
        for folder in (os.path.join(base, "data"), tasks_dir):
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                return None
        stats = [os.lstat(os.path.join(base, relpath)) for relpath in (PLAN_FILE, DEPARTMENTS_FILE)]
        fd = os.open(tasks_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        listing = os.listdir(fd)  # the same names, in whatever order the folder gives them
        held = set(listing)
        if len(listing) != len(task_names) + len(others) or not (held.issuperset(task_names) and held.issuperset(others)):
            return None
        # The identity of every task file, as the record cache keys it: one lstat each, compared all at once.
        lstat = os.stat
        stats += [lstat(name, dir_fd=fd, follow_symlinks=False) for name in task_names]
        if not all(map(stat.S_ISREG, map(_MODE, stats))):  # the cache keeps regular files only
            return None
        current = array("q", chain.from_iterable(map(IDENTITY, stats)))
    except (OSError, OverflowError):
        return None
    finally:
        if fd is not None:
            os.close(fd)
    if current.tobytes() != keys:
        return None
    trusted = []
    for relpath, want in racy.items():
        # Changed too close to when it was read, so its identity may hide a same-size edit: compare the bytes.
        try:
            with open(os.path.join(base, relpath), "rb") as fh:
                if digest(fh.read()) != want:
                    return None
        except OSError:
            return None
        i = 2 + task_names.index(relpath[len(TASKS_DIR) + 1 :]) if relpath.startswith(TASKS_DIR + "/") else (PLAN_FILE, DEPARTMENTS_FILE).index(relpath)
        if not is_racy(current[5 * i : 5 * i + 5], now):
            trusted.append(relpath)
    if trusted:  # old enough now to trust their identity: stop hashing them
        for relpath in trusted:
            del racy[relpath]
        _write(path, marshal.dumps((records, others, task_names, keys, racy, sections, timezone, departments, statuses, tasks, problems)))
    from .errors import Problem

    return Snapshot(sections, timezone, departments, statuses, tasks, [Problem.from_data(p) for p in problems])


# --- answering (as query.py does) ---------------------------------------------------------------------------


def _timing(task: tuple[Any, ...], today: int) -> tuple[bool, int | None, int | None]:
    """(overdue, days overdue, days left) as query.timing judges them (deadlines kept as day ordinals here)."""
    due = task[DUE_ORD]
    return judge(None if due is None or task[CLOSED] else today - due)


def _department(snap: Snapshot, text: str) -> str | None:
    return match_department(((code, name) for code, name, _members in snap.departments), text)


def _section(snap: Snapshot, text: str) -> str | None:
    return match_section(snap.sections, text)


def _select(
    snap: Snapshot, today: int, *, dept: str | None, section: str | None, status: str | None, overdue: bool, due_within: int | None
) -> list[tuple[Any, ...]]:
    names = {dept} | {code for code, _name, members in snap.departments if dept in members} if dept is not None else set()
    chosen = []
    for task in snap.tasks:
        if section is not None and task[SECTION] != section:
            continue
        if status is not None and task[STATUS] != status:
            continue
        if dept is not None and not any(c in names for c in task[LEAD]) and not any(c in names for c in task[COOP]):
            continue
        if overdue or due_within is not None:
            late, _, left = _timing(task, today)
            if not passes_window(late, left, overdue=overdue, due_within=due_within):
                continue
        chosen.append(task)
    return chosen


def _cells(run: Any, with_cooperating: bool, due_soon_days: int) -> Any:
    from .console import TaskCells

    return TaskCells(run.lang, with_cooperating=with_cooperating, due_soon_days=due_soon_days)


def _fill(cells: Any, tasks: list[tuple[Any, ...]], timings: list[tuple[bool, int | None, int | None]]) -> Any:
    """The table's columns straight from the index's tuples."""
    cells.fill(
        [t[ID] for t in tasks],
        [t[TITLE] for t in tasks],
        [t[LEAD_NAMES] for t in tasks],
        [t[COOP_NAMES] for t in tasks] if cells.with_cooperating else None,
        [t[DEADLINE] for t in tasks],
        [t[STATUS] for t in tasks],
        [(days_overdue, days_left) for _, days_overdue, days_left in timings],
        _known([t[TITLE_WIDTH] for t in tasks]),
    )
    return cells


def _known(widths: list[int | None]) -> list[int] | None:
    """The titles' widths, or None (measure them when printing) when one was not measured in advance."""
    known = [w for w in widths if w is not None]
    return known if len(known) == len(widths) else None


def _open(run: Any, loaded: tuple[Tracker, date] | None = None) -> tuple[Snapshot, date] | None:
    """The snapshot and the date deadlines are judged at, or None when the full path must answer.

    loaded: a tracker the command has just loaded in full, and its date; its snapshot answers when its load wrote
    one (from the working tree with the record cache), so that a cold run prints what the next warm run will.
    """
    if loaded is not None:
        tracker, day = loaded
        return (snapshot(tracker), day) if tracker.indexed else None
    if run.at is not None or not enabled():
        return None
    from .errors import UsageError
    from .locate import find_root

    try:
        root = find_root(explicit=run.root)
    except UsageError:
        return None
    snap = _read(root)
    if snap is None:
        return None
    if run.as_of is not None:
        return snap, run.as_of
    now = run.state.now()
    if now.tzinfo is None:
        return None
    return snap, now.astimezone(run.config.zone(snap)).date()


@paused_gc()
def quick_status(run: Any, *, dept: str | None, overdue: bool, within: int | None, window: int, loaded: tuple[Tracker, date] | None = None) -> Snapshot | None:
    """Print `wkx status` (table) from the index and return the snapshot; None (printing nothing) when it cannot."""
    opened = _open(run, loaded)
    if opened is None:
        return None
    snap, as_of = opened
    code = _department(snap, dept) if dept is not None else None
    if dept is not None and code is None:
        return None
    today = as_of.toordinal()
    scope = _select(snap, today, dept=code, section=None, status=None, overdue=False, due_within=None) if code is not None else snap.tasks
    # One pass: the headline's counts over the scope, and the rows the filters pick (as query.select picks them).
    # Deadlines cluster on a few month ends: each distinct one (None for closed or undated) is judged once.
    counts = dict.fromkeys(snap.statuses, 0)
    late = soon = ongoing = 0
    judged: dict[int | None, tuple[tuple[bool, int | None, int | None], bool, bool, tuple[int, int]]] = {}
    chosen: list[tuple[tuple[int, int], int, tuple[Any, ...], tuple[bool, int | None, int | None]]] = []
    for task in scope:
        counts[task[STATUS]] += 1
        closed = task[CLOSED]
        due = None if closed else task[DUE_ORD]
        verdict = judged.get(due)
        if verdict is None:
            timing = judge(None if due is None else today - due)
            is_late, days_overdue, days_left = timing
            # Most urgent first: the longest overdue, then the nearest deadline, then the undated; by id within each.
            rank = (0, -days_overdue) if days_overdue is not None else (1, days_left) if days_left is not None else (2, 0)
            verdict = judged[due] = (timing, is_within(days_left, window), passes_window(is_late, days_left, overdue=overdue, due_within=within), rank)
        timing, is_soon, passes, rank = verdict
        late += timing[0]
        soon += is_soon
        ongoing += task[ONGOING] and not closed
        if passes:
            chosen.append((rank, task[ID], task, timing))
    chosen.sort()  # (rank, id) is unique per measure: the tuples after it are never compared
    summary = Summary(as_of=as_of, total=len(scope), by_status=counts, overdue=late, due_soon=soon, due_soon_days=window, ongoing=ongoing)

    from .console import headline

    headline(summary, run.lang)
    _fill(_cells(run, False, window), [picked[2] for picked in chosen], [picked[3] for picked in chosen]).print()
    return snap


@paused_gc()
def quick_list(
    run: Any, *, dept: str | None, section: str | None, status: str | None, overdue: bool, loaded: tuple[Tracker, date] | None = None
) -> Snapshot | None:
    """Print `wkx list` (table) from the index and return the snapshot; None (printing nothing) when it cannot."""
    opened = _open(run, loaded)
    if opened is None:
        return None
    snap, as_of = opened
    code = _department(snap, dept) if dept is not None else None
    heading = _section(snap, section) if section is not None else None
    if (dept is not None and code is None) or (section is not None and heading is None):
        return None
    chosen = _select(snap, as_of.toordinal(), dept=code, section=heading, status=status, overdue=overdue, due_within=None)
    today = as_of.toordinal()
    _fill(_cells(run, True, run.config.due_soon_days), chosen, [_timing(task, today) for task in chosen]).print()
    return snap
