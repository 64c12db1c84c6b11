"""The typed API behind the command line: open a tracker, ask it questions, get plain data back."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from . import config
from .config import Config
from .errors import DataError, Problem, UsageError, did_you_mean
from .messages import msg
from .newtask import NewMeasure as NewMeasure
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


def open_tracker(
    root: Path | None = None, *, start: Path | None = None, at: str | None = None, settings: Config | None = None, background: bool = False
) -> Tracker:
    """Load the tracker at root (or found upwards from start / the current folder).

    With `at`, read it as committed at that revision (a commit id, tag, branch, HEAD~3) or at the last commit on or
    before the end of that day (YYYY-MM-DD) in the tracker's time zone (see tracker_zone; `settings` are the run's)
    — from git objects, leaving the working tree alone. The tracker's `source` then names the commit.

    background: see store.load_tracker (the caller then calls cache.finish_writes() before it ends).
    """
    folder = find_root(start=start, explicit=root)
    if at is None:
        return load_tracker(folder, background=background)
    from .gitrepo import GitSource, open_repo, resolve_at

    zone = tracker_zone(folder, settings)
    repo = open_repo(folder, f"--at {at}")
    revision = resolve_at(repo, at, zone)
    source = GitSource(folder, revision.sha, repo=repo)
    source.description = msg("source.commit_of", sha=revision.short, date=revision.date.strftime("%Y-%m-%d %H:%M %z"))
    tracker = load_tracker(folder, source)
    tracker.commit = revision.sha
    return tracker


def resolve_as_of(tracker: Tracker, as_of: date | None, now: datetime | None = None, zone: ZoneInfo | None = None) -> date:
    """The date questions are asked at: the given one, else today on the calendar of zone (default: the plan's)."""
    if as_of is not None:
        return as_of
    return today_in(zone or tracker.plan.zone, now or datetime.now(UTC))


def load_config(root: Path | None = None, *, start: Path | None = None) -> Config:
    """The settings for the tracker at root (or found from start / here); defaults and environment outside one.

    An explicit root that is not a tracker is a usage error; problems in wkx.toml are collected in the config.
    """
    from .locate import load_config as locate_config

    return locate_config(root, start=start)


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


def report(
    tracker: Tracker,
    *,
    as_of: date,
    now: datetime | None = None,
    since: str | date | None = None,
    dept: str | None = None,
    due_soon_days: int = DUE_SOON_DAYS,
    stale_days: int | None = None,
    title: str | None = None,
    zone: ZoneInfo | None = None,
) -> Any:
    """The report's data (reports.Report) at a date: the commit it was built from (the tracker's `--at` commit, else HEAD) and, with since, the changes of the period up to that commit."""
    from .reports import ChangeFeed, build_report, current_commit, load_changes, parse_since

    start = parse_since(since, as_of) if isinstance(since, str) else since
    commit, dirty = current_commit(tracker.root, tracker.commit)
    zone = zone or tracker.plan.zone
    feed = load_changes(tracker.root, zone=zone, since=start, until=as_of, rev=commit or "HEAD") if start is not None else ChangeFeed.not_requested(as_of)
    extra: dict[str, Any] = {"stale_days": stale_days} if stale_days is not None else {}
    return build_report(
        tracker,
        as_of=as_of,
        now=now or datetime.now(UTC),
        changes=feed,
        commit=commit,
        dirty=dirty,
        dept=dept,
        due_soon_days=due_soon_days,
        title=title,
        zone=zone,
        **extra,
    )


def validate_root(root: Path | None = None) -> tuple[Path, Validation]:
    """Check the tracker at root (or found from here) and its wkx.toml; a broken plan or department list is reported, not raised."""
    found = find_root(explicit=root)
    problems = list(config.resolve(found).problems)
    try:
        tracker = load_tracker(found)
    except DataError as exc:
        return found, Validation(checked=0, problems=sorted(problems + exc.problems))
    result = validate(tracker)
    return found, Validation(result.checked, sorted(problems + result.problems))


def write_schemas(tracker: Tracker, out_dir: Path | None = None) -> list[Path]:
    """Write the JSON Schemas of the data files (default: the tracker's schema/ folder); returns the paths."""
    from . import schema

    if out_dir is not None:
        return schema.write(tracker.departments, tracker.plan, out_dir)
    return schema.write(tracker.departments, tracker.plan, tracker.root / schema.SCHEMA_DIR, within=tracker.root)


def settings_in_force(cfg: Config, root: Path | None, root_source: config.Source = "default") -> list[config.Setting]:
    """Every setting with its value and origin, the tracker's root first; the plan fills what nothing else set."""
    try:
        found: Path | None = find_root(explicit=root)
    except UsageError:
        found = None
    where = {"option": "--root", "env": "$WKX_ROOT"}.get(root_source, f"found upwards from {Path.cwd()}")
    settings = [config.Setting("root", str(found) if found else None, root_source, where if found else "no tracker here or above")]
    if found is not None:
        # A broken plan leaves its values unknown here; `wkx validate` names the problem.
        with contextlib.suppress(DataError):
            cfg = cfg.with_plan(load_tracker(found).plan)
    settings.append(config.Setting("config_file", str(cfg.file) if cfg.file else None, "wkx.toml" if cfg.file else "default"))
    return settings + list(cfg.settings.values())


def new_measure(tracker: Tracker, measure: NewMeasure) -> tuple[int, Path]:
    """Add a measure with the next id as data/tasks/NN.yaml; checked first, written atomically, never over a file."""
    from . import newtask

    return newtask.add(tracker, measure)


# --- git: the tracker as recorded, its history, edits ------------------------------------------------


def tracker_zone(root: Path, settings: Config | None = None) -> ZoneInfo:
    """The zone the tracker at root judges days in, as Config.zone decides it: wkx.toml's (or $WKX_TIMEZONE's)
    timezone, else the plan's as the working tree states it, else Asia/Shanghai.

    `settings` are the run's (the command line passes its own); default: the tracker's wkx.toml and environment.
    """
    cfg = settings if settings is not None else config.resolve(root)
    if cfg["timezone"]:
        return cfg.zone(None)
    from .models import Plan
    from .store import PLAN_FILE, WorkTree, _load_one

    plan, _, _ = _load_one(WorkTree(root), PLAN_FILE, Plan)
    return cfg.zone(plan)


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
    settings: Config | None = None,
) -> list[Event]:
    """The audit trail of the tracker's measures, newest first (see history.read_history), dated in tracker_zone."""
    from .history import FIELD_ORDER, UNREADABLE, read_history

    folder = find_root(start=start, explicit=root)
    if since is not None and until is not None and since > until:
        raise UsageError(msg("api.since_after_until", since=str(since), until=str(until)))
    if field is not None and re.split(r"[\[.]", field, maxsplit=1)[0] not in (*FIELD_ORDER, UNREADABLE):
        raise UsageError(msg("api.unknown_field", field=field, hint=did_you_mean(field, FIELD_ORDER), fields=", ".join(FIELD_ORDER)))
    return read_history(folder, zone=tracker_zone(folder, settings), since=since, until=until, task_id=task_id, author=author, field=field, rev=rev)


def blame(root: Path | None = None, *, start: Path | None = None, task_id: int, settings: Config | None = None) -> list[FieldOrigin]:
    """For each field of a measure's file as it is now, the commit that last set its value."""
    from .edit import find_task_file
    from .history import blame as blame_fields
    from .store import SourceFileError, WorkTree
    from .yamlio import YamlProblems, load_bytes

    folder = find_root(start=start, explicit=root)
    relpath = find_task_file(folder, task_id)
    try:
        doc = load_bytes(WorkTree(folder).read(relpath), relpath)
    except SourceFileError as exc:
        raise DataError([Problem(relpath, None, None, exc.msg)], msg("api.cannot_read", path=relpath)) from None
    except YamlProblems as exc:
        raise DataError(exc.problems, msg("api.cannot_read", path=relpath)) from None
    if not isinstance(doc.value, dict):
        raise DataError([Problem(relpath, 1, 1, msg("api.not_mapping"))])
    return blame_fields(folder, task_id, doc.value, zone=tracker_zone(folder, settings))


def update(
    root: Path | None = None, *, start: Path | None = None, request: UpdateRequest, now: datetime | None = None, settings: Config | None = None
) -> UpdateResult:
    """Edit a measure's file in place (see edit.update); `now` is the clock that dates the note and completion, on
    the calendar of tracker_zone."""
    from .edit import update as do_update

    folder = find_root(start=start, explicit=root)
    today = today_in(tracker_zone(folder, settings), now or datetime.now(UTC))
    return do_update(folder, request, today=today)
