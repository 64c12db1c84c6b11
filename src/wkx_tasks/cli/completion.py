"""Shell completion: the --install-completion/--show-completion options, and what TAB offers for ids, codes and statuses.

Typer's own completion options pick the shell by looking at the parent process, and ignore a shell named on the
command line; these take an optional SHELL (`wkx --show-completion bash`), so a script can be printed in CI, in a
Dockerfile or from an editor's terminal, and detect the shell only when none is named.

The functions that complete values read the tracker (found as every command finds it: --root, $WKX_ROOT, or
upwards from here). Completion runs while a person types, so it never prints an error or a traceback: outside a
tracker, or with broken files, it offers what it can, or nothing.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from typer._completion_classes import completion_init

from wkx_tasks.messages import msg

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")

# Typer registers its completion classes (the `complete_bash` protocol of the scripts it prints) only when it
# adds its own options; wkx adds its own, so it registers them here.
completion_init()

Completions = list[tuple[str, str]]


def _shell(ctx: typer.Context, param: Any, value: str) -> str:
    from typer._completion_shared import _get_shell_name

    name = value.strip().lower() if value else (_get_shell_name() or "")
    if not name:
        raise typer.BadParameter(msg("completion.no_shell", option=param.opts[0], shells=", ".join(SHELLS)).render(), ctx, param)
    if name not in SHELLS:
        raise typer.BadParameter(msg("completion.bad_shell", name=name, shells=", ".join(SHELLS)).render(), ctx, param)
    return name


def _complete_var(ctx: typer.Context) -> tuple[str, str]:
    prog = ctx.find_root().info_name or "wkx"
    return prog, "_{}_COMPLETE".format(prog.replace("-", "_").upper())


def show_completion(ctx: typer.Context, param: Any, value: str | None) -> None:
    """Print the completion script for the named (or detected) shell, and exit."""
    if value is None or ctx.resilient_parsing:
        return
    from typer._completion_shared import get_completion_script

    shell = _shell(ctx, param, value)
    prog, var = _complete_var(ctx)
    typer.echo(get_completion_script(prog_name=prog, complete_var=var, shell=shell))
    raise typer.Exit()


def install_completion(ctx: typer.Context, param: Any, value: str | None) -> None:
    """Install completion for the named (or detected) shell in the user's shell start-up files, and exit."""
    if value is None or ctx.resilient_parsing:
        return
    from typer._completion_shared import install

    shell = _shell(ctx, param, value)
    prog, var = _complete_var(ctx)
    try:
        shell, path = install(shell=shell, prog_name=prog, complete_var=var)
    except (OSError, typer.Exit) as exc:
        typer.echo("wkx: " + msg("completion.not_installed", shell=shell, detail=str(exc)).render(), err=True)
        raise typer.Exit(1) from None
    typer.echo(msg("completion.installed", shell=shell, path=str(path)).render())
    raise typer.Exit()


_SHELL_HELP = "Print the completion script for SHELL (bash, zsh, fish, powershell; default: the current shell), to copy it or customize the installation."
_INSTALL_HELP = "Install completion for SHELL (bash, zsh, fish, powershell; default: the current shell)."


def completion_option(name: str) -> Any:
    """The typer.Option for --show-completion / --install-completion: a flag that takes an optional SHELL."""
    show = name == "--show-completion"
    return typer.Option(
        name,
        metavar="[SHELL]",
        is_eager=True,
        expose_value=False,
        callback=show_completion if show else install_completion,
        help=_SHELL_HELP if show else _INSTALL_HELP,
        show_default=False,
    )


def optional_shell_args(args: list[str]) -> list[str]:
    """Let the completion options stand alone: `--show-completion` with no SHELL after it means 'detect the shell'.

    Typer's options take a value or none, never an optional one; an empty value (`--show-completion=`) asks the
    callback to detect the shell.
    """
    out = list(args)
    for i, arg in enumerate(out):
        if arg == "--":
            break
        if arg in ("--show-completion", "--install-completion") and (i + 1 == len(out) or out[i + 1].startswith("-")):
            out[i] = f"{arg}="
    return out


# --- what TAB offers -----------------------------------------------------------------------------------


def quietly(fn: Callable[[typer.Context, str], Completions]) -> Callable[[typer.Context, str], Completions]:
    """Completion that offers nothing rather than ever printing an error or a traceback."""

    def complete(ctx: typer.Context, incomplete: str) -> Completions:
        try:
            return fn(ctx, incomplete)
        except Exception:
            return []

    complete.__name__ = fn.__name__
    complete.__doc__ = fn.__doc__
    return complete


def _root(ctx: typer.Context) -> Path | None:
    current: Any = ctx
    while current is not None:
        value = current.params.get("root")
        if value:
            return Path(value)
        current = current.parent
    return None


def _tracker(ctx: typer.Context) -> Any:
    from wkx_tasks import api

    return api.open_tracker(_root(ctx))


@quietly
def complete_ids(ctx: typer.Context, incomplete: str) -> Completions:
    """Measure ids, each with its title."""
    tracker = _tracker(ctx)
    return [(str(t.id), t.title) for t in tracker.tasks if str(t.id).startswith(incomplete.lstrip("0") or incomplete)]


@quietly
def complete_departments(ctx: typer.Context, incomplete: str) -> Completions:
    """Department codes, each with its name; names, when what is typed is the start of one (--dept takes both)."""
    tracker = _tracker(ctx)
    departments = tracker.departments.departments
    codes = [(d.code, d.name) for d in departments if d.code.startswith(incomplete)]
    if codes or not incomplete:
        return codes
    return [(d.name, d.code) for d in departments if d.name.startswith(incomplete)]


@quietly
def complete_statuses(ctx: typer.Context, incomplete: str) -> Completions:
    """The five statuses, each with its Chinese label."""
    from wkx_tasks.i18n import status_label
    from wkx_tasks.models import Status

    return [(s.value, status_label(s.value)) for s in Status if s.value.startswith(incomplete)]


@quietly
def complete_sections(ctx: typer.Context, incomplete: str) -> Completions:
    """Section numbers (1, 2, …), each with its heading; headings, when what is typed is the start of one."""
    tracker = _tracker(ctx)
    numbered = [(str(i), heading) for i, heading in enumerate(tracker.plan.sections, start=1)]
    matches = [(n, h) for n, h in numbered if n.startswith(incomplete)]
    if matches or not incomplete:
        return matches
    return [(h, n) for n, h in numbered if h.startswith(incomplete) or h.split("、", 1)[-1].startswith(incomplete)]
