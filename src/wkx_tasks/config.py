"""Settings in force for a run, and where each comes from: default, plan.yaml, wkx.toml, the environment, an option.

A tracker may hold `wkx.toml` at its root (next to data/):

    timezone = "Asia/Shanghai"      # judge deadlines in this zone; overrides data/plan.yaml's
    language = "zh"                 # zh or en
    due_soon_days = 30              # the due-soon window of `wkx status`
    stale_update_days = 90          # an open measure whose last update is older than this is stale
    report_title = "…"              # the heading of reports; default: the plan's number and 工作进展报告

Each key may also be set by an environment variable, WKX_ + the key in capitals (WKX_LANGUAGE=en), which wins
over wkx.toml; a command-line option (--lang, --due-within) wins over both.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import DataError, Problem, RuleError, UsageError, did_you_mean
from .i18n import Lang
from .messages import count_msg, msg

CONFIG_FILE = "wkx.toml"
DUE_SOON_DAYS = 30
STALE_UPDATE_DAYS = 90
MAX_DAYS = 3650
DEFAULT_ZONE = "Asia/Shanghai"  # what a plan without a readable timezone is judged in

Source = Literal["default", "plan.yaml", "wkx.toml", "env", "option"]


@dataclass(frozen=True)
class Setting:
    """One setting's value and where it was set (`where` adds the line, or the variable or option's name)."""

    name: str
    value: Any
    source: Source
    where: str = ""

    def origin(self) -> str:
        return f"{self.source} ({self.where})" if self.where else self.source


def _zone(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RuleError(msg("config.zone_type"))
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise RuleError(msg("config.unknown_zone", value=value)) from None
    return value


def _language(value: Any) -> str:
    if value not in ("zh", "en"):
        raise RuleError(msg("config.language", value=str(value)))
    return str(value)


def _days(low: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise RuleError(msg("config.days_type", value=repr(value)))
        if not low <= value <= MAX_DAYS:
            raise RuleError(msg("config.days_range", low=low, high=MAX_DAYS, value=value))
        return value

    return check


def _title(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or "\n" in value:
        raise RuleError(msg("config.title"))
    return value


# key -> (check, default, help)
KEYS: dict[str, tuple[Callable[[Any], Any], Any, str]] = {
    "timezone": (_zone, None, "time zone deadlines are judged in (default: data/plan.yaml's timezone)"),
    "language": (_language, "zh", "language of labels: zh or en"),
    "due_soon_days": (_days(0), DUE_SOON_DAYS, "days ahead that count as due soon (wkx status)"),
    "stale_update_days": (_days(1), STALE_UPDATE_DAYS, "days after which an open measure's last update is stale"),
    "report_title": (_title, None, "heading of reports (default: the plan's number and 工作进展报告 / Status report)"),
}
ENV_PREFIX = "WKX_"


@dataclass(frozen=True)
class Config:
    settings: dict[str, Setting] = field(default_factory=dict)
    file: Path | None = None
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def default(cls) -> Config:
        """Every setting at its default: no wkx.toml, no environment."""
        return resolve(None, env={})

    def __getitem__(self, name: str) -> Any:
        return self.settings[name].value

    @property
    def language(self) -> Lang:
        return "en" if self["language"] == "en" else "zh"

    @property
    def due_soon_days(self) -> int:
        return int(self["due_soon_days"])

    @property
    def stale_update_days(self) -> int:
        return int(self["stale_update_days"])

    def with_option(self, name: str, value: Any, option: str) -> Config:
        """The config with a command-line option's value for a setting (options win over everything)."""
        if value is None:
            return self
        return replace(self, settings={**self.settings, name: Setting(name, value, "option", option)})

    def with_plan(self, plan: Any) -> Config:
        """Fill what the plan provides when nothing else set it: its time zone (the report's default title, the plan's
        number and 工作进展报告, is made by the report itself)."""
        settings = dict(self.settings)
        for name, value in (("timezone", plan.timezone),):
            if settings[name].source == "default":
                settings[name] = Setting(name, value, "plan.yaml", "data/plan.yaml")
        return replace(self, settings=settings)

    def zone(self, plan: Any) -> ZoneInfo:
        """The zone deadlines and days are judged in: wkx.toml's (or the environment's) timezone, else the plan's.

        The one place that decides it; `plan` may be None (a plan that cannot be read): Asia/Shanghai then.
        """
        value = self["timezone"]
        if value:
            return ZoneInfo(value)
        return plan.zone if plan is not None else ZoneInfo(DEFAULT_ZONE)

    def raise_if_broken(self) -> None:
        if self.problems:
            raise DataError(self.problems, count_msg(len(self.problems), "config.broken.one", "config.broken.many", file=CONFIG_FILE))


def _key_position(text: str, key: str) -> tuple[int | None, int | None]:
    """(line, column of its value) where a top-level key is written; for a [table] header, its first column."""
    k = re.escape(key)
    assignment = re.compile(rf"""^\s*(["']?){k}\1\s*=\s*""")
    table = re.compile(rf"""^(\s*)\[\s*(["']?){k}\2\s*[\].]""")
    for number, line in enumerate(text.splitlines(), start=1):
        if m := assignment.match(line):
            return number, m.end() + 1
        if m := table.match(line):
            return number, len(m.group(1)) + 1
    return None, None


def read_file(path: Path) -> tuple[dict[str, tuple[Any, str]], list[Problem]]:
    """wkx.toml's settings (value, 'wkx.toml:LINE') and a problem for every unknown key or bad value."""
    import tomllib

    label = CONFIG_FILE
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}, [Problem(label, None, None, msg("config.not_utf8"))]
    except OSError as exc:
        return {}, [Problem(label, None, None, msg("source.cannot_read", detail=str(exc.strerror or exc)))]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "syntax error"
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        return {}, [Problem(label, line, col, msg("config.toml_syntax", detail=message))]
    values: dict[str, tuple[Any, str]] = {}
    problems: list[Problem] = []
    for key, value in data.items():
        line, col = _key_position(text, key)
        if key not in KEYS:
            hint = did_you_mean(key, list(KEYS))
            problems.append(Problem(label, line, 1 if line else None, msg("config.unknown_key", key=key, hint=hint, keys=", ".join(KEYS))))
            continue
        check = KEYS[key][0]
        try:
            values[key] = (check(value), f"{label}:{line}" if line else label)
        except RuleError as exc:
            problems.append(Problem(label, line, col, msg("field", name=key, detail=exc.msg)))
    return values, problems


def _not_readable(root: Path) -> list[Problem]:
    """A problem when wkx.toml is there but is not a file wkx reads: linked from outside the tracker, or not a regular file."""
    import stat

    from .files import OutsideTracker, inside

    try:
        path = inside(root, CONFIG_FILE)
    except OutsideTracker as exc:
        return [Problem(CONFIG_FILE, None, None, exc.msg)]
    try:
        regular = stat.S_ISREG(path.stat().st_mode)
    except OSError as exc:
        return [Problem(CONFIG_FILE, None, None, msg("source.cannot_read", detail=str(exc.strerror or exc)))]
    return [] if regular else [Problem(CONFIG_FILE, None, None, msg("config.not_regular"))]


def resolve(root: Path | None, env: Mapping[str, str] | None = None) -> Config:
    """The settings for a tracker root (None: no tracker found; defaults and the environment only).

    Problems in wkx.toml are collected, not raised (see Config.raise_if_broken); a bad environment variable is a
    usage error, since it was set for this run.
    """
    env = os.environ if env is None else env
    settings = {name: Setting(name, default, "default") for name, (_check, default, _help) in KEYS.items()}
    file = root / CONFIG_FILE if root is not None else None
    problems: list[Problem] = []
    if root is not None and file is not None and os.path.lexists(file):
        problems = _not_readable(root)
    if file is not None and file.is_file() and not problems:
        values, problems = read_file(file)
        for name, (value, where) in values.items():
            settings[name] = Setting(name, value, "wkx.toml", where)
    for name, (check, _default, _help) in KEYS.items():
        var = ENV_PREFIX + name.upper()
        raw = env.get(var)
        if raw is None or raw == "":
            continue
        try:
            # The environment holds only text; a number of days is written there without quotes.
            settings[name] = Setting(name, check(int(raw) if raw.strip().isdigit() else raw), "env", var)
        except RuleError as exc:
            raise UsageError(msg("config.env", var=var, detail=exc.msg)) from None
    return Config(settings=settings, file=file if file is not None and file.is_file() else None, problems=problems)
