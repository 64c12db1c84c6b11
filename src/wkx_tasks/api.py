"""The typed API behind the command line: open a tracker, ask it questions, get plain data back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .errors import DataError, Problem, UsageError
from .query import (
    DUE_SOON_DAYS,
    Filters,
    Summary,
    by_urgency,
    select,
    summarize,
    task_json,
    today_in,
)
from .store import Tracker, find_root, load_tracker

if TYPE_CHECKING:
    from .edit import UpdateRequest, UpdateResult
    from .history import Event, FieldOrigin


def open_tracker(root: Path | None = None, *, start: Path | None = None, at: str | None = None) -> Tracker:
    """Load the tracker at root (or found upwards from start / the current folder).

    With `at`, read it as committed at that revision (a commit id, tag, branch, HEAD~3) or at the last commit on or
    before the end of that day (YYYY-MM-DD) in the plan's time zone — from git objects, leaving the working tree
    alone. The tracker's `source` then names the commit.
    """
    folder = find_root(start=start, explicit=root)
    if at is None:
        return load_tracker(folder)
    from .gitrepo import GitSource, open_repo, resolve_at

    zone = plan_zone(folder)
    repo = open_repo(folder, f"--at {at}")
    revision = resolve_at(repo, at, zone)
    source = GitSource(folder, revision.sha, repo=repo)
    source.description = f"commit {revision.short} of {revision.date.strftime('%Y-%m-%d %H:%M %z')}"
    return load_tracker(folder, source)


def resolve_as_of(tracker: Tracker, as_of: date | None, now: datetime | None = None) -> date:
    """The date questions are asked at: the given one, else today on the plan's calendar."""
    if as_of is not None:
        return as_of
    return today_in(tracker.plan.zone, now or datetime.now(UTC))


def rows(tracker: Tracker, tasks: list[Any], as_of: date) -> list[dict[str, Any]]:
    path_of = {f.task.id: f.path for f in tracker.files}
    out = []
    for task in tasks:
        row = task_json(tracker, task, as_of)
        row["file"] = path_of.get(task.id)
        out.append(row)
    return out


def list_tasks(tracker: Tracker, filters: Filters, as_of: date) -> list[dict[str, Any]]:
    """Measures matching the filters, in id order, as JSON-contract rows."""
    return rows(tracker, select(tracker, filters, as_of), as_of)


@dataclass(frozen=True)
class StatusView:
    summary: Summary
    rows: list[dict[str, Any]]


def status(tracker: Tracker, filters: Filters, as_of: date, due_soon_days: int = DUE_SOON_DAYS) -> StatusView:
    """A headline over the department's or section's measures, and the rows the filters pick, most urgent first."""
    scope = select(tracker, Filters(dept=filters.dept, section=filters.section, status=filters.status), as_of)
    chosen = select(tracker, filters, as_of)
    return StatusView(summarize(scope, as_of, due_soon_days), rows(tracker, by_urgency(chosen, as_of), as_of))


def show(tracker: Tracker, task_id: int, as_of: date) -> dict[str, Any]:
    return rows(tracker, [tracker.task(task_id)], as_of)[0]


@dataclass(frozen=True)
class Validation:
    checked: int
    problems: list[Problem]

    @property
    def is_valid(self) -> bool:
        return not self.problems


def validate(tracker: Tracker) -> Validation:
    return Validation(checked=len(tracker.files), problems=sorted(tracker.problems))


# --- git: the tracker as recorded, its history, edits ------------------------------------------------


def plan_zone(root: Path) -> ZoneInfo:
    """The plan's time zone as the working tree states it (Asia/Shanghai when the plan cannot be read)."""
    from .models import Plan
    from .store import PLAN_FILE, WorkTree, _load_one

    plan, _, _ = _load_one(WorkTree(root), PLAN_FILE, Plan)
    return plan.zone if plan is not None else ZoneInfo("Asia/Shanghai")


def history(
    root: Path | None = None,
    *,
    start: Path | None = None,
    task_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    author: str | None = None,
    field: str | None = None,
    rev: str = "HEAD",
) -> list[Event]:
    """The audit trail of the tracker's measures, newest first (see history.read_history)."""
    from .history import read_history

    folder = find_root(start=start, explicit=root)
    if since is not None and until is not None and since > until:
        raise UsageError(f"--since {since} is after --until {until}; swap them")
    return read_history(folder, zone=plan_zone(folder), since=since, until=until, task_id=task_id, author=author, field=field, rev=rev)


def blame(root: Path | None = None, *, start: Path | None = None, task_id: int) -> list[FieldOrigin]:
    """For each field of a measure's file as it is now, the commit that last set its value."""
    from .edit import _find_file
    from .history import blame as blame_fields
    from .store import WorkTree
    from .yamlio import YamlProblems, load_bytes

    folder = find_root(start=start, explicit=root)
    relpath = _find_file(folder, task_id)
    try:
        doc = load_bytes(WorkTree(folder).read(relpath), relpath)
    except YamlProblems as exc:
        raise DataError(exc.problems, f"{relpath} cannot be read; fix it first (wkx validate lists the problems)") from None
    if not isinstance(doc.value, dict):
        raise DataError([Problem(relpath, 1, 1, "the file should hold 'key: value' lines")])
    return blame_fields(folder, task_id, doc.value, zone=plan_zone(folder))


def update(root: Path | None = None, *, start: Path | None = None, request: UpdateRequest, now: datetime | None = None) -> UpdateResult:
    """Edit a measure's file in place (see edit.update); `now` is the clock that dates the note and completion."""
    from .edit import update as do_update

    folder = find_root(start=start, explicit=root)
    today = today_in(plan_zone(folder), now or datetime.now(UTC))
    return do_update(folder, request, today=today)
