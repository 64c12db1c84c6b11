"""`wkx new`: the next id, the shipped files' layout, checked before writing, never over a file, prompts in a terminal."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DATA, REPO
from wkx_tasks import api
from wkx_tasks.newtask import NewMeasure, render

WKX = Path(sys.executable).parent / "wkx"
FLAGS = ["--title", "建立专家数据库（第二期）", "--section", "1", "--lead", "调宣部", "--cooperating", "zrb", "--cooperating", "kjzxfwzx,xhb"]
FLAGS += ["--due", "2014-06", "--due-text", "2014年6月", "--description", "整理专家信息: 完成 50% 的录入。"]


def _listing(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "data" / "tasks").iterdir())}


def test_new_from_options(wkx, in_tracker: Path) -> None:
    result = wkx("new", *FLAGS)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/tasks/19.yaml：已添加第 19 项工作措施\n"
    assert (in_tracker / "data" / "tasks" / "19.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../schema/task.schema.json\n"
        "# 第 19 项工作措施（用 wkx new 添加）。\n"
        "id: 19\n"
        "section: 一、数据库建设\n"
        "title: 建立专家数据库（第二期）\n"
        'description: "整理专家信息: 完成 50% 的录入。"\n'
        "lead:\n"
        "  - dxb       # 调宣部\n"
        "cooperating:\n"
        "  - zrb       # 组人部\n"
        "  - kjzxfwzx  # 科技咨询服务中心\n"
        "  - xhb       # 学会部\n"
        "due: 2014-06\n"
        "due_text: 2014年6月\n"
        "status: not_started\n"
    )
    assert wkx("validate").exit_code == 0
    shown = wkx("show", "19", "--format", "json").json()
    assert shown["description"] == "整理专家信息: 完成 50% 的录入。" and [p["code"] for p in shown["cooperating"]] == ["zrb", "kjzxfwzx", "xhb"]
    assert wkx("new", *FLAGS).stdout.startswith("data/tasks/20.yaml"), "the next one takes the next id"
    assert not [p for p in (in_tracker / "data" / "tasks").iterdir() if p.name.startswith(".")], "no temporary file is left"


def test_new_file_passes_check_jsonschema(wkx, in_tracker: Path) -> None:
    assert wkx("new", "--title", "no", "--section", "四、实施保障建设", "--lead", "jcb", "--due", "ongoing").exit_code == 0
    new = in_tracker / "data" / "tasks" / "19.yaml"
    assert 'title: "no"' in new.read_text(encoding="utf-8") and "cooperating: []" in new.read_text(encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(REPO / "schema" / "task.schema.json"), str(new)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", sorted((DATA / "tasks").glob("*.yaml")), ids=lambda p: p.name)
def test_layout_is_that_of_the_shipped_files(path: Path) -> None:
    tracker = api.open_tracker(REPO)
    task = tracker.task(int(path.stem))
    measure = NewMeasure(task.title, task.section, task.lead, task.due, task.cooperating, task.description, task.due_text)
    shipped = path.read_text(encoding="utf-8").splitlines()
    made = render(tracker, measure, task.id).splitlines()
    assert made[0] == shipped[0], "the same modeline"
    assert made[2:] == shipped[2:], "every line after the header comment, byte for byte"


def test_zero_padding_follows_the_folder(wkx, in_tracker: Path) -> None:
    tasks = in_tracker / "data" / "tasks"
    for p in tasks.glob("*.yaml"):
        p.rename(tasks / f"{int(p.stem):03d}.yaml")
    assert wkx("new", *FLAGS).stdout.startswith("data/tasks/019.yaml")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("--lead", "dxx"), "--lead: unknown department 'dxx' (did you mean 'dxb'?)"),
        (("--cooperating", "bgss"), "--cooperating: unknown department 'bgss' (did you mean 'bgs'?)"),
        (("--section", "9"), "--section: no section '9' in the plan"),
        (("--due", "2014-13"), "--due: '2014-13' is not a real month"),
        (("--due", "年底"), "--due: '年底' is not a deadline"),
        (("--title", " "), "--title: give the measure's title"),
    ],
)
def test_bad_values_write_nothing(wkx, in_tracker: Path, change: tuple[str, str], message: str) -> None:
    flags = list(FLAGS)
    i = flags.index(change[0])
    flags[i + 1] = change[1]
    before = _listing(in_tracker)
    result = wkx("--lang", "en", "new", *flags)
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert _listing(in_tracker) == before


def test_missing_values_without_a_terminal(wkx, in_tracker: Path) -> None:
    before = _listing(in_tracker)
    result = wkx("--lang", "en", "new", "--title", "x")
    assert result.exit_code == 2
    assert "missing --section, --lead, --due; give them as options, or run `wkx new` in a terminal to be asked" in result.stderr
    assert _listing(in_tracker) == before


def test_never_overwrites(wkx, in_tracker: Path) -> None:
    stray = in_tracker / "data" / "tasks" / "19.yml"
    stray.write_text("草稿\n", encoding="utf-8")
    result = wkx("--lang", "en", "new", *FLAGS)
    assert result.exit_code == 2 and "data/tasks/19.yml already exists; wkx new never overwrites a file" in result.stderr
    assert stray.read_text(encoding="utf-8") == "草稿\n" and not (in_tracker / "data" / "tasks" / "19.yaml").exists()


def test_ids_of_broken_files_are_not_reused(wkx, in_tracker: Path) -> None:
    (in_tracker / "data" / "tasks" / "25-draft.yaml").write_text("id: [\n", encoding="utf-8")
    result = wkx("new", *FLAGS)
    assert result.exit_code == 0 and result.stdout.startswith("data/tasks/26.yaml")


def test_prompts_ask_for_what_is_missing(wkx, in_tracker: Path) -> None:
    answers = "\n".join(["合作平台", "二", "dxb、组人部", "", "2014-12-15", "2014年12月15日", ""]) + "\n"
    result = wkx("new", "--prompt", input=answers)
    assert result.exit_code == 0, result.stderr
    text = (in_tracker / "data" / "tasks" / "19.yaml").read_text(encoding="utf-8")
    assert (
        "section: 二、平台建设\ntitle: 合作平台\nlead:\n  - dxb  # 调宣部\n  - zrb  # 组人部\ncooperating: []\ndue: 2014-12-15\ndue_text: 2014年12月15日\n"
        in text
    )
    assert "description" not in text


def test_prompts_in_a_real_terminal(tracker: Path) -> None:
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen([str(WKX), "--root", str(tracker), "new", "--due", "ongoing"], stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    answers = ["测试措施", "4", "bgs", "jcb", "", ""]
    seen = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        ready, _, _ = select.select([master], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        seen += chunk
        if seen.rstrip().endswith(b":") and answers:
            os.write(master, (answers.pop(0) + "\n").encode())
    proc.wait(timeout=30)
    os.close(master)
    assert proc.returncode == 0, seen.decode(errors="replace")
    text = (tracker / "data" / "tasks" / "19.yaml").read_text(encoding="utf-8")
    assert "section: 四、实施保障建设\ntitle: 测试措施\nlead:\n  - bgs  # 办公室\ncooperating:\n  - jcb  # 计财部\ndue: ongoing\n" in text
    assert "完成时间" not in seen.decode(errors="replace"), "what was given as an option is not asked"


def test_new_speaks_english_when_asked(wkx, in_tracker: Path) -> None:
    english = wkx("new", *FLAGS, "--lang", "en")
    assert english.exit_code == 0 and english.stdout == "data/tasks/19.yaml: added measure 19\n"
