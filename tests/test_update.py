"""`wkx update`: in-place edits that keep every untouched byte, checked before writing, refused when unsafe."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gitrepos import LI, Repo, init

GOLDEN = Path(__file__).parent / "golden"
# 17:00 UTC on 5 January is already 6 January in Beijing: notes and completion dates follow the plan's calendar.
EVENING_UTC = datetime(2014, 1, 5, 17, 0, tzinfo=UTC)


@pytest.fixture
def repo(tracker: Path) -> Repo:
    shutil.copy(GOLDEN / "update-10.before.yaml", tracker / "data/tasks/10.yaml")
    return init(tracker)


def test_golden_untouched_bytes_are_kept(wkx, repo: Repo) -> None:
    result = wkx("update", "10", "--status", "done", "--due", "2014-06", "--note", "已印发《指导意见》", "--by", "李娜", cwd=repo.root, now=EVENING_UTC)
    assert result.exit_code == 0, result.stderr
    assert repo.path("data/tasks/10.yaml").read_bytes() == (GOLDEN / "update-10.after.yaml").read_bytes()
    assert result.stdout == (
        "data/tasks/10.yaml: #10 规章制度建设: status not_started → done; due 2013-12 → 2014-06; 新增进展记录\n"
        "  已写入 completed: 2014-01-06（今天；用 --completed DATE 可指定别的日期）\n"
        "  已把 progress 设为 100（原为 10）\n"
        "  原截止时间 2013-12 已记为 original_due\n"
    )
    assert wkx("validate", cwd=repo.root).exit_code == 0
    shutil.copy(GOLDEN / "update-10.before.yaml", repo.path("data/tasks/10.yaml"))
    english = wkx(
        "update", "10", "--status", "done", "--due", "2014-06", "--note", "已印发《指导意见》", "--by", "李娜", "--lang", "en", cwd=repo.root, now=EVENING_UTC
    )
    assert "set completed: 2014-01-06" in english.stdout and "kept the first deadline as original_due: 2013-12" in english.stdout
    assert "set progress: 100 (was 10)" in english.stdout and english.stdout.startswith(
        "data/tasks/10.yaml: #10 规章制度建设: status not_started → done; due 2013-12 → 2014-06; note added\n"
    )


def test_crlf_and_bom_are_kept(wkx, repo: Repo) -> None:
    path = repo.path("data/tasks/10.yaml")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    repo.commit_all("Windows 下保存的文件")
    assert wkx("update", "10", "--note", "进展", "--by", "李娜", cwd=repo.root).exit_code == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# ") and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert data.endswith(
        b"    note: \xe8\xbf\x9b\xe5\xb1\x95\r\nurgings:\r\n  - date: 2013-07-01\r\n    by: \xe8\xb0\x83\xe5\xae\xa3\xe9\x83\xa8\r\n    note: \xe8\xaf\xb7\xe5\x8a\xa0\xe5\xbf\xab\xe8\xbf\x9b\xe5\xba\xa6\r\n"
    )


def test_commit_message_and_only_that_file(wkx, repo: Repo) -> None:
    repo.path("notes.txt").write_text("别的文件的改动\n", encoding="utf-8")
    repo.git("add", "notes.txt")  # staged elsewhere: must stay out of the commit
    result = wkx("update", "10", "--status", "done", "--commit", cwd=repo.root, now=EVENING_UTC)
    assert result.exit_code == 0, result.stderr
    assert repo.git("log", "-1", "--format=%s") == "#10 规章制度建设: status not_started → done"
    assert repo.changed_in("HEAD") == ["data/tasks/10.yaml"]
    assert repo.status() == "A  notes.txt"
    custom = wkx("update", "10", "--note", "已验收", "--commit", "--message", "第 10 项验收记录", cwd=repo.root, now=EVENING_UTC)
    assert custom.exit_code == 0 and repo.git("log", "-1", "--format=%s") == "第 10 项验收记录"


def test_reopening_removes_completed_and_verified(wkx, repo: Repo) -> None:
    repo.replace(
        "data/tasks/10.yaml", "status: not_started   # 尚未开始\n", "status: done\ncompleted: 2013-12-20\nverified:\n  date: 2013-12-25\n  by: 调宣部\n"
    )
    repo.commit_all("第 10 项完成并核验", author=LI)
    result = wkx("update", "10", "--status", "in_progress", "--note", "复查发现尚缺两项办法", "--by", "王芳", "--commit", cwd=repo.root)
    assert result.exit_code == 0, result.stderr
    text = repo.read("data/tasks/10.yaml")
    assert "status: in_progress\nprogress: 10\n" in text and "completed" not in text and "verified" not in text
    assert "  已删除 'completed'（工作措施重新打开）\n  已删除 'verified'（工作措施重新打开）\n" in result.stdout
    history = wkx("history", "10", "--format", "json", cwd=repo.root).json()
    assert history[0]["changes"][0] == {"field": "status", "old": "done", "new": "in_progress"}


def test_completed_date_and_due_back_to_original(wkx, repo: Repo) -> None:
    assert wkx("update", "10", "--due", "2014-06-30", cwd=repo.root).exit_code == 0
    text = repo.read("data/tasks/10.yaml")
    assert "due: 2014-06-30\n" in text and "original_due: 2013-12\n" in text
    assert wkx("update", "10", "--due", "2014-09", "--force", cwd=repo.root).exit_code == 0
    assert "original_due: 2013-12\n" in repo.read("data/tasks/10.yaml"), "the first deadline stays"
    assert wkx("update", "10", "--due", "2013-12", "--force", cwd=repo.root).exit_code == 0
    assert "original_due" not in repo.read("data/tasks/10.yaml")
    done = wkx("update", "10", "--status", "done", "--completed", "2013-12-28", "--force", cwd=repo.root)
    assert done.exit_code == 0 and "completed: 2013-12-28\n" in repo.read("data/tasks/10.yaml")
    same = wkx("update", "10", "--status", "done", "--force", cwd=repo.root)
    assert same.exit_code == 0 and "无需修改" in same.stdout
    english = wkx("update", "10", "--status", "done", "--force", "--lang", "en", cwd=repo.root)
    assert english.exit_code == 0 and "nothing to change (the measure already reads so)" in english.stdout


def test_yaml_11_lookalikes_in_a_note_are_quoted(wkx, repo: Repo) -> None:
    assert wkx("update", "10", "--note", "no", "--by", "on", cwd=repo.root).exit_code == 0
    text = repo.read("data/tasks/10.yaml")
    assert "    by: 'on'\n    note: 'no'\n" in text
    assert wkx("validate", cwd=repo.root).exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--due", "2014-13"], "data/tasks/10.yaml:12:6: due: '2014-13' is not a real month"),
        (["--completed", "2014-01-01"], "'completed' is set but status is not_started"),
        (["--status", "blocked", "--note", "   "], "--note must not be empty"),
    ],
)
def test_invalid_results_are_refused_and_the_file_is_untouched(wkx, repo: Repo, args: list[str], message: str) -> None:
    before = repo.path("data/tasks/10.yaml").read_bytes()
    result = wkx("--lang", "en", "update", "10", *args, "--commit", cwd=repo.root)
    assert result.exit_code in (1, 2) and message in result.stderr, result.stderr
    assert repo.path("data/tasks/10.yaml").read_bytes() == before
    assert repo.status() == "" and len(repo.git("log", "--format=%H").splitlines()) == 1


def test_refusal_messages_match_validate(wkx, repo: Repo) -> None:
    result = wkx("update", "10", "--due", "2014-13", cwd=repo.root)
    assert result.exit_code == 1
    repo.replace("data/tasks/10.yaml", "due: 2013-12", "due: 2014-13")
    validate = wkx("validate", cwd=repo.root)
    problem = next(line for line in validate.stderr.splitlines() if "2014-13" in line)
    assert problem in result.stderr


def test_conflict_markers_are_refused(wkx, repo: Repo) -> None:
    path = repo.path("data/tasks/10.yaml")
    path.write_bytes(path.read_bytes().replace(b"due: 2013-12\n", b"<<<<<<< HEAD\ndue: 2014-06\n=======\ndue: 2014-03\n>>>>>>> dxb\n"))
    before = path.read_bytes()
    result = wkx("--lang", "en", "update", "10", "--status", "in_progress", "--force", cwd=repo.root)
    assert result.exit_code == 1 and "merge conflict markers" in result.stderr and "data/tasks/10.yaml:12:1" in result.stderr
    assert path.read_bytes() == before


def test_uncommitted_changes_are_refused_unless_forced(wkx, repo: Repo) -> None:
    repo.replace("data/tasks/10.yaml", "progress: 10", "progress: 20")
    before = repo.path("data/tasks/10.yaml").read_bytes()
    result = wkx("--lang", "en", "update", "10", "--status", "in_progress", cwd=repo.root)
    assert result.exit_code == 1 and "has changes that are not committed" in result.stderr and "--force" in result.stderr
    assert repo.path("data/tasks/10.yaml").read_bytes() == before
    forced = wkx("--lang", "en", "update", "10", "--status", "in_progress", "--force", cwd=repo.root)
    assert forced.exit_code == 0
    text = repo.read("data/tasks/10.yaml")
    assert "progress: 20" in text and "status: in_progress" in text


def test_usage_errors(wkx, repo: Repo) -> None:
    for args, message in [
        ([], "nothing to change"),
        (["--by", "李娜", "--status", "blocked"], "--by names who wrote the --note"),
        (["--status", "blocked", "--message", "x"], "add --commit"),
        (["--completed", "yesterday"], "is not a date"),
    ]:
        result = wkx("--lang", "en", "update", "10", *args, cwd=repo.root)
        assert result.exit_code == 2 and message in result.stderr, (args, result.stderr)
    unknown = wkx("--lang", "en", "update", "99", "--status", "done", cwd=repo.root)
    assert unknown.exit_code == 2 and "there is no measure 99" in unknown.stderr


def test_outside_git_edits_need_a_name_and_cannot_commit(wkx, tracker: Path) -> None:
    no_name = wkx("--lang", "en", "update", "10", "--note", "进展", cwd=tracker)
    assert no_name.exit_code == 2 and "pass --by NAME" in no_name.stderr
    assert wkx("--lang", "en", "update", "10", "--note", "进展", "--by", "李娜", cwd=tracker).exit_code == 0
    assert "by: 李娜" in (tracker / "data/tasks/10.yaml").read_text(encoding="utf-8")
    committed = wkx("--lang", "en", "update", "10", "--status", "in_progress", "--commit", cwd=tracker)
    assert committed.exit_code == 1 and "not inside a git repository" in committed.stderr


def test_no_git_user_name_and_no_by(wkx, tracker: Path) -> None:
    repo = init(tracker, user=None)
    result = wkx("update", "10", "--note", "进展", cwd=repo.root)
    assert result.exit_code == 2 and "git config user.name" in result.stderr


def test_commit_without_a_git_identity_writes_nothing(wkx, tracker: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = init(tracker, user=None)
    monkeypatch.setenv("GIT_AUTHOR_NAME", "")
    monkeypatch.setenv("EMAIL", "")
    before = repo.path("data/tasks/10.yaml").read_bytes()
    result = wkx("--lang", "en", "update", "10", "--status", "in_progress", "--commit", cwd=repo.root)
    assert result.exit_code == 1 and "git does not know who you are" in result.stderr and "nothing was written" in result.stderr
    assert repo.path("data/tasks/10.yaml").read_bytes() == before and repo.status() == ""


def test_update_commit_when_the_tracker_is_a_subfolder_of_the_repository(wkx, tracker: Path, tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    (outer / "plans").mkdir(parents=True)
    tracker.rename(outer / "plans" / "wkx")
    repo = init(outer)
    folder = outer / "plans" / "wkx"
    result = wkx("--lang", "en", "update", "10", "--status", "in_progress", "--note", "已启动", "--commit", cwd=folder)
    assert result.exit_code == 0, result.stderr
    assert repo.changed_in("HEAD") == ["plans/wkx/data/tasks/10.yaml"] and repo.status() == ""
    events = wkx("--lang", "en", "history", "10", "--format", "json", cwd=folder).json()
    assert events[0]["path"] == "data/tasks/10.yaml" and events[0]["changes"][0]["new"] == "in_progress"
    (folder / "data/tasks/10.yaml").write_text(repo.read("plans/wkx/data/tasks/10.yaml") + "# 未提交的修改\n", encoding="utf-8")
    refused = wkx("--lang", "en", "update", "10", "--status", "blocked", cwd=folder)
    assert refused.exit_code == 1 and "not committed" in refused.stderr


def test_commit_outside_git_says_so_and_writes_nothing(wkx, tracker: Path) -> None:
    before = (tracker / "data" / "tasks" / "10.yaml").read_bytes()
    result = wkx("--lang", "en", "--root", str(tracker), "update", "10", "--note", "已开始", "--by", "李娜", "--commit")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"wkx: wkx update --commit needs git, but {tracker} is not inside a git repository; ")
    assert (tracker / "data" / "tasks" / "10.yaml").read_bytes() == before
    history = wkx("--lang", "en", "--root", str(tracker), "history")
    assert history.exit_code == 1 and history.stderr.startswith("wkx: wkx history needs git, but ")


def test_a_named_pipe_in_place_of_the_file_is_named_not_waited_on(wkx, tracker: Path) -> None:
    import os

    fifo = tracker / "data" / "tasks" / "10.yaml"
    fifo.unlink()
    os.mkfifo(fifo)
    result = wkx("--lang", "en", "--root", str(tracker), "update", "10", "--note", "已开始", "--by", "李娜", "--force")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "wkx: data/tasks/10.yaml is not a regular file (a named pipe, device or socket); remove it: data files are plain text files; nothing was written\n"
    )
