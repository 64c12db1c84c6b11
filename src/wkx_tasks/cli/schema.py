"""`wkx schema`: write the JSON Schemas that editors and CI check the data files against."""

from pathlib import Path
from typing import Annotated

import typer

from wkx_tasks.cli.app import RootOpt, app, resolve_run


@app.command("schema")
def schema_cmd(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Folder to write the schemas into. Default: the tracker's schema/ folder.", metavar="DIR", show_default=False),
    ] = None,
    root: RootOpt = None,
) -> None:
    """Write JSON Schemas (task, departments, plan) with the tracker's department codes, sections and statuses."""
    from wkx_tasks import api
    from wkx_tasks.console import print_note

    if out is not None and str(out) == "-":  # three files: standard output cannot take them (report -o - can)
        from wkx_tasks.errors import UsageError
        from wkx_tasks.messages import msg

        raise UsageError(msg("schema.no_stdout"))
    run = resolve_run(ctx, root, None, None)
    tracker = api.open_tracker(run.root)
    for path in api.write_schemas(tracker, out):
        print_note(str(path))
