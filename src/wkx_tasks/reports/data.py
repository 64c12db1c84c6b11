"""The report's content, built once from a tracker and a change feed; every format renders this and nothing else."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from wkx_tasks.config import STALE_UPDATE_DAYS
from wkx_tasks.errors import UsageError
from wkx_tasks.messages import msg
from wkx_tasks.models import Status, Task
from wkx_tasks.query import DUE_SOON_DAYS, Filters, by_urgency, resolve_department, select, summarize, timing
from wkx_tasks.store import Tracker

STALE_DAYS = STALE_UPDATE_DAYS
STATES = ("overdue", "due_soon", "open", "ongoing", "done", "cancelled")
_SINCE_DAYS = re.compile(r"^(\d{1,4})([dw])$")


def parse_since(text: str, as_of: date) -> date:
    """`--since`: a date (YYYY-MM-DD) or a span back from the as-of date (7d, 2w)."""
    m = _SINCE_DAYS.match(text.strip())
    if m:
        days = int(m.group(1)) * (7 if m.group(2) == "w" else 1)
        return as_of - timedelta(days=days)
    try:
        since = date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(msg("report.bad_since", text=text)) from None
    if since > as_of:
        raise UsageError(msg("report.since_after", since=str(since), as_of=str(as_of)))
    return since


@dataclass(frozen=True)
class ChangeFeed:
    """What the history gave for the period: event dicts (see wkx_tasks.history.Event.as_dict), or why there are none."""

    since: date | None
    until: date | None
    events: list[dict[str, Any]] | None = None
    note: str | None = None
    reason: str | None = None  # not_git, shallow, no_commits: shown in the report's language

    @property
    def available(self) -> bool:
        return self.events is not None

    @classmethod
    def not_requested(cls, until: date | None = None) -> ChangeFeed:
        return cls(since=None, until=until, events=None, note=None)

    @classmethod
    def unavailable(cls, since: date | None, until: date | None, note: str, reason: str | None = None) -> ChangeFeed:
        return cls(since=since, until=until, events=None, note=note, reason=reason)


@dataclass(frozen=True)
class Header:
    plan_number: str
    plan_title: str
    issuer: str
    issued: date
    timezone: str
    as_of: date
    generated_at: datetime
    commit: str | None
    dirty: bool
    department: dict[str, str] | None
    since: date | None
    title: str | None = None  # wkx.toml's report_title; templates fall back to '<number> 工作进展报告'


@dataclass(frozen=True)
class Headline:
    total: int
    by_status: dict[str, int]
    overdue: int
    due_soon: int
    due_soon_days: int
    ongoing: int
    stale: int
    stale_days: int


@dataclass(frozen=True)
class Measure:
    id: int
    section: str
    section_no: int | None
    title: str
    description: str
    lead: list[dict[str, str]]
    cooperating: list[dict[str, str]]
    deadline: str
    due: date | None
    due_text: str | None
    status: str
    state: str
    days_overdue: int | None
    days_left: int | None
    progress: int | None
    last_update: dict[str, Any] | None
    days_since_update: int
    stale: bool
    file: str


@dataclass(frozen=True)
class SectionProgress:
    no: int
    section: str
    total: int
    by_state: dict[str, int]
    done: int
    overdue: int
    done_pct: int | None
    avg_progress: int | None


@dataclass(frozen=True)
class DepartmentLine:
    code: str
    name: str
    kind: str
    roles: dict[int, str]
    lead: int
    cooperating: int
    overdue_as_lead: int


@dataclass(frozen=True)
class Change:
    when: str
    date: str
    author: str
    commit: str
    id: int | None
    title: str | None
    kind: str
    path: str
    old_path: str | None
    changes: list[dict[str, Any]]
    status_change: bool
    deadline_move: bool
    reopening: bool


@dataclass(frozen=True)
class Changes:
    requested: bool
    available: bool
    note: str | None
    reason: str | None
    since: date | None
    until: date | None
    entries: list[Change]
    status_changes: int
    deadline_moves: int
    reopenings: int


@dataclass(frozen=True)
class Timeline:
    start: date
    end: date
    as_of: date


@dataclass(frozen=True)
class Report:
    header: Header
    headline: Headline
    measures: list[Measure]
    overdue: list[Measure]
    due_soon: list[Measure]
    ongoing: list[Measure]
    stale: list[Measure]
    sections: list[SectionProgress]
    departments: list[DepartmentLine]
    changes: Changes
    timeline: Timeline
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON data: dates as ISO text, keys as text; the JSON format and the templates both read this."""
        plain: dict[str, Any] = _plain(dataclasses.asdict(self))
        return plain


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _state(task: Task, as_of: date, due_soon_days: int) -> str:
    if task.status == Status.DONE:
        return "done"
    if task.status == Status.CANCELLED:
        return "cancelled"
    t = timing(task, as_of)
    if t.is_overdue:
        return "overdue"
    if t.is_due_within(due_soon_days):
        return "due_soon"
    return "ongoing" if task.is_ongoing else "open"


def _measure(tracker: Tracker, task: Task, as_of: date, due_soon_days: int, stale_days: int, path: str) -> Measure:
    by_code = tracker.departments.by_code()

    def people(codes: list[str]) -> list[dict[str, str]]:
        return [{"code": c, "name": by_code[c].name if c in by_code else c} for c in codes]

    t = timing(task, as_of)
    last = task.last_update
    # A measure with no progress log has had no update since the plan was issued.
    since = (as_of - (last.date if last else tracker.plan.issued)).days
    sections = tracker.plan.sections
    return Measure(
        id=task.id,
        section=task.section,
        section_no=sections.index(task.section) + 1 if task.section in sections else None,
        title=task.title,
        description=task.description,
        lead=people(task.lead),
        cooperating=people(task.cooperating),
        deadline=task.due,
        due=t.due_date,
        due_text=task.due_text,
        status=task.status.value,
        state=_state(task, as_of, due_soon_days),
        days_overdue=t.days_overdue,
        days_left=t.days_left,
        progress=task.progress,
        last_update=last.model_dump(mode="json", exclude_none=True) if last else None,
        days_since_update=since,
        stale=not task.status.is_closed and since >= stale_days,
        file=path,
    )


def _changes(feed: ChangeFeed, titles: dict[int, str], scope: set[int] | None) -> Changes:
    items: list[Change] = []
    for event in feed.events or []:
        task_id = event.get("id")
        if scope is not None and task_id not in scope:
            continue
        fields = [c for c in event.get("changes") or [] if isinstance(c, dict)]
        status = [c for c in fields if c.get("field") == "status"]
        when = str(event.get("date") or "")
        items.append(
            Change(
                when=when[:16].replace("T", " "),
                date=when[:10],
                author=str(event.get("author") or ""),
                commit=str(event.get("commit") or "")[:10],
                id=task_id if isinstance(task_id, int) else None,
                title=titles.get(task_id) if isinstance(task_id, int) else None,
                kind=str(event.get("kind") or "modified"),
                path=str(event.get("path") or ""),
                old_path=event.get("old_path"),
                changes=fields,
                status_change=bool(status),
                # As history judges them (Event.as_dict): a deadline that moved later or earlier; done set to anything else.
                deadline_move=event.get("deadline_move") is not None,
                reopening=bool(event.get("reopening")),
            )
        )
    items.sort(key=lambda c: c.when)
    return Changes(
        requested=feed.since is not None,
        available=feed.available,
        note=feed.note,
        reason=feed.reason,
        since=feed.since,
        until=feed.until,
        entries=items,
        status_changes=sum(c.status_change for c in items),
        deadline_moves=sum(c.deadline_move for c in items),
        reopenings=sum(c.reopening for c in items),
    )


def build_report(
    tracker: Tracker,
    *,
    as_of: date,
    now: datetime,
    changes: ChangeFeed,
    commit: str | None = None,
    dirty: bool = False,
    dept: str | None = None,
    due_soon_days: int = DUE_SOON_DAYS,
    stale_days: int = STALE_DAYS,
    title: str | None = None,
    zone: ZoneInfo | None = None,
) -> Report:
    """Everything a report says, at a date, for the whole plan or one department's measures (lead or cooperating)."""
    plan = tracker.plan
    code = resolve_department(tracker.departments, dept) if dept else None
    tasks = select(tracker, Filters(dept=code), as_of)
    path_of = {f.task.id: f.path for f in tracker.files}
    measures = [_measure(tracker, t, as_of, due_soon_days, stale_days, path_of.get(t.id, "")) for t in tasks]
    by_id = {m.id: m for m in measures}
    urgent = [by_id[t.id] for t in by_urgency(tasks, as_of)]
    summary = summarize(tasks, as_of, due_soon_days)

    sections = []
    for no, heading in enumerate(plan.sections, start=1):
        mine = [m for m in measures if m.section == heading]
        if not mine:
            continue
        counted = [m for m in mine if m.status != "cancelled"]
        done = sum(m.status == "done" for m in mine)
        progress = [100 if m.status == "done" else m.progress or 0 for m in counted if m.status == "done" or m.progress is not None]
        sections.append(
            SectionProgress(
                no=no,
                section=heading,
                total=len(mine),
                by_state={s: sum(m.state == s for m in mine) for s in STATES},
                done=done,
                overdue=sum(m.state == "overdue" for m in mine),
                done_pct=round(100 * done / len(counted)) if counted else None,
                avg_progress=round(sum(progress) / len(progress)) if progress else None,
            )
        )

    lines = []
    for d in tracker.departments.departments:
        roles = {t.id: "lead" for t in tasks if d.code in t.lead} | {t.id: "cooperating" for t in tasks if d.code in t.cooperating}
        if not roles:
            continue
        lead = [i for i, r in roles.items() if r == "lead"]
        lines.append(
            DepartmentLine(
                code=d.code,
                name=d.name,
                kind=d.kind,
                roles=dict(sorted(roles.items())),
                lead=len(lead),
                cooperating=len(roles) - len(lead),
                overdue_as_lead=sum(by_id[i].state == "overdue" for i in lead),
            )
        )

    dues = [m.due for m in measures if m.due is not None]
    start = min([plan.issued, *dues])
    end = max([as_of, *dues])
    name_of = tracker.departments.by_code()
    header = Header(
        plan_number=plan.number,
        plan_title=plan.title,
        issuer=plan.issuer,
        issued=plan.issued,
        timezone=zone.key if zone is not None else plan.timezone,
        as_of=as_of,
        generated_at=now.astimezone(zone or plan.zone).replace(microsecond=0),
        commit=commit,
        dirty=dirty,
        department={"code": code, "name": name_of[code].name} if code else None,
        since=changes.since,
        title=title,
    )
    return Report(
        header=header,
        headline=Headline(
            total=summary.total,
            by_status=summary.by_status,
            overdue=summary.overdue,
            due_soon=summary.due_soon,
            due_soon_days=due_soon_days,
            ongoing=summary.ongoing,
            stale=sum(m.stale for m in measures),
            stale_days=stale_days,
        ),
        measures=measures,
        overdue=[m for m in urgent if m.state == "overdue"],
        due_soon=[m for m in urgent if m.state == "due_soon"],
        ongoing=[m for m in measures if m.state == "ongoing"],
        stale=sorted((m for m in measures if m.stale), key=lambda m: (-m.days_since_update, m.id)),
        sections=sections,
        departments=lines,
        changes=_changes(changes, {t.id: t.title for t in tracker.tasks}, set(by_id) if code else None),
        timeline=Timeline(start=start, end=end, as_of=as_of),
        problems=[str(p) for p in sorted(tracker.problems)],
    )
