"""Making user text safe for each format: Markdown (GFM), Mermaid, plain cells; and its width on screen."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from wkx_tasks.i18n import Lang, label, status_label

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")
_MERMAID_SWAP = str.maketrans(
    {":": "：", ";": "；", "#": "＃", "%": "％", "<": "＜", ">": "＞", "`": "'", "\n": " ", "\r": " ", "\t": " ", "{": "（", "}": "）"}
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class MdSafe(str):
    """Markdown the report itself wrote (not user text): passes the Markdown escaper unchanged."""

    __slots__ = ()


def md_escape(value: Any) -> str:
    """One piece of inline GFM that shows text as written: no HTML, no emphasis or links, no table break, no line break."""
    if isinstance(value, MdSafe):
        return value
    if value is None:
        return "—"
    text = _CONTROL.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("\n", "<br>")


def mermaid_text(value: Any) -> MdSafe:
    """A task name inside a Mermaid gantt block: no ':' (ends the name), '#', ';', '%%' comments, tags or fences."""
    text = _CONTROL.sub("", str(value)).translate(_MERMAID_SWAP).strip()
    return MdSafe(" ".join(text.split()) or "—")


def cell_text(value: Any) -> str:
    """Text for a spreadsheet cell: control characters that XML cannot hold removed."""
    return _CONTROL.sub("", str(value))


def display_width(text: str) -> int:
    """Columns a text takes on screen or in a spreadsheet: Chinese characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def shorten(text: str, width: int) -> str:
    """text cut to a display width, with an ellipsis when cut."""
    text = " ".join(str(text).split())
    if display_width(text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out += ch
        used += w
    return out + "…"


def _value(field: str, value: Any, lang: Lang) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if field == "status" and isinstance(value, str):
        return status_label(value, lang)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return label("list_sep", lang).join(value)
    if isinstance(value, list | dict):
        return shorten(json.dumps(value, ensure_ascii=False), 60)
    return shorten(str(value), 60)


_FIELD_LABELS = {
    "id": "id",
    "section": "section",
    "title": "title",
    "description": "description",
    "lead": "lead",
    "cooperating": "cooperating",
    "due": "due",
    "due_text": "due_text",
    "original_due": "original_due",
    "status": "status",
    "completed": "completed",
    "verified": "verified",
    "progress": "progress",
    "milestones": "milestones",
    "updates": "updates",
    "urgings": "urgings",
}


def change_text(changes: list[dict[str, Any]], lang: Lang = "zh") -> str:
    """'状态: 未开始 → 进行中; 完成时间: 2013-12 → 2014-06' for the field changes of one event."""
    parts = []
    for c in changes:
        field = str(c.get("field", ""))
        name = label(_FIELD_LABELS[field], lang) if field in _FIELD_LABELS else field
        parts.append(f"{name}: {_value(field, c.get('old'), lang)} → {_value(field, c.get('new'), lang)}")
    return "; ".join(parts)
