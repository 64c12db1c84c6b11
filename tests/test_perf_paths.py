"""The fast paths give the same answers as the slow ones: piped tables without rich, cell widths, lazy imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from conftest import imported_by
from wkx_tasks import console


def test_cell_width_agrees_with_rich_for_every_character_it_measures_itself() -> None:
    checked = 0
    for code in range(0x20, 0x10000):
        ch = chr(code)
        if console._SIMPLE.fullmatch(ch):
            assert console.cell_width(ch) == cell_len(ch), hex(code)
            checked += 1
    assert checked > 20_000
    texts = ["编号 ID", "逾期 276 天", "（试行）、《办法》", "·", "未开始 3 · 进行中 12 · 已完成 0", "e\u0301", "\u200b", "Ｈａｌｆ ｶﾀｶﾅ", ""]
    for text in texts:
        assert console.cell_width(text) == cell_len(text), text
    # Measured all at once (the status index's titles), each text is what it is alone: a width, or None for rich.
    assert console.plain_widths(texts) == [console.plain_width(text) for text in texts]
    assert [w is None for w in console.plain_widths(texts)] == [False] * 5 + [True, True, True, False]


@pytest.mark.parametrize("columns", ["200", "120", "60"])
@pytest.mark.parametrize(
    "args",
    [("list",), ("status",), ("status", "--overdue"), ("list", "--lang", "en"), ("status", "--lang", "en"), ("list", "--dept", "jcb")],
)
def test_piped_tables_are_the_bytes_rich_writes(wkx, tracker: Path, monkeypatch: pytest.MonkeyPatch, columns: str, args: tuple[str, ...]) -> None:
    # Long titles and names, so that some tables fit the width and others must be folded by rich.
    path = tracker / "data/tasks/07.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: （试行）“重点”项目 [A-1] "), encoding="utf-8")
    monkeypatch.setenv("COLUMNS", columns)
    argv = ["--root", str(tracker), *args, "--as-of", "2014-01-01"]
    real_grid, laid_out = console._grid, []

    def spy(*a, **k):  # type: ignore[no-untyped-def]
        lines = real_grid(*a, **k)
        laid_out.append(lines is not None)
        return lines

    monkeypatch.setattr(console, "_grid", spy)
    fast = wkx(*argv)
    if columns == "200":
        assert laid_out == [True], "at 200 columns every table fits, so the fast path is the one compared"
    monkeypatch.setattr(console, "_grid", lambda *a, **k: None)
    monkeypatch.setattr(console, "_emit_plain", lambda *a, **k: False)
    slow = wkx(*argv)
    assert fast.exit_code == slow.exit_code == 0
    assert fast.stdout == slow.stdout
    if columns == "200" and args[0] == "list" and "--dept" not in args:
        assert "（试行）“重点”项目 [A-1]" in fast.stdout


def test_grid_declines_what_it_cannot_lay_out_like_rich() -> None:
    assert console._grid(["编号"], [["a\nb"]], [None], right={0}, min_widths={}) is None
    assert console._grid(["编号"], [["x" * 500]], [None], right={0}, min_widths={}) is None
    assert console._grid(["编号", "工作措施"], [["1", "2"], ["ok", "a\tb"]], [[1, 1], [2, -1]], right={0}, min_widths={}) is None
    lines = console._grid(["编号", "工作措施"], [["7", "12"], ["科普", "ok"]], [None, [4, 2]], right={0}, min_widths={1: 12})
    assert lines is not None
    assert lines[1] == "┃ 编号 ┃ 工作措施     ┃"
    assert lines[3:5] == ["│    7 │ 科普         │", "│   12 │ ok           │"]


def test_piped_status_loads_neither_rich_console_nor_yaml_when_the_cache_is_warm(tracker: Path, tmp_path: Path) -> None:
    watched = ("rich.console", "rich.table", "yaml", "ruamel.yaml", "git", "jinja2", "openpyxl")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "TTY_COMPATIBLE": "0"}
    runs = [imported_by(["--root", str(tracker), "status", "--overdue", "--as-of", "2014-01-01"], watched, cwd=tmp_path, env=env) for _ in range(2)]
    (cold, _), (warm, loaded) = runs
    assert cold.stderr == warm.stderr == "", warm.stderr
    assert "逾期 7" in warm.stdout and "组织保障建设" in warm.stdout
    assert loaded == [], loaded


def test_what_a_command_loaded_is_let_go_when_it_returns_in_process(tracker: Path, wkx: Any) -> None:
    cli_app = sys.modules["wkx_tasks.cli.app"]  # the module (`wkx_tasks.cli.app` the attribute is the Typer app)
    assert cli_app.PROCESS_ENDS == [False]
    result = wkx("--root", str(tracker), "status", "--format", "json", "--as-of", "2014-01-01")
    assert result.exit_code == 0 and result.json()
    assert cli_app.KEPT == []  # held only while the command ran (the console script keeps it until the process ends)


def _spy_plugin(folder: Path) -> Path:
    """A real Pydantic plugin, installed as a distribution on the path given: it says on standard error which
    models it sees validators built for."""
    (folder / "wkx_spy_plugin.py").write_text(
        "import sys\n"
        "class Plugin:\n"
        "    def new_schema_validator(self, schema, schema_type, path, kind, config, settings):\n"
        "        sys.stderr.write(f'plugin saw {path.name}\\n')\n"
        "        return None, None, None\n"
        "plugin = Plugin()\n",
        encoding="utf-8",
    )
    info = folder / "wkx_spy_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: wkx-spy-plugin\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[pydantic]\nspy = wkx_spy_plugin:plugin\n", encoding="utf-8")
    return folder


def test_the_command_line_builds_its_validators_without_pydantic_plugins_and_a_library_caller_keeps_them(tracker: Path, tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    plugins = _spy_plugin(tmp_path / "site")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WKX_", "PYDANTIC_"))}
    env.update({"PYTHONPATH": str(plugins), "NO_COLOR": "1"})
    after = "import os, sys\nprint(repr(('wkx_spy_plugin' in sys.modules, os.environ.get('PYDANTIC_DISABLE_PLUGINS'))), file=sys.stderr)"
    cli = (
        f"import sys; sys.argv = {['wkx', '--root', str(tracker), 'validate']!r}\n"
        "from wkx_tasks.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n" + after
    )
    library = f"from pathlib import Path\nfrom wkx_tasks.store import load_tracker\nload_tracker(Path({str(tracker)!r}))\n" + after
    # Each with a record cache of its own, empty: both read and validate every file.
    by_cli, by_library = (
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env={**env, "XDG_CACHE_HOME": str(tmp_path / name)}, cwd=tmp_path, timeout=60
        )
        for code, name in ((cli, "cli-cache"), (library, "library-cache"))
    )
    # The command line read every file, so it built the validators: with no plugin looked for,
    # and with the environment as it found it (git or an editor started later inherit it unchanged).
    assert by_cli.returncode == 0, by_cli.stderr
    assert "检查通过" in by_cli.stdout
    assert by_cli.stderr.splitlines() == ["(False, None)"]
    # A program importing wkx_tasks: Pydantic's plugins see wkx's models, as they would see its own.
    assert by_library.returncode == 0, by_library.stderr
    seen = by_library.stderr.splitlines()
    assert seen[-1] == "(True, None)"
    assert {"plugin saw Plan", "plugin saw Departments", "plugin saw Task"} <= set(seen[:-1]), seen
