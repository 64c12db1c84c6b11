"""The hostile-input corpus (tests/corpus/cases.toml) through every command: exit 1, the file and line named,
no traceback, no file changed, no hang and no memory blow-up.

A command added later (report, history, update …) meets the whole corpus by adding one line to COMMANDS.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, Result

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES: list[dict[str, Any]] = tomllib.loads((CORPUS / "cases.toml").read_text(encoding="utf-8"))["case"]

# Every command that reads the tracker, with the arguments a user would give. One line per command. They run in
# English, the language cases.toml quotes; test_corpus_in_chinese checks every case's Chinese message and its code.
COMMANDS: list[tuple[str, ...]] = [
    ("validate", "--lang", "en"),
    ("status", "--overdue", "--lang", "en"),
    ("list", "--format", "json", "--lang", "en"),
    ("show", "1", "--lang", "en"),
]

# Commands run again in a real process, under a wall-clock timeout and an address-space limit.
PROCESS_COMMANDS: list[tuple[str, ...]] = [("validate", "--lang", "en"), ("status", "--overdue", "--lang", "en")]
PROCESS_TIMEOUT = 60  # seconds: a hang guard, far above the fraction of a second a command takes
MEMORY_LIMIT = 1 << 30  # 1 GiB of address space: a bomb that expands in memory dies instead of the machine
WATCHDOG = 60  # seconds before an in-process command is declared hung


def _case_id(case: dict[str, Any]) -> str:
    return case["name"]


def build(case: dict[str, Any], tmp_path: Path) -> Path:
    """A copy of the shipped tracker in tmp_path/tracker, broken as the case says; tmp_path/outside is a folder
    beside it (the target of links that lead out of the tracker)."""
    root = tmp_path / "tracker"
    shutil.copytree(DATA, root / "data")
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(DATA / "tasks" / "10.yaml", outside / "10.yaml")
    target = root / case["target"]
    make = case.get("make")
    if "file" in case:
        target.write_bytes((CORPUS / case["file"]).read_bytes())
    elif make == "delete":
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    elif make == "fifo":
        target.unlink()
        os.mkfifo(target)
    elif make == "folder":
        target.unlink()
        target.mkdir()
    elif make == "link-outside":
        target.unlink()
        target.symlink_to(outside / "10.yaml")
    elif make == "dangling-link":
        target.unlink()
        target.symlink_to("10-old.yaml")
    elif make == "tasks-link-outside":
        shutil.copytree(target, outside / "tasks")
        shutil.rmtree(target)
        target.symlink_to(outside / "tasks", target_is_directory=True)
    elif make == "oversize":
        shipped = target.read_bytes()
        target.write_bytes(shipped + b"# " + b"x" * (1024 * 1024) + b"\n")
    elif make == "long-line":
        shipped = target.read_text(encoding="utf-8")
        target.write_text(shipped.replace("description: ", "description: " + "规章制度建设，" * 43000, 1), encoding="utf-8")
    elif make == "deep-block-mapping":
        # 1400 levels, one space deeper each: as deep as block style goes within the size limit.
        target.write_text("id: 10\nnest:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(1400)), encoding="utf-8")
    else:
        raise AssertionError(f"case {case['name']!r}: unknown make {make!r}")
    return root


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under folder: its kind, and the hash of a file's bytes or a link's target. Never opens a FIFO."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(folder).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                out[rel] = "link " + os.readlink(path)
            elif stat.S_ISREG(mode):
                out[rel] = "file " + hashlib.sha256(path.read_bytes()).hexdigest() + f" {stat.S_IMODE(mode):o}"
            else:
                out[rel] = f"kind {stat.S_IFMT(mode):o}"
    return out


class CommandHung(BaseException):
    """Raised by the watchdog; a BaseException, so that no `except OSError`/`except Exception` in wkx can swallow it."""


@pytest.fixture
def watchdog() -> Iterator[None]:
    """Fail, rather than hang the suite, if an in-process command blocks (a FIFO read, a runaway loop)."""

    def hung(signum: int, frame: Any) -> None:
        raise CommandHung(f"command still running after {WATCHDOG} s")

    if not hasattr(signal, "SIGALRM"):
        yield
        return
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(WATCHDOG)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def check_answer(case: dict[str, Any], command: tuple[str, ...], code: int, stdout: str, stderr: str) -> None:
    said = f"`wkx {' '.join(command)}` on case {case['name']!r}"
    assert "Traceback" not in stdout + stderr, f"{said} printed a traceback:\n{stderr}"
    assert "internal error" not in stderr, f"{said} hit an internal error:\n{stderr}"
    expected = case.get("exit", 1)
    assert code == expected, f"{said} exited {code}, expected {expected}:\n{stderr}"
    if expected == 0:
        assert stderr.strip() == "", f"{said} complained about an accepted file:\n{stderr}"
        return
    # The fault is named as path[:line[:col]]: message, on one line of its own.
    where, message = case["where"], case["message"]
    lines = [line for line in stderr.splitlines() if line.startswith(where) and message in line]
    assert lines, f"{said} did not say {where}…: …{message}…; it said:\n{stderr}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[dict[str, Any]], Path]:
    """One broken tracker per case, shared by the commands (each checks that it left every byte as it was)."""
    cache: dict[str, Path] = {}

    def get(case: dict[str, Any]) -> Path:
        if case["name"] not in cache:
            cache[case["name"]] = build(case, tmp_path_factory.mktemp("case"))
        return cache[case["name"]]

    return get


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_corpus_case(
    case: dict[str, Any], command: tuple[str, ...], built: Callable[[dict[str, Any]], Path], wkx: Callable[..., Result], watchdog: None
) -> None:
    root = built(case)
    before = snapshot(root.parent)
    # Run from inside the tracker, as a user would: anything a command wrote anywhere beside it shows up.
    result = wkx(*command, cwd=root)
    check_answer(case, command, result.exit_code, result.stdout, result.stderr)
    assert snapshot(root.parent) == before, f"`wkx {' '.join(command)}` changed files on disk"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_corpus_in_chinese(case: dict[str, Any], built: Callable[[dict[str, Any]], Path], wkx: Callable[..., Result], watchdog: None) -> None:
    """By default every case is explained in Chinese, at the same place, with a code from the message catalogue that
    is the same in English: no message of the corpus is worded outside the catalogue."""
    from wkx_tasks.messages import CATALOGUE

    root = built(case)
    zh = wkx("validate", "--format", "json", cwd=root)
    en = wkx("validate", "--format", "json", "--lang", "en", cwd=root)
    said = f"case {case['name']!r}"
    assert "Traceback" not in zh.stderr + en.stderr and "内部错误" not in zh.stderr, said
    assert zh.exit_code == en.exit_code == case.get("exit", 1), (said, zh.stderr)
    rows, english = zh.json(), en.json()
    assert [(r["path"], r["line"], r["col"], r["code"]) for r in rows] == [(r["path"], r["line"], r["col"], r["code"]) for r in english], said
    for row in rows:
        assert row["code"] in CATALOGUE, (said, row)
        assert re.search("[\u4e00-\u9fff]", row["message"]), (said, row)
    if case.get("exit", 1) != 0:
        path, *place = case["where"].split(":")
        expected = (path, *(int(n) for n in place), *([None] * (2 - len(place))))
        assert expected in [(r["path"], r["line"], r["col"]) for r in rows], (said, rows)
        assert any(case["message"] in r["message"] for r in english), (said, english)


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


PROCESS_CASES = [case for case in CASES if case.get("subprocess")]  # a representative subset: each run costs a Python start


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, symlinks and resource limits are POSIX")
@pytest.mark.parametrize("command", PROCESS_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("case", PROCESS_CASES, ids=_case_id)
def test_corpus_case_in_a_real_process(case: dict[str, Any], command: tuple[str, ...], tmp_path: Path) -> None:
    root = build(case, tmp_path)
    before = snapshot(tmp_path)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "wkx_tasks", *command],
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=PROCESS_TIMEOUT,
            preexec_fn=_limit_memory,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`wkx {' '.join(command)}` on case {case['name']!r} did not finish within {PROCESS_TIMEOUT} s")
    check_answer(case, command, proc.returncode, proc.stdout, proc.stderr)
    assert snapshot(tmp_path) == before


def test_every_corpus_file_is_used_and_every_case_is_complete() -> None:
    used = {case["file"] for case in CASES if "file" in case}
    stored = {p.name for p in CORPUS.iterdir() if p.name not in ("cases.toml", ".gitattributes")}
    assert stored == used
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names))
    for case in CASES:
        assert ("file" in case) != ("make" in case), case["name"]
        assert case.get("exit", 1) == 0 or ("where" in case and "message" in case), case["name"]


def test_a_python_tag_runs_nothing(tmp_path: Path, wkx: Callable[..., Result]) -> None:
    """The tag is refused by the reader, so os.system never runs: no file HACKED appears anywhere."""
    case = next(c for c in CASES if c.get("file") == "python-object-tag.yaml")
    root = build(case, tmp_path)
    for command in COMMANDS:
        assert wkx(*command, cwd=root).exit_code == 1
    assert not list(tmp_path.rglob("HACKED")) and not Path("HACKED").exists()
