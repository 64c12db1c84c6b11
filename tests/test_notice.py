"""The shipped records say what the notice says: checked against the notice's text, parsed on its own."""

from __future__ import annotations

import re

import pytest

from conftest import REPO
from seedtext import parse_seed

SEED = parse_seed()


def _due_iso(deadline: str) -> str | None:
    m = re.fullmatch(r"(\d{4})年(\d{1,2})月", deadline)
    if not m:
        assert deadline == "按各项目常规安排进行"
        return None
    import calendar

    year, month = int(m.group(1)), int(m.group(2))
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def test_seed_parser_sees_the_whole_table() -> None:
    assert [m.number for m in SEED] == list(range(1, 19))
    assert len({m.section for m in SEED}) == 4


def test_list_json_matches_the_notice(wkx) -> None:
    rows = wkx("--root", str(REPO), "list", "--format", "json", "--as-of", "2013-03-20").json()
    assert [r["id"] for r in rows] == [m.number for m in SEED]
    for row, m in zip(rows, SEED, strict=True):
        assert row["section"] == m.section
        assert row["title"] == m.title
        assert row["description"] == m.description
        assert [p["name"] for p in row["lead"]] == m.lead
        assert [p["name"] for p in row["cooperating"]] == m.cooperating
        assert row["due"] == _due_iso(m.deadline)
        assert row["due_text"] == m.deadline
        assert row["status"] == "not_started", "the notice records no progress"
        assert row["updates"] == [] and row["progress"] is None and row["completed"] is None


def test_plan_matches_the_notice() -> None:
    from wkx_tasks.store import load_tracker

    text = (REPO / "tests" / "seed" / "wkx-2013-48-task-breakdown.txt").read_text(encoding="utf-8")
    plan = load_tracker(REPO).plan
    assert plan.number == "武科协〔2013〕48号" and plan.number in text
    assert plan.issuer == "武汉市科学技术协会" and plan.issuer in text
    assert plan.issued.isoformat() == "2013-03-20" and "2013年3月20日" in text
    assert plan.title in text
    assert plan.timezone == "Asia/Shanghai"
    assert plan.sections == sorted({m.section for m in SEED}, key=[m.section for m in SEED].index)


def test_every_named_body_is_a_department_and_nothing_else() -> None:
    from wkx_tasks.store import load_tracker

    named = {n for m in SEED for n in m.lead + m.cooperating}
    departments = load_tracker(REPO).departments.departments
    assert {d.name for d in departments} == named
    assert len(departments) == 12
    for d in departments:
        assert re.fullmatch(r"[a-z]+", d.code)
    kinds = {d.name: d.kind for d in departments}
    assert {n for n, k in kinds.items() if k == "group"} == {"有关直属单位", "机关各部室", "各直属单位", "各区科协"}


@pytest.mark.parametrize("name", ["01.yaml", "10.yaml", "18.yaml"])
def test_files_sort_by_number(name: str) -> None:
    names = sorted(p.name for p in (REPO / "data" / "tasks").iterdir())
    assert names == [f"{i:02d}.yaml" for i in range(1, 19)]
    assert name in names
