"""The `wkx` console script: Ctrl-C while Python is still importing wkx's libraries ends it quietly too."""

import sys


def run() -> None:
    """Import the command line (Typer, Pydantic: ~0.1 s) and run it; Ctrl-C meanwhile exits 130 without a traceback."""
    try:
        from wkx_tasks.cli import run as run_cli
    except KeyboardInterrupt:
        if sys.stderr is not None:
            sys.stderr.write("\n")
        raise SystemExit(130) from None
    run_cli()
