"""The strict reader and the round-trip writer."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA
from wkx_tasks.yamlio import YamlProblems, load_bytes, rt_dump, rt_load

SHIPPED = sorted(DATA.rglob("*.yaml"))


def test_values_are_text_and_marks_are_one_based() -> None:
    doc = load_bytes("id: 7\ntitle: 标题\nlead:\n  - dxb\nnote: 'no'\nempty:\n".encode(), "t.yaml")
    assert doc.value == {"id": "7", "title": "标题", "lead": ["dxb"], "note": "no", "empty": None}
    assert doc.mark(("lead", 0)) == (4, 5)
    assert doc.mark(("title",), key=True) == (2, 1)
    assert doc.mark(("missing", 3)) == (1, 1)


def _english(exc: YamlProblems) -> str:
    return "; ".join(p.text("en") for p in exc.problems)


def test_bom_and_crlf_are_accepted() -> None:
    doc = load_bytes(b"\xef\xbb\xbfid: 1\r\ntitle: x\r\n", "t.yaml")
    assert doc.value == {"id": "1", "title": "x"}


def test_gbk_file_is_named_as_such() -> None:
    with pytest.raises(YamlProblems) as info:
        load_bytes("title: 规章制度建设\n".encode("gbk"), "t.yaml")
    assert "save it as UTF-8" in _english(info.value) and "GBK" in _english(info.value)
    assert "请改存为 UTF-8" in str(info.value), "Chinese unless asked otherwise"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x 1\nb: *x\n", "anchors (&x) are not allowed"),
        ("a: !!python/object:os.system x\n", "YAML tags"),
        ("a: 1\n---\nb: 2\n", "more than one YAML document"),
        ("<<<<<<< HEAD\na: 1\n=======\na: 2\n>>>>>>> other\n", "unresolved merge conflict marker"),
        ("a: " + "[" * 100 + "]" * 100 + "\n", "nested more than"),
        ("? [a]\n: 1\n", "a key must be plain text"),
    ],
)
def test_hostile_shapes_are_refused(text: str, message: str) -> None:
    with pytest.raises(YamlProblems) as info:
        load_bytes(text.encode(), "t.yaml")
    assert message in _english(info.value)


def test_billion_laughs_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9)
    )
    with pytest.raises(YamlProblems) as info:
        load_bytes(bomb.encode(), "t.yaml")
    assert "not allowed" in _english(info.value)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_a_document_or_clean_problems(data: bytes) -> None:
    try:
        load_bytes(data, "t.yaml")
    except YamlProblems as exc:
        assert exc.problems and all(p.path == "t.yaml" and p.message for p in exc.problems)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab: -[]{}'\"#&*!|>\n\t01,?~规章")), max_size=120))
def test_any_yamlish_text_gives_a_document_or_clean_problems(text: str) -> None:
    try:
        load_bytes(text.encode(), "t.yaml")
    except YamlProblems as exc:
        assert exc.problems


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_round_trip_of_shipped_files_is_byte_identical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert rt_dump(rt_load(text)) == text


def test_round_trip_edit_changes_only_the_edited_line() -> None:
    path = DATA / "tasks" / "01.yaml"
    text = path.read_text(encoding="utf-8")
    data = rt_load(text)
    data["status"] = "in_progress"
    after = rt_dump(data)
    changed = [(a, b) for a, b in zip(text.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [("status: not_started", "status: in_progress")]
