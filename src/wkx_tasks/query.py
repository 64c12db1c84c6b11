"""Questions asked of a tracker at a date: what is overdue, due soon, whose it is — and the JSON contract."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from .config import DUE_SOON_DAYS as DUE_SOON_DAYS  # the default lives with the other settings
from .errors import UsageError, did_you_mean
from .messages import msg
from .models import Departments, Plan, Status, Task
from .store import Tracker
from .views import Summary as Summary
from .views import is_within, judge, match_department, match_section, passes_window


def today_in(zone: ZoneInfo, now: datetime) -> date:
    """The calendar date in the plan's time zone at an instant: overdue is judged on Beijing's calendar, not the server's."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(zone).date()


@dataclass(frozen=True)
class Timing:
    due_date: date | None
    is_overdue: bool
    days_overdue: int | None
    days_left: int | None

    def is_due_within(self, days: int) -> bool:
        return is_within(self.days_left, days)


def timing(task: Task, as_of: date) -> Timing:
    """Where a measure stands against its deadline on a date. Closed measures are neither overdue nor due."""
    due = task.due_date
    return Timing(due, *judge(None if due is None or task.status.is_closed else (as_of - due).days))


@dataclass(frozen=True)
class Filters:
    dept: str | None = None
    section: str | None = None
    status: Status | None = None
    overdue: bool = False
    due_within: int | None = None


def resolve_department(departments: Departments, text: str, option: str = "--dept") -> str:
    """A department code from a code or a name as the notice writes it; a usage error otherwise."""
    by_code = departments.by_code()
    code = match_department(((d.code, d.name) for d in departments.departments), text)
    if code is not None:
        return code
    choices = list(by_code) + [d.name for d in departments.departments]
    raise UsageError(msg("query.unknown_department", option=option, text=text, hint=did_you_mean(text, choices), codes=", ".join(by_code)))


def resolve_section(plan: Plan, text: str) -> str:
    """A section from its number (1–4, 一–四), its heading, or the heading without the numeral."""
    heading = match_section(plan.sections, text)
    if heading is not None:
        return heading
    listing = "; ".join(f"{i} {s}" for i, s in enumerate(plan.sections, start=1))
    raise UsageError(msg("query.unknown_section", text=text, listing=listing))


def department_roles(task: Task, code: str, departments: Departments) -> list[str]:
    """The roles ('lead', 'cooperating') a department has in a measure, directly, through a group it belongs to, or as a group."""
    names = {code} | {d.code for d in departments.departments if code in d.members}
    roles = []
    if any(c in names for c in task.lead):
        roles.append("lead")
    if any(c in names for c in task.cooperating):
        roles.append("cooperating")
    return roles


def select(tracker: Tracker, filters: Filters, as_of: date) -> list[Task]:
    dept = resolve_department(tracker.departments, filters.dept) if filters.dept else None
    section = resolve_section(tracker.plan, filters.section) if filters.section else None
    chosen = []
    for task in tracker.tasks:
        if section is not None and task.section != section:
            continue
        if filters.status is not None and task.status != filters.status:
            continue
        if dept is not None and not department_roles(task, dept, tracker.departments):
            continue
        t = timing(task, as_of)
        if not passes_window(t.is_overdue, t.days_left, overdue=filters.overdue, due_within=filters.due_within):
            continue
        chosen.append(task)
    return chosen


def by_urgency(tasks: list[Task], as_of: date) -> list[Task]:
    """Most overdue first, then nearest deadline, then ongoing and closed; ties by id."""

    def key(task: Task) -> tuple[int, int, int]:
        t = timing(task, as_of)
        if t.days_overdue is not None:
            return (0, -t.days_overdue, task.id)
        if t.days_left is not None:
            return (1, t.days_left, task.id)
        return (2, 0, task.id)

    return sorted(tasks, key=key)


def summarize(tasks: list[Task], as_of: date, due_soon_days: int = DUE_SOON_DAYS) -> Summary:
    counts = Counter(t.status.value for t in tasks)
    timings = [timing(t, as_of) for t in tasks]
    return Summary(
        as_of=as_of,
        total=len(tasks),
        by_status={s.value: counts.get(s.value, 0) for s in Status},
        overdue=sum(t.is_overdue for t in timings),
        due_soon=sum(t.is_due_within(due_soon_days) for t in timings),
        due_soon_days=due_soon_days,
        ongoing=sum(1 for t in tasks if t.is_ongoing and not t.status.is_closed),
    )


def task_json(tracker: Tracker, task: Task, as_of: date) -> dict[str, Any]:
    """One measure as the JSON contract gives it: stable keys, names beside codes, dates in ISO form."""
    by_code = tracker.departments.by_code()

    def people(codes: list[str]) -> list[dict[str, str]]:
        return [{"code": c, "name": by_code[c].name if c in by_code else c} for c in codes]

    t = timing(task, as_of)
    last = task.last_update
    return {
        "id": task.id,
        "section": task.section,
        "section_no": tracker.plan.sections.index(task.section) + 1 if task.section in tracker.plan.sections else None,
        "title": task.title,
        "description": task.description,
        "lead": people(task.lead),
        "cooperating": people(task.cooperating),
        "due": t.due_date.isoformat() if t.due_date else None,
        "due_text": task.due_text,
        "deadline": task.due,
        "original_due": task.original_due,
        "status": task.status.value,
        "overdue": t.is_overdue,
        "days_overdue": t.days_overdue,
        "days_left": t.days_left,
        "completed": task.completed.isoformat() if task.completed else None,
        "verified": task.verified.model_dump(mode="json") if task.verified else None,
        "progress": task.progress,
        "milestones": [m.model_dump(mode="json") for m in task.milestones],
        "updates": [u.model_dump(mode="json", exclude_none=True) for u in task.updates],
        "urgings": [u.model_dump(mode="json") for u in task.urgings],
        "last_update": last.model_dump(mode="json", exclude_none=True) if last else None,
    }
