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
from wkx_tasks.cli.app import State, _quiet_broken_pipe, app

__all__ = ["State", "app", "main"]


def main() -> None:
    """Console-script entry point."""
    import gc

    # One short-lived process: its objects die with it, and the cyclic collector would only rescan (for 10,000
    # measures, hundreds of thousands of) long-lived records again and again. Reference counting still frees the rest.
    gc.disable()

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
