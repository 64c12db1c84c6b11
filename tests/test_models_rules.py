"""The rules across a measure's fields (Task._consistent): each one, and which is told first when several break."""

from __future__ import annotations

from typing import Any

import pytest

from wkx_tasks.models import Task
from wkx_tasks.store import validate_document
from wkx_tasks.yamlio import Document

TASK: dict[str, Any] = {"id": 7, "section": "一、数据库建设", "title": "建立人才库", "lead": ["dxb"], "due": "2013-12", "status": "not_started"}
UPDATES = [{"date": "2013-12-01", "by": "张伟", "note": "一"}, {"date": "2013-11-01", "by": "李娜", "note": "二"}]
VERIFIED = {"date": "2013-12-03", "by": "调宣部"}

CASES = [
    ({"lead": ["dxb", "dxb"]}, "lead", "names a department twice"),
    ({"cooperating": ["kpb", "kpb"]}, "cooperating", "names a department twice"),
    ({"cooperating": ["kpb", "dxb"]}, "cooperating", "'dxb' is both lead and cooperating"),
    ({"status": "done"}, "status", "done"),
    ({"completed": "2013-12-01"}, "completed", "not_started"),
    ({"status": "in_progress", "verified": VERIFIED}, "verified", ""),
    ({"updates": UPDATES}, "updates[1].date", "not in date order"),
    # Several broken at once: the first in the order the rules are written is told.
    ({"lead": ["dxb", "dxb"], "cooperating": ["kpb", "kpb"], "completed": "2013-12-01", "updates": UPDATES}, "lead", "twice"),
    ({"cooperating": ["kpb", "kpb", "dxb"], "status": "done"}, "cooperating", "twice"),
    ({"cooperating": ["dxb"], "status": "done"}, "cooperating", "both lead and cooperating"),
    ({"status": "done", "verified": VERIFIED, "updates": UPDATES}, "status", "done"),
    ({"completed": "2013-12-01", "verified": VERIFIED}, "completed", ""),
    ({"verified": VERIFIED, "updates": UPDATES}, "verified", ""),
]


@pytest.mark.parametrize(("change", "field", "words"), CASES)
def test_one_rule_broken_is_told_at_its_field(change: dict[str, Any], field: str, words: str) -> None:
    from wkx_tasks.messages import language

    with language("en"):
        record, problems = validate_document(Task, Document({**TASK, **change}), "t.yaml")
        assert record is None and len(problems) == 1, problems
        text = str(problems[0])
    assert f": {field}: " in text and words in text, text


def test_what_keeps_every_rule_passes() -> None:
    fine = [
        {},
        {"cooperating": ["kpb", "zrb"]},
        {"status": "done", "completed": "2013-12-01", "verified": VERIFIED},
        {"updates": list(reversed(UPDATES))},
        {"updates": [UPDATES[0], UPDATES[0]]},  # the same day twice is in order
    ]
    for change in fine:
        record, problems = validate_document(Task, Document({**TASK, **change}), "t.yaml")
        assert record is not None and problems == [], (change, problems)


FIELD_CASES = [
    # Whole numbers: ASCII digits only.
    ({"id": "7"}, None),
    ({"progress": "10"}, None),
    ({"id": "١٢"}, "not a whole number"),
    ({"progress": "²"}, "not a whole number"),
    ({"progress": "1_0"}, "not a whole number"),
    ({"progress": "+10"}, "not a whole number"),
    # One-line texts: not empty, not blank (ideographic and no-break spaces too), no line break, no control.
    ({"title": "建立 人才库 "}, None),
    ({"title": "\u3000\u00a0 "}, "empty"),
    ({"title": ""}, "empty"),
    ({"title": "甲\n乙"}, "one line"),
    ({"title": "甲\u2028乙"}, None),
    ({"title": "甲\u200b乙"}, None),
    ({"title": "甲\x1b乙"}, "U+001B"),
    # Deadlines and dates: a deadline read once stays right, and a wrong one is told every time.
    ({"due": "2013-12"}, None),
    ({"due": "2013-13"}, "2013-13"),
    ({"due": "2013-02-29"}, "2013-02-29"),
    ({"due": "ongoing"}, None),
    ({"updates": [{"date": "2013-12-01", "by": "张伟", "note": "一"}]}, None),
    ({"updates": [{"date": "2013-12-32", "by": "张伟", "note": "一"}]}, "2013-12-32"),
    ({"updates": [{"date": "20131201", "by": "张伟", "note": "一"}]}, "20131201"),
]


@pytest.mark.parametrize(("change", "words"), FIELD_CASES)
def test_field_rules_hold_the_first_time_and_every_time_after(change: dict[str, Any], words: str | None) -> None:
    # Values already checked are remembered (deadlines, dates): a second reading must give the same answer.
    from wkx_tasks.messages import language

    with language("en"):
        for _ in range(2):
            record, problems = validate_document(Task, Document({**TASK, **change}), "t.yaml")
            if words is None:
                assert record is not None and problems == [], problems
            else:
                assert record is None and len(problems) == 1 and words in str(problems[0]), problems
