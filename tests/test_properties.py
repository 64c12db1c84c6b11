"""Properties over generated input: a valid record survives dump → load; any bytes as a task file get a clean
answer from the real CLI; a round-trip edit of one field keeps every other byte."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import DATA
from wkx_tasks.cli import State, app
from wkx_tasks.models import Milestone, Status, Task, Update, Urging, Verification
from wkx_tasks.store import load_tracker
from wkx_tasks.yamlio import dump_plain, rt_dump, rt_load

SECTIONS = ["一、数据库建设", "二、平台建设", "三、体制机制建设", "四、实施保障建设"]
CODES = ["dxb", "zrb", "xhb", "qgb", "kpb", "bgs", "jcb", "kjzxfwzx", "jggbs", "gzsdw", "ygzsdw", "gqkx"]

# Text as staff type it: Chinese, YAML's special characters, quotes, and the words YAML 1.1 reads as
# something else. Control characters are excluded: a record may not hold them (models and reader refuse them).
_TRICKY = ["no", "on", "yes", "Y", "off", "null", "~", "1:30", "010", "0x1F", "2013-12", "-", "? x", "a: b", "#", "'", '"', "&a", "*a", "!tag", "%"]
_CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\ufeff\x85")
_TEXT_PIECES = st.one_of(st.text(_CHARS, max_size=12), st.sampled_from(_TRICKY), st.sampled_from(["调宣部", "规章制度建设", "：", "，", "“引号”", " ", "\t"]))
text = st.lists(_TEXT_PIECES, max_size=6).map("".join)
one_line = text.filter(lambda s: s.strip() != "" and "\n" not in s)
multi_line = st.lists(st.one_of(_TEXT_PIECES, st.just("\n")), max_size=8).map("".join)
dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
dues = st.one_of(
    st.just("ongoing"),
    dates.map(date.isoformat),
    st.tuples(st.integers(1, 9999), st.integers(1, 12)).map(lambda ym: f"{ym[0]:04d}-{ym[1]:02d}"),
)


@st.composite
def tasks(draw: st.DrawFn) -> Task:
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=6, unique=True))
    split = draw(st.integers(1, len(codes)))
    status = draw(st.sampled_from(list(Status)))
    done = status == Status.DONE
    update_dates = sorted(draw(st.lists(dates, max_size=3)))
    return Task(
        id=draw(st.integers(19, 10**12)),
        section=draw(st.sampled_from(SECTIONS)),
        title=draw(one_line),
        description=draw(multi_line),
        lead=codes[:split],
        cooperating=codes[split:],
        due=draw(dues),
        due_text=draw(st.none() | text),
        original_due=draw(st.none() | dues),
        status=status,
        completed=draw(dates) if done else None,
        verified=Verification(date=draw(dates), by=draw(one_line), note=draw(text)) if done and draw(st.booleans()) else None,
        progress=draw(st.none() | st.integers(0, 100)),
        milestones=draw(
            st.lists(st.builds(Milestone, title=one_line, due=dues, status=st.sampled_from(list(Status)), completed=st.none() | dates), max_size=2)
        ),
        updates=[Update(date=d, by=draw(one_line), note=draw(multi_line), progress=draw(st.none() | st.integers(0, 100))) for d in update_dates],
        urgings=draw(st.lists(st.builds(Urging, date=dates, by=one_line, note=text), max_size=2)),
    )


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """One small real tracker for a whole property (hypothesis reruns the body, so no function-scoped tmp_path):
    the shipped plan and departments, and measures 1 and 10 only, so that each example runs fast."""
    folder = Path(tempfile.mkdtemp(prefix="wkx-prop-"))
    shutil.copytree(DATA, folder / "data", ignore=lambda d, names: [n for n in names if d.endswith("tasks") and n not in ("01.yaml", "10.yaml")])
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(task=tasks())
def test_a_valid_record_survives_dump_and_load(task: Task, scratch: Path) -> None:
    path = scratch / "data" / "tasks" / f"{task.id}.yaml"
    path.write_text(dump_plain(task.model_dump(mode="json")), encoding="utf-8")
    try:
        tracker = load_tracker(scratch)
        assert tracker.problems == [], (path.read_text(encoding="utf-8"), tracker.problems)
        assert tracker.task(task.id) == task
    finally:
        path.unlink()


SHIPPED_10 = (DATA / "tasks" / "10.yaml").read_bytes()


@st.composite
def mangled(draw: st.DrawFn) -> bytes:
    """The shipped file with a few random splices: inserted, deleted or replaced bytes."""
    data = bytearray(SHIPPED_10)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        cut = draw(st.integers(0, 8))
        insert = draw(
            st.one_of(
                st.binary(max_size=6),
                st.sampled_from(
                    [
                        b"\t",
                        b"\r\n",
                        b": ",
                        b"- ",
                        b"'",
                        b'"',
                        b"[",
                        b"{",
                        b"&a ",
                        b"*a",
                        b"!!",
                        b"\xef\xbb\xbf",
                        b"\xe2\x80\xa8",
                        b"\xc2\x85",
                        b"\xed\xa0\x80",
                        b"\x00",
                        b"\n---\n",
                    ]
                ),
            )
        )
        data[at : at + cut] = insert
    return bytes(data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=300), mangled()))
def test_any_bytes_as_a_task_file_give_a_clean_answer(data: bytes, scratch: Path) -> None:
    path = scratch / "data" / "tasks" / "10.yaml"
    path.write_bytes(data)
    try:
        for command in (["validate"], ["status", "--overdue"]):
            result = CliRunner().invoke(app, ["--root", str(scratch), *command], obj=State(now=lambda: datetime(2014, 1, 6, tzinfo=UTC)))
            said = f"wkx {' '.join(command)} on {data!r}"
            assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), said
            assert "Traceback" not in result.stdout + result.stderr and "internal error" not in result.stderr, f"{said}:\n{result.stderr}"
            assert result.exit_code in (0, 1), f"{said}:\n{result.stderr}"
            if result.exit_code == 1:
                assert "data/tasks/10.yaml" in result.stderr, f"{said}:\n{result.stderr}"
            else:
                assert result.stderr == "" and (command != ["validate"] or "2" in result.stdout)
        assert path.read_bytes() == data
    finally:
        path.write_bytes(SHIPPED_10)


# --- round trip -----------------------------------------------------------------------------------------

# Words the strict reader takes as plain text (it refuses a plain `y`, `no`, `010` …, so no tracker file holds one).
_PLAIN_WORD = st.text(st.sampled_from(list("规章制度建设调宣部组人部学会部科普abcxyz0123456789")), min_size=1, max_size=8).filter(
    lambda s: not s[0].isdigit() and s not in ("y", "Y")
)
_COMMENT = st.text(st.sampled_from(list("注释说明 abc，。：'\"#-")), max_size=12)


@st.composite
def value_text(draw: st.DrawFn) -> str:
    """One value as a person writes it: plain words, 'single quotes' (with '' inside), "double quotes", or a flow list."""
    words = draw(st.lists(_PLAIN_WORD, min_size=1, max_size=3))
    kind = draw(st.sampled_from(["plain", "single", "double", "flow"]))
    if kind == "plain":
        return " ".join(words)
    if kind == "single":
        return "'" + " ".join(words).replace("'", "''") + draw(st.sampled_from(["", ": 冒号", " # 非注释", "''引号''"])) + "'"
    if kind == "double":
        return '"' + " ".join(words) + draw(st.sampled_from(["", ": 冒号", " # 非注释", "，“中文引号”"])) + '"'
    return "[" + ", ".join(words) + "]"


@st.composite
def hand_written(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A hand-written mapping: comment lines, blank lines, key: value lines with end-of-line comments, a block list."""
    keys = draw(st.lists(st.sampled_from(["title", "section", "description", "due_text", "note", "by", "status", "lead"]), min_size=2, max_size=7, unique=True))
    lines: list[str] = []
    for key in keys:
        if draw(st.booleans()):
            lines.append("# " + draw(_COMMENT))
        if draw(st.integers(0, 4)) == 0:
            lines.append("")
        comment = draw(st.one_of(st.just(""), _COMMENT.map(lambda c: "  # " + c)))
        if key == "lead":
            lines.append("lead:" + comment)
            lines += [f"  - {w}" + draw(st.one_of(st.just(""), st.just("  # 部门"))) for w in draw(st.lists(_PLAIN_WORD, min_size=1, max_size=3))]
        else:
            lines.append(f"{key}: {draw(value_text())}{comment}")
    return "\n".join(lines) + "\n", keys


@settings(max_examples=80, deadline=None)
@given(doc=hand_written(), new=_PLAIN_WORD, pick=st.integers(0, 100))
def test_a_round_trip_edit_keeps_every_untouched_byte(doc: tuple[str, list[str]], new: str, pick: int) -> None:
    text, keys = doc
    scalar_keys = [k for k in keys if k != "lead"]
    assume(scalar_keys)
    key = scalar_keys[pick % len(scalar_keys)]
    assert rt_dump(rt_load(text)) == text  # unchanged, it is byte-identical
    data: Any = rt_load(text)
    assume(str(data[key]) != new)
    data[key] = new
    after = rt_dump(data)
    before_lines, after_lines = text.split("\n"), after.split("\n")
    assert len(before_lines) == len(after_lines), after
    changed = [(b, a) for b, a in zip(before_lines, after_lines, strict=True) if b != a]
    edited = [line for line in before_lines if line.startswith(f"{key}: ")]
    assert len(edited) == 1
    assert len(changed) == 1 and changed[0][0] == edited[0], changed
    assert changed[0][1].startswith((f"{key}: {new}", f"{key}: '{new}'", f'{key}: "{new}"')), changed
    comment = edited[0].find("  # ")
    if comment > 0 and not edited[0].split(": ", 1)[1].startswith(("'", '"')):  # an end-of-line comment stays
        assert changed[0][1].endswith(edited[0][comment + 2 :]), changed
