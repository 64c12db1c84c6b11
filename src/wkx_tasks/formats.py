"""Problems in the forms other tools read: GitHub Actions workflow commands and JSON."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import Problem


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does (`%`, CR and LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (file=…), which must also escape `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repo_prefix(root: Path) -> str:
    """The tracker's folder relative to the repository GitHub checked out, as a path prefix ('' at the top).

    Annotations name files relative to the repository: $GITHUB_WORKSPACE in Actions, else the nearest folder
    upwards holding .git. A tracker outside both keeps its own relative paths.
    """
    root = root.resolve()
    workspace = os.environ.get("GITHUB_WORKSPACE")
    candidates = [Path(workspace).resolve()] if workspace else []
    candidates += [folder for folder in (root, *root.parents) if (folder / ".git").exists()][:1]
    for top in candidates:
        if root == top or root.is_relative_to(top):
            rel = root.relative_to(top).as_posix()
            return "" if rel == "." else rel + "/"
    return ""


def github_annotation(problem: Problem, prefix: str = "") -> str:
    """`::error file=…,line=…,col=…::message`, shown on the line of the pull request's diff."""
    props = [f"file={escape_property(prefix + problem.path)}"]
    if problem.line is not None:
        props.append(f"line={problem.line}")
        if problem.col is not None:
            props.append(f"col={problem.col}")
    return f"::error {','.join(props)}::{escape_data(problem.message)}"


def problems_json(problems: list[Problem]) -> list[dict[str, object]]:
    """Each problem as {path, line, col, message, code}: line and col are null when the fault has no place; message is
    worded in the run's language, code is its stable key in the message catalogue (messages.py)."""
    return [p.as_dict() for p in problems]
