"""Real git repositories for tests: several authors (Chinese names included), fixed dates, no global config."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ZHANG = ("张伟", "zhangwei@example.cn")
LI = ("李娜", "lina@example.cn")
WANG = ("王芳", "wangfang@example.cn")


class Repo:
    """A git work tree with helpers to edit files and commit as a given person at a given instant."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def git(self, *args: str, author: tuple[str, str] = ZHANG, date: str = "2013-06-01T10:00:00+08:00") -> str:
        env = dict(os.environ)
        env.update(
            GIT_AUTHOR_NAME=author[0],
            GIT_AUTHOR_EMAIL=author[1],
            GIT_COMMITTER_NAME=author[0],
            GIT_COMMITTER_EMAIL=author[1],
            GIT_AUTHOR_DATE=date,
            GIT_COMMITTER_DATE=date,
        )
        done = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"git {' '.join(args)} failed: {done.stderr}"
        return done.stdout.strip()

    def commit_all(self, message: str, *, author: tuple[str, str] = ZHANG, date: str = "2013-06-01T10:00:00+08:00") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, author=author, date=date)
        return self.git("rev-parse", "HEAD")

    def path(self, rel: str) -> Path:
        return self.root / rel

    def read(self, rel: str) -> str:
        return self.path(rel).read_text(encoding="utf-8")

    def replace(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.path(rel).write_text(text.replace(old, new, 1), encoding="utf-8")

    def status(self) -> str:
        return self.git("status", "--porcelain")

    def changed_in(self, rev: str) -> list[str]:
        return self.git("show", "--name-only", "--format=", rev).splitlines()


def init(
    root: Path,
    *,
    user: tuple[str, str] | None = WANG,
    author: tuple[str, str] = ZHANG,
    date: str = "2013-06-01T10:00:00+08:00",
    message: str = "导入 武科协〔2013〕48号 任务分解表",
) -> Repo:
    """git init at root (which already holds data/), commit everything (default: as 张伟 on 2013-06-01, Beijing).

    `user` is the repository's git config user (who `wkx update --commit` commits as); None leaves it unset.
    """
    repo = Repo(root)
    repo.git("init", "-q", "-b", "main")
    if user is not None:
        repo.git("config", "user.name", user[0])
        repo.git("config", "user.email", user[1])
    repo.commit_all(message, author=author, date=date)
    return repo
