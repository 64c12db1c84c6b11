"""Finding a tracker's root and its settings — without loading the record models, so that fast paths stay fast."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UsageError
from .messages import msg

if TYPE_CHECKING:
    from .config import Config

DATA = "data"
PLAN_FILE = "data/plan.yaml"
DEPARTMENTS_FILE = "data/departments.yaml"
TASKS_DIR = "data/tasks"


def find_root(start: Path | None = None, explicit: Path | None = None) -> Path:
    """The tracker's root: the explicit one (--root / WKX_ROOT), else the nearest folder up holding data/departments.yaml
    or data/plan.yaml."""

    # A tracker is a folder whose data/ holds the department list or the plan: with one of them missing or
    # broken, the loader names it (exit 1) instead of saying there is no tracker at all.
    def is_tracker(folder: Path) -> bool:
        return any(os.path.lexists(folder / name) for name in (DEPARTMENTS_FILE, PLAN_FILE))

    if explicit is not None:
        root = explicit.expanduser()
        if not is_tracker(root):
            raise UsageError(msg("locate.not_tracker", root=str(root), file=DEPARTMENTS_FILE))
        return root.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_tracker(folder):
            return folder
    raise UsageError(msg("locate.no_tracker", here=str(here), file=DEPARTMENTS_FILE))


def load_config(root: Path | None = None, *, start: Path | None = None) -> Config:
    """The settings for the tracker at root (or found from start / here); defaults and environment outside one.

    An explicit root that is not a tracker is a usage error; problems in wkx.toml are collected in the config.
    """
    from . import config

    try:
        found: Path | None = find_root(start=start, explicit=root)
    except UsageError:
        if root is not None:
            raise
        found = None
    return config.resolve(found)
