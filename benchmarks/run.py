"""Benchmark runner: wall time and peak memory of `wkx` beside its floor and beside Taskwarrior, in one interleaved run.

    .venv/bin/python benchmarks/run.py [--rounds-startup 30] [--rounds-10k 9] [--measures 10000] [--no-write]

Run it by hand (never from pytest) with the interpreter of the environment wkx is installed in: the `wkx`
measured is the console script next to that interpreter, and the floor app runs on the same interpreter.

Every round runs every case once, in turn (A B C … then … C B A on the next round, so that no case always
follows the same neighbour); a warm-up run of each case comes first and is not counted. For each case the
runner reports the median wall time over the rounds, its spread, and the peak resident memory of the child
process (ru_maxrss from wait4). It prints ratios against the targets and writes benchmarks/RESULTS.md
(the machine, the date, the numbers), keeping any other `## ` section already in that file.

Cases:
- Start-up: `wkx status --overdue` on the 18 shipped measures vs `python benchmarks/floor_app.py`.
- History: `wkx history --format json` vs `git log -p -- data/tasks` in a repository of 5,000 commits built by
  bench_history.py.
- 10,000 measures (a synthetic tracker made by generate.py, a git repository, so wkx caches under .git/):
  `wkx status --overdue` warm (cache present) and cold (cache deleted before each run; the OS page cache
  stays warm), `wkx validate` warm and cold, `wkx report --format xlsx -o FILE` when the installed wkx has
  a `report` command, and Taskwarrior `task +OVERDUE list` over the same 10,000 measures imported as tasks
  into an isolated TASKDATA/TASKRC, when `task` is installed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "RESULTS.md"
MINE = ("## Start-up", "## 10,000 measures", "## History")

sys.path.insert(0, str(HERE))
from bench_history import build as build_history  # noqa: E402
from generate import generate  # noqa: E402


@dataclass
class Case:
    name: str
    argv: list[str]
    cwd: Path
    env: dict[str, str]
    before: Callable[[], None] | None = None
    expect: tuple[int, ...] = (0,)
    times: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")

    @property
    def peak_mib(self) -> float:
        return max(self.rss_kib) / 1024 if self.rss_kib else float("nan")


def run_once(case: Case) -> None:
    if case.before is not None:
        case.before()
    with open(os.devnull, "wb") as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(case.argv, cwd=case.cwd, env=case.env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in case.expect:
            err.seek(0)
            case.failures.append(f"exit {proc.returncode}: {err.read().decode(errors='replace')[-500:]}")
            return
    case.times.append(elapsed)
    case.rss_kib.append(usage.ru_maxrss)


def interleave(cases: list[Case], rounds: int, label: str) -> None:
    for case in cases:  # warm-up, not counted: fills the OS page cache and wkx's own cache
        run_once(case)
        case.times.clear()
        case.rss_kib.clear()
    for r in range(rounds):
        order = cases if r % 2 == 0 else list(reversed(cases))
        for case in order:
            run_once(case)
        print(f"  {label}: round {r + 1}/{rounds} done", file=sys.stderr)


def peak_pss_together(argv: list[str], cwd: Path, env: dict[str, str], before: Callable[[], None] | None) -> float | None:
    """The most memory the command and the processes it forks held at once: the sum of their PSS (shared pages
    split between the processes sharing them), sampled every 2 ms from /proc; None where /proc cannot tell."""
    if not Path("/proc/self/smaps_rollup").exists():
        return None
    if before is not None:
        before()

    def family(root: int) -> list[int]:
        found, parents = [root], {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                parents[int(entry)] = int(fields[1])
        for pid, parent in parents.items():
            if parent in found and pid not in found:
                found.append(pid)
        return found

    def pss_kib(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return 0

    peak = 0
    with open(os.devnull, "wb") as out:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.DEVNULL)
        while proc.poll() is None:
            peak = max(peak, sum(pss_kib(pid) for pid in family(proc.pid)))
            time.sleep(0.002)
    return peak / 1024


def machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    tw = "not installed"
    if shutil.which("task"):
        tw = subprocess.run(["task", "--version"], capture_output=True, text=True).stdout.strip()
    try:
        uname = subprocess.run(["uname", "-a"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        uname = " ".join(platform.uname()).strip()
    return [
        f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine (uname -a): `{uname}`",
        f"- CPUs (nproc): {os.cpu_count()}; CPU: {cpu}",
        f"- Python: {platform.python_version()} ({sys.executable})",
        f"- Taskwarrior: {tw}",
        "- The machine is shared with other jobs: medians over interleaved rounds, spread shown as min–max.",
        "- Bytecode as installed: PYTHONDONTWRITEBYTECODE is removed from the commands' environment.",
    ]


def fmt_row(case: Case) -> str:
    if not case.times:
        return f"| {case.name} | failed: {case.failures[-1] if case.failures else 'no runs'} | | | |"
    return (
        f"| {case.name} | {case.median:.3f} | {min(case.times):.3f}–{max(case.times):.3f} | {case.peak_mib:.0f} | {len(case.times)}"
        + (f" ({len(case.failures)} failed)" if case.failures else "")
        + " |"
    )


TABLE_HEAD = ["| Command | Median wall (s) | Min–max (s) | Peak RSS (MiB) | Runs |", "|---|---:|---:|---:|---:|"]


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**NOT met**"


def write_results(text_sections: list[str]) -> None:
    """Replace our sections of RESULTS.md; keep any other `## ` section another benchmark wrote there."""
    kept: list[str] = []
    if RESULTS.exists():
        current: list[str] | None = None
        for line in RESULTS.read_text(encoding="utf-8").splitlines():
            if line.startswith("## "):
                current = [] if line.startswith(MINE) else [line]
                if current:
                    kept.append("")
                    kept.extend(current)
                    current = kept
                continue
            if current is kept:
                kept.append(line)
    head = [
        "# Benchmark results",
        "",
        "Measured by hand with the scripts in this folder (never by the test suite); numbers are wall time on the machine",
        "named, not targets enforced by tests. `benchmarks/run.py` writes every section below in one run (how to run it:",
        "the Performance section of the README); `benchmarks/bench_history.py` times the history case alone.",
        "",
    ]
    body = "\n".join(head + text_sections).rstrip() + "\n"
    if kept:
        body += "\n".join(kept).rstrip() + "\n"
    RESULTS.write_text(body, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds-startup", type=int, default=30)
    parser.add_argument("--rounds-10k", type=int, default=9)
    parser.add_argument("--measures", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=5000, help="commits in the repository `wkx history` reads")
    parser.add_argument("--rounds-history", type=int, default=9)
    parser.add_argument("--work", type=Path, help="folder for the generated tracker and Taskwarrior data (default: a temporary one)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args()

    bindir = Path(sys.executable).parent
    wkx = bindir / "wkx"
    if not wkx.exists():
        sys.exit(f"no wkx next to {sys.executable}; install the project into this environment first")
    work = args.work or Path(tempfile.mkdtemp(prefix="wkx-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WKX_", "TASK"))}
    env.update({"TZ": "UTC", "NO_COLOR": "1", "COLUMNS": "200"})
    env.pop("FORCE_COLOR", None)
    # As installed (pip compiles bytecode): a PYTHONDONTWRITEBYTECODE set for development would make every run
    # compile wkx's own modules again. The warm-up run of each case writes the bytecode.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    py = sys.executable

    # --- start-up: 18 shipped measures vs the floor -----------------------------------------------------
    print("start-up cases …", file=sys.stderr)
    startup = [
        Case("`wkx status --overdue` (18 measures)", [str(wkx), "--root", str(REPO), "status", "--overdue"], REPO, env),
        Case("floor: minimal Typer app printing a line", [py, str(HERE / "floor_app.py")], REPO, env),
        Case("`python -c pass`", [py, "-c", "pass"], REPO, env),
    ]
    interleave(startup, args.rounds_startup, "start-up")

    # --- 10,000 measures ---------------------------------------------------------------------------------
    n = args.measures
    print(f"generating {n} measures in {work} …", file=sys.stderr)
    tracker = generate(work / "tracker", n, git=True, taskwarrior=work / "tasks.json")
    cache_dir = tracker / ".git" / "wkx-cache"

    def drop_cache() -> None:
        shutil.rmtree(cache_dir, ignore_errors=True)

    big = [
        Case(f"`wkx status --overdue`, warm cache ({n:,})", [str(wkx), "--root", str(tracker), "status", "--overdue"], tracker, env),
        Case(f"`wkx status --overdue`, cold: no cache ({n:,})", [str(wkx), "--root", str(tracker), "status", "--overdue"], tracker, env, before=drop_cache),
        Case(f"`wkx validate`, warm cache ({n:,})", [str(wkx), "--root", str(tracker), "validate"], tracker, env),
        Case(f"`wkx validate`, cold: no cache ({n:,})", [str(wkx), "--root", str(tracker), "validate"], tracker, env, before=drop_cache),
    ]
    notes: list[str] = []
    has_report = subprocess.run([str(wkx), "report", "--help"], capture_output=True, env=env).returncode == 0
    report: Case | None = None
    if has_report:
        report = Case(
            f"`wkx report --format xlsx -o FILE`, warm cache ({n:,})",
            [str(wkx), "--root", str(tracker), "report", "--format", "xlsx", "-o", str(work / "report.xlsx")],
            tracker,
            env,
        )
        big.append(report)
    else:
        notes.append("`wkx report --format xlsx`: skipped: no report command")
        print("report xlsx: skipped: no report command", file=sys.stderr)
    tw: Case | None = None
    task = shutil.which("task")
    if task:
        taskdata = work / "taskdata"
        shutil.rmtree(taskdata, ignore_errors=True)
        taskdata.mkdir()
        taskrc = work / "taskrc"
        taskrc.write_text(f"data.location={taskdata}\nconfirmation=no\nverbose=nothing\nhooks=off\n", encoding="utf-8")
        tw_env = dict(env, TASKRC=str(taskrc), TASKDATA=str(taskdata))
        subprocess.run([task, "import", str(work / "tasks.json")], env=tw_env, check=True, capture_output=True)
        tw = Case(f"Taskwarrior `task +OVERDUE list` ({n:,} tasks)", [task, "rc.defaultwidth=200", "+OVERDUE", "list"], work, tw_env)
        big.append(tw)
    else:
        notes.append("Taskwarrior: skipped: task not installed")
        print("taskwarrior: skipped: task not installed", file=sys.stderr)
    # The same question over the same data: both must find the same number of overdue measures.
    answer = subprocess.run([str(wkx), "--root", str(tracker), "status", "--overdue", "--format", "json"], capture_output=True, env=env)
    same = [f"`wkx status --overdue` lists {len(json.loads(answer.stdout))} overdue measures"]
    if tw is not None:
        counted = subprocess.run([tw.argv[0], "+OVERDUE", "count"], capture_output=True, text=True, env=tw.env).stdout.strip()
        same.append(f"`task +OVERDUE count` says {counted}")
    notes.insert(0, "; ".join(same) + ".")
    interleave(big, args.rounds_10k, "10k")
    cold_status = big[1]
    together = peak_pss_together(cold_status.argv, cold_status.cwd, cold_status.env, cold_status.before) if cold_status.times else None

    # --- history over thousands of commits ---------------------------------------------------------------------
    print(f"building a repository of {args.commits} commits …", file=sys.stderr)
    history_repo = work / "history"
    shutil.rmtree(history_repo, ignore_errors=True)
    build_history(history_repo, args.commits)
    touching = subprocess.run(["git", "rev-list", "--count", "HEAD", "--", "data/tasks"], cwd=history_repo, capture_output=True, text=True, check=True)
    history = [
        Case("`wkx history --format json`", [str(wkx), "history", "--format", "json"], history_repo, env),
        Case("`git log -p -- data/tasks`", ["git", "log", "-p", "--", "data/tasks"], history_repo, env),
    ]
    interleave(history, args.rounds_history, "history")

    # --- report ----------------------------------------------------------------------------------------
    wkx18, floor, bare = startup
    warm, cold, val_warm, val_cold = big[:4]
    a = wkx18.median / floor.median
    lines = ["## Start-up", "", *machine(), "", *TABLE_HEAD, *(fmt_row(c) for c in startup), ""]
    lines += [
        f"- Ratio `wkx status --overdue` / floor: **{a:.2f}×** (target ≤ 1.5×): {verdict(a <= 1.5)}",
        f"- Floor / `python -c pass`: {floor.median / bare.median:.1f}× — Typer's own start-up (it loads pydantic).",
        "",
    ]
    lines += ["## 10,000 measures", "", *TABLE_HEAD, *(fmt_row(c) for c in big), ""]
    results = []
    if tw is not None and tw.times:
        r_warm, r_cold = warm.median / tw.median, cold.median / tw.median
        results.append(f"- `wkx status --overdue` warm / Taskwarrior: **{r_warm:.2f}×** (target ≤ 1.0×): {verdict(r_warm <= 1.0)}")
        results.append(f"- `wkx status --overdue` cold / Taskwarrior: **{r_cold:.2f}×** (target ≤ 4×): {verdict(r_cold <= 4.0)}")
    results.append(
        f"- `wkx validate` over {n:,}: warm **{val_warm.median:.2f} s**, cold **{val_cold.median:.2f} s** (target ≤ 5 s): {verdict(val_cold.median <= 5.0)}"
    )
    if report is not None and report.times:
        results.append(f"- `wkx report --format xlsx` over {n:,}: **{report.median:.2f} s** (target ≤ 10 s): {verdict(report.median <= 10.0)}")
    elif report is not None:
        results.append(f"- `wkx report --format xlsx` over {n:,}: failed ({report.failures[-1] if report.failures else 'no run'}): **NOT met**")
    peak = max((c.peak_mib for c in big if c is not tw and c.rss_kib), default=float("nan"))
    results.append(f"- Peak memory of wkx at {n:,}: **{peak:.0f} MiB** (target ≤ 200 MiB): {verdict(peak <= 200)}")
    if together is not None:
        results.append(
            f"- A cold `status` forks a worker and a cache writer: all its processes together held at most **{together:.0f} MiB**"
            " (sum of PSS, one extra run sampled every 2 ms; the table's peak RSS is that of the largest process)."
        )
    lines += results + [f"- {note}" for note in notes]
    lines += [
        "",
        "Cold means wkx's caches (records and the status index) were deleted before each run (they are rebuilt and written by that run); the",
        "operating system's page cache stays warm for every command, Taskwarrior included. Output goes to /dev/null.",
        "",
    ]
    wkx_history, git_log = history
    c = wkx_history.median / git_log.median
    lines += ["## History", "", *TABLE_HEAD, *(fmt_row(h) for h in history), ""]
    lines += [
        f"- `wkx history` / `git log -p`: **{c:.2f}×** (target ≤ 3×): {verdict(c <= 3.0)}",
        f"- The repository (`bench_history.build`): the shipped tracker and {args.commits:,} commits by four authors (张伟, 李娜, 王芳,"
        f" 刘洋), {touching.stdout.strip()} of them touching data/tasks: progress notes appended, statuses changed, deadlines moved,"
        " a file renamed every 70 commits; written with `git fast-import`.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    for case in startup + big + history:
        for f in case.failures[:1]:
            print(f"FAILED {case.name}: {f}", file=sys.stderr)
    if not args.no_write:
        write_results([text])
        print(f"wrote {RESULTS}", file=sys.stderr)


if __name__ == "__main__":
    main()
