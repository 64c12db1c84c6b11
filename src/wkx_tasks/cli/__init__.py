"""The `wkx` command line: parses arguments, calls the API, prints. Errors become exit codes in cli.app."""

import sys

# Each module registers its commands on the app when imported; `wkx --help` lists them in this order.
# isort: off
from wkx_tasks.cli import tasks as _tasks  # noqa: F401
from wkx_tasks.cli import report as _report  # noqa: F401
from wkx_tasks.cli import history as _history  # noqa: F401
from wkx_tasks.cli import edit as _edit  # noqa: F401
from wkx_tasks.cli import new as _new  # noqa: F401
from wkx_tasks.cli import schema as _schema  # noqa: F401
from wkx_tasks.cli import config as _config  # noqa: F401

# isort: on
from wkx_tasks.cli.app import PROCESS_ENDS, State, _quiet_broken_pipe, app

__all__ = ["State", "app", "main", "run"]


def main() -> None:
    """Console-script entry point (in-process: returns, or raises SystemExit; `run` is the console script)."""
    import gc

    # One short-lived process: its objects die with it, and the cyclic collector would only rescan (for 10,000
    # measures, hundreds of thousands of) long-lived records again and again. Reference counting still frees the rest.
    gc.disable()

    # Pydantic builds wkx's validators without scanning every installed package for its plugins (see there).
    import wkx_tasks

    wkx_tasks.PYDANTIC_PLUGINS = False

    # Started with standard output or error closed (`wkx list >&-`): what would go there goes nowhere, as into
    # /dev/null, instead of failing on a missing stream.
    import os

    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 (lives as long as the process)
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115

    # A terminal or pipe that cannot show Chinese (PYTHONIOENCODING=ascii, a latin-1 locale, a GBK console meeting
    # a rare character) gets escapes for what it cannot show, not a crash.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        app()
    except BrokenPipeError:
        _quiet_broken_pipe()
        sys.exit(0)
    except KeyboardInterrupt:  # Ctrl-C while Typer builds the command tree, before its own handling starts
        sys.stderr.write("\n")
        sys.exit(130)


def run() -> None:
    """The `wkx` console script: main(), then the process ends as soon as its output is out.

    Tearing the interpreter down — freeing every module of Typer, Pydantic and rich one object at a time — takes
    ~30 ms after the command has finished; a command-line process has nothing left to gain from it. The exit
    handlers still run (atexit), the output is flushed, and the exit code is the command's.
    """
    import atexit
    import os

    PROCESS_ENDS[0] = True  # what a command loaded is not freed object by object: it goes with the process
    try:
        main()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:  # sys.exit("text"): Python prints the text and exits 1
            if sys.stderr is not None:
                sys.stderr.write(f"{exc.code}\n")
            code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with that stream closed (`wkx list >&-`): nothing was or could be written
            continue
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader went away, or the stream is closed: nothing to say
            pass
        except OSError:
            code = code or 1
    os._exit(code)
