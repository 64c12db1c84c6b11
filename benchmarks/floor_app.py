"""The floor of this stack: a minimal Typer app on the same interpreter whose one command prints a line."""

import typer

app = typer.Typer()


@app.command()
def hello() -> None:
    print("hello")


if __name__ == "__main__":
    app()
