"""The `wkx` console script: Ctrl-C while Python is still importing wkx's libraries ends it quietly too."""

import sys


def run() -> None:
    """Import the command line (Typer, Pydantic: ~0.1 s) and run it; Ctrl-C meanwhile exits 130 without a traceback."""
    try:
        from wkx_tasks.cli import run as run_cli
    except (KeyboardInterrupt, RuntimeError) as exc:
        # (Python 3.11 wraps a Ctrl-C that lands while a class is being made, in __set_name__, in a RuntimeError.)
        if not _interrupted(exc):
            raise
        if sys.stderr is not None:
            sys.stderr.write("\n")
        raise SystemExit(130) from None
    run_cli()


def _interrupted(exc: BaseException | None) -> bool:
    """Whether exc is, or was caused by, a Ctrl-C."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False
