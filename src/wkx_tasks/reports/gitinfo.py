"""What the report needs from git: the commit it was built from, and the changes of a period (via wkx_tasks.history).

Git itself is asked through wkx_tasks.gitrepo, the one module that runs it; here a missing repository or history
is not an error but a note in the report.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from wkx_tasks.errors import WkxError
from wkx_tasks.messages import msg

from .data import ChangeFeed


def current_commit(root: Path, rev: str | None = None) -> tuple[str | None, bool]:
    """(the commit id the report is built from, whether the tracker's data has uncommitted changes); (None, False) outside git.

    With rev (a report --at a past commit) the data is that commit's, so nothing in the working tree counts.
    """
    from wkx_tasks.gitrepo import GitError, open_repo

    try:
        repo = open_repo(root)
        commit = repo.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev or 'HEAD'}^{{commit}}").decode().strip()
    except GitError:
        return None, False
    if not commit:
        return None, False
    if rev is not None:
        return commit, False
    try:
        status = repo.run("status", "--porcelain", "--", repo.path("data"))
    except GitError:
        return commit, False
    return commit, bool(status.strip())


def load_changes(root: Path, *, zone: ZoneInfo, since: date | None, until: date, rev: str = "HEAD") -> ChangeFeed:
    """The history's events between since and until (dates on the plan's calendar), or a note saying why there are none."""
    if since is None:
        return ChangeFeed.not_requested(until)
    from wkx_tasks.gitrepo import GitError, open_repo

    try:
        repo = open_repo(root)
        shallow = repo.is_shallow
    except GitError:
        return ChangeFeed.unavailable(since, until, msg("report.not_git").render(), "not_git")
    if shallow:
        return ChangeFeed.unavailable(since, until, msg("report.shallow").render(), "shallow")
    if not repo.has_commits:
        return ChangeFeed.unavailable(since, until, msg("report.no_commits").render(), "no_commits")
    from wkx_tasks.history import read_history

    try:
        events = read_history(root, zone=zone, since=since, until=until, rev=rev)
    except WkxError as exc:
        return ChangeFeed.unavailable(since, until, exc.message)
    return ChangeFeed(since=since, until=until, events=[e.as_dict() for e in events])
