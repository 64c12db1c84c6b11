"""Rendering a report: Markdown and HTML from Jinja2 templates (sandboxed), JSON directly, Excel in reports.xlsx."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wkx_tasks.errors import WkxError
from wkx_tasks.i18n import Lang, kind_label, label, labels, status_labels, timing_label
from wkx_tasks.messages import msg

from .data import Report
from .svg import sections_svg, timeline_svg
from .text import change_text, md_escape, mermaid_text

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

TEMPLATES = "templates"
TEMPLATE_NAMES = {"md": "report.md.j2", "html": "report.html.j2"}
FORMATS = ("md", "html", "json", "xlsx")


class TemplateError(WkxError):
    """A report template is broken or does something a sandboxed template may not."""


def default_templates() -> Path:
    """The templates shipped with wkx: inside the installed package, else (a source checkout) the repository's templates/."""
    packaged = Path(__file__).resolve().parent.parent / TEMPLATES
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / TEMPLATES


def template_folders(root: Path | None) -> list[Path]:
    """Where templates are looked up, first match wins: the tracker's own templates/, then the defaults."""
    folders = []
    if root is not None and (root / TEMPLATES).is_dir():
        _refuse_links_out(root)
        folders.append(root / TEMPLATES)
    defaults = default_templates()
    if defaults not in folders:
        folders.append(defaults)
    return folders


def _refuse_links_out(root: Path) -> None:
    """The tracker's templates are read like its data: a template (or the folder) linked from outside the tracker is
    refused, so that a pull request cannot make the report print a file from elsewhere on the machine that builds it."""
    from wkx_tasks.files import OutsideTracker, inside

    def check(relpath: Path) -> None:
        try:
            inside(root, relpath)
        except OutsideTracker as exc:
            raise TemplateError(msg("template.outside", path=relpath.as_posix(), reason=exc.msg)) from None

    check(Path(TEMPLATES))  # first the folder, so that a linked one is never walked
    for path in sorted((root / TEMPLATES).rglob("*")):
        check(path.relative_to(root))


def _filters(lang: Lang) -> dict[str, Callable[..., Any]]:
    """Plain-text helpers for templates; the environment escapes what they return."""

    def names(people: list[dict[str, str]]) -> str:
        return label("list_sep", lang).join(p["name"] for p in people)

    def due(m: dict[str, Any]) -> str:
        return str(m["due"] or m["due_text"] or m["deadline"])

    def timing(m: dict[str, Any]) -> str:
        return timing_label(m, lang) or "—"

    def last_update(m: dict[str, Any]) -> str:
        u = m["last_update"]
        if not u:
            return label("never", lang)
        return f"{u['date']} {u['by']}{label('colon', lang)}{u['note']}"

    def pct(value: int | None) -> str:
        return "—" if value is None else f"{value}%"

    def kind(event: dict[str, Any]) -> str:
        return kind_label(str(event["kind"]), lang)

    def reason(changes: dict[str, Any]) -> str:
        return unavailable_reason(changes.get("reason"), changes.get("note"), lang)

    return {"names": names, "due": due, "timing": timing, "last_update": last_update, "pct": pct, "kind": kind, "reason": reason}


def unavailable_reason(reason: str | None, note: str | None, lang: Lang) -> str:
    """Why there are no changes, in the report's language when the reason is a known one."""
    key = f"reason_{reason}"
    return label(key, lang) if reason and key in labels(lang) else (note or "")


def _environment(root: Path | None, fmt: str, lang: Lang) -> SandboxedEnvironment:
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    loader = ChoiceLoader([FileSystemLoader(str(folder), encoding="utf-8") for folder in template_folders(root)])
    if fmt == "html":
        env = SandboxedEnvironment(loader=loader, undefined=StrictUndefined, autoescape=True, keep_trailing_newline=True)
    else:
        # Markdown has no autoescape in Jinja2: every {{ value }} passes md_escape unless the report marked it MdSafe.
        env = SandboxedEnvironment(
            loader=loader, undefined=StrictUndefined, autoescape=False, finalize=md_escape, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True
        )
        env.filters["mermaid"] = mermaid_text
    env.filters.update(_filters(lang))
    return env


def _context(report: Report, lang: Lang, fmt: str) -> dict[str, Any]:
    from markupsafe import Markup

    def t(key: str, **fields: object) -> str:
        return label(key, lang, **fields)

    def changes(items: list[dict[str, Any]]) -> str:
        return change_text(items, lang)

    data = report.as_dict()
    ctx: dict[str, Any] = {
        "report": data,
        "lang": lang,
        "L": labels(lang),
        "S": status_labels(lang),
        "t": t,
        "change_text": changes,
    }
    if fmt == "html":
        ctx["charts"] = {"timeline": Markup(timeline_svg(report, lang)), "sections": Markup(sections_svg(report, lang))}
    return ctx


def _where(exc: BaseException, name: str) -> str:
    """'path/report.md.j2:12: ' — the template line a runtime error came from (Jinja2 puts template lines in the traceback)."""
    place = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            place = f"{filename}:{tb.tb_lineno}: "
        tb = tb.tb_next
    return place or f"{name}: "


def render_template(report: Report, fmt: str, lang: Lang, root: Path | None) -> str:
    """The md or html report from its template (the tracker's own templates/ first, then the shipped one)."""
    from jinja2 import TemplateError as JinjaError
    from jinja2 import TemplateNotFound
    from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError

    env = _environment(root, fmt, lang)
    folders = template_folders(root)
    name = TEMPLATE_NAMES[fmt]
    try:
        template = env.get_template(name)
        text = template.render(_context(report, lang, fmt))
        return text.rstrip("\n") + "\n"
    except TemplateNotFound:
        raise TemplateError(msg("template.missing", name=name, folders=" or ".join(str(f) for f in folders))) from None
    except TemplateSyntaxError as exc:
        raise TemplateError(msg("template.syntax", file=exc.filename or name, line=exc.lineno, detail=str(exc.message))) from None
    except SecurityError as exc:
        raise TemplateError(msg("template.forbidden", where=_where(exc, name), detail=str(exc))) from None
    except UndefinedError as exc:
        raise TemplateError(msg("template.undefined", where=_where(exc, name), detail=str(exc.message))) from None
    except JinjaError as exc:
        raise TemplateError(msg("template.error", where=_where(exc, name), detail=str(exc))) from None


def render_json(report: Report) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"


def render(report: Report, fmt: str, lang: Lang = "zh", root: Path | None = None) -> bytes:
    """The report in one format, as the bytes to write or print."""
    renderers: dict[str, Callable[[], str | bytes]] = {
        "md": lambda: render_template(report, "md", lang, root),
        "html": lambda: render_template(report, "html", lang, root),
        "json": lambda: render_json(report),
    }
    if fmt == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx(report, lang)
    if fmt not in renderers:
        raise WkxError(msg("report.unknown_format", fmt=fmt, formats=", ".join(FORMATS)))
    out = renderers[fmt]()
    return out.encode("utf-8") if isinstance(out, str) else out
