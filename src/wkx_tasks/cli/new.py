"""`wkx new`: add a measure from options, or by asking for what is missing when run in a terminal."""

import sys
from typing import Annotated, Any

import typer

from wkx_tasks.cli.app import LangOption, RootOpt, app, resolve_run
from wkx_tasks.cli.completion import complete_departments, complete_sections
from wkx_tasks.errors import UsageError
from wkx_tasks.messages import msg


def _ask(text: str, default: str | None = None) -> str:
    value: str = typer.prompt(text, default=default, show_default=bool(default), err=True)
    return value.strip()


def _prompt_missing(tracker: Any, given: dict[str, Any]) -> dict[str, Any]:
    """Ask, on stderr, for each value not given as an option; the choices are shown first."""
    out = dict(given)
    if not out["title"]:
        out["title"] = _ask("工作措施 / title")
    if not out["section"]:
        for i, heading in enumerate(tracker.plan.sections, start=1):
            typer.echo(f"  {i}  {heading}", err=True)
        out["section"] = _ask("部分 / section (number or heading)")
    if not out["lead"] or out["cooperating"] is None:
        codes = "  ".join(f"{d.code} {d.name}" for d in tracker.departments.departments)
        typer.echo(f"  {codes}", err=True)
    if not out["lead"]:
        out["lead"] = [_ask("牵头部门 / lead (codes or names, separated by commas)")]
    if out["cooperating"] is None:
        out["cooperating"] = [_ask("配合部门 / cooperating (codes or names, separated by commas; empty for none)", default="")]
    if not out["due"]:
        out["due"] = _ask("完成时间 / due (2013-12, 2013-12-15 or ongoing)")
    if out["due_text"] is None:
        out["due_text"] = _ask("原定时间节点 / due as the notice words it (empty for none)", default="")
    if out["description"] is None:
        out["description"] = _ask("内容 / description (empty for none)", default="")
    return out


@app.command("new")
def new_cmd(
    ctx: typer.Context,
    title: Annotated[str | None, typer.Option("--title", metavar="TEXT", help="The measure's title (工作措施).", show_default=False)] = None,
    section: Annotated[
        str | None,
        typer.Option(
            "--section", metavar="SECTION", help="The plan's section: its number (1–4) or heading.", show_default=False, autocompletion=complete_sections
        ),
    ] = None,
    lead: Annotated[
        list[str] | None,
        typer.Option(
            "--lead",
            metavar="CODE",
            help="A lead department (牵头部门): code or name; repeat for more.",
            show_default=False,
            autocompletion=complete_departments,
        ),
    ] = None,
    cooperating: Annotated[
        list[str] | None,
        typer.Option(
            "--cooperating",
            metavar="CODE",
            help="A cooperating department (配合部门): code or name; repeat for more.",
            show_default=False,
            autocompletion=complete_departments,
        ),
    ] = None,
    due: Annotated[
        str | None, typer.Option("--due", metavar="DUE", help="Deadline: 2013-12 (a month), 2013-12-15 (a day) or ongoing.", show_default=False)
    ] = None,
    due_text: Annotated[
        str | None, typer.Option("--due-text", metavar="TEXT", help="The deadline as the notice words it, such as 2013年12月.", show_default=False)
    ] = None,
    description: Annotated[str | None, typer.Option("--description", metavar="TEXT", help="The measure's text (内容).", show_default=False)] = None,
    prompt: Annotated[
        bool | None,
        typer.Option("--prompt/--no-prompt", help="Ask for what the options leave out. Default: ask when run in a terminal.", show_default=False),
    ] = None,
    root: RootOpt = None,
    lang: LangOption = None,
) -> None:
    """Add a measure with the next id as data/tasks/NN.yaml, checked before it is written; never overwrites a file."""
    from wkx_tasks import api
    from wkx_tasks.console import print_note
    from wkx_tasks.i18n import label

    run = resolve_run(ctx, root, None, lang)
    tracker = api.open_tracker(run.root)
    given: dict[str, Any] = {
        "title": title,
        "section": section,
        "lead": lead or [],
        "cooperating": cooperating,
        "due": due,
        "due_text": due_text,
        "description": description,
    }
    if prompt if prompt is not None else sys.stdin.isatty():
        given = _prompt_missing(tracker, given)
    missing = [f"--{name.replace('_', '-')}" for name in ("title", "section", "lead", "due") if not given[name]]
    if missing:
        raise UsageError(msg("new.missing", options=", ".join(missing)))
    measure = api.NewMeasure(
        title=given["title"],
        section=given["section"],
        lead=given["lead"],
        due=given["due"],
        cooperating=given["cooperating"] or [],
        description=given["description"] or "",
        due_text=given["due_text"],
    )
    task_id, path = api.new_measure(tracker, measure)
    print_note(label("new_added", run.lang, path=path.relative_to(tracker.root).as_posix(), id=task_id))
