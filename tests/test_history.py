"""The audit trail read back from real git repositories: history, blame, --at, and the plain refusals."""

from __future__ import annotations

import subprocess
from datetime import UTC, date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gitrepos import LI, WANG, ZHANG, Repo, init
from wkx_tasks import api
from wkx_tasks.history import Event, FieldChange, read_history

BEIJING = ZoneInfo("Asia/Shanghai")
HEAD = "# yaml-language-server: $schema=../../schema/task.schema.json\n# 武科协〔2013〕48号任务分解表，第 1 项。\n"
EVENT_KEYS = {"commit", "author", "email", "date", "message", "id", "path", "kind", "old_path", "changes", "deadline_move", "reopening"}


@pytest.fixture
def repo(tracker: Path) -> Repo:
    return init(tracker)


def test_done_when_update_keeps_comments_and_commits_only_that_file(wkx, repo: Repo) -> None:
    before = repo.read("data/tasks/01.yaml")
    assert "- dxb       # 调宣部" in before and before.startswith(HEAD)
    result = wkx("update", "1", "--status", "in_progress", "--note", "已制定专家库入库标准", "--commit", cwd=repo.root)
    assert result.exit_code == 0, result.stderr
    after = repo.read("data/tasks/01.yaml")
    assert after.startswith(HEAD), "the modeline and the comment under it are kept"
    assert "- dxb       # 调宣部" in after and "- kjzxfwzx  # 科技咨询服务中心" in after
    assert "status: in_progress" in after and "note: 已制定专家库入库标准" in after
    assert repo.changed_in("HEAD") == ["data/tasks/01.yaml"]
    assert repo.status() == ""
    assert repo.git("log", "-1", "--format=%s") == "#1 建立科技决策咨询人才库: status not_started → in_progress; 新增进展记录"
    assert repo.git("log", "-1", "--format=%an") == WANG[0], "the commit is by git's user"
    assert "by: 王芳" in after, "by defaults to git user.name"


def test_done_when_history_json_shows_both_events(wkx, repo: Repo) -> None:
    assert wkx("update", "1", "--status", "in_progress", "--note", "已开始", "--commit", cwd=repo.root).exit_code == 0
    repo.replace("data/tasks/10.yaml", "due: 2013-12\n", "due: 2014-06\n")
    repo.commit_all("第 10 项延期至 2014 年 6 月", author=LI, date="2013-12-20T09:30:00+08:00")
    result = wkx("history", "--format", "json", cwd=repo.root)
    assert result.exit_code == 0, result.stderr
    events = result.json()
    assert "\\u" not in result.stdout
    assert all(set(e) == EVENT_KEYS for e in events)
    due_move, update = events[0], events[1]
    assert (due_move["author"], due_move["email"], due_move["id"], due_move["kind"]) == ("李娜", LI[1], 10, "modified")
    assert due_move["changes"] == [{"field": "due", "old": "2013-12", "new": "2014-06"}]
    assert due_move["date"] == "2013-12-20T09:30:00+08:00"
    assert due_move["message"] == "第 10 项延期至 2014 年 6 月"
    assert (update["author"], update["id"]) == ("王芳", 1)
    assert update["changes"][0] == {"field": "status", "old": "not_started", "new": "in_progress"}
    assert update["changes"][1]["field"] == "updates" and update["changes"][1]["old"] is None
    assert update["changes"][1]["new"] == {"date": "2014-01-06", "by": "王芳", "note": "已开始"}
    created = [e for e in events if e["kind"] == "created"]
    assert len(created) == 18 and {e["author"] for e in created} == {"张伟"}


def test_done_when_status_at_the_commit_before_the_edit(wkx, repo: Repo) -> None:
    before_edit = repo.git("rev-parse", "HEAD")
    repo.replace("data/tasks/10.yaml", "due: 2013-12\n", "due: 2014-06\n")
    repo.commit_all("第 10 项延期", author=LI, date="2013-12-20T09:30:00+08:00")
    args = ("status", "--overdue", "--as-of", "2014-01-01", "--format", "json")
    then = wkx(*args, "--at", before_edit, cwd=repo.root)
    assert then.exit_code == 0, then.stderr
    assert 10 in [r["id"] for r in then.json()]
    now = wkx(*args, "--at", "HEAD", cwd=repo.root)
    assert now.exit_code == 0 and 10 not in [r["id"] for r in now.json()]
    assert f"wkx: --at {before_edit}: 2013-06-01 10:00 +0800 的提交 {before_edit[:10]}\n" == then.stderr
    english = wkx(*args, "--at", before_edit, "--lang", "en", cwd=repo.root)
    assert f"wkx: --at {before_edit}: commit {before_edit[:10]} of 2013-06-01 10:00 +0800\n" == english.stderr


def test_at_reads_git_objects_not_the_working_tree(wkx, repo: Repo) -> None:
    repo.replace("data/tasks/10.yaml", "status: not_started", "status: in_progress")
    dirty = repo.read("data/tasks/10.yaml")
    shown = wkx("show", "10", "--format", "json", "--at", "HEAD", cwd=repo.root)
    assert shown.exit_code == 0 and shown.json()["status"] == "not_started"
    assert wkx("show", "10", "--format", "json", cwd=repo.root).json()["status"] == "in_progress"
    listed = wkx("--at", "HEAD", "list", "--status", "in_progress", "--format", "json", cwd=repo.root)
    assert listed.exit_code == 0 and listed.json() == []
    assert repo.read("data/tasks/10.yaml") == dirty and repo.status() == "M data/tasks/10.yaml"


def test_at_a_date_takes_the_last_commit_of_that_beijing_day(wkx, repo: Repo) -> None:
    repo.replace("data/tasks/10.yaml", "status: not_started", "status: in_progress")
    repo.commit_all("12-31 的最后一次提交", author=LI, date="2013-12-31T15:59:59Z")  # 23:59:59 in Beijing
    repo.replace("data/tasks/10.yaml", "status: in_progress", "status: blocked")
    repo.commit_all("北京时间 2014-01-01 零点", author=ZHANG, date="2013-12-31T16:00:00Z")  # 00:00 on 1 January in Beijing
    status_on = {
        day: wkx("--lang", "en", "show", "10", "--format", "json", "--at", day, cwd=repo.root).json()["status"]
        for day in ("2013-06-01", "2013-12-31", "2014-01-01")
    }
    assert status_on == {"2013-06-01": "not_started", "2013-12-31": "in_progress", "2014-01-01": "blocked"}
    early = wkx("--lang", "en", "show", "10", "--at", "2013-05-31", cwd=repo.root)
    assert early.exit_code == 2 and "no commit on or before that day" in early.stderr and "2013-06-01" in early.stderr
    bad = wkx("--lang", "en", "show", "10", "--at", "no-such-branch", cwd=repo.root)
    assert bad.exit_code == 2 and "is not a revision" in bad.stderr and "Traceback" not in bad.stderr
    assert wkx("--lang", "en", "show", "10", "--at", "2013-02-30", cwd=repo.root).exit_code == 2


def test_renames_creations_and_deletions_are_followed(wkx, repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    repo.git("mv", "data/tasks/10.yaml", "data/tasks/10-rules.yaml")
    repo.replace("data/tasks/10-rules.yaml", "status: not_started", "status: in_progress")
    repo.commit_all("按内容命名第 10 项的文件", author=LI, date="2013-07-01T10:00:00+08:00")
    repo.git("rm", "-q", "data/tasks/18.yaml")
    repo.commit_all("删除第 18 项", author=ZHANG, date="2013-07-02T10:00:00+08:00")
    events = api.history(repo.root, task_id=10)
    assert [e.kind for e in events] == ["renamed", "created"]
    renamed = events[0]
    assert (renamed.path, renamed.old_path) == ("data/tasks/10-rules.yaml", "data/tasks/10.yaml")
    assert renamed.changes == [FieldChange("status", "not_started", "in_progress")]
    deleted = api.history(repo.root, task_id=18)[0]
    assert deleted.kind == "deleted" and deleted.author == "张伟"
    assert FieldChange("title", "宣传工作", None) in deleted.changes
    table = wkx("history", "10", cwd=repo.root)
    assert table.exit_code == 0 and "重命名" in table.stdout and "10.yaml → 10-rules.yaml" in table.stdout


def test_merge_of_two_branches_that_both_edited_measures(wkx, repo: Repo) -> None:
    repo.git("checkout", "-q", "-b", "xhb-progress")
    repo.replace("data/tasks/06.yaml", "status: not_started", "status: in_progress")
    repo.commit_all("学会部：第 6 项已启动", author=LI, date="2013-08-01T10:00:00+08:00")
    repo.git("checkout", "-q", "main")
    repo.replace("data/tasks/10.yaml", "due: 2013-12", "due: 2014-06")
    repo.replace(
        "data/tasks/06.yaml",
        "due: ",
        "due: ",
    )  # same file untouched on main: no conflict
    repo.commit_all("第 10 项延期", author=ZHANG, date="2013-08-02T10:00:00+08:00")
    repo.git("merge", "-q", "--no-ff", "-m", "合并 xhb-progress", "xhb-progress", author=WANG, date="2013-08-03T10:00:00+08:00")
    events = api.history(repo.root, since=date(2013, 8, 1))
    assert [(e.author, e.task_id, e.changes[0].field) for e in events] == [("张伟", 10, "due"), ("李娜", 6, "status")]
    assert all("合并" not in e.message for e in events), "a clean merge adds no changes of its own"
    merged = wkx("list", "--format", "json", "--at", "HEAD", cwd=repo.root).json()
    by_id = {r["id"]: r for r in merged}
    assert by_id[6]["status"] == "in_progress" and by_id[10]["deadline"] == "2014-06"
    at_main_parent = wkx("list", "--format", "json", "--at", "HEAD^1", cwd=repo.root).json()
    assert {r["id"]: r["status"] for r in at_main_parent}[6] == "not_started"


def _history_for_filters(repo: Repo) -> None:
    repo.replace("data/tasks/10.yaml", "due: 2013-12", "due: 2014-06")
    repo.commit_all("第 10 项延期", author=LI, date="2013-12-31T16:30:00Z")  # 2014-01-01 00:30 in Beijing
    repo.replace("data/tasks/03.yaml", "due: 2014-12", "due: 2014-06")
    repo.replace("data/tasks/03.yaml", "status: not_started", "status: done\ncompleted: 2014-01-10")
    repo.commit_all("第 3 项提前完成", author=ZHANG, date="2014-01-10T10:00:00+08:00")
    repo.replace("data/tasks/03.yaml", "status: done\ncompleted: 2014-01-10", "status: in_progress")
    repo.commit_all("第 3 项重新打开：成果库尚未验收", author=WANG, date="2014-01-15T10:00:00+08:00")


def test_filters_by_day_author_field_and_id(repo: Repo) -> None:
    _history_for_filters(repo)
    root = repo.root
    assert [e.task_id for e in read_history(root, zone=BEIJING, until=date(2013, 12, 31))] == list(range(1, 19))
    until_new_year = read_history(root, zone=BEIJING, since=date(2013, 12, 31), until=date(2013, 12, 31))
    assert until_new_year == [], "00:30 on 1 January in Beijing is not 31 December, whatever UTC says"
    new_year = read_history(root, zone=BEIJING, since=date(2014, 1, 1), until=date(2014, 1, 1))
    assert [(e.task_id, e.date.isoformat()) for e in new_year] == [(10, "2014-01-01T00:30:00+08:00")]
    assert [e.task_id for e in read_history(root, zone=BEIJING, author="李")] == [10]
    assert [e.task_id for e in read_history(root, zone=BEIJING, author="ZHANGWEI@")] == [3, *range(1, 19)]
    due_moves = read_history(root, zone=BEIJING, field="due", since=date(2014, 1, 1))
    assert [(e.task_id, e.deadline_move) for e in due_moves] == [(3, "提前"), (10, "延期")]
    assert all(c.field == "due" for e in due_moves for c in e.changes)
    only_3 = read_history(root, zone=BEIJING, task_id=3)
    assert [e.is_reopening for e in only_3] == [True, False, False]
    assert only_3[0].changes == [FieldChange("status", "done", "in_progress"), FieldChange("completed", "2014-01-10", None)]


def test_table_marks_deadline_moves_and_reopenings(wkx, repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    _history_for_filters(repo)
    out = wkx("history", "--since", "2014-01-01", cwd=repo.root)
    assert out.exit_code == 0, out.stderr
    assert "[延期] due: 2013-12 → 2014-06" in out.stdout
    assert "[提前] due: 2014-12 → 2014-06" in out.stdout
    assert "[重新打开] status: done → in_progress" in out.stdout
    assert out.stdout.count("[延期]") == 1 and out.stdout.count("[重新打开]") == 1
    assert "李娜" in out.stdout and "2014-01-01 00:30" in out.stdout
    en = wkx("history", "--since", "2014-01-01", "--lang", "en", cwd=repo.root)
    assert "[deadline extended]" in en.stdout and "[reopened]" in en.stdout
    none = wkx("history", "--author", "nobody", cwd=repo.root)
    assert none.exit_code == 0 and "没有符合条件的修改记录" in none.stdout
    assert wkx("history", "--since", "2014-02-01", "--until", "2014-01-01", cwd=repo.root).exit_code == 2
    assert wkx("history", "--since", "yesterday", cwd=repo.root).exit_code == 2


def test_event_properties_and_json_date() -> None:
    from datetime import datetime

    event = Event(
        commit="a" * 40,
        author="张伟",
        email="z@example.cn",
        date=datetime(2014, 1, 1, 0, 30, tzinfo=BEIJING),
        message="m",
        task_id=10,
        path="data/tasks/10.yaml",
        kind="modified",
        old_path=None,
        changes=[FieldChange("due", "2013-12", "ongoing")],
    )
    assert event.is_deadline_move and event.deadline_move == "延期" and not event.is_reopening
    assert event.as_dict()["date"] == "2014-01-01T00:30:00+08:00"
    assert event.as_dict()["changes"] == [{"field": "due", "old": "2013-12", "new": "ongoing"}]


def test_blame_names_who_set_each_field(wkx, repo: Repo) -> None:
    repo.replace("data/tasks/10.yaml", "due: 2013-12", "due: 2014-06")
    repo.commit_all("第 10 项延期", author=LI, date="2013-12-20T09:30:00+08:00")
    assert wkx("update", "10", "--note", "已起草指导意见", "--by", "王芳", "--commit", cwd=repo.root).exit_code == 0
    repo.replace("data/tasks/10.yaml", "status: not_started", "status: in_progress")  # not committed
    result = wkx("blame", "10", "--format", "json", cwd=repo.root)
    assert result.exit_code == 0, result.stderr
    by_field = {o["field"]: o for o in result.json()}
    assert by_field["due"]["author"] == "李娜" and by_field["due"]["value"] == "2014-06"
    assert by_field["due"]["date"] == "2013-12-20T09:30:00+08:00"
    assert by_field["title"]["author"] == "张伟" and by_field["title"]["message"] == "导入 武科协〔2013〕48号 任务分解表"
    assert by_field["updates[0]"]["author"] == "王芳"
    assert by_field["status"]["commit"] is None and by_field["status"]["value"] == "in_progress"
    table = wkx("blame", "10", cwd=repo.root)
    assert "（尚未提交）" in table.stdout and "李娜" in table.stdout


def test_outside_git_history_commands_say_so(wkx, tracker: Path) -> None:
    for args in (["history"], ["blame", "10"], ["status", "--at", "HEAD"]):
        result = wkx("--lang", "en", *args, cwd=tracker)
        assert result.exit_code == 1, args
        assert "not inside a git repository" in result.stderr and "Traceback" not in result.stderr
        assert f"wkx {args[0]}" in result.stderr or "--at" in result.stderr


def test_shallow_clone_is_refused_with_the_fix(wkx, repo: Repo, tmp_path: Path) -> None:
    repo.replace("data/tasks/10.yaml", "due: 2013-12", "due: 2014-06")
    repo.commit_all("第 10 项延期", author=LI, date="2013-12-20T09:30:00+08:00")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True, capture_output=True)
    for args in (["history"], ["history", "10", "--format", "json"], ["blame", "10"], ["status", "--at", "2013-12-31"]):
        result = wkx("--lang", "en", *args, cwd=clone)
        assert result.exit_code == 1, (args, result.stdout)
        assert "shallow clone" in result.stderr and "fetch-depth: 0" in result.stderr, result.stderr
        assert result.stdout == ""
    assert wkx("--lang", "en", "status", "--at", "HEAD", "--format", "json", cwd=clone).exit_code == 0, "HEAD itself is there"


def test_empty_repository_and_tracker_in_a_subfolder(wkx, tracker: Path, tmp_path: Path) -> None:
    import shutil

    Repo(tracker).git("init", "-q")
    result = wkx("--lang", "en", "history", cwd=tracker)
    assert result.exit_code == 1 and "no commits yet" in result.stderr
    shutil.rmtree(tracker / ".git")
    outer = tmp_path / "outer"
    (outer / "plans").mkdir(parents=True)
    tracker.rename(outer / "plans" / "wkx")
    nested = init(outer)
    nested.replace("plans/wkx/data/tasks/10.yaml", "due: 2013-12", "due: 2014-06")
    nested.commit_all("第 10 项延期", author=LI, date="2013-12-20T09:30:00+08:00")
    events = wkx("--lang", "en", "history", "10", "--format", "json", cwd=outer / "plans" / "wkx").json()
    assert [e["path"] for e in events] == ["data/tasks/10.yaml", "data/tasks/10.yaml"]
    shown = wkx("--lang", "en", "show", "10", "--format", "json", "--at", "HEAD~1", cwd=outer / "plans" / "wkx")
    assert shown.exit_code == 0 and shown.json()["deadline"] == "2013-12"


def test_a_broken_commit_shows_as_unreadable_not_a_crash(wkx, repo: Repo) -> None:
    repo.path("data/tasks/10.yaml").write_text("id: 10\n<<<<<<< HEAD\nstatus: done\n", encoding="utf-8")
    repo.commit_all("误提交的冲突", author=LI, date="2013-09-01T10:00:00+08:00")
    events = api.history(repo.root, task_id=10)
    assert events[0].changes[0].field == "(file)"
    assert events[0].changes[0].old is None and "有未解决的合并冲突标记" in events[0].changes[0].new
    assert wkx("--lang", "en", "history", "10", cwd=repo.root).exit_code == 0


def test_block_comparison_agrees_with_reading_files_whole(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path (only changed top-level blocks parsed) gives exactly the events of parsing every version whole."""
    from wkx_tasks import history

    edits = [
        ("data/tasks/10.yaml", "status: not_started", "status: in_progress\nupdates:\n  - date: 2013-07-01\n    by: 张伟\n    note: 起草"),
        ("data/tasks/10.yaml", "    note: 起草", "    note: 起草\n  - date: 2013-07-05\n    by: 李娜\n    note: '修改: 第二稿'  # 引号"),
        ("data/tasks/10.yaml", "note: 起草", "note: 起草（更正）"),  # a log entry edited, not appended
        ("data/tasks/10.yaml", "lead:\n  - dxb  # 调宣部", "lead: [dxb, bgs]  # 流式列表"),
        ("data/tasks/10.yaml", "cooperating:\n  - bgs  # 办公室\n", ""),
        ("data/tasks/03.yaml", "due: 2014-12", "due: 2014-06  # 提前\nmilestones:\n  - title: 初稿\n    due: 2014-03\n  - title: 定稿\n    due: 2014-05"),
        ("data/tasks/03.yaml", "    due: 2014-03", "    due: 2014-03\n    status: done\n    completed: 2014-03-02"),
        ("data/tasks/03.yaml", "description: ", "description: |\n  第一段\n  第二段\n# 原文：\nnote_extra: "),  # an unknown key
        ("data/tasks/03.yaml", "note_extra: ", "note_extra: no\n# "),  # YAML 1.1 trap: the file turns unreadable
        ("data/tasks/04.yaml", "id: 4", "id: 4\nid: 4"),  # duplicate key
        ("data/tasks/04.yaml", "id: 4\nid: 4", "id: 4"),
    ]
    for i, (path, old, new) in enumerate(edits):
        repo.replace(path, old, new)
        repo.commit_all(f"edit {i}", author=(LI, WANG, ZHANG)[i % 3], date=f"2013-07-{i + 1:02d}T10:00:00+08:00")
    crlf = repo.path("data/tasks/05.yaml")
    crlf.write_bytes(crlf.read_bytes().replace(b"\n", b"\r\n"))
    repo.commit_all("CRLF", date="2013-08-01T10:00:00+08:00")
    repo.replace("data/tasks/05.yaml", "status: not_started", "status: blocked")
    repo.commit_all("CRLF edit", date="2013-08-02T10:00:00+08:00")

    fast = [e.as_dict() for e in read_history(repo.root, zone=BEIJING)]
    monkeypatch.setattr(history._Reader, "_changed_blocks", lambda self, old, new: None)
    whole = [e.as_dict() for e in read_history(repo.root, zone=BEIJING)]
    assert fast == whole
    by_message = {e["message"]: e for e in fast}
    assert by_message["edit 1"]["changes"] == [{"field": "updates", "old": None, "new": {"date": "2013-07-05", "by": "李娜", "note": "修改: 第二稿"}}]
    assert by_message["edit 2"]["changes"][0]["field"] == "updates" and by_message["edit 2"]["changes"][0]["old"] is not None
    assert by_message["edit 3"]["changes"] == [{"field": "lead", "old": ["dxb"], "new": ["dxb", "bgs"]}]
    assert by_message["edit 6"]["changes"] == [
        {"field": "milestones[0].status", "old": None, "new": "done"},
        {"field": "milestones[0].completed", "old": None, "new": "2014-03-02"},
    ]
    assert by_message["edit 8"]["changes"][0]["field"] == "(file)" and "真/假值" in by_message["edit 8"]["changes"][0]["new"]
    assert by_message["CRLF edit"]["changes"] == [{"field": "status", "old": "not_started", "new": "blocked"}]


def test_a_merge_shows_only_what_the_merge_itself_decided(repo: Repo) -> None:
    """Both branches move measure 10's deadline (a conflict, resolved by hand to a third date) and edit measure 3
    in different places (merged cleanly): the merge commit is an event only for the hand-made resolution."""
    repo.git("checkout", "-q", "-b", "kpb")
    repo.replace("data/tasks/10.yaml", "due: 2013-12", "due: 2014-03")
    repo.replace("data/tasks/03.yaml", "due: 2014-12", "due: 2014-09")
    repo.commit_all("科普部：第 10 项 2014-03，第 3 项 2014-09", author=LI, date="2013-11-01T10:00:00+08:00")
    repo.git("checkout", "-q", "main")
    repo.replace("data/tasks/10.yaml", "due: 2013-12", "due: 2014-06")
    repo.replace("data/tasks/03.yaml", "status: not_started", "status: in_progress")
    repo.commit_all("调宣部：第 10 项 2014-06，第 3 项启动", author=ZHANG, date="2013-11-02T10:00:00+08:00")
    merge = subprocess.run(["git", "merge", "-q", "kpb"], cwd=repo.root, capture_output=True, text=True, check=False)
    assert merge.returncode != 0 and "CONFLICT" in merge.stdout + merge.stderr
    text = repo.read("data/tasks/10.yaml")
    start, end = text.index("<<<<<<<"), text.index(">>>>>>> kpb\n") + len(">>>>>>> kpb\n")
    repo.path("data/tasks/10.yaml").write_text(text[:start] + "due: 2014-09\n" + text[end:], encoding="utf-8")
    merged_03 = repo.read("data/tasks/03.yaml")
    assert "due: 2014-09" in merged_03 and "status: in_progress" in merged_03, "measure 3 merged cleanly"
    repo.commit_all("合并 kpb：第 10 项定为 2014-09", author=WANG, date="2013-11-03T10:00:00+08:00")

    events = read_history(repo.root, zone=BEIJING, since=date(2013, 11, 1))
    summary = [(e.author, e.task_id, [(c.field, c.old, c.new) for c in e.changes]) for e in events]
    assert summary == [
        ("王芳", 10, [("due", "2014-06", "2014-09")]),
        ("张伟", 3, [("status", "not_started", "in_progress")]),
        ("张伟", 10, [("due", "2013-12", "2014-06")]),
        ("李娜", 3, [("due", "2014-12", "2014-09")]),
        ("李娜", 10, [("due", "2013-12", "2014-03")]),
    ]


def test_a_comment_only_edit_is_an_event_that_says_no_value_changed(wkx, repo: Repo) -> None:
    repo.replace("data/tasks/03.yaml", "status: not_started", "status: not_started  # 待调宣部确认")
    repo.commit_all("03: 加注释", author=LI, date="2014-02-01T09:00:00+08:00")
    events = wkx("history", "3", "--since", "2014-02-01", "--format", "json", cwd=repo.root).json()
    assert [(e["author"], e["changes"]) for e in events] == [("李娜", [])]
    table = wkx("history", "3", "--since", "2014-02-01", cwd=repo.root).stdout
    assert "（值未变：仅注释或格式）" in table


def test_wkx_toml_timezone_dates_history_update_and_at(wkx, repo: Repo) -> None:
    """The zone is decided in one place (Config.zone): a wkx.toml timezone moves history's days, update's 'today' and --at's day."""
    from datetime import datetime

    # 23:30 in Beijing on 31 December is already 00:30 on 1 January in Tokyo.
    repo.replace("data/tasks/10.yaml", "due: 2013-12\n", "due: 2014-06\n")
    repo.commit_all("第 10 项延期", author=LI, date="2013-12-31T23:30:00+08:00")
    in_beijing = wkx("history", "--since", "2014-01-01", "--format", "json", cwd=repo.root).json()
    assert in_beijing == []
    (repo.root / "wkx.toml").write_text('timezone = "Asia/Tokyo"\n', encoding="utf-8")
    in_tokyo = wkx("history", "--since", "2014-01-01", "--format", "json", cwd=repo.root).json()
    assert [(e["id"], e["date"]) for e in in_tokyo] == [(10, "2014-01-01T00:30:00+09:00")]
    assert wkx("blame", "10", "--format", "json", cwd=repo.root).json()[0]["date"].endswith("+09:00")
    at_new_year = wkx("--at", "2013-12-31", "show", "10", "--format", "json", cwd=repo.root)
    assert at_new_year.json()["deadline"] == "2013-12", "the commit of 00:30 Tokyo time is on 1 January there"
    noted = wkx("update", "1", "--note", "跨年", "--by", "李娜", cwd=repo.root, now=datetime(2013, 12, 31, 15, 30, tzinfo=UTC))
    assert noted.exit_code == 0, noted.stderr
    assert "date: 2014-01-01" in repo.read("data/tasks/01.yaml"), "today on Tokyo's calendar"


def test_an_unknown_field_is_a_usage_error_with_the_fields(wkx, repo: Repo) -> None:
    result = wkx("--lang", "en", "history", "--field", "statu", cwd=repo.root)
    assert result.exit_code == 2
    assert result.stderr.startswith("wkx: --field: 'statu' is not a field of a measure (did you mean 'status'?); the fields are: id, section, title,")
    assert wkx("--lang", "en", "history", "--field", "milestones[0].status", cwd=repo.root).exit_code == 0


def test_blame_of_a_file_linked_from_outside_is_a_sentence(wkx, repo: Repo, tmp_path: Path) -> None:
    outside = tmp_path / "10.yaml"
    outside.write_bytes(repo.path("data/tasks/10.yaml").read_bytes())
    repo.path("data/tasks/10.yaml").unlink()
    repo.path("data/tasks/10.yaml").symlink_to(outside)
    result = wkx("--lang", "en", "blame", "10", cwd=repo.root)
    assert result.exit_code == 1 and "internal error" not in result.stderr
    assert result.stderr.startswith("data/tasks/10.yaml: leads outside the tracker through a symbolic link")
    assert result.stderr.endswith("wkx: data/tasks/10.yaml cannot be read; fix it first (wkx validate lists the problems)\n")
