"""The records of a tracker: plan, departments and measures, with the rules a hand-edited file must keep."""

from __future__ import annotations

import calendar
import functools
import os
import re
from datetime import date
from enum import StrEnum
from itertools import pairwise
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from .errors import RuleError, did_you_mean
from .messages import Msg, msg
from .yamlio import CONTROL, CONTROL_CHARS

ONGOING = "ongoing"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_CODE = r"^[a-z][a-z0-9_-]{0,31}$"


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"
    CANCELLED = "cancelled"

    @property
    def is_closed(self) -> bool:
        return self in (Status.DONE, Status.CANCELLED)


def check_due(value: str) -> str:
    """A deadline: `YYYY-MM` (the month's last day), `YYYY-MM-DD`, or `ongoing`."""
    if value == ONGOING or value in _DUES:  # (thousands of measures share a few deadlines: each is checked once)
        return value
    _check_due(value)
    if len(_DUES) >= 10_000:
        _DUES.clear()
    _DUES.add(value)
    return value


_DUES: set[str] = set()


def _check_due(value: str) -> None:
    if m := _MONTH.match(value):
        if int(m.group(1)) < 1:
            raise RuleError(msg("due.year_zero", value=value))
        if not 1 <= int(m.group(2)) <= 12:
            raise RuleError(msg("due.bad_month", value=value))
        return
    if _DAY.match(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            raise RuleError(msg("date.not_real", value=value)) from None
        return
    raise RuleError(msg("due.not_deadline", value=value))


@functools.lru_cache(maxsize=4096)
def due_last_day(due: str) -> date | None:
    """The last day a deadline allows: a month's last day, the date itself, or None when ongoing."""
    if due == ONGOING:
        return None
    if m := _MONTH.match(due):
        year, month = int(m.group(1)), int(m.group(2))
        return date(year, month, calendar.monthrange(year, month)[1])
    return date.fromisoformat(due)


class FieldError(RuleError):
    """A rule across fields, raised with the field the reader should look at."""

    def __init__(self, field: str, message: Msg) -> None:
        super().__init__(message)
        self.field = field


def _iso_date(value: object) -> object:
    """A date written as text: `YYYY-MM-DD`, a real day. Given to Pydantic as the date it is (the same few dates
    recur across thousands of progress notes: each is read once)."""
    if not isinstance(value, str):
        return value
    known = _DATES.get(value)
    if known is not None:
        return known
    if not _DAY.match(value):
        raise RuleError(msg("date.not_date", value=value))
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise RuleError(msg("date.not_real", value=value)) from None
    if len(_DATES) >= 10_000:
        _DATES.clear()
    _DATES[value] = day
    return day


_DATES: dict[str, date] = {}


def _one_line(value: str) -> str:
    if value.isprintable() and value and not value.isspace():  # (most texts: no line break, control or odd space)
        return value
    if not value.strip():
        raise RuleError(msg("text.empty"))
    if "\n" in value:
        raise RuleError(msg("text.one_line"))
    if (problem := control_problem(value)) is not None:
        raise RuleError(problem)
    return value


# The same rule as the file reader's: a record built in code can hold nothing a file may not. Checked in the one
# Python validator a field already has (OneLine), else by a pattern Pydantic matches in its own compiled code
# (Text): a Python call for every field of 10,000 records cost about a tenth of their validation.
TEXT_PATTERN = f"^[^{CONTROL_CHARS}]*$"


def control_problem(value: str) -> Msg | None:
    """What the first control character in value is told as (the code point), or None when it holds none."""
    m = CONTROL.search(value)
    return msg("record.control_char", char=f"U+{ord(m.group()):04X}") if m is not None else None


Text = Annotated[str, StringConstraints(pattern=TEXT_PATTERN)]


# `json_schema_extra` only shapes the JSON Schema editors check files against (see schema.py); it validates nothing.
Due = Annotated[str, AfterValidator(check_due), Field(json_schema_extra={"pattern": r"^([0-9]{4}-[0-9]{2}(-[0-9]{2})?|ongoing)$"})]
Code = Annotated[str, StringConstraints(pattern=_CODE)]
OneLine = Annotated[str, AfterValidator(_one_line), Field(json_schema_extra={"pattern": r"^[^\n]*\S[^\n]*$"})]


def _whole_number(value: object) -> object:
    # Files give text: only plain digits are a number here, not '10.0', '1_0' or '+10', which other tools read otherwise.
    if isinstance(value, str) and not (value.isdigit() and value.isascii()):
        raise RuleError(msg("number.not_whole", value=value))
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole_number)]
Percent = Annotated[WholeNumber, Field(ge=0, le=100)]
IsoDate = Annotated[date, BeforeValidator(_iso_date), Field(json_schema_extra={"pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})]


def _empty_list() -> Any:
    """An empty list by default, made fresh per record: Pydantic deep-copies a literal [] default for every record
    it validates (about a sixth of the time a measure takes to validate). The schema still says default []."""
    return Field(default_factory=list, json_schema_extra={"default": []})


def build(model: type[BaseModel]) -> None:
    """Build a model's validator now, if not built yet (models are built on first use: defer_build), without
    Pydantic's plugins when the command line asked (wkx_tasks.PYDANTIC_PLUGINS)."""
    if model.__pydantic_complete__:
        return
    import wkx_tasks

    if wkx_tasks.PYDANTIC_PLUGINS:
        model.model_rebuild()
        return
    # Pydantic's own switch, for this build only (Typer does the same around its adapters): the environment
    # is as it was afterwards, so that nothing wkx starts (git, an editor) inherits it.
    previous = os.environ.get(_NO_PLUGINS)
    os.environ[_NO_PLUGINS] = "1"
    try:
        model.model_rebuild()
    finally:
        if previous is None:
            os.environ.pop(_NO_PLUGINS, None)
        else:
            os.environ[_NO_PLUGINS] = previous


_NO_PLUGINS = "PYDANTIC_DISABLE_PLUGINS"


class _Record(BaseModel):
    # defer_build: a record served from the cache needs no validator, so the schema is built on first validation.
    # Every text field is OneLine or Text (no control characters; tests/test_models_text.py), a Code, a Due, or a choice.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False, use_enum_values=False, defer_build=True)


class Department(_Record):
    code: Code
    name: OneLine
    kind: Literal["department", "unit", "group"]
    members: list[Code] = _empty_list()


class Departments(_Record):
    departments: list[Department] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Departments:
        codes: dict[str, int] = {}
        names: dict[str, int] = {}
        for i, d in enumerate(self.departments):
            if d.code in codes:
                raise FieldError(f"departments.{i}.code", msg("departments.duplicate_code", code=d.code, entry=codes[d.code] + 1))
            if d.name in names:
                raise FieldError(f"departments.{i}.name", msg("departments.duplicate_name", name=d.name, entry=names[d.name] + 1))
            codes[d.code] = i
            names[d.name] = i
        for i, d in enumerate(self.departments):
            if d.members and d.kind != "group":
                raise FieldError(f"departments.{i}.members", msg("departments.members_not_group", code=d.code, kind=d.kind))
            for j, m in enumerate(d.members):
                if m not in codes:
                    raise FieldError(
                        f"departments.{i}.members.{j}", msg("departments.unknown_member", code=d.code, member=m, hint=did_you_mean(m, list(codes)))
                    )
                if m == d.code:
                    raise FieldError(f"departments.{i}.members.{j}", msg("departments.self_member", code=d.code))
        return self

    def by_code(self) -> dict[str, Department]:
        return {d.code: d for d in self.departments}


class Plan(_Record):
    number: OneLine
    title: OneLine
    notice_title: OneLine | None = None
    issuer: OneLine
    issued: IsoDate
    timezone: Text = "Asia/Shanghai"
    sections: list[OneLine] = Field(min_length=1)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise RuleError(msg("plan.unknown_zone", value=value)) from None
        return value

    @field_validator("sections")
    @classmethod
    def _unique_sections(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise RuleError(msg("plan.section_twice"))
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class Milestone(_Record):
    title: OneLine
    due: Due
    status: Status = Status.NOT_STARTED
    completed: IsoDate | None = None


class Update(_Record):
    """One entry of a measure's progress log."""

    date: IsoDate
    by: OneLine
    note: Text
    progress: Percent | None = None


class Urging(_Record):
    """A supervision reminder (督办) sent to the departments of an overdue or slipping measure."""

    date: IsoDate
    by: OneLine
    note: Text = ""


class Verification(_Record):
    """The second step of closure: the supervising department checked a measure reported done."""

    date: IsoDate
    by: OneLine
    note: Text = ""


class Task(_Record):
    """One measure of the plan: one file under data/tasks/."""

    id: WholeNumber = Field(gt=0)
    section: OneLine
    title: OneLine
    description: Text = ""
    lead: list[Code] = Field(min_length=1)
    cooperating: list[Code] = _empty_list()
    due: Due
    due_text: Text | None = None
    original_due: Due | None = None
    status: Status
    completed: IsoDate | None = None
    verified: Verification | None = None
    progress: Percent | None = None
    milestones: list[Milestone] = _empty_list()
    updates: list[Update] = _empty_list()
    urgings: list[Urging] = _empty_list()

    @field_validator("cooperating", mode="before")
    @classmethod
    def _none_is_empty(cls, value: object) -> object:
        return [] if value is None else value

    @model_validator(mode="after")
    def _consistent(self) -> Task:
        # Runs for every measure read: the field values are taken from __dict__ once, and the checks that cannot
        # find anything (no cooperating departments, one update or none) are skipped; the order of the checks,
        # and so which problem is told first, is as written.
        values = self.__dict__
        lead, cooperating = values["lead"], values["cooperating"]
        leads = set(lead)
        if len(leads) != len(lead):
            raise FieldError("lead", msg("task.department_twice", field="lead"))
        if cooperating:
            if len(set(cooperating)) != len(cooperating):
                raise FieldError("cooperating", msg("task.department_twice", field="cooperating"))
            both = leads.intersection(cooperating)
            if both:
                raise FieldError("cooperating", msg("task.lead_and_cooperating", code=sorted(both)[0]))
        status, completed = values["status"], values["completed"]
        if status == Status.DONE:
            if completed is None:
                raise FieldError("status", msg("task.done_without_completed"))
        else:
            if completed is not None:
                raise FieldError("completed", msg("task.completed_not_done", status=status.value))
            if values["verified"] is not None:
                raise FieldError("verified", msg("task.verified_not_done"))
        updates = values["updates"]
        if len(updates) > 1:
            for i, (earlier, later) in enumerate(pairwise(updates), start=1):
                if later.date < earlier.date:
                    raise FieldError(f"updates.{i}.date", msg("task.updates_out_of_order", later=str(later.date), earlier=str(earlier.date)))
        return self

    @property
    def due_date(self) -> date | None:
        return due_last_day(self.due)

    @property
    def is_ongoing(self) -> bool:
        return self.due == ONGOING

    @property
    def last_update(self) -> Update | None:
        return self.updates[-1] if self.updates else None
