"""The `wkx` command line: parses arguments, calls the API, prints. Errors become exit codes in cli.app."""

from __future__ import annotations

import sys

# Each module registers its commands on the app when imported.
from wkx_tasks.cli import tasks as _tasks  # noqa: F401
from wkx_tasks.cli.app import State, _quiet_broken_pipe, app

__all__ = ["State", "app", "main"]


def main() -> None:
    """Console-script entry point."""
    import gc

    # One short-lived process: its objects die with it, and the cyclic collector would only rescan (for 10,000
    # measures, hundreds of thousands of) long-lived records again and again. Reference counting still frees the rest.
    gc.disable()
    try:
        app()
    except BrokenPipeError:
        _quiet_broken_pipe()
        sys.exit(0)
