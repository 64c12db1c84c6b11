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
