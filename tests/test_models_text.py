"""Text in a record built in code holds nothing a file may not: a control character in any text field is refused,
named by its field and code point, as the file reader refuses it in a file."""

from __future__ import annotations

from typing import Any

import pytest

from wkx_tasks.models import Department, Departments, Milestone, Plan, Task, Update, Urging, Verification
from wkx_tasks.store import validate_document
from wkx_tasks.yamlio import Document

TASK: dict[str, Any] = {"id": 7, "section": "一、数据库建设", "title": "建立人才库", "lead": ["dxb"], "due": "2013-12", "status": "not_started"}
UPDATE = {"date": "2013-12-01", "by": "张伟", "note": "已完成"}
PLAN = {"number": "武科协〔2013〕48号", "title": "方案", "issuer": "武汉市科协", "issued": "2013-06-01", "sections": ["一、数据库建设"]}

CASES = [
    (Task, TASK, ("section",)),
    (Task, TASK, ("title",)),
    (Task, TASK, ("description",)),
    (Task, TASK, ("due_text",)),
    (Task, {**TASK, "updates": [UPDATE]}, ("updates", 0, "by")),
    (Task, {**TASK, "updates": [UPDATE]}, ("updates", 0, "note")),
    (Task, {**TASK, "urgings": [{"date": "2013-12-02", "by": "调宣部", "note": "请抓紧"}]}, ("urgings", 0, "note")),
    (Task, {**TASK, "milestones": [{"title": "调研", "due": "2013-10"}]}, ("milestones", 0, "title")),
    (Task, {**TASK, "status": "done", "completed": "2013-12-01", "verified": {"date": "2013-12-03", "by": "调宣部"}}, ("verified", "by")),
    (Plan, PLAN, ("title",)),
    (Plan, PLAN, ("issuer",)),
    (Departments, {"departments": [{"code": "dxb", "name": "调宣部", "kind": "department"}]}, ("departments", 0, "name")),
]


def _with(data: dict[str, Any], path: tuple[Any, ...], value: str) -> dict[str, Any]:
    import copy

    out = copy.deepcopy(data)
    target: Any = out
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return out


@pytest.mark.parametrize(("model", "data", "path"), CASES, ids=[".".join(map(str, c[2])) + f"@{c[0].__name__}" for c in CASES])
@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x85", "\x00"])
def test_a_control_character_in_any_text_field_is_refused_by_name(model: type[Any], data: dict[str, Any], path: tuple[Any, ...], char: str) -> None:
    good, problems = validate_document(model, Document(data), "t.yaml")
    assert good is not None and problems == []
    record, problems = validate_document(model, Document(_with(data, path, f"甲{char}乙")), "t.yaml")
    assert record is None
    assert len(problems) == 1, problems
    text = str(problems[0])
    dotted = ".".join(f"[{p}]" if isinstance(p, int) else p for p in path).replace(".[", "[")
    assert dotted in text and f"U+{ord(char):04X}" in text, text


def test_line_breaks_and_tabs_are_text_where_text_may_span_lines() -> None:
    record, problems = validate_document(Task, Document({**TASK, "description": "第一行\n第二行\t制表"}), "t.yaml")
    assert record is not None and problems == []
    _, problems = validate_document(Task, Document({**TASK, "title": "第一行\n第二行"}), "t.yaml")
    assert len(problems) == 1 and "title" in str(problems[0])


def test_models_built_directly_refuse_control_characters_too() -> None:
    # (Through validate_document, as wkx builds every record, the problem names the field and the code point.)
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Update(date="2013-12-01", by="张伟", note="a\x07b")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="U\\+0007"):
        Urging(date="2013-12-01", by="张\x07伟")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Verification(date="2013-12-01", by="调宣部", note="\x1b")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="U\\+0007"):
        Milestone(title="调\x07研", due="2013-10")
    with pytest.raises(ValidationError, match="U\\+0007"):
        Department(code="dxb", name="调\x07宣部", kind="department")
    with pytest.raises(ValidationError):
        Plan(**{**PLAN, "timezone": "Asia/Shanghai\x07"})


def _plain_text(annotation: Any, checks: list[Any]) -> list[str]:
    """Where in an annotation text is taken without a check (a pattern or a validator): [] when nowhere."""
    import typing

    if annotation is str:
        return [] if any(getattr(c, "pattern", None) or hasattr(c, "func") for c in checks) else ["str"]
    if typing.get_origin(annotation) is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        return _plain_text(base, [*checks, *meta])
    if typing.get_origin(annotation) is typing.Literal:
        return []
    return [found for arg in typing.get_args(annotation) for found in _plain_text(arg, [])]


def test_every_text_field_of_every_record_is_checked() -> None:
    # A new text field must be OneLine or Text (or a Code, a Due, a choice): plain `str` would let control
    # characters into a record built in code.
    assert _plain_text(str | None, []) == ["str"] and _plain_text(list[str], []) == ["str"]  # the check itself works
    for model in (Task, Update, Urging, Verification, Milestone, Plan, Department, Departments):
        for name, info in model.model_fields.items():
            assert _plain_text(info.annotation, list(info.metadata)) == [], f"{model.__name__}.{name} is plain text"
