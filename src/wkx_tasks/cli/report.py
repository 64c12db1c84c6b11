"""`wkx report`: the status report for leadership, as Markdown, HTML, Excel or JSON."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from wkx_tasks.cli.app import AsOfOpt, AtOpt, DeptOpt, LangOption, RootOpt, app, finish, open_tracker, resolve_run
from wkx_tasks.errors import UsageError
from wkx_tasks.messages import msg


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    xlsx = "xlsx"
    json = "json"


def _check_output(path: Path) -> Path:
    if path.is_dir():
        raise UsageError(msg("report.out_is_folder", path=str(path), example=str(path / "report")))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(msg("report.no_folder", path=str(path), folder=str(folder)))
    return path


@app.command("report")
def report_cmd(
    ctx: typer.Context,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="md, html, xlsx or json.")] = ReportFormat.md,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the report to FILE (xlsx needs one; - is standard output). Default: standard output.",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE|SPAN",
            help="List the changes since this date (YYYY-MM-DD) or span back from the as-of date (7d, 2w), from git history.",
            show_default=False,
        ),
    ] = None,
    dept: DeptOpt = None,
    root: RootOpt = None,
    as_of: AsOfOpt = None,
    at: AtOpt = None,
    lang: LangOption = None,
) -> None:
    """Status report for leadership: headline, overdue, due soon, stale, sections, departments, changes, timeline."""
    import sys

    from wkx_tasks.files import write_output

    if fmt == ReportFormat.xlsx and output is None:
        raise UsageError(msg("report.xlsx_needs_output"))
    to_stdout = output is None or output == "-"  # `-o -`: standard output, as other tools read it (`-o ./-` is a file)
    if to_stdout and fmt == ReportFormat.xlsx and sys.stdout is not None and sys.stdout.isatty():
        raise UsageError(msg("report.xlsx_to_terminal"))
    target = _check_output(Path(output)) if output is not None and not to_stdout else None
    run = resolve_run(ctx, root, as_of, lang, at)
    tracker, day = open_tracker(run)  # (before importing the API: it starts a cold load's worker first)
    from wkx_tasks import api
    from wkx_tasks.reports import render

    cfg = run.config
    title = cfg.settings["report_title"]
    data = api.report(
        tracker,
        as_of=day,
        now=run.state.now(),
        since=since,
        dept=dept,
        due_soon_days=cfg.due_soon_days,
        stale_days=cfg.stale_update_days,
        title=title.value if title.source not in ("default", "plan.yaml") else None,
        zone=cfg.zone(tracker.plan),
    )
    body = render(data, fmt.value, run.lang, tracker.root)
    if target is not None:
        try:
            write_output(target, body)
        except OSError as exc:
            raise UsageError(msg("report.cannot_write", path=str(target), detail=str(exc.strerror or exc))) from None
        sys.stderr.write(msg("report.wrote", path=output or str(target)).render() + "\n")  # as given: ./- is not -
    elif fmt == ReportFormat.xlsx:
        sys.stdout.flush()
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(body.decode("utf-8"))
        sys.stdout.flush()
    finish(tracker, run.lang)
