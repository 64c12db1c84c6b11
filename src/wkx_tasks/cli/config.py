"""`wkx config`: the settings in force and where each comes from."""

import typer

from wkx_tasks.cli.app import LangOption, RootOpt, TableOrJson, TableOrJsonOpt, app, resolve_run
from wkx_tasks.config import Source


@app.command("config")
def config_cmd(
    ctx: typer.Context,
    fmt: TableOrJsonOpt = TableOrJson.table,
    root: RootOpt = None,
    lang: LangOption = None,
) -> None:
    """Print each setting in force and where it comes from: default, wkx.toml (with its line), plan.yaml, env or option."""
    from wkx_tasks import api
    from wkx_tasks.console import print_json, print_text

    run = resolve_run(ctx, root, None, lang)
    source = ctx.find_root().get_parameter_source("root")
    root_source: Source = "option" if root is not None or (source and source.name == "COMMANDLINE") else "default"
    if root is None and source and source.name == "ENVIRONMENT":
        root_source = "env"
    settings = api.settings_in_force(run.config, run.root, root_source)
    if fmt == TableOrJson.json:
        print_json([{"name": s.name, "value": s.value, "source": s.source, "where": s.where or None} for s in settings])
        return
    width = max(len(s.name) for s in settings) + 2
    origin_width = max(len(s.origin()) for s in settings) + 2
    for s in settings:
        value = "(none)" if s.value is None else str(s.value)
        print_text(f"{s.name:<{width}}{s.origin():<{origin_width}}{value}")
