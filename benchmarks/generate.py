"""Synthetic trackers for the benchmarks: N measures in the shapes of the 18 real ones, and the same as Taskwarrior tasks.

    python benchmarks/generate.py OUT --measures 10000 [--git] [--taskwarrior TW.json]

The plan and the department list are the shipped ones (data/plan.yaml, data/departments.yaml); each measure takes
the title, description and due-date wording of one real measure, with its own id, a section of the plan, lead and
cooperating departments from the list, a due month or date from 2013 to 2016 (or ongoing), a status, and for
some a completion date, a verification and a progress log. The output is deterministic for a given seed.

`--taskwarrior FILE` also writes the same measures as a Taskwarrior 2.6 import file (JSON array): description =
title, project = section number, due = the deadline's last day at 23:59:59 Beijing time, status pending or
completed, so that `task +OVERDUE list` and `wkx status --overdue` answer the same question over the same data.
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import shutil
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
STATUSES = ["not_started"] * 30 + ["in_progress"] * 40 + ["done"] * 20 + ["blocked"] * 5 + ["cancelled"] * 5
PEOPLE = ["张伟", "王芳", "李娜", "刘洋", "陈静"]


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML), Chinese kept as characters."""
    return json.dumps(text, ensure_ascii=False)


def _real_measures() -> list[dict[str, object]]:
    sys.path.insert(0, str(REPO / "src"))
    from wkx_tasks.store import load_tracker

    tracker = load_tracker(REPO)
    tracker.raise_if_broken()
    return [t.model_dump(mode="json") for t in tracker.tasks]


def _plan_and_codes() -> tuple[list[str], list[str], list[str]]:
    sys.path.insert(0, str(REPO / "src"))
    from wkx_tasks.store import load_tracker

    tracker = load_tracker(REPO)
    codes = [d.code for d in tracker.departments.departments]
    singles = [d.code for d in tracker.departments.departments if d.kind != "group"]
    return list(tracker.plan.sections), codes, singles


def _due(rng: random.Random) -> tuple[str, str, date | None]:
    """(due, due_text, last day) — a month like the notice writes, sometimes a day, sometimes ongoing."""
    roll = rng.random()
    if roll < 0.15:
        return "ongoing", "按各项目常规安排进行", None
    year, month = rng.randint(2013, 2016), rng.randint(1, 12)
    if roll < 0.75:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return f"{year}-{month:02d}", f"{year}年{month}月", last
    day = rng.randint(1, calendar.monthrange(year, month)[1])
    return f"{year}-{month:02d}-{day:02d}", f"{year}年{month}月{day}日", date(year, month, day)


def measure(
    i: int, rng: random.Random, real: list[dict[str, object]], sections: list[str], codes: list[str], singles: list[str]
) -> tuple[str, dict[str, object]]:
    """The YAML text of measure i and the facts the Taskwarrior twin needs."""
    base = real[(i - 1) % len(real)]
    section = sections[rng.randrange(len(sections))]
    lead = rng.sample(codes, 1 if rng.random() < 0.8 else 2)
    cooperating = rng.sample([c for c in singles if c not in lead], rng.randint(0, 4))
    due, due_text, last = _due(rng)
    status = rng.choice(STATUSES)
    lines = [
        f"# 合成数据（基准测试），仿第 {base['id']} 项。",
        f"id: {i}",
        f"section: {section}",
        f"title: {_q(str(base['title']) + f'（{i}）')}",
        f"description: {_q(str(base['description']))}",
        "lead:",
        *(f"  - {c}" for c in lead),
    ]
    lines += ["cooperating:", *(f"  - {c}" for c in cooperating)] if cooperating else ["cooperating: []"]
    lines += [f"due: {due}", f"due_text: {due_text}", f"status: {status}"]
    start = date(2013, 3, 20) + timedelta(days=rng.randint(0, 200))
    completed = None
    if status == "done":
        completed = start + timedelta(days=rng.randint(10, 400))
        lines.append(f"completed: {completed.isoformat()}")
        if rng.random() < 0.5:
            lines += ["verified:", f"  date: {(completed + timedelta(days=7)).isoformat()}", "  by: 调宣部", "  note: 已核实"]
    if status != "not_started":
        lines.append(f"progress: {100 if status == 'done' else rng.randint(0, 95)}")
        n = rng.randint(1, 4)
        lines.append("updates:")
        day = start
        for k in range(n):
            day = day + timedelta(days=rng.randint(5, 60))
            lines += [f"  - date: {day.isoformat()}", f"    by: {rng.choice(PEOPLE)}", f"    note: {_q(f'第{k + 1}次进展：已按计划推进相关工作。')}"]
            if k == n - 1:
                lines.append(f"    progress: {rng.randint(0, 100)}")
    facts = {"id": i, "title": str(base["title"]) + f"（{i}）", "section": sections.index(section) + 1, "last": last, "status": status, "completed": completed}
    return "\n".join(lines) + "\n", facts


def taskwarrior_task(facts: dict[str, object], rng: random.Random) -> dict[str, object]:
    entry = datetime(2013, 3, 20, 1, 0, tzinfo=UTC)
    task: dict[str, object] = {
        "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "description": facts["title"],
        "project": f"section{facts['section']}",
        "entry": entry.strftime("%Y%m%dT%H%M%SZ"),
        "status": "completed" if facts["status"] in ("done", "cancelled") else "pending",
    }
    last = facts["last"]
    if isinstance(last, date):
        # The end of the deadline's last day in Beijing (UTC+8) is 15:59:59 UTC that day.
        task["due"] = datetime(last.year, last.month, last.day, 15, 59, 59, tzinfo=UTC).strftime("%Y%m%dT%H%M%SZ")
    if task["status"] == "completed":
        end = facts["completed"] if isinstance(facts["completed"], date) else date(2014, 1, 1)
        task["end"] = datetime(end.year, end.month, end.day, 2, 0, tzinfo=UTC).strftime("%Y%m%dT%H%M%SZ")
    return task


def generate(out: Path, measures: int, *, seed: int = 2013, git: bool = False, taskwarrior: Path | None = None) -> Path:
    """Write a tracker with `measures` measures into out (replacing it); returns out."""
    rng = random.Random(seed)
    real = _real_measures()
    sections, codes, singles = _plan_and_codes()
    if out.exists():
        shutil.rmtree(out)
    tasks_dir = out / "data" / "tasks"
    tasks_dir.mkdir(parents=True)
    shutil.copy2(DATA / "plan.yaml", out / "data" / "plan.yaml")
    shutil.copy2(DATA / "departments.yaml", out / "data" / "departments.yaml")
    width = max(2, len(str(measures)))
    tw: list[dict[str, object]] = []
    for i in range(1, measures + 1):
        text, facts = measure(i, rng, real, sections, codes, singles)
        (tasks_dir / f"{i:0{width}d}.yaml").write_text(text, encoding="utf-8")
        if taskwarrior is not None:
            tw.append(taskwarrior_task(facts, rng))
    if taskwarrior is not None:
        taskwarrior.write_text(json.dumps(tw, ensure_ascii=False), encoding="utf-8")
    if git:
        env_git = ["git", "-C", str(out), "-c", "user.name=基准", "-c", "user.email=bench@example.invalid"]
        subprocess.run(["git", "init", "-q", str(out)], check=True)
        subprocess.run([*env_git, "add", "-A"], check=True)
        subprocess.run([*env_git, "commit", "-q", "-m", f"{measures} synthetic measures"], check=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--measures", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--git", action="store_true", help="make the tracker a git repository with one commit")
    parser.add_argument("--taskwarrior", type=Path, help="also write the measures as a Taskwarrior import file")
    args = parser.parse_args()
    generate(args.out, args.measures, seed=args.seed, git=args.git, taskwarrior=args.taskwarrior)
    print(f"wrote {args.measures} measures to {args.out}")


if __name__ == "__main__":
    main()
