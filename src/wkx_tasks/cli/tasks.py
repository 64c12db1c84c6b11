"""Commands that read the tracker: list, status, show, validate."""

from enum import StrEnum
from typing import Annotated

import typer

from wkx_tasks.cli.app import (
    AsOfOpt,
    AtOpt,
    DeptOpt,
    IdArg,
    LangOption,
    RootOpt,
    ShowFormat,
    StatusOpt,
    TableOrJson,
    TableOrJsonOpt,
    app,
    finish,
    open_tracker,
    resolve_run,
    start_loading,
)
from wkx_tasks.cli.completion import complete_sections, complete_statuses
from wkx_tasks.errors import DataError, ExitCode


@app.command("list")
def list_cmd(
    ctx: typer.Context,
    dept: DeptOpt = None,
    section: Annotated[
        str | None,
        typer.Option(
            "--section", metavar="SECTION", help="Only this section: its number (1–4) or heading.", show_default=False, autocompletion=complete_sections
        ),
    ] = None,
    status: Annotated[
        StatusOpt | None, typer.Option("--status", help="Only measures with this status.", show_default=False, autocompletion=complete_statuses)
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue measures.")] = False,
    fmt: TableOrJsonOpt = TableOrJson.table,
    root: RootOpt = None,
    as_of: AsOfOpt = None,
    at: AtOpt = None,
    lang: LangOption = None,
) -> None:
    """List measures (工作措施), in id order."""
    from wkx_tasks.index import quick_list

    run = resolve_run(ctx, root, as_of, lang, at)
    if fmt == TableOrJson.table:
        quick = quick_list(run, dept=dept, section=section, status=status.value if status else None, overdue=overdue)
        if quick is not None:
            finish(quick, run.lang)
            return
    tracker, day = open_tracker(run)  # (before importing the API: it starts a cold load's worker first)
    from wkx_tasks import api
    from wkx_tasks.console import print_json, task_table
    from wkx_tasks.models import Status
    from wkx_tasks.query import Filters

    if fmt == TableOrJson.table and quick_list(
        run, dept=dept, section=section, status=status.value if status else None, overdue=overdue, loaded=(tracker, day)
    ):
        finish(tracker, run.lang)  # answered from the tables the load just wrote for the next warm run
        return
    filters = Filters(dept=dept, section=section, status=Status(status.value) if status else None, overdue=overdue)
    result = api.list_tasks(tracker, filters, day)
    if fmt == TableOrJson.json:
        print_json(result)
    else:
        task_table(result, run.lang, with_cooperating=True, due_soon_days=run.config.due_soon_days)
    finish(tracker, run.lang)


@app.command("status")
def status_cmd(
    ctx: typer.Context,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue measures (most overdue first).")] = False,
    due_within: Annotated[
        int | None,
        typer.Option(
            "--due-within", min=0, help="Only measures due within DAYS days (also the headline's due-soon window).", metavar="DAYS", show_default=False
        ),
    ] = None,
    due_soon: Annotated[
        bool, typer.Option("--due-soon", help="Only measures due within the due-soon window (due_soon_days in wkx.toml; default 30 days).")
    ] = False,
    dept: DeptOpt = None,
    fmt: TableOrJsonOpt = TableOrJson.table,
    root: RootOpt = None,
    as_of: AsOfOpt = None,
    at: AtOpt = None,
    lang: LangOption = None,
) -> None:
    """Headline counts and the measures that need attention: what is late, who leads it, by how much."""
    run = resolve_run(ctx, root, as_of, lang, at)
    window = run.config.with_option("due_soon_days", due_within, "--due-within").due_soon_days
    within = due_within if due_within is not None else (window if due_soon else None)
    from wkx_tasks.index import quick_status

    if fmt == TableOrJson.table:
        quick = quick_status(run, dept=dept, overdue=overdue, within=within, window=window)
        if quick is not None:
            finish(quick, run.lang)
            return
    tracker, day = open_tracker(run)  # (before importing the API: it starts a cold load's worker first)
    from wkx_tasks import api
    from wkx_tasks.console import headline, print_json, task_table
    from wkx_tasks.query import Filters

    if fmt == TableOrJson.table and quick_status(run, dept=dept, overdue=overdue, within=within, window=window, loaded=(tracker, day)):
        finish(tracker, run.lang)  # answered from the tables the load just wrote for the next warm run
        return
    view = api.status(tracker, Filters(dept=dept, overdue=overdue, due_within=within), day, due_soon_days=window)
    if fmt == TableOrJson.json:
        print_json(view.rows)
    else:
        headline(view.summary, run.lang)
        task_table(view.rows, run.lang, with_cooperating=False, due_soon_days=window)
    finish(tracker, run.lang)


@app.command("show")
def show_cmd(
    ctx: typer.Context,
    task_id: IdArg,
    fmt: Annotated[ShowFormat, typer.Option("--format", help="table, json or yaml.")] = ShowFormat.table,
    root: RootOpt = None,
    as_of: AsOfOpt = None,
    at: AtOpt = None,
    lang: LangOption = None,
) -> None:
    """Show one measure in full."""
    run = resolve_run(ctx, root, as_of, lang, at)
    tracker, day = open_tracker(run)  # (before importing the API: it starts a cold load's worker first)
    from wkx_tasks import api
    from wkx_tasks.console import print_json, print_text, task_detail

    row = api.show(tracker, task_id, day)
    if fmt == ShowFormat.json:
        print_json(row)
    elif fmt == ShowFormat.yaml:
        from wkx_tasks.yamlio import dump_plain

        print_text(dump_plain(row))
    else:
        task_detail(row, run.lang)
    finish(tracker, run.lang)


class ValidateFormat(StrEnum):
    text = "text"
    github = "github"
    json = "json"


@app.command("validate")
def validate_cmd(
    ctx: typer.Context,
    fmt: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            help="text (path:line:col: message), github (::error annotations for GitHub Actions) or json (an array of {path, line, col, message, code}).",
        ),
    ] = ValidateFormat.text,
    root: RootOpt = None,
    lang: LangOption = None,
) -> None:
    """Check every file; list ALL problems as path:line:col: message. Exit 1 when there are any."""
    run = resolve_run(ctx, root, None, lang, check_config=False)
    start_loading(run)
    from wkx_tasks import api
    from wkx_tasks.console import print_error, print_json, print_note, print_text
    from wkx_tasks.i18n import label
    from wkx_tasks.messages import count_msg

    found, result = api.validate_root(run.root)
    summary = count_msg(len(result.problems), "validate.invalid.one", "validate.invalid")
    if fmt == ValidateFormat.text:
        if not result.is_valid:
            raise DataError(result.problems, summary)
        print_note(label("valid", run.lang, n=result.checked))
        return
    if fmt == ValidateFormat.json:
        from wkx_tasks.formats import problems_json

        print_json(problems_json(result.problems))
    else:
        from wkx_tasks.formats import github_annotation, repo_prefix

        prefix = repo_prefix(found)
        for problem in result.problems:
            print_text(github_annotation(problem, prefix))
        if result.is_valid:
            print_note(label("valid", run.lang, n=result.checked))
    if not result.is_valid:
        print_error(summary.render())
        raise typer.Exit(ExitCode.DATA)
