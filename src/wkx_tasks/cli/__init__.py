"""The `wkx` command line: parses arguments, calls the API, prints. Errors become exit codes in cli.app."""

from __future__ import annotations

import sys

# Each module registers its commands on the app when imported.
from wkx_tasks.cli import tasks as _tasks  # noqa: F401
from wkx_tasks.cli.app import State, _quiet_broken_pipe, app

__all__ = ["State", "app", "main"]


def main() -> None:
    """Console-script entry point."""
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
