"""Commands that read the git history: history (the audit trail) and blame (who set each field)."""

from typing import Annotated

import typer

from wkx_tasks.cli.app import IdArg, LangOption, RootOpt, TableOrJson, TableOrJsonOpt, _parse_date, app, resolve_run


@app.command("history")
def history_cmd(
    ctx: typer.Context,
    task_id: Annotated[int | None, typer.Argument(metavar="ID", help="Only this measure (its file is followed through renames).", show_default=False)] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="YYYY-MM-DD", help="Only changes on or after this day, in the tracker's time zone.", show_default=False),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", metavar="YYYY-MM-DD", help="Only changes on or before this day, in the tracker's time zone.", show_default=False),
    ] = None,
    author: Annotated[
        str | None, typer.Option("--author", metavar="NAME", help="Only changes by this author (part of the name or e-mail).", show_default=False)
    ] = None,
    field: Annotated[
        str | None, typer.Option("--field", metavar="FIELD", help="Only changes to this field (status, due, lead, milestones, updates, …).", show_default=False)
    ] = None,
    fmt: TableOrJsonOpt = TableOrJson.table,
    root: RootOpt = None,
    lang: LangOption = None,
) -> None:
    """Who changed what, and when: one entry per commit and measure, newest first (延期/提前 and reopenings stand out)."""
    from wkx_tasks import api
    from wkx_tasks.console import history_table, print_json_records

    run = resolve_run(ctx, root, None, lang)
    events = api.history(
        run.root,
        task_id=task_id,
        since=_parse_date(since, "--since"),
        until=_parse_date(until, "--until"),
        author=author,
        field=field,
        settings=run.config,
    )
    if fmt == TableOrJson.json:
        print_json_records([e.as_dict() for e in events])
    else:
        history_table(events, run.lang)


@app.command("blame")
def blame_cmd(
    ctx: typer.Context,
    task_id: IdArg,
    fmt: TableOrJsonOpt = TableOrJson.table,
    root: RootOpt = None,
    lang: LangOption = None,
) -> None:
    """For each field of a measure: the commit, author and date that last set its current value."""
    from wkx_tasks import api
    from wkx_tasks.console import blame_table, print_json

    run = resolve_run(ctx, root, None, lang)
    origins = api.blame(run.root, task_id=task_id, settings=run.config)
    if fmt == TableOrJson.json:
        print_json([o.as_dict() for o in origins])
    else:
        blame_table(origins, run.lang)
