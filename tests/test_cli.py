"""The command line's wiring: options, exit codes, the JSON contract, languages, tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, imported_by

CONTRACT = {"id": int, "section": str, "title": str, "description": str, "lead": list, "cooperating": list, "due_text": str, "status": str, "overdue": bool}


def test_json_contract(wkx) -> None:
    result = wkx("--root", str(REPO), "list", "--format", "json", "--as-of", "2014-01-01")
    assert result.exit_code == 0
    assert "\\u" not in result.stdout, "Chinese stays characters"
    assert "调宣部" in result.stdout
    rows = result.json()
    assert isinstance(rows, list) and len(rows) == 18
    for row in rows:
        for key, kind in CONTRACT.items():
            assert isinstance(row[key], kind), (key, row[key])
        for person in row["lead"] + row["cooperating"]:
            assert set(person) == {"code", "name"}
        assert row["due"] is None or len(row["due"]) == 10
        assert row["days_overdue"] is None or isinstance(row["days_overdue"], int)
        assert (row["days_overdue"] is not None) == row["overdue"]
    by_id = {r["id"]: r for r in rows}
    assert by_id[5]["due"] is None and by_id[5]["deadline"] == "ongoing"
    assert by_id[14]["due"] == "2013-03-31" and by_id[14]["days_overdue"] == 276


def test_status_json_is_an_array_of_the_same_rows(wkx) -> None:
    status = wkx("--root", str(REPO), "status", "--format", "json", "--as-of", "2014-01-01").json()
    listed = wkx("--root", str(REPO), "list", "--format", "json", "--as-of", "2014-01-01").json()
    assert sorted(status, key=lambda r: r["id"]) == listed


def test_status_table_headline_and_rows(wkx) -> None:
    result = wkx("--root", str(REPO), "status", "--overdue", "--as-of", "2014-01-01")
    assert result.exit_code == 0
    out = result.stdout
    assert "截至 2014-01-01" in out
    assert "逾期 7" in out and "常规推进 6" in out and "未开始 18" in out
    assert "组织保障建设" in out and "逾期 276 天" in out and "计财部" in out
    assert "\x1b[" not in out, "no ANSI codes when not a terminal"
    assert "宣传工作" not in out


def test_status_table_in_english(wkx) -> None:
    out = wkx("--root", str(REPO), "status", "--overdue", "--as-of", "2014-01-01", "--lang", "en").stdout
    assert "Overdue 7" in out and "276 days overdue" in out and "not started" in out and "Lead" in out
    global_opt = wkx("--lang", "en", "--root", str(REPO), "status", "--overdue", "--as-of", "2014-01-01").stdout
    assert global_opt == out


def test_table_columns_align_with_chinese(wkx) -> None:
    from rich.cells import cell_len

    out = wkx("--root", str(REPO), "list", "--as-of", "2014-01-01").stdout
    widths = {cell_len(line) for line in out.splitlines() if line.strip()}
    assert len(widths) == 1, "every line of the table is equally wide on screen"


def test_dept_filter_includes_groups(wkx) -> None:
    def ids(*args: str) -> list[int]:
        return [r["id"] for r in wkx("--root", str(REPO), "list", "--format", "json", *args).json()]

    assert ids("--dept", "jcb") == [14, 16, 17, 18], "计财部 leads 16 and is one of 机关各部室 (14, 17, 18)"
    assert ids("--dept", "计财部") == [14, 16, 17, 18]
    assert ids("--dept", "kjzxfwzx") == [1, 2, 3, 14, 17, 18]
    assert ids("--dept", "gqkx") == [17, 18]
    assert ids("--dept", "bgs") == [10, 11, 14, 17, 18]
    assert ids("--section", "4") == [14, 15, 16, 17, 18]
    assert ids("--section", "平台建设") == [5, 6, 7, 8, 9]
    assert ids("--section", "三") == [10, 11, 12, 13]
    assert ids("--status", "not_started", "--section", "1") == [1, 2, 3, 4]
    assert ids("--status", "done") == []


def test_status_dept_headline_counts_that_departments_measures(wkx) -> None:
    out = wkx("--root", str(REPO), "status", "--dept", "jcb", "--as-of", "2014-01-01").stdout
    assert "共 4" in out


def test_show_formats(wkx) -> None:
    row = wkx("--root", str(REPO), "show", "16", "--format", "json").json()
    assert row["title"] == "经费保障建设" and row["lead"] == [{"code": "jcb", "name": "计财部"}]
    assert row["file"] == "data/tasks/16.yaml"
    text = wkx("--root", str(REPO), "show", "16").stdout
    assert "经费保障建设" in text and "计财部" in text and "2013年6月" in text
    yaml_out = wkx("--root", str(REPO), "show", "16", "--format", "yaml").stdout
    assert "title: 经费保障建设" in yaml_out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["show", "99"], 2, "there is no measure 99"),
        (["show", "abc"], 2, "wkx: ID takes a whole number; `wkx show --help` shows how to use it\n"),
        (["status", "--as-of", "2014-13-01"], 2, "'2014-13-01' is not a date"),
        (["status", "--format", "xml"], 2, "wkx: --format: 'xml' is not one of table, json; `wkx status --help` shows how to use it\n"),
        (["list", "--dept", "xhbb"], 2, "did you mean 'xhb'?"),
        (["list", "--section", "9"], 2, "no section '9'"),
        (["list", "--status", "finished"], 2, "wkx: --status: 'finished' is not one of not_started, in_progress, done, blocked, cancelled;"),
        (["status", "--due-within", "-1"], 2, "wkx: --due-within must be at least 0; `wkx status --help` shows how to use it\n"),
        (["frobnicate"], 2, "wkx: no such command 'frobnicate'; `wkx --help` shows how to use it\n"),
        (["status", "--overdeu"], 2, "wkx: no such option --overdeu (did you mean '--overdue'?); `wkx status --help` shows how to use it\n"),
        (["show"], 2, "wkx: ID is missing; `wkx show --help` shows how to use it\n"),
        (["list", "extra"], 2, "wkx: unexpected extra argument(s): extra; `wkx list --help` shows how to use it\n"),
    ],
)
def test_usage_errors_exit_2(wkx, args: list[str], code: int, message: str) -> None:
    result = wkx("--root", str(REPO), "--lang", "en", *args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_mistakes_on_the_command_line_are_told_in_chinese_by_default(wkx) -> None:
    cases = [
        (["status", "--overdeu"], "wkx: 没有选项 --overdeu（是不是 '--overdue'？）；运行 `wkx status --help` 查看用法\n"),
        (["statu"], "wkx: 没有命令 'statu'（是不是 'status'？）；运行 `wkx --help` 查看用法\n"),
        (["status", "--format", "xml"], "wkx: --format：'xml' 不是可选值（table, json）之一；运行 `wkx status --help` 查看用法\n"),
        (["status", "--due-within", "abc"], "wkx: --due-within 要写一个整数；运行 `wkx status --help` 查看用法\n"),
        (["update", "5", "--status", "dne"], "wkx: --status：'dne' 不是可选值（not_started, in_progress, done, blocked, cancelled）之一（是不是 'done'？）；"),
        (["list", "--dept"], "wkx: 选项 --dept 后面要写一个值；运行 `wkx --help` 查看用法\n"),
        (["report", "-f", "pdf"], "wkx: --format / -f：'pdf' 不是可选值（md, html, xlsx, json）之一；运行 `wkx report --help` 查看用法\n"),
        (["--format", "json", "list"], "wkx: --format 是各命令自己的选项，要写在命令之后，例如 wkx list --format …；运行 `wkx --help` 查看用法\n"),
    ]
    for args, said in cases:
        result = wkx("--root", str(REPO), *args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith(said), (args, result.stderr)
        assert "Traceback" not in result.stderr and "Usage:" not in result.stderr


def test_root_discovery_env_and_errors(wkx, tracker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nested = tracker / "data" / "tasks"
    assert wkx("list", "--format", "json", cwd=nested).exit_code == 0
    elsewhere = tmp_path / "empty"
    elsewhere.mkdir()
    result = wkx("list", cwd=elsewhere)
    assert result.exit_code == 2 and "此处没有 wkx 跟踪目录" in result.stderr
    result = wkx("list", "--lang", "en", cwd=elsewhere)
    assert result.exit_code == 2 and "no wkx tracker here" in result.stderr
    monkeypatch.setenv("WKX_ROOT", str(tracker))
    assert wkx("list", "--format", "json", cwd=elsewhere).exit_code == 0
    result = wkx("--root", str(elsewhere), "list", "--lang", "en")
    assert result.exit_code == 2 and "is not a wkx tracker" in result.stderr


def test_version_and_help(wkx) -> None:
    from wkx_tasks import __version__

    assert wkx("--version").stdout.strip() == f"wkx {__version__}"
    result = wkx("--help")
    assert result.exit_code == 0
    for command in ("list", "show", "status", "validate"):
        assert command in result.stdout


def _run(*args: str, env: dict[str, str] | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=60)


def test_python_dash_m_and_piped_output() -> None:
    proc = _run("-m", "wkx_tasks", "status", "--overdue", "--as-of", "2014-01-01", env={"TZ": "UTC"})
    assert proc.returncode == 0, proc.stderr
    assert "组织保障建设" in proc.stdout and "\x1b[" not in proc.stdout


def test_help_loads_no_heavy_library() -> None:
    proc, loaded = imported_by(["--help"], ("git", "jinja2", "openpyxl", "ruamel.yaml", "yaml"), cwd=REPO)
    assert "status" in proc.stdout and loaded == []


def test_internal_errors_are_a_sentence_not_a_traceback(wkx, tracker: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import wkx_tasks.api as api

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated fault")

    monkeypatch.setattr(api, "status", boom)
    monkeypatch.setenv("WKX_NO_CACHE", "1")  # the fault is in the full path: keep the warm index from answering
    result = wkx("--root", str(tracker), "status", "--lang", "en")
    assert result.exit_code == 1
    assert "internal error (RuntimeError: simulated fault)" in result.stderr and "Traceback" not in result.stderr
    result = wkx("--root", str(tracker), "status")
    assert result.exit_code == 1
    assert "内部错误（RuntimeError: simulated fault）" in result.stderr and "Traceback" not in result.stderr
    with pytest.raises(RuntimeError):
        wkx("--debug", "--root", str(tracker), "status")


@pytest.mark.parametrize("command", [["update", "1", "--note", "已开始", "--by", "李娜"], ["new", "--title", "x"], ["schema"], ["history"], ["validate"]])
def test_a_global_at_is_refused_by_commands_that_would_ignore_it(wkx, tracker: Path, command: list[str]) -> None:
    before = {p.name: p.read_bytes() for p in (tracker / "data" / "tasks").iterdir()}
    result = wkx("--root", str(tracker), "--lang", "en", "--at", "HEAD~1", *command)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"wkx: --at HEAD~1: only wkx list, status, show, report read the records as committed then, and wkx {command[0]} would")
    assert {p.name: p.read_bytes() for p in (tracker / "data" / "tasks").iterdir()} == before


def test_department_names_are_joined_in_the_chosen_language(wkx) -> None:
    zh = wkx("--root", str(REPO), "list", "--dept", "jcb", "--as-of", "2014-01-01").stdout
    en = wkx("--root", str(REPO), "list", "--dept", "jcb", "--as-of", "2014-01-01", "--lang", "en").stdout
    assert "调宣部、学会部、企国部、科普部" in zh
    assert "调宣部, 学会部, 企国部, 科普部" in en and "、" not in en


WKX_SCRIPT = Path(sys.executable).with_name("wkx")


@pytest.mark.skipif(not WKX_SCRIPT.exists(), reason="the wkx console script is not installed next to this Python")
def test_the_console_script_ends_at_once_with_the_commands_exit_code_and_all_its_output(tracker: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WKX_")}

    def wkx_script(*args: str, stdout: Any = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([str(WKX_SCRIPT), "--root", str(tracker), *args], stdout=stdout, stderr=subprocess.PIPE, env=env, timeout=60)

    listed = wkx_script("list", "--format", "json", "--as-of", "2014-01-01")
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 18, "the output is flushed before the process ends"
    assert wkx_script("--version").returncode == 0
    assert wkx_script("no-such-command").returncode == 2
    (tracker / "data/tasks/10.yaml").write_text("id: [\n", encoding="utf-8")
    broken = wkx_script("validate")
    assert broken.returncode == 1 and b"data/tasks/10.yaml" in broken.stderr and b"Traceback" not in broken.stderr
    # A reader that stops early (`wkx list | head -1`): no complaint, no traceback.
    with subprocess.Popen([str(WKX_SCRIPT), "--root", str(tracker), "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        assert b"Traceback" not in proc.stderr.read()
        assert proc.wait(timeout=60) in (0, 1)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_the_machines_refusal_not_a_bug_in_wkx(tracker: Path) -> None:
    code = "import sys; sys.argv = ['wkx', *sys.argv[1:]]\nfrom wkx_tasks.cli import run\nrun()"
    env = {k: v for k, v in os.environ.items() if not k.startswith("WKX_")}
    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-c", code, "--root", str(tracker), "list"], stdout=full, stderr=subprocess.PIPE, env=env, timeout=60)
    assert done.returncode == 1
    assert done.stderr.decode().startswith("wkx: 系统拒绝了操作（No space left on device）"), done.stderr.decode()


@pytest.mark.skipif(not WKX_SCRIPT.exists(), reason="the wkx console script is not installed next to this Python")
def test_closed_or_full_streams_never_end_in_a_traceback(tracker: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WKX_")}
    script = [str(WKX_SCRIPT), "--root", str(tracker)]
    # Python sees fd 1 or 2 closed at start (`>&-`) as a missing stream.
    for args, want in ((["list"], 0), (["--version"], 0), (["--help"], 0), (["lst"], 2)):
        shell = f"exec 1>&-; exec {' '.join(script)} {' '.join(args)}"
        no_out = subprocess.run(["sh", "-c", shell], stderr=subprocess.PIPE, env=env, timeout=60)
        assert no_out.returncode == want and b"Traceback" not in no_out.stderr, args
    no_err = subprocess.run(["sh", "-c", f"exec 2>&-; exec {' '.join(script)} list"], stdout=subprocess.PIPE, env=env, timeout=60)
    assert no_err.returncode == 0 and "组织保障建设" in no_err.stdout.decode()
    if Path("/dev/full").exists():
        for args in (["--help"], ["--version"]):
            with open("/dev/full", "wb") as full:
                done = subprocess.run([*script, *args], stdout=full, stderr=subprocess.PIPE, env=env, timeout=60)
            assert done.returncode == 1 and done.stderr.decode().startswith("wkx: 系统拒绝了操作（No space left on device）"), args


def test_more_mistakes_on_the_command_line(wkx, tracker: Path) -> None:
    bare = wkx("--root", str(tracker))
    assert bare.exit_code == 2 and bare.stderr.startswith("wkx: 缺少命令（例如 status、list、validate）")
    flag = wkx("--root", str(tracker), "list", "--overdue=yes")
    assert flag.exit_code == 2 and flag.stderr.startswith("wkx: 选项 --overdue 不带值；只写 --overdue")
    # An option where a value should be: not taken as the value (the note '--commit', a file named '-f').
    slip = wkx("--root", str(tracker), "update", "4", "--note", "--commit")
    assert slip.exit_code == 2 and slip.stderr.startswith("wkx: --note 后面要写它的值，而 '--commit' 是一个选项")
    assert "updates:" not in (tracker / "data/tasks/04.yaml").read_text(encoding="utf-8")
    report = wkx("--root", str(tracker), "report", "-o", "-f", "--lang", "en")
    assert report.exit_code == 2 and report.stderr.startswith("wkx: --output needs its value, but '-f' is an option")
    # A tracker whose wkx.toml says English hears of a command-line mistake in English too.
    (tracker / "wkx.toml").write_text('language = "en"\n', encoding="utf-8")
    assert wkx("lst", cwd=tracker).stderr.startswith("wkx: no such command 'lst' (did you mean 'list'?)")
    assert wkx("lst", "--lang", "zh", cwd=tracker).stderr.startswith("wkx: 没有命令 'lst'")


def test_end_of_input_at_a_prompt_says_aborted(wkx, tracker: Path) -> None:
    result = wkx("--root", str(tracker), "new", "--prompt", input="")
    assert result.exit_code == 1 and result.stderr.rstrip().endswith("wkx: 已中止。")


@pytest.mark.skipif(not WKX_SCRIPT.exists(), reason="the wkx console script is not installed next to this Python")
def test_odd_surroundings_give_a_sentence_or_nothing_never_a_traceback(tracker: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WKX_")}
    script = f"{WKX_SCRIPT} --root {tracker}"
    no_input = subprocess.run(["sh", "-c", f"exec 0<&-; exec {script} new"], capture_output=True, env=env, timeout=60)
    assert no_input.returncode == 2 and no_input.stderr.decode().startswith("wkx: 缺少 --title"), no_input.stderr.decode()
    # A completion request without the variables a completion script sets: nothing, not a traceback.
    asked = subprocess.run([str(WKX_SCRIPT)], capture_output=True, env=dict(env, _WKX_COMPLETE="complete_bash"), timeout=60)
    assert asked.returncode == 0 and b"Traceback" not in asked.stderr
    schema = subprocess.run(["sh", "-c", f"{script} schema -o -"], capture_output=True, env=env, timeout=60)
    assert schema.returncode == 2 and "不能写到标准输出" in schema.stderr.decode() and not (tracker / "-").exists()
    if Path("/dev/full").exists():
        full_err = subprocess.run(["sh", "-c", f"{script} lst 2>/dev/full"], capture_output=True, env=env, timeout=60)
        assert full_err.returncode == 2, "a usage error stays exit 2 even when it cannot be told"


def test_ctrl_c_while_the_command_line_is_imported_ends_quietly(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import builtins

    from wkx_tasks import entry

    real_import = builtins.__import__

    def interrupted(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "wkx_tasks.cli":
            try:  # as Python 3.11 reports a Ctrl-C that lands while a class is made (in __set_name__)
                raise KeyboardInterrupt
            except KeyboardInterrupt as exc:
                raise RuntimeError("Error calling __set_name__ on 'Field' instance 'config' in 'Run'") from exc
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", interrupted)
    with pytest.raises(SystemExit) as stopped:
        entry.run()
    assert stopped.value.code == 130 and capsys.readouterr().err == "\n"
    assert entry._interrupted(KeyboardInterrupt()) and not entry._interrupted(RuntimeError("a bug"))
