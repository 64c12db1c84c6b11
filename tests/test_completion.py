"""Shell completion: the scripts, the values TAB offers, and silence (never a traceback) where there is nothing to offer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import typer.main

from wkx_tasks.cli import app
from wkx_tasks.cli.completion import complete_departments, complete_ids, complete_sections, complete_statuses, optional_shell_args

WKX = Path(sys.executable).parent / "wkx"


def _ctx(root: Path | None) -> typer.Context:
    ctx = typer.Context(typer.main.get_command(app), info_name="wkx", resilient_parsing=True)
    ctx.params = {"root": root}
    return ctx


def complete(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Ask the installed wkx for completions through the protocol the shell scripts use."""
    return subprocess.run([str(WKX)], env={**os.environ, **env}, cwd=cwd, capture_output=True, text=True, check=False)


def test_ids_complete_with_titles(tracker: Path) -> None:
    assert complete_ids(_ctx(tracker), "1")[:3] == [("1", "建立科技决策咨询人才库"), ("10", "规章制度建设"), ("11", "输出机制建设")]
    assert [value for value, _ in complete_ids(_ctx(tracker), "")] == [str(i) for i in range(1, 19)]
    assert complete_ids(_ctx(tracker), "9") == [("9", "搭建为科技工作者服务平台")]
    assert complete_ids(_ctx(tracker), "99") == []


def test_department_codes_complete_with_names(tracker: Path) -> None:
    codes = complete_departments(_ctx(tracker), "")
    assert codes[0] == ("dxb", "调宣部") and len(codes) == 12 and ("gqkx", "各区科协") in codes
    assert complete_departments(_ctx(tracker), "k") == [("kpb", "科普部"), ("kjzxfwzx", "科技咨询服务中心")]
    assert complete_departments(_ctx(tracker), "计") == [("计财部", "jcb")], "a name when a name is being typed"


def test_statuses_and_sections(tracker: Path) -> None:
    assert complete_statuses(_ctx(None), "") == [
        ("not_started", "未开始"),
        ("in_progress", "进行中"),
        ("done", "已完成"),
        ("blocked", "受阻"),
        ("cancelled", "已取消"),
    ]
    assert complete_statuses(_ctx(None), "b") == [("blocked", "受阻")]
    assert complete_sections(_ctx(tracker), "") == [("1", "一、数据库建设"), ("2", "二、平台建设"), ("3", "三、体制机制建设"), ("4", "四、实施保障建设")]
    assert complete_sections(_ctx(tracker), "平台") == [("二、平台建设", "2")]


def test_tracker_is_found_from_the_current_folder(in_tracker: Path) -> None:
    assert complete_ids(_ctx(None), "18") == [("18", "宣传工作")]


def test_nothing_and_no_output_outside_a_tracker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert complete_ids(_ctx(None), "") == []
    assert complete_departments(_ctx(tmp_path / "missing"), "d") == []
    assert complete_sections(_ctx(None), "") == []
    assert complete_statuses(_ctx(None), "d") == [("done", "已完成")], "statuses need no tracker"
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_broken_files_offer_what_can_be_read(tracker: Path) -> None:
    (tracker / "data" / "tasks" / "07.yaml").write_text("status: [", encoding="utf-8")
    ids = [value for value, _ in complete_ids(_ctx(tracker), "")]
    assert "7" not in ids and "8" in ids
    (tracker / "data" / "plan.yaml").write_text("number: [", encoding="utf-8")
    assert complete_ids(_ctx(tracker), "") == [] and complete_departments(_ctx(tracker), "") == []


def test_protocol_zsh_gives_values_with_help(tracker: Path, tmp_path: Path) -> None:
    result = complete({"_WKX_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": f"wkx --root {tracker} show 1"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"16":"经费保障建设"' in result.stdout and '"1":"建立科技决策咨询人才库"' in result.stdout
    result = complete({"_WKX_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "wkx status --dept "}, tracker)
    assert '"dxb":"调宣部"' in result.stdout and '"kjzxfwzx":"科技咨询服务中心"' in result.stdout


def test_protocol_bash_and_wkx_root(tracker: Path, tmp_path: Path) -> None:
    result = complete({"_WKX_COMPLETE": "complete_bash", "COMP_WORDS": "wkx list --status ", "COMP_CWORD": "3"}, tmp_path)
    assert result.stdout.split() == ["not_started", "in_progress", "done", "blocked", "cancelled"]
    result = complete({"_WKX_COMPLETE": "complete_bash", "COMP_WORDS": "wkx list --dept j", "COMP_CWORD": "3", "WKX_ROOT": str(tracker)}, tmp_path)
    assert result.stdout.split() == ["jcb", "jggbs"]


def test_protocol_outside_a_tracker_is_silent(tmp_path: Path) -> None:
    for words in ("wkx show ", "wkx list --dept ", "wkx --root /nowhere list --section "):
        result = complete({"_WKX_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()))}, tmp_path)
        assert result.returncode == 0
        assert result.stdout.strip() == "" and result.stderr == "", (words, result.stderr)


def test_show_completion_prints_a_script_for_the_named_shell(wkx) -> None:
    bash = wkx("--show-completion", "bash")
    assert bash.exit_code == 0
    assert "complete -o default -F _wkx_completion wkx" in bash.stdout and "_WKX_COMPLETE=complete_bash" in bash.stdout
    assert wkx("--show-completion", "zsh").stdout.startswith("#compdef wkx")
    assert "complete --command wkx" in wkx("--show-completion", "fish").stdout
    assert "Register-ArgumentCompleter" in wkx("--show-completion", "powershell").stdout


def test_show_completion_in_a_non_interactive_run(tmp_path: Path) -> None:
    result = subprocess.run([str(WKX), "--show-completion", "bash"], cwd=tmp_path, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
    assert result.returncode == 0 and "_WKX_COMPLETE=complete_bash" in result.stdout and result.stderr == ""


def test_show_completion_detects_the_shell_or_asks_for_it(wkx, monkeypatch: pytest.MonkeyPatch) -> None:
    import typer._completion_shared as shared

    monkeypatch.setattr(shared, "_get_shell_name", lambda: "fish")
    assert "complete --command wkx" in wkx("--show-completion").stdout
    monkeypatch.setattr(shared, "_get_shell_name", lambda: None)
    result = wkx("--show-completion")
    assert result.exit_code == 2 and "无法判断当前使用的 shell；请指明，例如：wkx --show-completion bash" in result.stderr
    result = wkx("--lang", "en", "--show-completion")
    assert result.exit_code == 2 and "could not tell which shell this is; name it, such as: wkx --show-completion bash" in result.stderr
    result = wkx("--lang", "en", "--show-completion", "tcsh")
    assert result.exit_code == 2 and "'tcsh' is not a shell wkx can complete in" in result.stderr
    assert "Traceback" not in result.stderr


def test_install_completion_writes_the_users_start_up_files(wkx) -> None:
    home = Path(os.environ["HOME"])
    result = wkx("--install-completion", "bash")
    assert result.exit_code == 0 and result.stdout.startswith("bash 的补全已装入 ")
    english = wkx("--lang", "en", "--install-completion", "bash")
    assert english.exit_code == 0 and english.stdout.startswith("bash completion installed in ")
    assert "_WKX_COMPLETE=complete_bash" in (home / ".bash_completions" / "wkx.sh").read_text(encoding="utf-8")
    assert "source" in (home / ".bashrc").read_text(encoding="utf-8")


def test_optional_shell_value() -> None:
    assert optional_shell_args(["--show-completion"]) == ["--show-completion="]
    assert optional_shell_args(["--show-completion", "bash"]) == ["--show-completion", "bash"]
    assert optional_shell_args(["--install-completion", "--debug"]) == ["--install-completion=", "--debug"]
    assert optional_shell_args(["show", "--", "--show-completion"]) == ["show", "--", "--show-completion"]
