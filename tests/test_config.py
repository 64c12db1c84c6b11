"""wkx.toml and `wkx config`: each setting in force, where it comes from, and errors that name the line."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from wkx_tasks import api
from wkx_tasks.config import Config, resolve


def _toml(root: Path, text: str) -> None:
    (root / "wkx.toml").write_text(text, encoding="utf-8")


def _settings(wkx, *args: str) -> dict[str, dict[str, object]]:
    result = wkx("config", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return {s["name"]: s for s in result.json()}


def test_defaults_and_the_plan(wkx, in_tracker: Path) -> None:
    s = _settings(wkx)
    assert s["timezone"] == {"name": "timezone", "value": "Asia/Shanghai", "source": "plan.yaml", "where": "data/plan.yaml"}
    assert s["report_title"]["value"] is None and s["report_title"]["source"] == "default", "reports then head with the plan number and 工作进展报告"
    assert (s["language"]["value"], s["language"]["source"]) == ("zh", "default")
    assert (s["due_soon_days"]["value"], s["stale_update_days"]["value"]) == (30, 90)
    assert s["root"]["value"] == str(in_tracker.resolve()) and s["root"]["source"] == "default"
    assert s["config_file"]["value"] is None


def test_file_then_env_then_option(wkx, in_tracker: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _toml(in_tracker, '# 本跟踪库的设置\ntimezone = "Asia/Tokyo"\nlanguage = "en"\ndue_soon_days = 45\nstale_update_days = 60\nreport_title = "周报"\n')
    s = _settings(wkx)
    assert s["timezone"] == {"name": "timezone", "value": "Asia/Tokyo", "source": "wkx.toml", "where": "wkx.toml:2"}
    assert (s["language"]["value"], s["language"]["where"]) == ("en", "wkx.toml:3")
    assert (s["due_soon_days"]["value"], s["stale_update_days"]["value"], s["report_title"]["value"]) == (45, 60, "周报")
    monkeypatch.setenv("WKX_LANGUAGE", "zh")
    monkeypatch.setenv("WKX_DUE_SOON_DAYS", "10")
    s = _settings(wkx)
    assert (s["language"]["value"], s["language"]["source"], s["language"]["where"]) == ("zh", "env", "WKX_LANGUAGE")
    assert (s["due_soon_days"]["value"], s["due_soon_days"]["source"]) == (10, "env")
    s = _settings(wkx, "--lang", "en")
    assert (s["language"]["value"], s["language"]["source"], s["language"]["where"]) == ("en", "option", "--lang")
    assert _settings(wkx, "--root", str(in_tracker))["root"]["source"] == "option"


def test_root_from_the_environment(wkx, tracker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WKX_ROOT", str(tracker))
    monkeypatch.chdir(tmp_path)
    s = _settings(wkx)
    assert (s["root"]["value"], s["root"]["source"], s["root"]["where"]) == (str(tracker.resolve()), "env", "$WKX_ROOT")


def test_table_names_each_origin(wkx, in_tracker: Path) -> None:
    _toml(in_tracker, "due_soon_days = 14\n")
    lines = wkx("config").stdout.splitlines()
    assert any(line.split() == ["due_soon_days", "wkx.toml", "(wkx.toml:1)", "14"] for line in lines), lines
    assert any(line.split()[:3] == ["timezone", "plan.yaml", "(data/plan.yaml)"] for line in lines)
    assert any(line.split() == ["stale_update_days", "default", "90"] for line in lines)


def test_outside_a_tracker_shows_defaults(wkx, tmp_path: Path) -> None:
    result = wkx("config", cwd=tmp_path)
    assert result.exit_code == 0
    assert "no tracker here or above" in result.stdout and "due_soon_days" in result.stdout


def test_timezone_overrides_the_plans(wkx, in_tracker: Path) -> None:
    # 15:30 UTC on 1 January 2014 is still the 1st in Beijing but already the 2nd in Tokyo.
    now = datetime(2014, 1, 1, 15, 30, tzinfo=UTC)

    def days_overdue() -> int:
        rows = wkx("status", "--overdue", "--format", "json", now=now).json()
        return next(r["days_overdue"] for r in rows if r["id"] == 1)

    assert days_overdue() == 1
    _toml(in_tracker, 'timezone = "Asia/Tokyo"\n')
    assert days_overdue() == 2
    tracker = api.open_tracker(in_tracker)
    assert str(api.load_config(in_tracker).zone(tracker.plan)) == "Asia/Tokyo"


def test_language_from_the_file(wkx, in_tracker: Path) -> None:
    _toml(in_tracker, 'language = "en"\n')
    assert wkx("validate").stdout.startswith("All 18 measures")
    assert "全部" in wkx("validate", "--lang", "zh").stdout


def test_due_soon_window(wkx, in_tracker: Path) -> None:
    # On 2013-11-15 measures 1, 10 and 11 (due 2013-12) have 46 days left.
    out = wkx("status", "--as-of", "2013-11-15").stdout
    assert "30 天内到期 0" in out
    _toml(in_tracker, "due_soon_days = 50\n")
    assert "50 天内到期 3" in wkx("status", "--as-of", "2013-11-15").stdout
    soon = wkx("status", "--due-soon", "--as-of", "2013-11-15", "--format", "json").json()
    assert [r["id"] for r in soon] == [1, 10, 11]
    out = wkx("status", "--due-within", "40", "--as-of", "2013-11-15").stdout
    assert "40 天内到期 0" in out and "没有符合条件的工作措施" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('timezone = "Asia/Shanghai"\ndue_soon = 45\n', "wkx.toml:2:1: unknown key 'due_soon' (did you mean 'due_soon_days'?); the keys wkx.toml may set are:"),
        ('timezone = "Asia/Beijing"\n', "wkx.toml:1:12: timezone: unknown time zone 'Asia/Beijing'; use an IANA name"),
        ('\nlanguage = "fr"\n', 'wkx.toml:2:12: language: \'fr\' is not a language wkx speaks; write "zh" or "en"'),
        ('due_soon_days = "30"\n', "wkx.toml:1:17: due_soon_days: should be a whole number of days, such as 30, without quotes"),
        ("stale_update_days = 0\n", "wkx.toml:1:21: stale_update_days: should be between 1 and 3650 days (got 0)"),
        ("[report]\ntitle = 'x'\n", "wkx.toml:1:1: unknown key 'report' (did you mean 'report_title'?)"),
        ("timezone = Asia/Shanghai\n", "wkx.toml:1:12: TOML syntax error"),
    ],
)
def test_errors_name_the_line(wkx, in_tracker: Path, text: str, expected: str) -> None:
    _toml(in_tracker, text)
    for command in (["status"], ["config"], ["validate"]):
        result = wkx(*command, "--lang", "en")
        assert result.exit_code == 1, (command, result.stdout)
        assert expected in result.stderr, (command, result.stderr)
        assert "Traceback" not in result.stderr


def test_validate_reports_config_problems_in_every_format(wkx, in_tracker: Path) -> None:
    _toml(in_tracker, "due_soon = 45\n")
    rows = wkx("validate", "--format", "json").json()
    assert [(r["path"], r["line"], r["col"], r["code"]) for r in rows] == [("wkx.toml", 1, 1, "config.unknown_key")]
    assert wkx("validate", "--format", "github").stdout.startswith("::error file=wkx.toml,line=1,col=1::未知的键 'due_soon'")
    assert wkx("validate", "--format", "github", "--lang", "en").stdout.startswith("::error file=wkx.toml,line=1,col=1::unknown key 'due_soon'")


def test_bad_environment_variable_is_a_usage_error(wkx, in_tracker: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WKX_DUE_SOON_DAYS", "soon")
    result = wkx("status", "--lang", "en")
    assert result.exit_code == 2 and "$WKX_DUE_SOON_DAYS: should be a whole number of days" in result.stderr
    result = wkx("status")
    assert result.exit_code == 2 and "环境变量 $WKX_DUE_SOON_DAYS：应为整数天数" in result.stderr


def test_resolve_without_a_tracker_uses_defaults_and_env() -> None:
    config = resolve(None, env={"WKX_TIMEZONE": "Europe/Paris"})
    assert config["timezone"] == "Europe/Paris" and config.settings["timezone"].source == "env"
    assert config.due_soon_days == 30 and config.language == "zh" and config.file is None and not config.problems


def test_default_config() -> None:
    config = Config.default()
    assert (config.language, config.due_soon_days, config.stale_update_days, config["timezone"]) == ("zh", 30, 90, None)
    assert {s.source for s in config.settings.values()} == {"default"}


def test_a_wkx_toml_that_is_not_a_file_wkx_reads_is_named(wkx, in_tracker: Path, tmp_path: Path) -> None:
    (in_tracker / "wkx.toml").mkdir()
    folder = wkx("validate", "--lang", "en")
    assert folder.exit_code == 1
    assert folder.stderr.startswith("wkx.toml: is not a regular file (a folder, a named pipe, a device); make it a text file or remove it\n")
    (in_tracker / "wkx.toml").rmdir()
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text('language = "en"\n', encoding="utf-8")
    (in_tracker / "wkx.toml").symlink_to(elsewhere)
    linked = wkx("list", "--lang", "en")
    assert linked.exit_code == 1 and linked.stdout == ""
    assert linked.stderr.startswith("wkx.toml: leads outside the tracker through a symbolic link")
