"""The CLI reference, docs/cli.md, generated from the app's own help texts.

    python -m wkx_tasks.cli.docs            # write docs/cli.md
    python -m wkx_tasks.cli.docs --check    # exit 1 if docs/cli.md differs from what the app says

Uses Typer's Markdown generator (the one behind `typer … utils docs`) over the Click command the app builds, so
every command, option, default and environment variable in the reference comes from the code. A test runs the
check, so the reference cannot drift from the app.
"""

import argparse
import sys
from pathlib import Path

DEFAULT_OUTPUT = Path("docs/cli.md")
HEADER = (
    "<!-- Generated from the app by `python -m wkx_tasks.cli.docs`: edit the help texts in src/wkx_tasks/cli/, "
    "then run it again. A test fails when this file is stale. -->\n\n"
)


def render() -> str:
    """The reference as Markdown: the app's help, usage and options, then each command's."""
    import typer
    import typer.main
    from typer.cli import get_docs_for_click

    from wkx_tasks.cli import app

    command = typer.main.get_command(app)
    ctx = typer.Context(command, info_name="wkx")
    body = get_docs_for_click(obj=command, ctx=ctx, name="wkx", title="wkx 命令参考 / command reference")
    return HEADER + body.strip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wkx_tasks.cli.docs", description="Generate the CLI reference from the app.")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help=f"file to write or check (default: {DEFAULT_OUTPUT})")
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if the file differs from the generated text")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        try:
            current = args.output.read_text(encoding="utf-8")
        except FileNotFoundError:
            current = None
        if current != text:
            print(f"{args.output} is stale: run `python -m wkx_tasks.cli.docs` and commit it", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    from wkx_tasks.files import atomic_write

    args.output.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(args.output, text.encode("utf-8"))
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
