"""The quick reader of the plain subset builds exactly the Document the libyaml reader builds, or declines."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA
from wkx_tasks.yamlio import Document, YamlProblems, decode, parse, parse_events, parse_plain

CORPUS = Path(__file__).resolve().parent / "corpus"


def _agree(text: str) -> Document | None:
    """The quick reader's document, after checking the libyaml reader reads the same text the same way, and the
    quick reader without marks (which remembers short lines across texts) too."""
    quick = parse_plain(text)
    fast = parse_plain(text, marks=False)
    assert (fast is None) == (quick is None), text
    if quick is None or fast is None:
        return None
    full = parse_events(text, "t.yaml")  # a text the quick reader takes has nothing to report
    assert quick.value == full.value == fast.value
    assert quick.value_marks == full.value_marks
    assert quick.key_marks == full.key_marks
    return quick


def _texts(folder: Path) -> list[tuple[str, str]]:
    out = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".yml", ".txt"):
            with contextlib.suppress(YamlProblems):
                out.append((str(path.relative_to(folder)), decode(path.read_bytes(), path.name)))
    return out


def test_every_shipped_file_is_read_quickly_and_identically() -> None:
    taken = [name for name, text in _texts(DATA) if _agree(text) is not None]
    assert len(taken) == 20, "the plan, the departments and all 18 measures are in the plain subset"


def test_corpus_files_are_declined_or_read_identically() -> None:
    declined = [name for name, text in _texts(CORPUS) if _agree(text) is None]
    # Every broken file must reach the full reader, which names its problems.
    for name, text in _texts(CORPUS):
        try:
            parse_events(text, name)
        except YamlProblems:
            assert name in declined, f"{name} has a YAML problem but the quick reader took it"


def test_texts_with_something_to_report_are_left_to_the_full_reader() -> None:
    for text in ("id: 1\nid: 2\n", "null: x\n", "a:\n  NULL: 1\n", "a: yes\n", "a: 010\n", "a: 1:30\n", "a: [b\n", "a: b: c\n", "<<<<<<< HEAD\na: b\n"):
        assert parse_plain(text) is None, text
        with pytest.raises(YamlProblems):
            parse(text, "t.yaml")
    # Valid YAML outside the subset (a tab, a value folded over two lines) is declined and read by libyaml.
    assert parse_plain("a:\tb\n") is None and parse("a:\tb\n", "t.yaml").value == {"a": "b"}
    assert parse_plain("a: x\n  y\n") is None and parse("a: x\n  y\n", "t.yaml").value == {"a": "x y"}


def test_unprintable_or_unusual_characters_are_declined_or_read_identically() -> None:
    # Only lines that are all printable skip the check for characters the quick reader refuses.
    for ch in ("\u00a0", "\u200b", "\u00ad", "\ue000", "\u3000", "\t", "\x85", "\u2028", "\ufeff", "\x7f", "\U0001f600"):
        for text in (f"title: 科普{ch}活动\nlead:\n  - kpb\n", f'title: "科普{ch}活动"\n', f"lead:\n  - kpb{ch}\n"):
            try:
                parse_events(text, "t.yaml")
            except YamlProblems:
                assert parse_plain(text) is None, repr(text)
                continue
            _agree(text)


def test_values_read_before_are_read_the_same_again() -> None:
    # Plain values are remembered across files: a value, the same value with a comment, and a text that reads
    # as something else must each keep their own reading however often and in whatever order they come.
    texts = ["a: x # c\n", "a: x\n", "a: yes\n", "a: ~\n", "a: null\n", "a: '~'\n", "a: x  \n", "a: 2013-12\n"]
    first = [(t, _agree(t)) for t in texts]
    for t, doc in reversed(first):
        again = _agree(t)
        assert (again is None) == (doc is None), t
        if doc is not None and again is not None:
            assert again.value == doc.value


def test_lists_on_one_line_are_read_quickly_and_identically() -> None:
    taken = [
        "members: [dxb, zrb, xhb]\n",
        "departments:\n  - code: jggbs\n    members: [dxb,zrb ,  kpb]  # 注释\n",
        "m: [ a ]\n",
        "m: [a_1, B2]\n",
    ]
    for text in taken:
        assert _agree(text) is not None, text
    declined = ["m: [no, b]\n", "m: [null]\n", "m: [a, ~]\n", "m: [1, 2]\n", "m: [a b]\n", "m: [a, [b]]\n", 'm: ["a"]\n', "m: [a]#c\n", "m: [a, b, ]\n"]
    for text in declined:
        assert parse_plain(text) is None and parse_plain(text, marks=False) is None, text
    for text in ("m: [a, b]\nm: [c]\n", "m: [a]]\n", "m: [a, b] x\n", "m: [on]\n"):  # problems: the full reader names them
        assert parse_plain(text) is None
        with pytest.raises(YamlProblems):
            parse(text, "t.yaml")
    shipped = decode((DATA / "departments.yaml").read_bytes(), "departments.yaml")
    assert _agree(shipped) is not None  # departments.yaml lists a group's members on one line


def test_lines_remembered_in_one_place_are_not_taken_in_another() -> None:
    # Without marks, whole short lines are remembered across texts; a line read in one place (after '- ', at the
    # top, as a list item) must be judged afresh where it means something else or nothing at all.
    read = [
        "updates:\n  - date: 2014-03-01\n    by: 张伟\n",
        "lead:\n  - dxb\n  - kpb\n",
        "a:\n  by: 张伟\n",
        "status: done\nlead: []\n",
    ]
    for text in read:
        assert _agree(text) is not None, text
    elsewhere = [
        "updates:\n  by: 李娜\n  - date: 2014-03-01\n",  # a group line inside a mapping: not YAML
        "a:\n  - by: 张伟\n    - date: 2014-03-01\n",
        "lead:\n  - dxb\n  - dxb: 1\n",
        "a:\n  - dxb\n  b: 1\n",
        "status: done\nstatus: done\n",  # the same line twice: a duplicate key, however often it was read before
        "x:\n  lead: []\n  lead: []\n",
        "lead:\nlead:\n",
    ]
    for text in elsewhere:
        _agree(text)
        fast = parse_plain(text, marks=False)
        try:
            full = parse_events(text, "t.yaml")
        except YamlProblems:
            assert fast is None, text
        else:
            assert fast is None or fast.value == full.value, text
    assert parse_plain("status: done\nstatus: done\n", marks=False) is None
    first, again = parse_plain("lead: []\n", marks=False), parse_plain("lead: []\n", marks=False)
    assert first is not None and again is not None and first.value["lead"] is not again.value["lead"]  # a fresh list each


# --- generated texts: shapes of the subset and its edges ------------------------------------------------------

_KEYS = st.sampled_from(["id", "title", "due", "lead", "note", "by", "no", "on", "null", "Null", "NULL", "a_b", "A1", "title", "x"])
_SCALARS = st.one_of(
    st.sampled_from(
        [
            "2013-12",
            "调宣部",
            "建立：科技，库",
            "null",
            "~",
            "Null",
            "yes",
            "010",
            "1:30",
            "a#b",
            "a #b",
            "http://x",
            "a: b",
            "-1",
            "- x",
            "?x",
            "[]",
            "[a, b]",
            "{}",
            "'q'",
            '"q"',
            '"a #b"',
            '"x" # c',
            '"x"y',
            '"a\\"b"',
            '"',
            "x:",
            "x ",
            " x",
            "\u3000x",
            "x\u3000",
            "a,b",
            "&a x",
            "*a",
            "!t x",
            "|",
            ">",
            "%x",
            "@x",
            "`x",
            "x  # 注释",
            "",
        ]
    ),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=8),
)


# Values in the subset, so that generated records are mostly taken and compared, not declined.
_SAFE = st.one_of(
    st.sampled_from(["2013-12", "2014-01-31", "调宣部", "张伟", "not_started", "23", "Asia/Shanghai", "武科协〔2013〕48号", "第1次进展：已推进。"]),
    st.text(st.sampled_from("abcXYZ019调宣部科协，。：（）《》-_/.#'"), min_size=1, max_size=10).map(lambda s: s if s[0].isalnum() else "x" + s),
    st.text(st.sampled_from("abc 调宣部，。: #'[]{}-"), max_size=10).map(lambda s: f'"{s}"'),
)
_VALUES = st.one_of(_SAFE, _SAFE, _SCALARS)


@st.composite
def _lines(draw: st.DrawFn) -> str:
    """A soup of lines as a hand-edited file might hold: keys, list items, groups, comments, odd indents."""
    out = []
    for _ in range(draw(st.integers(1, 12))):
        indent = " " * draw(st.sampled_from([0, 0, 0, 2, 2, 4, 1, 3, 6]))
        kind = draw(st.sampled_from(["key", "key", "open", "item", "item-key", "comment", "blank", "raw"]))
        if kind == "key":
            out.append(f"{indent}{draw(_KEYS)}: {draw(_SCALARS)}")
        elif kind == "open":
            out.append(f"{indent}{draw(_KEYS)}:" + draw(st.sampled_from(["", " ", "  # c"])))
        elif kind == "item":
            out.append(f"{indent}- {draw(_SCALARS)}")
        elif kind == "item-key":
            out.append(f"{indent}- {draw(_KEYS)}: {draw(_SCALARS)}")
        elif kind == "comment":
            out.append(f"{indent}# {draw(_SCALARS)}")
        elif kind == "blank":
            out.append(indent)
        else:
            out.append(indent + draw(_SCALARS))
    return "\n".join(out) + draw(st.sampled_from(["\n", "", "\n\n"]))


@st.composite
def _records(draw: st.DrawFn) -> str:
    """Files in the subset's shape (so that most are taken), with values from the edges."""
    out = [draw(st.sampled_from(["", "# 注释\n", "# a\n\n"]))]
    for key in draw(st.lists(_KEYS, min_size=1, max_size=6, unique=True)):
        shape = draw(st.sampled_from(["scalar", "list", "groups", "map", "empty", "flow"]))
        if shape == "scalar":
            out.append(f"{key}: {draw(_VALUES)}\n")
        elif shape == "flow":  # a list on one line: names, and values from the edges, with odd spacing and comments
            items = draw(st.lists(st.one_of(st.sampled_from(["dxb", "zrb", "kjzxfwzx", "a_1", "B2"]), _KEYS, _VALUES), min_size=1, max_size=4))
            gap = draw(st.sampled_from([", ", ",", " , ", ",  "]))
            pad = draw(st.sampled_from(["", " "]))
            out.append(f"{key}: [{pad}{gap.join(items)}{pad}]" + draw(st.sampled_from(["", "  # 注释", " #c", "#c", ","])) + "\n")
        elif shape == "empty":
            out.append(f"{key}: []\n")
        elif shape == "list":
            out.append(f"{key}:\n" + "".join(f"  - {draw(_VALUES)}\n" for _ in range(draw(st.integers(1, 3)))))
        elif shape == "map":
            out.append(f"{key}:\n" + "".join(f"  {k}: {draw(_VALUES)}\n" for k in draw(st.lists(_KEYS, min_size=1, max_size=3))))
        else:
            out.append(f"{key}:\n")
            for _ in range(draw(st.integers(1, 3))):
                keys = draw(st.lists(_KEYS, min_size=1, max_size=3))
                out.append(f"  - {keys[0]}: {draw(_VALUES)}\n" + "".join(f"    {k}: {draw(_VALUES)}\n" for k in keys[1:]))
        if draw(st.booleans()):
            out.append(draw(st.sampled_from(["\n", "  # 注释\n", "# c\n"])))
    return "".join(out)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_lines())
def test_any_line_soup_is_declined_or_read_identically(text: str) -> None:
    _agree(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_records())
def test_generated_records_are_declined_or_read_identically(text: str) -> None:
    _agree(text)


def test_generated_trackers_are_read_quickly_and_identically(tmp_path: Path) -> None:
    from test_index import _generate

    root = _generate(tmp_path / "gen", 60)
    texts = _texts(root / "data" / "tasks")
    assert len(texts) == 60 and all(_agree(text) is not None for _name, text in texts)


def test_lazy_marks_are_the_same_marks_worked_out_when_asked_for() -> None:
    text = "# 注释\nid: 7\nlead:\n  - kpb\nupdates:\n  - date: 2013-12-01\n    by: 张伟\n    note: 已完成调研\n"
    eager = parse(text, "t.yaml")
    lazy = parse(text, "t.yaml", lazy_marks=True)
    assert lazy.value == eager.value
    assert "value_marks" not in vars(lazy), "nothing is marked until asked"
    assert lazy.mark(("updates", 0, "by")) == eager.mark(("updates", 0, "by")) == (7, 9)
    assert (lazy.value_marks, lazy.key_marks) == (eager.value_marks, eager.key_marks)
    # A text outside the plain subset is read by libyaml, marks and all, lazy or not.
    assert parse("a: [b, c]\n", "t.yaml", lazy_marks=True).value_marks == parse("a: [b, c]\n", "t.yaml").value_marks


# --- the reader without marks (one line at a time) -------------------------------------------------------------


def _lines_agree(text: str) -> bool:
    """Whether the line reader took the text; when it did, libyaml and the reader with marks read it the same."""
    from wkx_tasks.yamlio import _NotPlain, _quick_lines, _read_lines

    try:
        value = _read_lines(text.split("\n"))
    except _NotPlain:
        return False
    # It tells itself what _quick_lines leaves to the full reader (characters outside the subset, conflict markers).
    assert _quick_lines(text) is not None, text
    marked = parse_plain(text)
    assert marked is not None, text
    assert value == marked.value == parse_events(text, "t.yaml").value, text
    return True


def test_the_line_reader_takes_every_shipped_measure_and_generated_files() -> None:
    measures = [text for name, text in _texts(DATA) if name.startswith("tasks/")]
    assert len(measures) == 18 and all(_lines_agree(text) for text in measures)
    for text in ("a: 1\nb:\n  c:\n    - x\n    - g: 1\n      h:\n        w: v\n  d: e\nf: []\n", "# c\n\nk:\n  - a\n  # c\n  - b\n"):
        assert _lines_agree(text), text
    # Left to the reader with marks: a list on one line. Declined by both: what YAML reads otherwise or refuses.
    assert not _lines_agree("m: [a, b]\n") and parse_plain("m: [a, b]\n", marks=False) is not None
    for text in (
        "<<<<<<< HEAD\na: 1\n=======\na: 2\n>>>>>>> x\n",
        "a: 科\u2028普\n",
        "a: b\tc\n",
        "a:\n- b\n",
        "a:\n   b: 1\n",
        "a:\n  - b\n   - c\n",
        "a:\n  - b: 1\n     c: 2\n",
        "  a: 1\n",
        "- a\n",
        "a: 1\n  b: 2\n",
        "a:\n",
        "",
        "# only\n",
    ):
        assert not _lines_agree(text), text
        assert parse_plain(text, marks=False) is None, text


@st.composite
def _nested(draw: st.DrawFn, depth: int = 0, indent: int = 0) -> str:
    """Mappings, lists and groups nested up to three deep, at the indents the subset takes (and now and then not)."""
    pad = " " * indent
    out = []
    for key in draw(st.lists(_KEYS, min_size=1, max_size=3)):
        shape = draw(st.sampled_from(["scalar", "scalar", "empty", "list", "map", "groups"] if depth < 3 else ["scalar"]))
        if shape == "scalar":
            out.append(f"{pad}{key}: {draw(_VALUES)}\n")
        elif shape == "empty":
            out.append(f"{pad}{key}: []\n")
        elif shape == "list":
            step = draw(st.sampled_from([2, 2, 2, 0, 3]))
            out.append(f"{pad}{key}:\n" + "".join(f"{pad}{' ' * step}- {draw(_VALUES)}\n" for _ in range(draw(st.integers(1, 3)))))
        elif shape == "map":
            out.append(f"{pad}{key}:\n" + draw(_nested(depth + 1, indent + draw(st.sampled_from([2, 2, 2, 4])))))
        else:
            out.append(f"{pad}{key}:\n")
            for _ in range(draw(st.integers(1, 2))):
                inner = draw(_nested(depth + 1, indent + 4))
                out.append(f"{pad}  - {inner[indent + 4 :]}")  # the group's first line follows '- '
        if draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from(["\n", f"{pad}# 注释\n", "# c\n", "   \n"])))
    return "".join(out)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_nested(), _records(), _lines()))
def test_generated_texts_are_declined_by_the_line_reader_or_read_identically(text: str) -> None:
    _lines_agree(text)
    _agree(text)
