"""The Typer app, its global options and the one error boundary; command modules register on `app`."""

import contextlib
import errno
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer._click import exceptions as _click_errors
from typer.core import TyperGroup

from wkx_tasks import __version__
from wkx_tasks.cli import values
from wkx_tasks.cli.completion import complete_departments, complete_ids, completion_option, optional_shell_args
from wkx_tasks.config import Config
from wkx_tasks.errors import DataError, ExitCode, UsageError, WkxError, did_you_mean
from wkx_tasks.i18n import Lang
from wkx_tasks.messages import Msg, count_msg, language, language_asked, language_in_args, msg, set_language


@dataclass
class State:
    """What the global options set, and the clock; tests pass their own State (with a fixed clock) as `obj`."""

    root: Path | None = None
    as_of: str | None = None  # as given; read as a date once the run's language is known (resolve_run)
    at: str | None = None
    lang: Lang | None = None  # None: wkx.toml's, else zh
    debug: bool = False
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))


COMPLETE_VAR = "_WKX_COMPLETE"  # set by the completion scripts Typer prints for `wkx`

# What a command loaded, held until the command line returns (WkxGroup.main lets go of it then), except when the
# process ends right after (cli.run): freeing 10,000 records one object at a time takes ~25 ms for nothing.
KEPT: list[Any] = []
PROCESS_ENDS = [False]


class WkxGroup(TyperGroup):
    """Turns every WkxError into a red sentence and its exit code; anything else into a bug report line."""

    def main(self, args: Any = None, *rest: Any, **options: Any) -> Any:
        try:
            return self._main(args, *rest, **options)
        finally:
            share = sys.modules.get("wkx_tasks.share")
            if share is not None:  # a worker started for a load that did not happen (an error came first)
                share.end_early()
            cache = sys.modules.get("wkx_tasks.cache")
            if cache is not None:  # a record cache still being written: the command ends when it is on disk
                cache.finish_writes()
            if not PROCESS_ENDS[0]:
                KEPT.clear()

    def _main(self, args: Any = None, *rest: Any, **options: Any) -> Any:
        # Messages are Chinese unless --lang en is on the command line, until the run's language is known (resolve_run).
        given = list(args) if args is not None else sys.argv[1:]
        values.install(self)
        with language(language_in_args([str(a) for a in given])):
            if not options.get("standalone_mode", True):
                return super().main(args, *rest, **options)
            # Typer's own handling, but a mistake on the command line is told in the run's language, as one sentence
            # with what to do, like every other error of wkx.
            options["standalone_mode"] = False
            from wkx_tasks.console import print_error

            if COMPLETE_VAR in os.environ:  # a shell asking for completions: never an error or a traceback
                with contextlib.suppress(Exception):
                    super().main(args, *rest, **options)
                sys.exit(0)

            try:
                code = super().main(args, *rest, **options)
            except typer.Abort:  # Ctrl-C or the end of input at a prompt
                sys.stderr.write("\n")
                print_error(msg("cli.aborted").render())
                code = ExitCode.DATA
            except _click_errors.NoArgsIsHelpError as exc:  # `wkx` alone: the help, as Typer shows it
                exc.show()
                code = exc.exit_code
            except _click_errors.ClickException as exc:
                with language(language_asked([str(a) for a in given]) or _tracker_language()), contextlib.suppress(OSError):
                    print_error(usage_message(exc).render())  # (standard error full: the exit code still says it)
                code = exc.exit_code
            except OSError as exc:  # --help or --version into a full disk: written while parsing, before invoke
                refused = _refusal(exc)
                if refused is None:
                    raise
                print_error(refused.render())
                code = ExitCode.DATA
            sys.exit(code if isinstance(code, int) else 0)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        values.install_help(self, ctx)
        return super().parse_args(ctx, optional_shell_args(args))

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None:
            values.install_help(command, ctx)
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except WkxError as exc:
            _fail(ctx, exc)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except KeyboardInterrupt:
            ctx.exit(130)
        except BrokenPipeError:
            _quiet_broken_pipe()
            ctx.exit(0)
        except Exception as exc:
            if _state(ctx).debug:
                raise
            from wkx_tasks.console import print_error

            said = _refusal(exc) or msg("internal_error", kind=type(exc).__name__, detail=str(exc))
            print_error(said.render())
            ctx.exit(ExitCode.DATA)


# What the machine, not wkx, is at fault for when writing the output or a file fails this way.
_SYSTEM_REFUSALS = {getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EIO", "EROFS", "EFBIG", "ENXIO") if hasattr(errno, name)}


def _refusal(exc: BaseException) -> Msg | None:
    """The sentence for an OSError the machine is at fault for (a full disk, say: not a bug in wkx), else None."""
    if isinstance(exc, OSError) and exc.errno in _SYSTEM_REFUSALS:
        return msg("system_refused", detail=exc.strerror or str(exc))
    return None


def _fail(ctx: typer.Context, exc: WkxError) -> NoReturn:
    from wkx_tasks.console import print_error, print_problems

    if _state(ctx).debug:
        raise exc
    if isinstance(exc, DataError):
        print_problems(exc.problems)
    print_error(exc.message)
    ctx.exit(exc.exit_code)


def usage_message(exc: Any) -> Msg:
    """A mistake on the command line (Typer's, in English) as wkx's sentence in the run's language, with what to do."""
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "wkx"
    try:
        said = _said(exc)
    except Exception:  # a shape of Typer's errors not foreseen here: its own words, never a traceback
        said = None
    return msg("cli.usage", said=said if said is not None else msg("cli.usage.other", detail=exc.format_message()), command=where)


def _tracker_language() -> Lang:
    """The language wkx.toml of the tracker here (or $WKX_ROOT) asks for, for a mistake made before it was read."""
    try:
        from wkx_tasks.locate import load_config

        return load_config(None).language
    except Exception:  # no tracker here, or a wkx.toml that cannot be read: the default
        return "zh"


def _param_hint(exc: Any) -> str:
    hint = exc.param_hint if exc.param_hint is not None else (exc.param.get_error_hint() if exc.param is not None else "")
    names = [hint] if isinstance(hint, str) else list(hint)
    # Typer quotes each name ("'--format' / '-f'"): the names alone read better inside a sentence.
    return " / ".join(str(n) for n in names).replace("'", "").replace('"', "")


def _said(exc: Any) -> Msg | None:
    errors = _click_errors
    text = str(getattr(exc, "message", "") or "")
    if isinstance(exc, errors.NoSuchOption):
        ctx = exc.ctx
        commands = getattr(ctx.command, "commands", {}) if ctx is not None else {}
        owners = [name for name, command in commands.items() if any(exc.option_name in p.opts for p in command.params)]
        if owners:  # `wkx --format json list`: an option of the commands, written before the command
            return msg("cli.usage.option_after_command", option=exc.option_name, example=f"wkx {owners[0]} {exc.option_name} …")
        close = exc.possibilities[0] if exc.possibilities else None
        return msg("cli.usage.no_such_option", option=exc.option_name, hint=msg("did_you_mean", word=close) if close else "")
    if isinstance(exc, errors.MissingParameter):
        return msg("cli.usage.missing", name=_param_hint(exc))
    if isinstance(exc, errors.BadParameter):
        return _bad_value(_param_hint(exc), text)
    if text == "Missing command.":
        return msg("cli.usage.missing_command")
    if m := re.fullmatch(r"Option '(.+)' does not take a value\.", text):
        return msg("cli.usage.takes_no_value", option=m.group(1))
    if m := re.fullmatch(r"Option '(.+)' requires an argument\.", text):
        return msg("cli.usage.needs_value", option=m.group(1))
    if m := re.fullmatch(r"No such command '(.+?)'\.(?: Did you mean '(.+?)'\?)?", text):
        return msg("cli.usage.no_such_command", command=m.group(1), hint=msg("did_you_mean", word=m.group(2)) if m.group(2) else "")
    if m := re.fullmatch(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", text):
        return msg("cli.usage.extra", args=m.group(1))
    return None


def _bad_value(option: str, detail: str) -> Msg:
    """Typer's words for a bad option value (from Pydantic, in English) as a catalogue message where they are known."""
    if m := re.fullmatch(r"(?:Value error, )?'(.*)' is not one of (.*)\.", detail, re.S):
        choices = ", ".join(c.strip().strip("'") for c in m.group(2).split(","))
        return msg("cli.usage.not_one_of", option=option, value=m.group(1), choices=choices, hint=did_you_mean(m.group(1), choices.split(", ")))
    if detail.startswith("Input should be a valid integer"):
        return msg("cli.usage.not_integer", option=option)
    if m := re.fullmatch(r"Input should be greater than or equal to (-?\d+)", detail):
        return msg("cli.usage.at_least", option=option, n=int(m.group(1)))
    return msg("cli.usage.bad_value", option=option, detail=detail.removeprefix("Value error, "))


def _quiet_broken_pipe() -> None:
    import os

    # The reader (`wkx list | head`) went away: say nothing more, and keep Python from complaining at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


app = typer.Typer(
    cls=WkxGroup,
    name="wkx",
    help="wkx：政府工作方案任务分解表的跟踪工具（数据为 git 仓库中的 YAML 文件）。\n\nwkx tracks the task breakdown tables of government work plans, kept as YAML files in git.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,  # cli/completion.py adds its own, which take the shell's name
    context_settings={"help_option_names": ["-h", "--help"]},
)


class LangOpt(StrEnum):
    zh = "zh"
    en = "en"


class TableOrJson(StrEnum):
    table = "table"
    json = "json"


class ShowFormat(StrEnum):
    table = "table"
    json = "json"
    yaml = "yaml"


class StatusOpt(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    blocked = "blocked"
    cancelled = "cancelled"


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(msg("cli.bad_date", option=option, value=value)) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wkx {__version__}")
        raise typer.Exit()


_ROOT_HELP = "The tracker's folder (the one holding data/). Default: $WKX_ROOT, else found upwards from here."
# Only the global option reads $WKX_ROOT, so that an explicit --root anywhere on the line wins over it.
GlobalRootOpt = Annotated[Path | None, typer.Option("--root", envvar="WKX_ROOT", metavar="PATH", help=_ROOT_HELP, show_default=False)]
RootOpt = Annotated[Path | None, typer.Option("--root", metavar="PATH", help=_ROOT_HELP, show_default=False)]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="Judge deadlines on this date. Default: today in the tracker's time zone (wkx.toml's timezone, else the plan's).",
        show_default=False,
    ),
]
AtOpt = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="Read the records as committed at this revision (commit id, tag, HEAD~3) or on this day (YYYY-MM-DD: its last commit, in the tracker's time zone), "
        "straight from git; the working tree is not touched.",
        metavar="REV|DATE",
        show_default=False,
    ),
]
TableOrJsonOpt = Annotated[TableOrJson, typer.Option("--format", help="table or json.")]
IdArg = Annotated[int, typer.Argument(metavar="ID", help="The measure's number.", autocompletion=complete_ids)]
DeptOpt = Annotated[
    str | None,
    typer.Option(
        "--dept",
        metavar="CODE",
        help="Only this department's measures: those it leads or cooperates on, directly or through a group (its code or name).",
        show_default=False,
        autocompletion=complete_departments,
    ),
]
LangOption = Annotated[
    LangOpt | None, typer.Option("--lang", help="Language of labels and messages: zh or en. Default: language in wkx.toml, else zh.", show_default=False)
]


@app.callback()
def main_options(
    ctx: typer.Context,
    root: GlobalRootOpt = None,
    as_of: AsOfOpt = None,
    at: AtOpt = None,
    lang: LangOption = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks (for reporting bugs).")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
    install_completion: Annotated[str | None, completion_option("--install-completion")] = None,
    show_completion: Annotated[str | None, completion_option("--show-completion")] = None,
) -> None:
    """wkx：政府工作方案任务分解表的跟踪工具。"""
    state = _state(ctx)
    state.root = root
    if lang is not None:
        state.lang = lang.value
        set_language(lang.value)
    state.as_of = as_of
    state.at = at
    state.debug = debug


@dataclass
class Run:
    """The settings in force for one command: global options, overridden by the command's own."""

    state: State
    root: Path | None
    as_of: date | None
    lang: Lang
    config: Config = field(default_factory=Config.default)
    at: str | None = None


AT_COMMANDS = ("list", "status", "show", "report")


def resolve_run(ctx: typer.Context, root: Path | None, as_of: str | None, lang: LangOpt | None, at: str | None = None, *, check_config: bool = True) -> Run:
    _no_option_taken_as_value(ctx)
    state = _state(ctx)
    config = _config(state, root, lang)
    if state.at is not None and ctx.info_name not in AT_COMMANDS:
        # A global --at that this command would silently ignore: `wkx --at HEAD~3 update …` must not edit today's file.
        hint = msg("cli.at_history_hint") if ctx.info_name == "history" else ""
        raise UsageError(msg("cli.at_ignored", at=state.at, commands=", ".join(AT_COMMANDS), command=ctx.info_name, hint=hint))
    if check_config:
        config.raise_if_broken()
    return Run(
        state=state,
        root=root if root is not None else state.root,
        as_of=_parse_date(as_of if as_of is not None else state.as_of, "--as-of"),
        lang=config.language,
        config=config,
        at=at if at is not None else state.at,
    )


def _no_option_taken_as_value(ctx: typer.Context) -> None:
    """`wkx update 4 --note --commit` gives --note the text '--commit' (the parser takes the next word as the value):
    a value that is the name of one of the command's own options is a slip, not what the user meant."""
    names = {name for param in ctx.command.params for name in (*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ()))}
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if isinstance(value, str) and value in names:
            option = max(getattr(param, "opts", None) or [param.name or ""], key=len)
            raise UsageError(msg("cli.usage.option_as_value", option=option, value=value, command=ctx.command_path))


def _config(state: State, root: Path | None, lang: LangOpt | None) -> Config:
    """The tracker's settings with --lang applied, and messages from now on in their language (zh when wkx.toml is
    broken, unless --lang en); the caller decides whether a broken wkx.toml stops the command (validate reports it)."""
    from wkx_tasks.locate import load_config

    if lang is not None:
        set_language(lang.value)
    config = load_config(root if root is not None else state.root).with_option("language", lang.value if lang is not None else state.lang, "--lang")
    set_language(config.language)
    return config


def start_loading(run: Run) -> None:
    """For a command about to load the working tree's tracker, before it imports the API: a cold load's worker
    gets going while Pydantic and the models are imported and built (share.start_early)."""
    if run.at is None:
        from wkx_tasks import share

        share.start_early(run.root)


def open_tracker(run: Run) -> Any:
    """The tracker (as committed at run.at, if given) and the date its deadlines are judged at."""
    start_loading(run)
    from wkx_tasks import api

    # The record cache may be written in the background; WkxGroup.main waits for it before the command ends.
    tracker = api.open_tracker(run.root, at=run.at, settings=run.config, background=True)
    KEPT.append(tracker)
    if run.at is not None:
        from wkx_tasks.console import print_error_note

        print_error_note(f"wkx: --at {run.at}: {tracker.source}")
    as_of = api.resolve_as_of(tracker, run.as_of, run.state.now(), zone=run.config.zone(tracker.plan))
    return tracker, as_of


def finish(tracker: Any, lang: Lang) -> None:
    """After answering for the healthy files, name the broken ones and exit 1."""
    if tracker.problems:
        from wkx_tasks.console import print_problems
        from wkx_tasks.i18n import label

        print_problems(tracker.problems, heading=label("problems", lang))
        # The problems are printed above, under their heading: a plain WkxError (exit 1) does not print them twice.
        raise WkxError(count_msg(len(tracker.problems), "cli.finish.one", "cli.finish.many"))
