"""The command that writes: update a measure's file in place, optionally committing it."""

from typing import Annotated

import typer

from wkx_tasks.cli.app import IdArg, LangOption, RootOpt, StatusOpt, _parse_date, app, resolve_run


@app.command("update")
def update_cmd(
    ctx: typer.Context,
    task_id: IdArg,
    status: Annotated[
        StatusOpt | None, typer.Option("--status", help="New status. done also sets completed (today unless --completed).", show_default=False)
    ] = None,
    due: Annotated[
        str | None,
        typer.Option(
            "--due", metavar="DUE", help="New deadline: YYYY-MM, YYYY-MM-DD or ongoing. The first deadline is kept as original_due.", show_default=False
        ),
    ] = None,
    completed: Annotated[
        str | None, typer.Option("--completed", metavar="YYYY-MM-DD", help="Completion date for status done. Default: today.", show_default=False)
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="Append a progress note {date: today, by, note} to updates.", show_default=False)
    ] = None,
    by: Annotated[str | None, typer.Option("--by", metavar="NAME", help="Who writes the note. Default: git config user.name.", show_default=False)] = None,
    commit: Annotated[bool, typer.Option("--commit", help="Commit the file (only it) after writing.")] = False,
    message: Annotated[
        str | None, typer.Option("--message", "-m", metavar="MESSAGE", help="Commit message (default: '#ID title: what changed').", show_default=False)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Edit even when the file has uncommitted changes.")] = False,
    root: RootOpt = None,
    lang: LangOption = None,
) -> None:
    """Change a measure's file in place: comments, order and quoting of everything else stay as they are."""
    from wkx_tasks import api
    from wkx_tasks.console import print_note
    from wkx_tasks.edit import UpdateRequest
    from wkx_tasks.i18n import label
    from wkx_tasks.models import Status

    run = resolve_run(ctx, root, None, lang)
    request = UpdateRequest(
        task_id=task_id,
        status=Status(status.value) if status else None,
        due=due,
        completed=_parse_date(completed, "--completed"),
        note=note,
        by=by,
        commit=commit,
        message=message,
        force=force,
    )
    result = api.update(run.root, request=request, now=run.state.now(), settings=run.config)
    if not result.changed:
        print_note(label("update_unchanged", run.lang, path=result.path))
        return
    lines = [f"{result.path}: #{result.task_id} {result.title}: {'; '.join(result.summary) or 'updated'}"]
    lines += [f"  {n}" for n in result.notes]
    if result.commit:
        lines.append(label("update_committed", run.lang, commit=result.commit[:10], message=result.message))
    print_note("\n".join(lines))
