"""`wkx update`: change a measure's file in place, keeping every byte it does not change, and optionally commit it.

The edit is a ruamel.yaml round trip (yamlio.rt_load / rt_dump): comments, key order, quoting and line breaks of
untouched lines stay as the person who wrote them left them. The result is checked with the same rules and
messages as `wkx validate` before anything is written, and written atomically under the file's lock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .errors import DataError, Problem, UsageError, WkxError
from .messages import Msg, msg
from .models import Status
from .store import Source, SourceFileError, WorkTree, load_tracker, task_paths
from .yamlio import YamlProblems, decode, load_bytes, rt_dump, rt_load

_CONFLICT = re.compile(rb"^(<{7}|={7}|>{7})( |\r?$)", re.M)


@dataclass(frozen=True)
class UpdateRequest:
    task_id: int
    status: Status | None = None
    due: str | None = None
    completed: date | None = None
    note: str | None = None
    by: str | None = None
    commit: bool = False
    message: str | None = None
    force: bool = False

    def check(self) -> None:
        if self.status is None and self.due is None and self.note is None and self.completed is None:
            raise UsageError(msg("edit.nothing"))
        if self.by is not None and self.note is None:
            raise UsageError(msg("edit.by_without_note"))
        if self.message is not None and not self.commit:
            raise UsageError(msg("edit.message_without_commit"))
        if self.note is not None and not self.note.strip():
            raise UsageError(msg("edit.empty_note"))


@dataclass
class UpdateResult:
    task_id: int
    title: str
    path: str
    summary: list[str]  # 'status not_started → done', '新增进展记录' (in the run's language)
    changed: bool
    commit: str | None = None
    message: str | None = None
    notes: list[str] = field(default_factory=list)  # what wkx did besides what was asked (completed set, …)


class _Overlay:
    """The working tree with one file's bytes replaced: how the tracker would read after the write."""

    def __init__(self, root: Path, relpath: str, data: bytes) -> None:
        self._tree = WorkTree(root)
        self._relpath = relpath
        self._data = data
        self.description = "working tree (after the update)"

    def read(self, relpath: str) -> bytes:
        return self._data if relpath == self._relpath else self._tree.read(relpath)

    def list_dir(self, relpath: str) -> list[str]:
        return self._tree.list_dir(relpath)


def find_task_file(root: Path, task_id: int) -> str:
    """The file of measure task_id, found by its file name's number, whether or not it reads cleanly now."""
    paths, _ = task_paths(WorkTree(root))
    matches = [rel for number, rel in paths if number == task_id]
    if not matches:
        known = [n for n, _ in paths]
        span: Msg | str = f"{min(known)}–{max(known)}" if known else msg("none")
        raise UsageError(msg("store.no_measure", id=task_id, span=span))
    if len(matches) > 1:
        raise UsageError(msg("edit.several_files", id=task_id, files=", ".join(matches)))
    return matches[0]


def _plain_text(value: str) -> Any:
    """A string that a YAML 1.1 reader would take for something else (no, 1:30, 010, 2014-01-01, ~) goes in quotes."""
    import yaml
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    try:
        read_back = yaml.safe_load(value)
    except yaml.YAMLError:
        read_back = None
    if read_back == value and "\n" not in value:
        return value
    return SingleQuotedScalarString(value) if "\n" not in value and "'" not in value else value


def _fresh(day: date) -> date:
    """A new date object: ruamel writes one object used twice as an anchor and an alias, which data files forbid."""
    return date(day.year, day.month, day.day)


def _insert_after(data: Any, anchors: tuple[str, ...], key: str, value: Any) -> None:
    keys = list(data)
    for anchor in anchors:
        if anchor in keys:
            data.insert(keys.index(anchor) + 1, key, value)
            return
    data[key] = value


def _due_value(due: str) -> Any:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", due):
        try:
            return date.fromisoformat(due)  # a new object each call; written plain, like the shipped dates
        except ValueError:
            return due  # validation names the bad date
    return _plain_text(due)


def apply_update(text: str, request: UpdateRequest, *, today: date, by: str | None) -> tuple[str, list[str], list[str]]:
    """The new text of a measure's file, what changed (for the commit message) and what wkx did on its own."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    data: Any = rt_load(text)
    if not hasattr(data, "insert"):
        raise UsageError(msg("edit.not_mapping"))
    summary: list[str] = []
    notes: list[str] = []
    old_status = str(data.get("status", ""))

    if request.status is not None and request.status.value != old_status:
        new = request.status.value
        data["status"] = new
        summary.append(f"status {old_status or '—'} → {new}")
        if old_status == Status.DONE.value:
            for key in ("completed", "verified"):
                if key in data:
                    del data[key]
                    notes.append(msg("update.removed_on_reopen", key=key).render())
    status_now = str(data.get("status", ""))
    if status_now == Status.DONE.value and (request.completed is not None or "completed" not in data):
        completed = _fresh(request.completed or today)
        if str(data.get("completed", "")) != completed.isoformat():
            if "completed" in data:
                data["completed"] = completed
            else:
                _insert_after(data, ("status",), "completed", completed)
            if request.completed is None:
                notes.append(msg("update.set_completed", date=completed.isoformat()).render())
            else:
                summary.append(f"completed {completed.isoformat()}")
        if "progress" in data and str(data["progress"]) != "100":
            notes.append(msg("update.set_progress", was=str(data["progress"])).render())
            data["progress"] = 100
    elif request.completed is not None:
        # Not done: leave it to validation to say that 'completed' needs status done.
        if "completed" in data:
            data["completed"] = _fresh(request.completed)
        else:
            _insert_after(data, ("status",), "completed", _fresh(request.completed))
        summary.append(f"completed {request.completed.isoformat()}")

    if request.due is not None:
        old_due = str(data.get("due", ""))
        if request.due != old_due:
            data["due"] = _due_value(request.due)
            summary.append(f"due {old_due or '—'} → {request.due}")
            original = data.get("original_due")
            if original is None and old_due:
                _insert_after(data, ("due_text", "due"), "original_due", _due_value(old_due))
                notes.append(msg("update.kept_original_due", due=old_due).render())
            elif original is not None and str(original) == request.due:
                del data["original_due"]
                notes.append(msg("update.removed_original_due").render())

    if request.note is not None:
        if not by:
            raise UsageError(msg("edit.who"))
        entry = CommentedMap()
        entry["date"] = _fresh(today)
        entry["by"] = _plain_text(by)
        entry["note"] = _plain_text(request.note)
        updates = data.get("updates")
        if isinstance(updates, list):
            updates.append(entry)
        elif "updates" in data and updates is None:
            data["updates"] = CommentedSeq([entry])
        elif "updates" in data:
            raise UsageError(msg("edit.updates_not_list"))
        else:
            keys = list(data)
            if "urgings" in keys:
                data.insert(keys.index("urgings"), "updates", CommentedSeq([entry]))
            else:
                data["updates"] = CommentedSeq([entry])
        summary.append(msg("update.note_added").render())
    return rt_dump(data), summary, notes


def _restore_style(original: bytes, new_text: str) -> bytes:
    """Give the new text the original's byte order mark and line ends."""
    data = new_text
    if b"\r\n" in original:
        data = data.replace("\n", "\r\n")
    out = data.encode("utf-8")
    if original.startswith(b"\xef\xbb\xbf"):
        out = b"\xef\xbb\xbf" + out
    return out


def _same_except(old: dict[str, Any], new: dict[str, Any], touched: set[str]) -> list[str]:
    keys = (set(old) | set(new)) - touched
    return sorted(k for k in keys if old.get(k) != new.get(k))


def update(root: Path, request: UpdateRequest, *, today: date) -> UpdateResult:
    """Apply the request to measure request.task_id's file: check, write atomically, commit if asked.

    Refuses, leaving the file byte-identical, when the file holds conflict markers, has uncommitted changes
    (unless force), or when the result would not pass `wkx validate`.
    """
    from . import gitrepo
    from .files import OutsideTracker, update_file

    request.check()
    relpath = find_task_file(root, request.task_id)
    path = root / relpath

    repo: gitrepo.GitRepo | None
    try:
        repo = gitrepo.open_repo(root, "wkx update --commit")
    except gitrepo.GitError:
        repo = None
        if request.commit:
            raise
    if repo is not None and not request.force and repo.has_commits and gitrepo.has_uncommitted_changes(repo, relpath):
        raise WkxError(msg("edit.uncommitted", path=relpath))
    by = request.by or gitrepo.user_name(repo)
    if request.commit and repo is not None:
        gitrepo.check_can_commit(repo)
    if request.commit and repo is not None and not request.force:
        staged = repo.run("diff", "--cached", "--name-only", "-z", "--", repo.path(relpath))
        if staged.strip(b"\0"):
            raise WkxError(msg("edit.staged", path=relpath))

    outcome: dict[str, Any] = {}

    def change(current: bytes) -> bytes:
        if _CONFLICT.search(current):
            line = current[: _CONFLICT.search(current).start()].count(b"\n") + 1  # type: ignore[union-attr]
            raise DataError(
                [Problem(relpath, line, 1, msg("yaml.conflict"))],
                msg("edit.conflict", path=relpath),
            )
        try:
            before = load_bytes(current, relpath)
        except YamlProblems as exc:
            raise DataError(exc.problems, msg("edit.cannot_read", path=relpath)) from None
        text = decode(current, relpath)
        new_text, summary, notes = apply_update(text, request, today=today, by=by)
        new_bytes = _restore_style(current, new_text) if summary or notes else current
        source: Source = _Overlay(root, relpath, new_bytes)
        try:
            tracker = load_tracker(root, source)
        except DataError as exc:
            raise DataError(exc.problems, msg("edit.nothing_written", reason=exc.msg)) from None
        problems = [p for p in tracker.problems if p.path == relpath]
        if problems:
            raise DataError(problems, msg("edit.would_be_invalid", path=relpath))
        after = load_bytes(new_bytes, relpath)
        touched = {"status", "completed", "verified", "progress", "due", "original_due", "updates"}
        drift = _same_except(before.value, after.value, touched)
        if drift:  # a round trip must never change what it was not asked to
            raise WkxError(msg("edit.drift", fields=", ".join(drift), path=relpath))
        outcome.update(summary=summary, notes=notes, title=str(after.value.get("title", "")))
        return new_bytes

    try:
        # Read once as every reader does (regular file, size limit, never blocking on a pipe), before the locked rewrite.
        WorkTree(root).read(relpath)
        update_file(path, change, within=root)
    except (SourceFileError, OutsideTracker) as exc:
        raise WkxError(msg("edit.path_nothing_written", path=relpath, reason=exc.msg)) from None
    summary: list[str] = outcome["summary"]
    result = UpdateResult(request.task_id, outcome["title"], relpath, summary, changed=bool(summary or outcome["notes"]), notes=outcome["notes"])
    if request.commit and result.changed and repo is not None:
        result.message = request.message or f"#{request.task_id} {result.title}: {'; '.join(summary) or 'update'}"
        result.commit = gitrepo.commit_file(repo, relpath, result.message)
    return result
