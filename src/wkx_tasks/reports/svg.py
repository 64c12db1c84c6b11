"""Charts drawn as inline SVG (no library, nothing loaded from outside): the measures' timeline, states by section."""

from __future__ import annotations

from datetime import date
from html import escape

from wkx_tasks.i18n import Lang, label

from .data import STATES, Measure, Report
from .text import shorten

COLORS = {
    "overdue": "#d9363e",
    "due_soon": "#e8a317",
    "open": "#4a7fc1",
    "ongoing": "#8c9bab",
    "done": "#3a9a5b",
    "cancelled": "#c4c4c4",
}
WIDTH = 900
LABEL_W = 250
ROW_H = 20
TOP = 46
FONT = "font-family=\"'PingFang SC','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC',sans-serif\""


def _months(start: date, end: date) -> list[date]:
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    out.append(date(y, m, 1))
    return out


def timeline_svg(report: Report, lang: Lang) -> str:
    """One row per measure: a bar from the plan's issue to the deadline (ongoing measures: to the chart's end), coloured by state."""
    measures: list[Measure] = report.measures
    months = _months(report.timeline.start, report.timeline.end)
    first, last = months[0], months[-1]
    span = max((last - first).days, 1)
    plot_w = WIDTH - LABEL_W - 10

    def x(d: date) -> float:
        return round(LABEL_W + plot_w * (d - first).days / span, 1)

    height = TOP + ROW_H * len(measures) + 40
    out = [
        f'<svg class="chart timeline" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(label("timeline_section", lang))}" {FONT} font-size="11">'
    ]
    step = 1 if len(months) <= 25 else 3
    for i, month in enumerate(months):
        xm = x(month)
        if i % step == 0:
            out.append(f'<line x1="{xm}" y1="{TOP - 6}" x2="{xm}" y2="{height - 36}" stroke="#e3e3e3"/>')
            if i < len(months) - 1:
                out.append(f'<text x="{xm}" y="{TOP - 10}" text-anchor="middle" fill="#555">{month.month:02d}</text>')
        if (month.month == 1 or i == 0) and i < len(months) - 1:
            out.append(f'<text x="{xm}" y="{TOP - 26}" fill="#222" font-weight="bold">{month.year}</text>')
    start = report.header.issued
    for row, m in enumerate(measures):
        y = TOP + row * ROW_H
        name = escape(shorten(f"{m.id}. {m.title}", 38))
        out.append(f'<text x="{LABEL_W - 6}" y="{y + 14}" text-anchor="end" fill="#222">{name}</text>')
        end = m.due if m.due is not None else report.timeline.end
        x0, x1 = x(min(start, end)), x(end)
        tip = escape(f"{m.id}. {m.title} — {m.due_text or m.deadline} — {label('state_' + m.state, lang)}")
        dash = ' stroke="#6f7d8c" stroke-dasharray="4 2"' if m.state == "ongoing" else ""
        out.append(
            f'<rect class="bar {m.state}" x="{x0}" y="{y + 4}" width="{max(x1 - x0, 2)}" height="{ROW_H - 8}" rx="2" fill="{COLORS[m.state]}"{dash}>'
            f"<title>{tip}</title></rect>"
        )
    xa = x(report.timeline.as_of)
    out.append(f'<line class="as-of" x1="{xa}" y1="{TOP - 4}" x2="{xa}" y2="{height - 36}" stroke="#b00020" stroke-width="1.5" stroke-dasharray="5 3"/>')
    out.append(
        f'<text x="{xa}" y="{height - 24}" text-anchor="middle" fill="#b00020">{escape(label("as_of", lang))} {report.timeline.as_of.isoformat()}</text>'
    )
    out.append(_legend(height - 10, lang))
    out.append("</svg>")
    return "".join(out)


def _legend(y: int, lang: Lang) -> str:
    parts = []
    lx = LABEL_W
    for s in STATES:
        text = label("state_" + s, lang)
        parts.append(f'<rect x="{lx}" y="{y - 9}" width="10" height="10" fill="{COLORS[s]}"/><text x="{lx + 14}" y="{y}" fill="#333">{escape(text)}</text>')
        lx += 30 + 7 * len(text) + (6 * len(text) if lang == "zh" else 0)
    return "".join(parts)


def sections_svg(report: Report, lang: Lang) -> str:
    """A stacked bar per section: how many of its measures are in each state."""
    rows = report.sections
    widest = max((s.total for s in rows), default=1) or 1
    plot_w = WIDTH - LABEL_W - 60
    height = 16 + 28 * len(rows) + 40
    out = [
        f'<svg class="chart sections" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(label("chart_section", lang))}" {FONT} font-size="12">'
    ]
    for i, s in enumerate(rows):
        y = 10 + i * 28
        out.append(f'<text x="{LABEL_W - 6}" y="{y + 15}" text-anchor="end" fill="#222">{escape(shorten(s.section, 36))}</text>')
        x = float(LABEL_W)
        for state in STATES:
            n = s.by_state.get(state, 0)
            if not n:
                continue
            w = round(plot_w * n / widest, 1)
            tip = escape(f"{s.section}: {label('state_' + state, lang)} {n}")
            out.append(f'<rect class="seg {state}" x="{x}" y="{y}" width="{w}" height="20" fill="{COLORS[state]}"><title>{tip}</title></rect>')
            out.append(f'<text x="{round(x + w / 2, 1)}" y="{y + 14}" text-anchor="middle" fill="#fff">{n}</text>')
            x += w
        out.append(f'<text x="{round(x + 6, 1)}" y="{y + 15}" fill="#333">{s.total}</text>')
    out.append(_legend(height - 12, lang))
    out.append("</svg>")
    return "".join(out)
