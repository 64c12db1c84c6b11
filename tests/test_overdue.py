"""Overdue is judged on Beijing's calendar at --as-of or at the clock's instant, whatever the machine's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conftest import REPO

DATED = {
    1: "2013-12",
    2: "2014-12",
    3: "2014-12",
    4: "2014-12",
    10: "2013-12",
    11: "2013-12",
    12: "2014-12",
    13: "2014-12",
    14: "2013-03",
    15: "2013-04",
    16: "2013-06",
    17: "2013-04",
}


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2013-03-20", set()),
        ("2013-03-31", set()),
        ("2013-04-01", {14}),
        ("2013-04-30", {14}),
        ("2013-05-01", {14, 15, 17}),
        ("2013-06-30", {14, 15, 17}),
        ("2013-07-01", {14, 15, 16, 17}),
        ("2013-12-31", {14, 15, 16, 17}),
        ("2014-01-01", {1, 10, 11, 14, 15, 16, 17}),
        ("2014-12-31", {1, 10, 11, 14, 15, 16, 17}),
        ("2015-01-01", set(DATED)),
        ("2026-11-27", set(DATED)),
    ],
)
def test_overdue_sets(wkx, as_of: str, expected: set[int]) -> None:
    status = wkx("--root", str(REPO), "status", "--overdue", "--as-of", as_of, "--format", "json")
    listed = wkx("--root", str(REPO), "list", "--overdue", "--as-of", as_of, "--format", "json")
    assert status.exit_code == 0 and listed.exit_code == 0
    assert {r["id"] for r in status.json()} == expected
    assert [r["id"] for r in listed.json()] == sorted(expected)
    for row in status.json():
        assert row["overdue"] is True and row["days_overdue"] >= 1


def test_days_overdue_and_order(wkx) -> None:
    rows = wkx("--root", str(REPO), "status", "--overdue", "--as-of", "2014-01-01", "--format", "json").json()
    assert [(r["id"], r["days_overdue"]) for r in rows] == [(14, 276), (15, 246), (17, 246), (16, 185), (1, 1), (10, 1), (11, 1)]


@pytest.mark.parametrize(
    ("instant", "overdue"),
    [
        (datetime(2013, 12, 31, 15, 59, 59, tzinfo=UTC), False),  # 23:59:59 on 31 Dec in Beijing
        (datetime(2013, 12, 31, 16, 0, 0, tzinfo=UTC), True),  # 00:00 on 1 Jan in Beijing
    ],
)
def test_beijing_midnight_decides_not_utc(wkx, instant: datetime, overdue: bool) -> None:
    rows = wkx("--root", str(REPO), "show", "1", "--format", "json", now=instant).json()
    assert rows["overdue"] is overdue
    assert rows["days_overdue"] == (1 if overdue else None)


def test_tz_of_the_machine_does_not_matter(wkx, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    instant = datetime(2013, 12, 31, 16, 30, tzinfo=UTC)
    results = []
    for zone in ("UTC", "America/Los_Angeles", "Asia/Shanghai"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        results.append({r["id"] for r in wkx("--root", str(REPO), "status", "--overdue", "--format", "json", now=instant).json()})
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    assert results == [{1, 10, 11, 14, 15, 16, 17}] * 3


def test_closed_measures_are_never_overdue(wkx, tracker) -> None:
    path = tracker / "data" / "tasks" / "14.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: not_started", "status: done\ncompleted: 2013-05-02"), encoding="utf-8")
    path = tracker / "data" / "tasks" / "15.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: not_started", "status: cancelled"), encoding="utf-8")
    rows = wkx("--root", str(tracker), "status", "--overdue", "--as-of", "2014-01-01", "--format", "json").json()
    assert {r["id"] for r in rows} == {1, 10, 11, 16, 17}


def test_due_within_and_exact_dates(wkx, tracker) -> None:
    path = tracker / "data" / "tasks" / "02.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("due: 2014-12", "due: 2014-01-15"), encoding="utf-8")
    rows = wkx("--root", str(tracker), "status", "--due-within", "30", "--as-of", "2014-01-01", "--format", "json").json()
    assert [(r["id"], r["days_left"], r["due"]) for r in rows] == [(2, 14, "2014-01-15")]
    rows = wkx("--root", str(tracker), "status", "--due-within", "13", "--as-of", "2014-01-01", "--format", "json").json()
    assert rows == []
    on_the_day = wkx("--root", str(tracker), "show", "2", "--format", "json", "--as-of", "2014-01-15").json()
    assert on_the_day["overdue"] is False and on_the_day["days_left"] == 0
    after = wkx("--root", str(tracker), "show", "2", "--format", "json", "--as-of", "2014-01-16").json()
    assert after["overdue"] is True and after["days_overdue"] == 1


def test_leap_february(wkx, tracker) -> None:
    path = tracker / "data" / "tasks" / "02.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("due: 2014-12", "due: 2016-02"), encoding="utf-8")
    row = wkx("--root", str(tracker), "show", "2", "--format", "json", "--as-of", "2016-02-29").json()
    assert row["due"] == "2016-02-29" and row["overdue"] is False
