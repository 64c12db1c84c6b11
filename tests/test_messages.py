"""The message catalogue: every message in Chinese and English with the same fields, none built outside it, Chinese
by default and English with --lang en — also when the problems come from the record cache or the status index."""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path
from typing import Any

import pytest

from wkx_tasks.errors import Problem
from wkx_tasks.messages import CATALOGUE, Msg, language, language_in_args, msg

SRC = Path(__file__).resolve().parent.parent / "src" / "wkx_tasks"
CJK = re.compile("[\u4e00-\u9fff]")
# Wordings made only of their fields and punctuation: no language of their own.
NO_WORDS = {"field", "template.outside"}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_key_has_both_wordings_with_the_same_fields(key: str) -> None:
    zh, en = CATALOGUE[key]
    assert zh.strip() and en.strip()
    assert _fields(zh) == _fields(en), f"{key}: a placeholder in one wording only"
    if key not in NO_WORDS:
        assert CJK.search(zh), f"{key}: the Chinese wording has no Chinese"
        assert not CJK.search(en.replace("你的名字", "")), f"{key}: the English wording has Chinese"
    assert "; " not in zh and ". " not in zh, f"{key}: the Chinese wording uses ASCII separators"
    # Every field filled with a sample renders in both languages (format specs such as {n:,} take a number).
    sample = {name: 1234 for name in _fields(zh)}
    assert Msg(key, tuple(sample.items())).render("zh") and Msg(key, tuple(sample.items())).render("en")


def test_nested_messages_render_in_the_same_language_and_survive_marshal() -> None:
    import marshal

    problem = Problem("data/tasks/10.yaml", 8, 5, msg("store.unknown_code", field="lead", code="dxbb", hint=msg("did_you_mean", word="dxb"), file="x"))
    again = Problem.from_data(marshal.loads(marshal.dumps(problem.as_data())))
    assert again == problem
    assert again.text("zh") == "lead：未知的部门代码 'dxbb'（是不是 'dxb'？）；部门代码见 x"
    assert again.text("en") == "lead: unknown department code 'dxbb' (did you mean 'dxb'?); codes are listed in x"
    with language("en"):
        assert str(again) == "data/tasks/10.yaml:8:5: lead: unknown department code 'dxbb' (did you mean 'dxb'?); codes are listed in x"
    assert str(again).startswith("data/tasks/10.yaml:8:5: lead：未知的部门代码")
    with pytest.raises(KeyError):
        msg("no.such.key")


def test_the_language_given_on_the_command_line_is_found_before_parsing() -> None:
    assert language_in_args(["status", "--lang", "en"]) == "en"
    assert language_in_args(["--lang=en", "validate"]) == "en"
    assert language_in_args(["--lang", "zh", "status"]) == "zh"
    assert language_in_args(["show", "--", "--lang", "en"]) == "zh"
    assert language_in_args([]) == "zh"


# --- no message is built outside the catalogue ---------------------------------------------------------------

# Constructors whose message argument (by position) must come from the catalogue: msg(…), count_msg(…), a message
# carried by another exception (exc.msg) or a variable holding one — never a literal or an f-string.
MESSAGE_ARGUMENT = {
    "Problem": 3,
    "UsageError": 0,
    "WkxError": 0,
    "GitError": 0,
    "TemplateError": 0,
    "SourceFileError": 0,
    "OutsideTracker": 0,
    "RuleError": 0,
    "MessageError": 0,
    "FieldError": 1,
    "DataError": 1,
    "BadParameter": 0,
}


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _is_text(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.IfExp):
        return _is_text(node.body) or _is_text(node.orelse)
    return False


def _sources() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(SRC.rglob("*.py"))]


def test_no_error_or_problem_message_is_written_outside_the_catalogue() -> None:
    offenders = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            position = MESSAGE_ARGUMENT.get(name)
            if position is not None and len(node.args) > position and _is_text(node.args[position]):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}: {name}(…) with a message written in place")
            if name == "BadParameter" and node.args and not (isinstance(node.args[0], ast.Call) and _name(node.args[0].func) == "render"):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}: BadParameter without a catalogue message")
    assert offenders == []


def test_every_key_used_is_in_the_catalogue_and_every_key_is_used() -> None:
    used: set[str] = set()
    dynamic: list[str] = []
    for _path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in ("msg", "count_msg", "Msg"):
                for arg in node.args[: 3 if _name(node.func) == "count_msg" else 1]:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        used.add(arg.value)
                    elif isinstance(arg, ast.JoinedStr):
                        dynamic.append(ast.unparse(arg))
                    elif isinstance(arg, ast.IfExp):
                        used.update(a.value for a in (arg.body, arg.orelse) if isinstance(a, ast.Constant) and isinstance(a.value, str))
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.IfExp):  # key = "a" if … else ("b" if … else "c")
                used.update(str(a.value) for a in ast.walk(node.value) if isinstance(a, ast.Constant) and a.value in CATALOGUE)
            if isinstance(node, ast.Compare) and isinstance(node.comparators[0], ast.Constant) and node.comparators[0].value in CATALOGUE:
                used.add(str(node.comparators[0].value))
    assert used - set(CATALOGUE) == set(), "keys used but not in the catalogue"
    assert dynamic == ["f'field.{kind}'"]  # the comparison errors: field.greater_than, …
    from_dynamic = {key for key in CATALOGUE if key.startswith(("field.greater_than", "field.less_than"))}
    assert set(CATALOGUE) - used - from_dynamic == set(), "keys in the catalogue that nothing says"


# --- Chinese by default, English with --lang en --------------------------------------------------------------


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _both(wkx: Any, *args: str, cwd: Path) -> tuple[Any, Any]:
    zh = wkx(*args, cwd=cwd)
    en = wkx(*args, "--lang", "en", cwd=cwd)
    assert "Traceback" not in zh.stderr + en.stderr
    assert zh.exit_code == en.exit_code
    return zh, en


def test_a_bad_date_in_a_task_file(wkx: Any, tracker: Path) -> None:
    _edit(tracker, "data/tasks/10.yaml", "due: 2013-12", "due: 2013-13")
    zh, en = _both(wkx, "validate", cwd=tracker)
    assert zh.exit_code == 1
    assert zh.stderr == (
        "data/tasks/10.yaml:11:6: due：'2013-13' 不是有效的月份；请写成 YYYY-MM（月份 01 至 12）、日期 YYYY-MM-DD 或 ongoing\nwkx: 发现 1 个问题。\n"
    )
    assert en.stderr == (
        "data/tasks/10.yaml:11:6: due: '2013-13' is not a real month; write YYYY-MM with a month from 01 to 12, a date YYYY-MM-DD, or ongoing\n"
        "wkx: 1 problem found.\n"
    )
    scripted = wkx("validate", "--format", "json", cwd=tracker)
    assert [p["code"] for p in json.loads(scripted.stdout)] == ["due.bad_month"], "the code says what is wrong, not only which field"
    _edit(tracker, "data/tasks/10.yaml", "due: 2013-13", "due: 年底")
    zh, en = _both(wkx, "validate", cwd=tracker)
    assert "data/tasks/10.yaml:11:6: due：截止时间格式不对：'年底'；请写成月份（2013-12）、日期（2013-12-15）或 ongoing\n" in zh.stderr
    assert "data/tasks/10.yaml:11:6: due: '年底' is not a deadline; write a month (2013-12), a date (2013-12-15) or ongoing\n" in en.stderr


def test_an_unknown_department_code(wkx: Any, tracker: Path) -> None:
    _edit(tracker, "data/tasks/10.yaml", "  - bgs", "  - bgss")
    zh, en = _both(wkx, "status", "--overdue", "--as-of", "2014-01-01", cwd=tracker)
    assert zh.exit_code == 1
    assert zh.stderr == (
        "以下文件有问题，未计入：\n"
        "data/tasks/10.yaml:10:5: cooperating：未知的部门代码 'bgss'（是不是 'bgs'？）；部门代码见 data/departments.yaml\n"
        "wkx: 数据文件中有 1 个问题；`wkx validate` 会列出它们，请修正后再运行\n"
    )
    assert en.stderr == (
        "These files have problems and were left out:\n"
        "data/tasks/10.yaml:10:5: cooperating: unknown department code 'bgss' (did you mean 'bgs'?); codes are listed in data/departments.yaml\n"
        "wkx: 1 problem in the tracker's files; `wkx validate` lists it, fix it and run again\n"
    )
    zh, en = _both(wkx, "list", "--dept", "xhbb", cwd=tracker)
    assert zh.exit_code == 2
    assert zh.stderr.startswith("wkx: --dept：未知的部门 'xhbb'（是不是 'xhb'？）；已有的部门代码：dxb, zrb, xhb,")
    assert en.stderr.startswith("wkx: --dept: unknown department 'xhbb' (did you mean 'xhb'?); known codes: dxb, zrb, xhb,")


def test_a_yaml_syntax_error(wkx: Any, tracker: Path) -> None:
    _edit(tracker, "data/tasks/10.yaml", "title: 规章制度建设", "title: 规章制度建设: 第二稿")
    zh, en = _both(wkx, "validate", cwd=tracker)
    assert zh.exit_code == 1
    assert zh.stderr.splitlines()[0] == "data/tasks/10.yaml:5:14: 此处不应出现 ':'——含有 ': ' 的文字须加引号，或者这一行缩进有误"
    assert en.stderr.splitlines()[0] == "data/tasks/10.yaml:5:14: unexpected ':' — a text containing ': ' must be in quotes, or the line is indented wrongly"


def test_a_duplicate_id(wkx: Any, tracker: Path) -> None:
    (tracker / "data/tasks/10-copy.yaml").write_bytes((tracker / "data/tasks/10.yaml").read_bytes())
    zh, en = _both(wkx, "validate", "--format", "json", cwd=tracker)
    assert zh.exit_code == 1
    assert json.loads(zh.stdout) == [
        {
            "path": "data/tasks/10.yaml",
            "line": 3,
            "col": 5,
            "message": "id 10 已被 data/tasks/10-copy.yaml 使用；每项工作措施须有自己的 id",
            "code": "store.duplicate_id",
        }
    ]
    assert json.loads(en.stdout) == [
        {
            "path": "data/tasks/10.yaml",
            "line": 3,
            "col": 5,
            "message": "id 10 is also used by data/tasks/10-copy.yaml; each measure needs its own id",
            "code": "store.duplicate_id",
        }
    ]
    assert "\\u" not in zh.stdout


def test_a_broken_wkx_toml(wkx: Any, tracker: Path) -> None:
    (tracker / "wkx.toml").write_text('language = "en"\ndue_soon_days = soon\n', encoding="utf-8")
    # wkx.toml cannot be read, so its language is not known: Chinese, unless --lang en.
    zh, en = _both(wkx, "status", cwd=tracker)
    assert zh.exit_code == 1
    assert zh.stderr.startswith("wkx.toml:2:17: TOML 语法错误（")
    assert zh.stderr.endswith("）；请每行写一个 'key = value'，文字加引号\nwkx: wkx.toml 有 1 个问题；请修正后再运行\n")
    assert en.stderr.startswith("wkx.toml:2:17: TOML syntax error (")
    assert en.stderr.endswith("); write one 'key = value' per line, text in quotes\nwkx: wkx.toml has 1 problem; fix it and run again\n")
    # A readable wkx.toml that sets the language sets it for its own problems too.
    (tracker / "wkx.toml").write_text('language = "en"\ndue_soon_days = 0.5\n', encoding="utf-8")
    result = wkx("status", cwd=tracker)
    assert result.stderr == (
        "wkx.toml:2:17: due_soon_days: should be a whole number of days, such as 30, without quotes (got 0.5)\n"
        "wkx: wkx.toml has 1 problem; fix it and run again\n"
    )
    assert wkx("status", "--lang", "zh", cwd=tracker).stderr.startswith("wkx.toml:2:17: due_soon_days：应为整数天数，例如 30，不加引号（现为 0.5）\n")


def test_a_bad_as_of(wkx: Any, tracker: Path) -> None:
    for args in (("status", "--as-of", "2014-02-30"), ("--as-of", "2014-02-30", "status")):
        zh, en = _both(wkx, *args, cwd=tracker)
        assert zh.exit_code == 2
        assert zh.stderr == "wkx: --as-of：'2014-02-30' 不是日期；请写成 YYYY-MM-DD，例如 2014-01-01\n"
        assert en.stderr == "wkx: --as-of: '2014-02-30' is not a date; write YYYY-MM-DD, such as 2014-01-01\n"
    # Before the command's own options are read, --lang en anywhere on the line already counts.
    result = wkx("--as-of", "2014-02-30", "list", "--lang", "en", cwd=tracker)
    assert result.stderr == "wkx: --as-of: '2014-02-30' is not a date; write YYYY-MM-DD, such as 2014-01-01\n"


def test_problems_from_the_status_index_read_in_either_language(wkx: Any, tracker: Path, served: list[bool]) -> None:
    _edit(tracker, "data/tasks/10.yaml", "status: not_started", "status: finished")
    full = wkx("status", cwd=tracker)
    zh = wkx("status", cwd=tracker)
    en = wkx("status", "--lang", "en", cwd=tracker)
    assert served == [False, True, True]
    assert zh.stderr == full.stderr
    assert "data/tasks/10.yaml:13:9: status：'finished' 不是可选值（not_started, in_progress, done, blocked, cancelled）之一\n" in zh.stderr
    assert "data/tasks/10.yaml:13:9: status: 'finished' is not one of not_started, in_progress, done, blocked, cancelled\n" in en.stderr


def test_english_chosen_by_environment_or_wkx_toml_holds_for_a_bad_global_as_of(wkx: Any, tracker: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    english = "wkx: --as-of: '2014-02-30' is not a date; write YYYY-MM-DD, such as 2014-01-01\n"
    with monkeypatch.context() as m:
        m.setenv("WKX_LANGUAGE", "en")
        for args in (("--as-of", "2014-02-30", "status"), ("status", "--as-of", "2014-02-30")):
            assert wkx(*args, cwd=tracker).stderr == english, args
    (tracker / "wkx.toml").write_text('language = "en"\n', encoding="utf-8")
    for args in (("--as-of", "2014-02-30", "status"), ("status", "--as-of", "2014-02-30")):
        assert wkx(*args, cwd=tracker).stderr == english, args
    assert wkx("--as-of", "2014-02-30", "status", "--lang", "zh", cwd=tracker).stderr.startswith("wkx: --as-of：'2014-02-30' 不是日期")


def test_a_key_yaml_reads_as_null(wkx: Any, tracker: Path) -> None:
    (tracker / "data/tasks/10.yaml").write_text((tracker / "data/tasks/10.yaml").read_text(encoding="utf-8") + "null: x\n", encoding="utf-8")
    zh, en = _both(wkx, "validate", cwd=tracker)
    assert zh.exit_code == 1
    assert "键 'null' 会被 YAML 读作空值（null）；请换一个键名，或给它加上引号" in zh.stderr
    assert "the key 'null' is read by YAML as null (no value); rename it, or put it in quotes" in en.stderr
