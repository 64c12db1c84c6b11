"""Plain answers shared by the full query path (query.py) and the warm index (index.py), free of the record models."""

from __future__ import annotations

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
