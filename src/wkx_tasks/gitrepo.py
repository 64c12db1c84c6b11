"""The tracker's git repository: the ONLY module that imports GitPython (inside functions) or runs `git`.

Two ways in, chosen by cost:

- reading the whole history (`wkx history`, `wkx blame`) runs a constant number of `git` processes — one
  `git log --raw -z -M` listing and one `git cat-file --batch` for every blob it names — because one process
  per commit is two orders of magnitude slower on a long history;
- reading one commit's files (`--at`) and committing one file (`wkx update --commit`) go through GitPython's
  object database and command wrapper.

Every failure reaches the user as a sentence with the fix: outside a repository, in a shallow clone (CI's
default checkout), an unknown revision, a date before the first commit.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .errors import UsageError, WkxError
from .messages import Msg, msg
from .store import SourceFileError

if TYPE_CHECKING:
    from git import Repo

SHALLOW_FIX = msg("git.shallow_fix")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NULL_SHA = "0" * 40


class GitError(WkxError):
    """Git could not answer; the message says what to do."""


def _run(args: list[str], cwd: Path, *, input: bytes | None = None) -> bytes:
    """Run one git command and return its stdout as bytes (trailing newlines kept); a GitError on failure."""
    env = dict(os.environ)
    env.setdefault("LC_ALL", "C")  # git's own messages in English, so that they can be recognised
    env["GIT_TERMINAL_PROMPT"] = "0"
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=input, capture_output=True, env=env, check=False)
    except FileNotFoundError:
        raise GitError(msg("git.not_installed")) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(msg("git.failed", command=args[0], detail=message[-1] if message else msg("git.exit_code", code=done.returncode)))
    return done.stdout


@dataclass(frozen=True)
class GitRepo:
    """A git work tree holding the tracker at `prefix` (empty when the tracker is the repository's top folder)."""

    toplevel: Path
    prefix: str

    def run(self, *args: str, input: bytes | None = None) -> bytes:
        return _run(list(args), self.toplevel, input=input)

    def path(self, relpath: str) -> str:
        """A tracker-relative path as git names it (relative to the repository's top folder)."""
        return f"{self.prefix}{relpath}"

    def tracker_path(self, gitpath: str) -> str | None:
        """The tracker-relative path of a path git printed, or None when it lies outside the tracker."""
        if not gitpath.startswith(self.prefix):
            return None
        return gitpath[len(self.prefix) :]

    @cached_property
    def is_shallow(self) -> bool:
        return self.run("rev-parse", "--is-shallow-repository").strip() == b"true"

    @cached_property
    def has_commits(self) -> bool:
        try:
            self.run("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        except GitError:
            return False
        return True

    def require_full_history(self, what: str | Msg) -> None:
        """Refuse, with the fix, when the history is missing or cut short."""
        if not self.has_commits:
            raise GitError(msg("git.no_commits", what=what, top=str(self.toplevel)))
        if self.is_shallow:
            raise GitError(msg("git.shallow", what=what, top=str(self.toplevel), fix=SHALLOW_FIX))

    @cached_property
    def repo(self) -> Repo:
        from git import Repo

        return Repo(self.toplevel)


def open_repo(root: Path, what: str | Msg | None = None) -> GitRepo:
    """The git repository holding the tracker at root; a plain sentence when there is none."""
    try:
        out = _run(["rev-parse", "--show-toplevel", "--show-prefix"], Path(root))
    except GitError:
        raise GitError(msg("git.not_a_repository", what=what if what is not None else msg("git.this_command"), root=str(root))) from None
    lines = out.decode("utf-8", "surrogateescape").splitlines()
    toplevel = Path(lines[0])
    prefix = lines[1] if len(lines) > 1 else ""
    return GitRepo(toplevel=toplevel, prefix=prefix)


# --- one commit's files --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Revision:
    """A resolved commit and how it was asked for."""

    sha: str
    asked: str
    date: datetime

    @property
    def short(self) -> str:
        return self.sha[:10]


def resolve_at(repo: GitRepo, at: str, zone: ZoneInfo) -> Revision:
    """A revision (HEAD~3, a tag, a commit id) or a day (YYYY-MM-DD: the last commit on or before its end in zone)."""
    if not repo.has_commits:
        raise GitError(msg("git.at_no_commits", at=at, top=str(repo.toplevel)))
    if _DAY.match(at):
        try:
            day = date.fromisoformat(at)
        except ValueError:
            raise UsageError(msg("git.at_not_real_date", at=at)) from None
        if repo.is_shallow:
            raise GitError(msg("git.at_shallow", at=at, top=str(repo.toplevel), fix=SHALLOW_FIX))
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone) - timedelta(seconds=1)
        # --until compares the committer date: when the change landed on this branch.
        out = repo.run("rev-list", "-1", f"--until={end.isoformat()}", "HEAD", "--")
        sha = out.decode().strip()
        if not sha:
            first = repo.run("log", "--reverse", "--format=%cI", "HEAD").decode().split("\n", 1)[0].strip()
            first_day = str(datetime.fromisoformat(first).astimezone(zone).date()) if first else "?"
            raise UsageError(msg("git.at_before_first", at=at, zone=zone.key, first=first_day))
        return Revision(sha=sha, asked=at, date=_commit_date(repo, sha, zone))
    if at.startswith("-"):
        raise UsageError(msg("git.at_not_revision_or_date", at=at))
    try:
        sha = repo.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{at}^{{commit}}").decode().strip()
    except GitError:
        hint = msg("git.at_shallow_hint", top=str(repo.toplevel), fix=SHALLOW_FIX) if repo.is_shallow else ""
        raise UsageError(msg("git.at_unknown_revision", at=at, hint=hint)) from None
    return Revision(sha=sha, asked=at, date=_commit_date(repo, sha, zone))


def _commit_date(repo: GitRepo, sha: str, zone: ZoneInfo) -> datetime:
    stamp = repo.run("show", "-s", "--format=%cI", sha).decode().strip()
    return datetime.fromisoformat(stamp).astimezone(zone)


class GitSource:
    """A tracker's files as committed at one commit, read from git objects; the working tree is never touched.

    Implements store.Source: `read` returns a file's exact bytes, `list_dir` a folder's entry names.
    """

    def __init__(self, root: Path, commit: str, *, repo: GitRepo | None = None) -> None:
        self.gitrepo = repo if repo is not None else open_repo(root)
        self.commit_sha = commit
        self.description: str | Msg = msg("source.commit", sha=commit[:10])
        try:
            self._tree = self.gitrepo.repo.commit(commit).tree
        except Exception as exc:  # gitdb.BadName, ValueError: not a commit
            raise UsageError(msg("git.not_a_commit", commit=commit, top=str(self.gitrepo.toplevel), kind=type(exc).__name__)) from None

    def _entry(self, relpath: str) -> Any:
        path = self.gitrepo.path(relpath).rstrip("/")
        try:
            return self._tree / path if path else self._tree
        except KeyError:
            raise SourceFileError(msg("source.git_missing", where=self.description)) from None

    def read(self, relpath: str) -> bytes:
        from .yamlio import MAX_BYTES

        entry = self._entry(relpath)
        if entry.type != "blob":
            raise SourceFileError(msg("source.git_folder", where=self.description))
        if entry.mode == 0o120000:
            raise SourceFileError(msg("source.git_link"))
        if entry.size > MAX_BYTES:
            raise SourceFileError(msg("source.git_too_big", size=entry.size, where=self.description, limit=MAX_BYTES))
        data: bytes = entry.data_stream.read()
        return data

    def list_dir(self, relpath: str) -> list[str]:
        entry = self._entry(relpath)
        if entry.type != "tree":
            raise SourceFileError(msg("source.git_not_folder", where=self.description))
        return sorted(item.name for item in entry)


# --- the whole history, in a constant number of processes -------------------------------------------


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    author: str
    email: str
    date: datetime  # author date, with the offset the author's clock had
    committed: datetime
    message: str
    parents: tuple[str, ...]


@dataclass(frozen=True)
class FileChange:
    """One file of one commit, as `git log --raw` lists it (blob ids; the null id for a side that does not exist)."""

    status: str  # A, M, D, R, T
    old_blob: str
    new_blob: str
    old_path: str | None
    path: str
    other_parents: tuple[str, ...] = ()  # a merge: the file's blob in the second, third … parent (old_blob: the first's)


_RECORD = "\x1e"  # starts each commit's header in the log listing
_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cI%x1f%B%x1f"


def log_changes(repo: GitRepo, folder: str, rev: str = "HEAD") -> list[tuple[CommitInfo, list[FileChange]]]:
    """Every commit reachable from rev that changed a file under folder, newest first, with its file changes.

    One `git log -M --raw -z --cc` process. A merge lists only the files whose merged content differs from every
    parent (a conflict resolved by hand, an edit made in the merge); the commits of each branch list their own.
    """
    gitfolder = repo.path(folder).rstrip("/")
    raw = repo.run("log", "-M", "--raw", "--cc", "-z", "--no-abbrev", "--no-color", "--no-ext-diff", f"--format={_FORMAT}", rev, "--", gitfolder)
    text = raw.decode("utf-8", "surrogateescape")
    out: list[tuple[CommitInfo, list[FileChange]]] = []
    for chunk in text.split(_RECORD)[1:]:
        parts = chunk.split("\x1f", 7)
        sha, parents, author, email, adate, cdate, message, rest = parts
        info = CommitInfo(
            sha=sha,
            author=author,
            email=email,
            date=datetime.fromisoformat(adate),
            committed=datetime.fromisoformat(cdate),
            message=message.strip(),
            parents=tuple(parents.split()),
        )
        out.append((info, list(_parse_raw(rest, repo))))
    return out


def _parse_raw(rest: str, repo: GitRepo) -> Iterator[FileChange]:
    fields = rest.lstrip("\n").split("\0")
    i = 0
    while i < len(fields):
        head = fields[i].lstrip("\n")
        if not head.startswith(":"):
            i += 1
            continue
        if head.startswith("::"):  # a merge: ::modes… blob-per-parent… result-blob status-per-parent
            parents = len(head) - len(head.lstrip(":"))
            parts = head[parents:].split(" ")
            blobs = parts[parents + 1 : 2 * parents + 2]
            path = fields[i + 1]
            i += 2
            rel = repo.tracker_path(path)
            if rel is None:
                continue
            first, result = blobs[0], blobs[-1]
            kind = "A" if first == _NULL_SHA else ("D" if result == _NULL_SHA else "M")
            yield FileChange(
                status=kind,
                old_blob=first,
                new_blob=result,
                old_path=None,
                path=rel,
                other_parents=tuple(blobs[1:-1]),
            )
            continue
        _old_mode, _new_mode, old_blob, new_blob, status = head[1:].split(" ")
        kind = status[0]
        if kind in ("R", "C"):
            old_path, path = fields[i + 1], fields[i + 2]
            i += 3
        else:
            old_path, path = None, fields[i + 1]
            i += 2
        old_rel = repo.tracker_path(old_path) if old_path is not None else None
        new_rel = repo.tracker_path(path)
        if new_rel is None:
            continue
        if kind == "C":  # a copy creates a file; the original stays
            kind, old_rel, old_blob = "A", None, _NULL_SHA
        yield FileChange(status=kind, old_blob=old_blob, new_blob=new_blob, old_path=old_rel, path=new_rel)


class BlobStream:
    """The exact bytes of many blobs from one `git cat-file --batch` process, read while git is still writing.

    Ask for blobs in the order you will need them: `get` reads the stream up to the one asked for, so the
    caller's work on the first blobs overlaps git's work on the later ones (two processes, two cores).
    A blob missing from the repository (a partial clone) reads as None.
    """

    def __init__(self, repo: GitRepo, blobs: Iterable[str]) -> None:
        import threading

        self.order = list(dict.fromkeys(b for b in blobs if b and b != _NULL_SHA))
        self.got: dict[str, bytes | None] = {}
        self._next = 0
        self._proc: subprocess.Popen[bytes] | None = None
        if not self.order:
            return
        env = dict(os.environ)
        env["GIT_TERMINAL_PROMPT"] = "0"
        try:
            self._proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=repo.toplevel, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        except FileNotFoundError:
            raise GitError(msg("git.not_installed")) from None
        request = ("\n".join(self.order) + "\n").encode()

        def feed(pipe: Any) -> None:
            try:
                pipe.write(request)
                pipe.close()
            except OSError:  # git went away; reading says so
                pass

        self._writer = threading.Thread(target=feed, args=(self._proc.stdin,), daemon=True)
        self._writer.start()

    def get(self, sha: str) -> bytes | None:
        if sha in self.got:
            return self.got[sha]
        assert self._proc is not None and self._proc.stdout is not None, f"blob {sha} was not asked for"
        out = self._proc.stdout
        while self._next < len(self.order):
            wanted = self.order[self._next]
            self._next += 1
            header = out.readline().split()
            if len(header) < 3 or header[1] == b"missing":
                if not header:
                    raise GitError(msg("git.cat_file_stopped"))
                self.got[wanted] = None
            else:
                data = out.read(int(header[2]))
                out.read(1)
                self.got[wanted] = data
            if wanted == sha:
                break
        if self._next >= len(self.order):
            self.close()
        return self.got.get(sha)

    def close(self) -> None:
        if self._proc is not None:
            proc, self._proc = self._proc, None
            if proc.stdout is not None:
                proc.stdout.close()
            proc.wait()
            self._writer.join()


# --- writing ---------------------------------------------------------------------------------------


def user_name(repo: GitRepo | None) -> str | None:
    """git's user.name for this repository (local, global or system config), or None when unset."""
    if repo is None:
        return None
    try:
        name = repo.run("config", "--get", "user.name").decode("utf-8", "replace").strip()
    except GitError:
        return None
    return name or None


def has_uncommitted_changes(repo: GitRepo, relpath: str) -> bool:
    """True when the file differs from HEAD (staged or not), or is not tracked at all."""
    out = repo.run("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", repo.path(relpath))
    return bool(out.strip(b"\0"))


def check_can_commit(repo: GitRepo) -> None:
    """Refuse before anything is written when git could not make a commit: it does not know who you are."""
    try:
        repo.run("var", "GIT_COMMITTER_IDENT")
        repo.run("var", "GIT_AUTHOR_IDENT")
    except GitError:
        raise GitError(msg("git.no_identity")) from None


def commit_file(repo: GitRepo, relpath: str, message: str) -> str:
    """Commit only this file (whatever else is staged stays staged) and return the new commit's id."""
    git = repo.repo.git
    gitpath = repo.path(relpath)
    try:
        git.add("--", gitpath)
        git.commit("--only", "-m", message, "--", gitpath)
    except Exception as exc:  # git.GitCommandError: identity missing, hooks, …
        detail = getattr(exc, "stderr", "") or str(exc)
        lines = [line.strip() for line in str(detail).strip().strip("'").splitlines() if line.strip()]
        raise GitError(msg("git.commit_failed", detail=lines[-1] if lines else type(exc).__name__, path=relpath)) from None
    sha: str = repo.repo.head.commit.hexsha
    return sha
