"""Adding a measure: the next id, a file laid out like the shipped ones, checked before it is written."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError, RuleError, UsageError
from .files import OutsideTracker, atomic_write, locked
from .messages import msg
from .models import Status, Task, check_due
from .query import resolve_department, resolve_section
from .schema import modeline
from .store import TASKS_DIR, TaskFile, Tracker, WorkTree, check_references, task_paths, validate_document
from .yamlio import YamlProblems, load_bytes, parse

DEFAULT_WIDTH = 2


@dataclass(frozen=True)
class NewMeasure:
    """What a person gives for a new measure; codes may be written as names, the section as its number."""

    title: str
    section: str
    lead: list[str]
    due: str
    cooperating: list[str] = field(default_factory=list)
    description: str = ""
    due_text: str | None = None


def next_id(tracker: Tracker) -> int:
    """One more than the highest id in use, counting files that did not load (their names hold their number)."""
    numbers, _ = task_paths(WorkTree(tracker.root))
    used = [n for n, _path in numbers] + [t.id for t in tracker.tasks]
    return max(used, default=0) + 1


def file_name(tracker: Tracker, task_id: int) -> str:
    """`NN.yaml`, zero-padded like the files already there (two digits for the shipped plan)."""
    names = [Path(p).name for _n, p in task_paths(WorkTree(tracker.root))[0]]
    widths = [len(name.split(".")[0].split("-")[0]) for name in names if name.split(".")[0].split("-")[0].startswith("0")]
    width = max(widths, default=DEFAULT_WIDTH)
    return f"{task_id:0{width}d}.yaml"


def _scalar(value: str) -> str:
    """The value as wkx's strict reader reads it back: plain when that is exact, else double-quoted."""
    try:
        if parse(f"k: {value}\n", "-").value == {"k": value} and value == value.strip():
            return value
    except YamlProblems:
        pass
    return json.dumps(value, ensure_ascii=False)


def _codes(label: str, codes: list[str], names: dict[str, str], width: int) -> list[str]:
    if not codes:
        return [f"{label}: []"]
    return [f"{label}:", *(f"  - {code:<{width}}  # {names[code]}" for code in codes)]


def render(tracker: Tracker, m: NewMeasure, task_id: int) -> str:
    """The file's text, in the layout of the shipped files: modeline, a comment, keys in order, names beside codes."""
    names = {d.code: d.name for d in tracker.departments.departments}
    width = max(len(c) for c in [*m.lead, *m.cooperating])
    rel = f"{TASKS_DIR}/{file_name(tracker, task_id)}"
    lines = [
        modeline(rel),
        f"# 第 {task_id} 项工作措施（用 wkx new 添加）。",
        f"id: {task_id}",
        f"section: {_scalar(m.section)}",
        f"title: {_scalar(m.title)}",
    ]
    if m.description:
        lines.append(f"description: {_scalar(m.description)}")
    lines += _codes("lead", m.lead, names, width)
    lines += _codes("cooperating", m.cooperating, names, width)
    lines.append(f"due: {_scalar(m.due)}")
    if m.due_text:
        lines.append(f"due_text: {_scalar(m.due_text)}")
    lines.append(f"status: {Status.NOT_STARTED.value}")
    return "\n".join(lines) + "\n"


def normalize(tracker: Tracker, m: NewMeasure) -> NewMeasure:
    """Codes from codes or names, the section from its number or heading, the deadline checked; usage errors name the option."""
    if not m.title.strip() or "\n" in m.title:
        raise UsageError(msg("new.title"))
    if not m.lead:
        raise UsageError(msg("new.lead"))

    def codes(option: str, given: list[str]) -> list[str]:
        out: list[str] = []
        for text in given:
            for part in text.replace("，", ",").replace("、", ",").split(","):
                if part.strip():
                    code = resolve_department(tracker.departments, part.strip(), option)
                    if code not in out:
                        out.append(code)
        return out

    lead = codes("--lead", m.lead)
    if not lead:
        raise UsageError(msg("new.lead"))
    cooperating = [c for c in codes("--cooperating", m.cooperating) if c not in lead]
    section = resolve_section(tracker.plan, m.section.strip())
    try:
        due = check_due(m.due.strip())
    except RuleError as exc:
        raise UsageError(msg("field", name="--due", detail=exc.msg)) from None
    return NewMeasure(m.title.strip(), section, lead, due, cooperating, m.description.strip(), (m.due_text or "").strip() or None)


def check(tracker: Tracker, text: str, rel: str) -> None:
    """Read the new file back as `wkx validate` would, with the tracker's codes and sections; raise on any problem."""
    try:
        doc = load_bytes(text.encode("utf-8"), rel)
    except YamlProblems as exc:
        raise DataError(exc.problems, msg("new.invalid")) from None
    task, problems = validate_document(Task, doc, rel)
    if task is not None:
        number = int(Path(rel).name.split(".")[0])
        _good, problems = check_references([TaskFile(task, rel, doc)], [(number, rel)], tracker.plan, tracker.departments)
    if problems:
        raise DataError(problems, msg("new.invalid"))


def add(tracker: Tracker, measure: NewMeasure) -> tuple[int, Path]:
    """Write the new measure as data/tasks/NN.yaml, atomically; never over an existing file. Returns (id, path)."""
    m = normalize(tracker, measure)
    folder = tracker.root / TASKS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    with locked(folder):
        task_id = next_id(tracker)
        name = file_name(tracker, task_id)
        rel = f"{TASKS_DIR}/{name}"
        path = folder / name
        text = render(tracker, m, task_id)
        check(tracker, text, rel)
        taken = [p for p in folder.iterdir() if p.name.split(".")[0].split("-")[0].lstrip("0") == str(task_id)]
        if path.exists() or taken:
            raise UsageError(msg("new.exists", path=str((taken or [path])[0].relative_to(tracker.root))))
        try:
            atomic_write(path, text.encode("utf-8"), within=tracker.root)
        except OutsideTracker as exc:
            raise UsageError(msg("edit.path_nothing_written", path=rel, reason=exc.msg)) from None
    return task_id, path
