"""Benchmark: `wkx history --format json` against `git log -p -- data/tasks` on one generated repository.

Run by hand (not a test):  .venv/bin/python benchmarks/bench_history.py [--commits 5000] [--runs 7] [--keep DIR]

It builds a repository holding the shipped tracker (data/) and then N commits to data/tasks/ by four authors
(Chinese names), one measure per commit: progress notes appended, statuses changed, deadlines moved, a file
renamed now and then — written with one `git fast-import`, so building takes seconds. Then it times the two
commands alternately (interleaved, so that both see the same machine load), output to /dev/null, and prints
the median wall time of each and their ratio. The target is a ratio of at most 3.
"""

from __future__ import annotations

import argparse
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AUTHORS = [("张伟", "zhangwei@example.cn"), ("李娜", "lina@example.cn"), ("王芳", "wangfang@example.cn"), ("刘洋", "liuyang@example.cn")]
STATUSES = ["in_progress", "blocked", "in_progress", "not_started"]
MONTHS = ["2013-12", "2014-03", "2014-06", "2014-09", "2014-12", "2015-06"]


def build(target: Path, commits: int) -> None:
    """A repository at target: one commit of data/, then `commits` commits that each change one measure."""
    target.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=target, check=True)
    files: dict[str, bytes] = {}
    for path in sorted((REPO / "data").rglob("*.yaml")):
        files[path.relative_to(REPO).as_posix()] = path.read_bytes()
    names = {tid: f"data/tasks/{tid:02d}.yaml" for tid in range(1, 19)}
    start = datetime(2013, 4, 1, 1, 0, tzinfo=UTC)
    out = bytearray()

    def commit(mark: int, author: tuple[str, str], when: datetime, message: str, changes: list[tuple[str, bytes | None]], parent: int | None) -> None:
        stamp = f"{int(when.timestamp())} +0800".encode()
        who = f"{author[0]} <{author[1]}>".encode()
        msg = message.encode()
        out.extend(b"commit refs/heads/main\nmark :%d\nauthor %s %s\ncommitter %s %s\ndata %d\n%s\n" % (mark, who, stamp, who, stamp, len(msg), msg))
        if parent is not None:
            out.extend(b"from :%d\n" % parent)
        for path, data in changes:
            if data is None:
                out.extend(b"D %s\n" % path.encode())
            else:
                out.extend(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))

    commit(1, AUTHORS[0], start, "导入 武科协〔2013〕48号 任务分解表", list(files.items()), None)
    for n in range(1, commits + 1):
        tid = (n * 7) % 18 + 1
        path = names[tid]
        text = files[path].decode()
        author = AUTHORS[n % len(AUTHORS)]
        when = start + timedelta(hours=3 * n)
        day = (when + timedelta(hours=8)).date().isoformat()  # the Beijing calendar day
        kind = n % 10
        changes: list[tuple[str, bytes | None]] = []
        before = text
        message = ""
        if kind in (0, 5):
            new = STATUSES[(n // 10) % len(STATUSES)]
            text = re.sub(r"^status: \S+", f"status: {new}", text, flags=re.M)
            message = f"#{tid} 状态改为 {new}"
        elif kind == 3:
            due = MONTHS[(n // 10) % len(MONTHS)]
            text = re.sub(r"^due: \S+", f"due: {due}", text, flags=re.M)
            message = f"#{tid} 完成时间调整为 {due}"
        elif n % 70 == 7:
            new_path = f"data/tasks/{tid:02d}-m{n}.yaml"
            changes.append((path, None))
            path = names[tid] = new_path
            message = f"#{tid} 文件改名"
        if text == before and not changes:  # nothing changed (the status or deadline was already so): log progress
            if "updates:" not in text:
                text += "updates:\n"
            text += f"  - date: {day}\n    by: {author[0]}\n    note: 第 {n} 次进展：完成调研并形成阶段性材料\n"
            message = f"#{tid} 进展记录"
        data = text.encode()
        files[path] = data
        changes.append((path, data))
        commit(n + 1, author, when, message, changes, n)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=target, input=bytes(out), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=target, check=True)


def timed(cmd: list[str], cwd: Path) -> float:
    begin = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    return time.perf_counter() - begin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    args = parser.parse_args()
    wkx = shutil.which("wkx", path=str(Path(sys.executable).parent)) or "wkx"
    folder = args.keep or Path(tempfile.mkdtemp(prefix="wkx-bench-")) / "repo"
    t0 = time.perf_counter()
    build(folder, args.commits)
    count = subprocess.run(["git", "rev-list", "--count", "HEAD", "--", "data/tasks"], cwd=folder, capture_output=True, text=True, check=True).stdout.strip()
    print(f"built {folder}: {count} commits touching data/tasks in {time.perf_counter() - t0:.1f} s")
    commands = {
        "wkx history --format json": [wkx, "history", "--format", "json"],
        "git log -p -- data/tasks": ["git", "log", "-p", "--", "data/tasks"],
    }
    for cmd in commands.values():  # warm the page cache and Python's bytecode cache
        timed(cmd, folder)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            times[name].append(timed(cmd, folder))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        print(f"{name:28s} median {value * 1000:8.1f} ms   runs: {' '.join(f'{t * 1000:.0f}' for t in times[name])}")
    ratio = medians["wkx history --format json"] / medians["git log -p -- data/tasks"]
    print(f"ratio {ratio:.2f}x (target <= 3x)")
    print(f"machine: {platform.uname().system} {platform.uname().release} {platform.machine()}, python {platform.python_version()}")
    if args.keep is None:
        shutil.rmtree(folder.parent)


if __name__ == "__main__":
    main()
