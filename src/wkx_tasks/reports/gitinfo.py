"""What the report needs from git: the commit it was built from, and the changes of a period (via wkx_tasks.history)."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from wkx_tasks.errors import WkxError

from .data import ChangeFeed


def _git(root: Path, *args: str) -> str | None:
    """git's stdout for a command run in root, or None when git is missing or the command fails."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, encoding="utf-8", timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def current_commit(root: Path, rev: str | None = None) -> tuple[str | None, bool]:
    """(the commit id the report is built from, whether the tracker's data has uncommitted changes); (None, False) outside git.

    With rev (a report --at a past commit) the data is that commit's, so nothing in the working tree counts.
    """
    commit = _git(root, "rev-parse", "--verify", "--quiet", f"{rev or 'HEAD'}^{{commit}}")
    if not commit:
        return None, False
    if rev is not None:
        return commit, False
    status = _git(root, "status", "--porcelain", "--", "data")
    return commit, bool(status)


def load_changes(root: Path, *, zone: ZoneInfo, since: date | None, until: date, rev: str = "HEAD") -> ChangeFeed:
    """The history's events between since and until (dates on the plan's calendar), or a note saying why there are none."""
    if since is None:
        return ChangeFeed.not_requested(until)
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside != "true":
        return ChangeFeed.unavailable(since, until, "the tracker is not in a git repository, so there is no history to read", "not_git")
    if _git(root, "rev-parse", "--is-shallow-repository") == "true":
        return ChangeFeed.unavailable(since, until, "the clone is shallow; clone with full history (in CI: actions/checkout with fetch-depth: 0)", "shallow")
    if _git(root, "rev-parse", "--verify", "--quiet", "HEAD") is None:
        return ChangeFeed.unavailable(since, until, "the repository has no commits yet", "no_commits")
    from wkx_tasks.history import read_history

    try:
        events = read_history(root, zone=zone, since=since, until=until, rev=rev)
    except WkxError as exc:
        return ChangeFeed.unavailable(since, until, exc.message)
    return ChangeFeed(since=since, until=until, events=[e.as_dict() for e in events])
