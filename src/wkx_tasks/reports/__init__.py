"""Status reports for leadership: one data model (data.build_report), rendered as Markdown, HTML, Excel or JSON.

This package is the only user of Jinja2 and openpyxl; both are imported inside the functions that need them.
"""

from __future__ import annotations

from .data import STALE_DAYS, ChangeFeed, Report, build_report, parse_since
from .gitinfo import current_commit, load_changes
from .render import FORMATS, render

__all__ = ["FORMATS", "STALE_DAYS", "ChangeFeed", "Report", "build_report", "current_commit", "load_changes", "parse_since", "render"]
