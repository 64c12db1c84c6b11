"""Plain answers shared by the full query path (query.py) and the warm index (index.py), free of the record models."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .config import DUE_SOON_DAYS


@dataclass(frozen=True)
class Summary:
    as_of: date
    total: int
    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    due_soon: int = 0
    due_soon_days: int = DUE_SOON_DAYS
    ongoing: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "total": self.total,
            "by_status": self.by_status,
            "overdue": self.overdue,
            "due_soon": self.due_soon,
            "due_soon_days": self.due_soon_days,
            "ongoing": self.ongoing,
        }


def judge(days_past_due: int | None) -> tuple[bool, int | None, int | None]:
    """(overdue, days overdue, days left) from how many days the judging date lies past the deadline's last day;
    None for a measure with no dated deadline or one that is closed: neither overdue nor due."""
    if days_past_due is None:
        return False, None, None
    if days_past_due > 0:
        return True, days_past_due, None
    return False, None, -days_past_due


def is_within(days_left: int | None, days: int) -> bool:
    return days_left is not None and 0 <= days_left <= days


def passes_window(late: bool, days_left: int | None, *, overdue: bool, due_within: int | None) -> bool:
    """The --overdue / --due-within filters: either asked alone, or both together meaning 'late or due soon'."""
    if overdue and due_within is not None:
        return late or is_within(days_left, due_within)
    if overdue and not late:
        return False
    return due_within is None or is_within(days_left, due_within)


def match_department(departments: Iterable[tuple[str, str]], text: str) -> str | None:
    """The code of the department whose (code, name) is text — a code first, then a name as the notice writes it."""
    pairs = list(departments)
    for code, _name in pairs:
        if text == code:
            return code
    for code, name in pairs:
        if text == name:
            return code
    return None


def match_section(sections: Sequence[str], text: str) -> str | None:
    """A section from its number (1–4, 一–四), its heading, or the heading without the numeral."""
    numerals = "一二三四五六七八九十"
    for i, heading in enumerate(sections, start=1):
        bare = heading.split("、", 1)[-1]
        if text in (heading, bare, str(i)) or (i <= len(numerals) and text == numerals[i - 1]):
            return heading
    return None
