"""Loading a tracker — plan, departments and measures — from its files, with every problem placed."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import DataError, Problem, RuleError, UsageError, did_you_mean
from .messages import Msg, msg
from .models import TEXT_PATTERN, Departments, FieldError, Plan, Task, build, control_problem
from .worktree import TASK_FILE as TASK_FILE
from .worktree import Parsed as Parsed
from .worktree import Source as Source
from .worktree import SourceFileError as SourceFileError
from .worktree import WorkTree as WorkTree
from .worktree import parse_only as _parse_only
from .worktree import task_paths as task_paths
from .yamlio import Document, LazyDocument, YamlProblems, load_bytes

if TYPE_CHECKING:
    from .cache import RecordCache

from .locate import DATA as DATA
from .locate import DEPARTMENTS_FILE as DEPARTMENTS_FILE
from .locate import PLAN_FILE as PLAN_FILE
from .locate import TASKS_DIR as TASKS_DIR
from .locate import find_root as find_root

M = TypeVar("M", bound=BaseModel)


@dataclass(slots=True)
class TaskFile:
    """A measure together with the file it came from and where each of its values is written."""

    task: Task
    path: str
    document: Document


@dataclass
class Tracker:
    root: Path
    plan: Plan
    departments: Departments
    files: list[TaskFile]
    problems: list[Problem] = field(default_factory=list)
    source: str | Msg = "working tree"
    commit: str | None = None  # the commit read from, when not the working tree (`--at`)
    indexed: bool = False  # read from the working tree with every file's identity: tables may come from its snapshot
    snapshot: Any = None  # what the warm index holds for it (index.Snapshot), once made

    @property
    def tasks(self) -> list[Task]:
        return [f.task for f in self.files]

    def task(self, task_id: int) -> Task:
        return self.task_file(task_id).task

    def task_file(self, task_id: int) -> TaskFile:
        for f in self.files:
            if f.task.id == task_id:
                return f
        broken = [p for p in self.problems if p.path == TASKS_DIR or _file_number(p.path) == task_id]
        if broken:
            raise DataError(broken, msg("store.measure_broken", id=task_id))
        known = [f.task.id for f in self.files]
        span: Msg | str = f"{min(known)}–{max(known)}" if known else msg("none")
        raise UsageError(msg("store.no_measure", id=task_id, span=span))

    def department_names(self, codes: list[str]) -> list[str]:
        by_code = self.departments.by_code()
        return [by_code[c].name if c in by_code else c for c in codes]

    def raise_if_broken(self) -> None:
        if self.problems:
            raise DataError(self.problems)


def _file_number(relpath: str) -> int | None:
    """The measure number a path under data/tasks/ is named for, if it is named like a task file."""
    folder, _, name = relpath.rpartition("/")
    m = TASK_FILE.match(name) if folder == TASKS_DIR else None
    return int(m.group(1)) if m else None


# --- validation messages -----------------------------------------------------------------------------


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe(err: Any, model: type[BaseModel]) -> tuple[tuple[Any, ...], Msg, bool]:
    """(where, message, points at the key) for one Pydantic error, worded for the staff who edit the file."""
    loc: tuple[Any, ...] = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    original = ctx.get("error")
    if isinstance(original, FieldError):
        path = tuple(int(p) if p.isdigit() else p for p in original.field.split("."))
        loc = loc + path
        return loc, msg("field", name=_dotted(loc), detail=original.msg), False
    name: Msg | str = _dotted(loc) or msg("field.file")
    if kind == "missing":
        # Inside a list entry, say which one: 'updates[0]: missing key 'by''.
        if loc[:-1]:
            return loc[:-1], msg("field.missing_in", where=_dotted(loc[:-1]), key=str(loc[-1])), False
        return loc[:-1], msg("field.missing", key=str(loc[-1])), False
    if kind == "extra_forbidden":
        allowed = _field_names(model, loc[:-1])
        return loc, msg("field.unknown_key", key=str(loc[-1]), hint=did_you_mean(str(loc[-1]), allowed), allowed=", ".join(allowed)), True
    if kind in ("enum", "literal_error"):
        expected = ctx.get("expected", "")
        choices = re.findall(r"'([^']*)'", expected)
        return loc, msg("field.not_one_of", name=name, value=str(value), choices=", ".join(choices), hint=did_you_mean(str(value), choices)), False
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == TEXT_PATTERN and isinstance(value, str) and (problem := control_problem(value)) is not None:
            return loc, msg("field", name=name, detail=problem), False
        return loc, msg("field.not_code", name=name, value=str(value)), False
    if kind == "value_error":
        if isinstance(original, RuleError):
            return loc, msg("field", name=name, detail=original.msg), False
        return loc, msg("field.other", name=name, detail=str(err["msg"])), False
    if kind == "list_type":
        return loc, msg("field.not_list", name=name), False
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return loc, msg("field.not_mapping", name=name), False
    if kind in ("string_type",):
        return loc, msg("field.not_text", name=name), False
    if kind == "int_parsing_size":
        return loc, msg("field.number_too_large", name=name, start=str(value)[:20], digits=len(str(value))), False
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return loc, msg("field.not_whole", name=name, value=str(value)), False
    if kind.startswith("date"):
        return loc, msg("field.not_date", name=name, value=str(value)), False
    if kind == "too_short":
        return loc, msg("field.empty", name=name), False
    if kind in ("greater_than", "greater_than_equal", "less_than_equal", "less_than"):
        limit = ctx.get({"greater_than": "gt", "greater_than_equal": "ge", "less_than": "lt", "less_than_equal": "le"}[kind])
        return loc, msg(f"field.{kind}", name=name, limit=str(limit)), False
    return loc, msg("field.other", name=name, detail=str(err["msg"])), False


def _field_names(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if info is None:
            return []
        current = _inner_model(info.annotation)
    return list(current.model_fields) if hasattr(current, "model_fields") else []


def _inner_model(annotation: Any) -> Any:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def validate_document(model: type[M], doc: Document, path: str) -> tuple[M | None, list[Problem]]:
    """The model built from a parsed document, or the problems, each at its line and column."""
    if not isinstance(doc.value, dict):
        key = "store.file_empty" if doc.value is None else ("store.file_list" if isinstance(doc.value, list) else "store.file_scalar")
        return None, [Problem(path, 1, 1, msg(key))]
    build(model)
    try:
        return model.model_validate(doc.value), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc, message, at_key = _describe(err, model)
            line, col = doc.mark(loc, key=at_key)
            problems.append(Problem(path, line, col, message))
        return None, problems


def _load_one(source: Source, relpath: str, model: type[M], cache: RecordCache | None = None) -> tuple[M | None, Document | None, list[Problem]]:
    if cache is not None:
        hit = cache.get(relpath, model, lambda: _reread(source, relpath))
        if hit is not None:
            return hit
    return _read_one(source, relpath, model, cache)


def _read_one(
    source: Source, relpath: str, model: type[M], cache: RecordCache | None, *, fresh: bool = False
) -> tuple[M | None, Document | None, list[Problem]]:
    """`_load_one` past the cache: read, parse and validate the file (and tell the cache what it became).

    fresh: the cache was not asked about this file (it holds no tasks): the identity it keys the file by is taken
    from the open file as it is read, instead of a separate `lstat` before.
    """
    try:
        data = cache.read_fresh(relpath, source) if fresh and cache is not None else source.read(relpath)
        # Marks are worked out only to place a problem: most files have none (and the cache keeps none anyway).
        doc = load_bytes(data, relpath, lazy_marks=True)
    except SourceFileError as exc:
        return None, None, [Problem(relpath, None, None, exc.msg)]
    except YamlProblems as exc:
        if cache is not None:
            cache.put(relpath, model, data, (None, None, exc.problems), lambda: _reread(source, relpath))
        return None, None, exc.problems
    record, problems = validate_document(model, doc, relpath)
    if cache is not None:
        return record, cache.put(relpath, model, data, (record, doc, problems), lambda: _reread(source, relpath)), problems
    return record, doc, problems


def _reread(source: Source, relpath: str) -> Document:
    """The document of a file whose record came from the cache (asked for only to place a problem)."""
    try:
        return load_bytes(source.read(relpath), relpath)
    except (SourceFileError, YamlProblems):
        return Document(None)


# --- loading -------------------------------------------------------------------------------------


def _open_cache(root: Path) -> RecordCache | None:
    from .cache import RecordCache

    return RecordCache.open(root)


def load_tracker(root: Path, source: Source | None = None, *, background: bool = False) -> Tracker:
    """Read and check every file of the tracker; healthy measures load even when others are broken.

    background: a record cache of thousands of new entries may be written by a forked process while this one
    goes on; the caller then calls cache.finish_writes() before it ends (the command line does).
    """
    from .cachedir import paused_gc

    with paused_gc():
        return _load_tracker(root, source, background)


def _load_tracker(root: Path, source: Source | None, background: bool = False) -> Tracker:
    src: Source = source if source is not None else WorkTree(root)
    cache = _open_cache(root) if source is None else None
    problems: list[Problem] = []
    plan, _, p = _load_one(src, PLAN_FILE, Plan, cache)
    problems += p
    departments, _, p = _load_one(src, DEPARTMENTS_FILE, Departments, cache)
    problems += p
    if plan is None or departments is None:
        raise DataError(cap_problems(problems), msg("store.plan_broken"))
    listed: list[str] = []
    early = _early_listing(src) if cache is not None else None
    if early is not None:  # the folder as listed when the command started (share.start_early)
        listed, paths, p = early[0], list(early[1]), list(early[2])
    else:
        paths, p = task_paths(src, listed)
    problems += p
    files: list[TaskFile] = []
    relpaths = [relpath for _number, relpath in paths]
    loaded = _load_tasks(src, relpaths, cache)
    if cache is not None:  # every entry is in: a forked writer can start on the file while the rest is done here
        cache.save(background=background)
    for relpath, (task, doc, p) in zip(relpaths, loaded, strict=True):
        problems += p
        if task is not None and doc is not None:
            files.append(TaskFile(task, relpath, doc))
    files, p = check_references(files, paths, plan, departments)
    problems += p
    files.sort(key=_BY_ID)
    tracker = Tracker(root=root, plan=plan, departments=departments, files=files, problems=cap_problems(problems), source=src.description)
    if cache is not None and listed:
        from .index import save

        tracker.indexed = save(tracker, cache, listed, relpaths)
    return tracker


_BY_ID = attrgetter("task.id")


def _early_listing(src: Source) -> tuple[list[str], list[tuple[int, str]], list[Problem]] | None:
    share = sys.modules.get("wkx_tasks.share")  # (only the command line starts a worker early)
    return share.early_listing(str(src.root)) if share is not None and isinstance(src, WorkTree) else None


def _load_tasks(src: Source, relpaths: list[str], cache: RecordCache | None) -> list[tuple[Task | None, Document | None, list[Problem]]]:
    """Every task file's record, document and problems, in the order given. The cache answers what it can; when
    many files are left and a second core is free, a forked worker reads and parses from the other end (`share`)."""
    if cache is None:
        return [_load_one(src, relpath, Task) for relpath in relpaths]
    reread = partial(_reread, src)

    def load(relpath: str) -> tuple[Task | None, Document | None, list[Problem]]:
        return _read_one(src, relpath, Task, cache, fresh=True)

    def read(relpath: str) -> tuple[Task | None, Document | None, list[Problem]]:
        return _read_one(src, relpath, Task, cache)

    found: list[tuple[Task | None, Document | None, list[Problem]] | None]
    # The cache file held more than the plan and the departments, so measures too: ask it first, and share out
    # only what it cannot answer.
    if cache.on_disk > 2:
        found = [cache.get(relpath, Task, partial(reread, relpath)) for relpath in relpaths]
        missed, rest = [relpath for relpath, hit in zip(relpaths, found, strict=True) if hit is None], read
    else:  # nothing cached: each process asks for its own files
        found, missed, rest = [None] * len(relpaths), relpaths, load
    shared: dict[str, tuple[Task | None, Document | None, list[Problem]]] = {}
    if isinstance(src, WorkTree):
        from . import share

        if share.worth_it(len(missed)):
            shared = share.load(missed, rest, partial(_parse_only, src), partial(_validate_parsed, src, cache), root=str(src.root))
        else:  # a worker started early for this load is of no use (the cache answered enough of it)
            share.end_early()
    return [hit if hit is not None else shared.get(relpath) or rest(relpath) for relpath, hit in zip(relpaths, found, strict=True)]


def _validate_parsed(src: WorkTree, cache: RecordCache, parsed: Parsed) -> tuple[Task | None, Document | None, list[Problem]]:
    """What `_read_one` gives for a file, from what `_parse_only` made of it (in a worker): validated here, and put in
    the record cache under the identity it was read with."""
    relpath, key, read_ns, hashed, value, told = parsed
    reread = partial(_reread, src, relpath)
    if told is not None:
        problems = [Problem.from_data(problem) for problem in told]
        cache.put_read(relpath, Task, key, read_ns, hashed, (None, None, problems), reread)
        return None, None, problems
    if type(value) is dict:  # most files: a record, and no problem to place
        build(Task)
        try:
            valid = Task.model_validate(value)
        except ValidationError:
            pass  # told below, each problem at its place
        else:
            return valid, cache.put_record(relpath, Task, key, read_ns, hashed, valid, reread), []
    # Problems are placed in the file as read again (the worker keeps the bytes it parsed), as for a cached record.
    doc = LazyDocument(reread, value, loaded_value=True)
    record, problems = validate_document(Task, doc, relpath)
    return record, cache.put_read(relpath, Task, key, read_ns, hashed, (record, doc, problems), reread), problems


MAX_PROBLEMS_PER_FILE = 25


def cap_problems(problems: list[Problem], limit: int = MAX_PROBLEMS_PER_FILE) -> list[Problem]:
    """At most `limit` problems per file, then one line saying how many more: a file with thousands of faults
    (a pasted list, a bad merge) gets a readable answer in a second instead of a flood."""
    by_path: dict[str, list[Problem]] = {}
    for problem in problems:
        by_path.setdefault(problem.path, []).append(problem)
    out: list[Problem] = []
    for path, found in by_path.items():
        found.sort()
        out += found[:limit]
        if len(found) > limit:
            last = found[limit - 1]
            out.append(Problem(path, last.line, last.col, msg("store.more_problems", n=len(found) - limit)))
    return out


def check_references(files: list[TaskFile], paths: list[tuple[int, str]], plan: Plan, departments: Departments) -> tuple[list[TaskFile], list[Problem]]:
    """Rules that look beyond one file: codes and sections exist, ids match file names and are unique."""
    codes = departments.by_code()
    code_list = list(codes)
    sections = set(plan.sections)
    number_of = dict((rel, n) for n, rel in paths)
    problems: list[Problem] = []
    good: list[TaskFile] = []
    seen: dict[int, str] = {}
    known = set(codes).issuperset
    for f in files:
        # Most measures break no rule: told in one test each, without looking at where anything is written.
        values = f.task.__dict__  # (the validated field values: records are frozen)
        task_id = values["id"]
        if (
            number_of.get(f.path, task_id) == task_id
            and task_id not in seen
            and known(values["lead"])
            and known(values["cooperating"])
            and values["section"] in sections
        ):
            seen[task_id] = f.path
            good.append(f)
            continue
        task, doc, before = f.task, f.document, len(problems)
        expected = number_of.get(f.path)
        if expected is not None and task.id != expected:
            line, col = doc.mark(("id",))
            problems.append(Problem(f.path, line, col, msg("store.id_mismatch", id=task.id, expected=expected)))
        if task.id in seen:
            line, col = doc.mark(("id",))
            problems.append(Problem(f.path, line, col, msg("store.duplicate_id", id=task.id, other=seen[task.id])))
        else:
            seen[task.id] = f.path
        for field_name in ("lead", "cooperating"):
            for i, code in enumerate(getattr(task, field_name)):
                if code not in codes:
                    line, col = doc.mark((field_name, i))
                    # Past the problems a file shows (cap_problems), skip the costly suggestion.
                    hint = did_you_mean(code, code_list) if len(problems) - before < MAX_PROBLEMS_PER_FILE else ""
                    problems.append(Problem(f.path, line, col, msg("store.unknown_code", field=field_name, code=code, hint=hint, file=DEPARTMENTS_FILE)))
        if task.section not in sections:
            line, col = doc.mark(("section",))
            hint = did_you_mean(task.section, plan.sections)
            problems.append(Problem(f.path, line, col, msg("store.unknown_section", section=task.section, sections="; ".join(plan.sections), hint=hint)))
        if len(problems) == before:
            good.append(f)
    return good, problems
