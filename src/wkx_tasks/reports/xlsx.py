"""The report as an Excel workbook (openpyxl): sheets to filter, print and forward.

User text is always written as a string cell: a description that begins with =, +, - or @ is stored with the
cell's type set to 's', so no spreadsheet ever evaluates it as a formula.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from wkx_tasks.i18n import Lang, kind_label, label, status_label, timing_label

from .data import Measure, Report
from .text import cell_text, change_text, display_width

if TYPE_CHECKING:
    from collections.abc import Callable

    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Font
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet as _WriteOnlyWorksheet
    from openpyxl.worksheet.dimensions import ColumnDimension, DimensionHolder
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.page import PrintOptions, PrintPageSetup
    from openpyxl.worksheet.properties import WorksheetProperties

    class WriteOnlyWorksheet(_WriteOnlyWorksheet):
        """openpyxl's write-only sheet with the settings it shares with Worksheet, which its stubs leave out."""

        column_dimensions: DimensionHolder[str, ColumnDimension]
        auto_filter: AutoFilter
        page_setup: PrintPageSetup
        print_options: PrintOptions
        sheet_properties: WorksheetProperties
        calculate_dimension: Callable[[], str]


RED = "FFFDE1E1"
AMBER = "FFFFF2CC"
HEADER = "FFDDE4EE"
MAX_WIDTH = 60
_WIDEST = MAX_WIDTH - 2  # a column's width from its texts, before the margin of 2
DATE_FORMAT = "yyyy-mm-dd"
DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm"


def _names(people: list[dict[str, str]], lang: Lang) -> str:
    return label("list_sep", lang).join(p["name"] for p in people)


def put(cell: Cell, value: Any) -> Cell:
    """Fill one cell: text always as a string (never a formula), dates as dates, numbers as numbers, None as empty."""
    if value is None:
        return cell
    if isinstance(value, int | float):  # bool included: a TRUE/FALSE cell
        cell.value = value
    elif isinstance(value, date):  # a datetime included: its time of day shown, its zone dropped
        cell.value = value.replace(tzinfo=None) if isinstance(value, datetime) else value
        cell.number_format = _number_format(value)
    else:
        cell.value = cell_text(value)
        cell.data_type = "s"  # even when the text starts with =, +, - or @
    return cell


def _number_format(value: Any) -> str:
    """The number format put() gives a cell of value: a date, a date and time, else the default ("")."""
    return DATE_TIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT if isinstance(value, date) else ""


def _new_cell(ws: WriteOnlyWorksheet, value: Any) -> Cell:
    from openpyxl.cell import WriteOnlyCell

    return put(WriteOnlyCell(ws), value)


def _start(ws: WriteOnlyWorksheet, widths: dict[str, int], rows: int, cols: int) -> None:
    """Settings a streamed sheet needs before its first row (column widths, extent), and the page setup.

    The sheet's extent is known before its rows are written, so it is declared in the sheet's <dimension> as
    openpyxl's in-memory sheets declare theirs (a streamed sheet would otherwise leave it out).
    """
    from openpyxl.utils import get_column_letter

    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    ref = f"A1:{get_column_letter(max(cols, 1))}{max(rows, 1)}"
    ws.calculate_dimension = lambda: ref
    _page(ws)


class _Sheet:
    """A table on a sheet: header row, rows, then the print and filter settings every table sheet shares.

    Rows are kept as plain values until `finish`, which knows every column's width and writes the sheet as a
    stream of cells (openpyxl's write-only mode): only one row's cells exist at a time, not every cell of the
    workbook until it is saved.
    """

    def __init__(self, ws: WriteOnlyWorksheet, headers: list[str], *, wrap: set[int] | None = None) -> None:
        self.ws = ws
        self.headers = headers
        self.wrap = wrap or set()
        self.widths = [display_width(h) for h in headers]
        self.rows: list[tuple[list[Any], str | None]] = []

    def add(self, values: list[Any], fill: str | None = None) -> None:
        self.rows.append((values, fill))
        widths = self.widths
        for col, value in enumerate(values):
            # (A text's width is at most twice its length: most need not be measured to know they change nothing.)
            if value is None or widths[col] >= _WIDEST:
                continue
            text = value.isoformat() if isinstance(value, date) else str(value)
            if 2 * len(text) <= widths[col]:
                continue
            longest = max((display_width(line) for line in text.splitlines()), default=0)
            if longest > widths[col]:
                widths[col] = min(longest, _WIDEST)

    def finish(self) -> None:
        from copy import copy

        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        ws = self.ws
        ncols = len(self.headers)
        nrows = len(self.rows) + 1
        widths = {get_column_letter(col): min(width + 2, MAX_WIDTH) for col, width in enumerate(self.widths, start=1)}
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(ncols)}{nrows}"
        ws.print_title_rows = "1:1"
        _start(ws, widths, nrows, ncols)

        header = []
        for text in self.headers:
            cell = _new_cell(ws, text)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=HEADER)
            cell.alignment = Alignment(vertical="center", wrap_text=False)
            header.append(cell)
        ws.append(header)

        # Each look (fill, wrap, number format) is registered once through openpyxl's properties; later cells of
        # that look take its style record, since registering new style objects for every cell costs tens of seconds
        # on a big tracker.
        styles: dict[tuple[str | None, bool, str], Any] = {}
        wrap = [col in self.wrap for col in range(1, ncols + 1)]
        rows, self.rows = self.rows, []
        # An empty cell with no fill, on a sheet whose rows are one line high (no wrapped column), looks the same
        # unwritten: the department sheet's grid of roles is mostly such cells, a third of a big workbook's.
        bare = not self.wrap
        for values, fill in rows:
            cells: list[Cell | None] = []
            for col, value in enumerate(values):
                if value is None and bare and not fill:
                    cells.append(None)
                    continue
                cell = _new_cell(ws, value)
                key = (fill, wrap[col], _number_format(value))  # (told from the value, not read back from the cell's style)
                template = styles.get(key)
                if template is None:
                    if fill:
                        cell.fill = PatternFill("solid", fgColor=fill)
                    cell.alignment = Alignment(vertical="top", wrap_text=wrap[col])
                    styles[key] = copy(cell._style)  # type: ignore[attr-defined]
                else:
                    # One record for every cell of a look: a streamed cell is written once and never changed after.
                    cell._style = template  # type: ignore[attr-defined]
                cells.append(cell)
            ws.append(cells)


def _page(ws: WriteOnlyWorksheet) -> None:
    from openpyxl.worksheet.worksheet import Worksheet

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.gridLines = True


def _fill(m: Measure) -> str | None:
    return RED if m.state == "overdue" else AMBER if m.state == "due_soon" else None


def _last(m: Measure, lang: Lang) -> str:
    u = m.last_update
    return f"{u['by']}{label('colon', lang)}{u['note']}" if u else ""


def _overview(ws: WriteOnlyWorksheet, report: Report, lang: Lang) -> None:
    from openpyxl.styles import Font

    grid: dict[int, dict[int, tuple[Any, Font | None, str | None]]] = {}  # row → column → (value, font, format)

    def at(row: int, col: int, value: Any, font: Font | None = None, number_format: str | None = None) -> None:
        grid.setdefault(row, {})[col] = (value, font, number_format)

    h = report.header
    at(1, 1, h.title or f"{h.plan_number} {label('report_title', lang)}", Font(bold=True, size=14))
    commit = h.commit[:12] + (label("paren", lang, n=label("uncommitted", lang)) if h.dirty else "") if h.commit else label("no_commit", lang)
    rows: list[tuple[str, Any]] = [
        (label("plan", lang), f"{h.plan_number} {h.plan_title}"),
        (label("as_of", lang), h.as_of),
        (label("generated", lang), h.generated_at),
        (label("commit", lang), commit),
    ]
    if h.department:
        rows.append((label("department", lang), h.department["name"] + label("paren", lang, n=h.department["code"])))
    rows.append(("", None))
    hl = report.headline
    rows += [(label("total", lang), hl.total)]
    rows += [(status_label(s, lang), n) for s, n in hl.by_status.items()]
    rows += [
        (label("overdue", lang), hl.overdue),
        (label("due_soon", lang, days=hl.due_soon_days), hl.due_soon),
        (label("ongoing", lang), hl.ongoing),
        (label("stale", lang, days=hl.stale_days), hl.stale),
    ]
    r = 2
    for key, value in rows:
        r += 1
        if key:
            at(r, 1, key, Font(bold=True))
            at(r, 2, value)
    r += 2
    at(r, 1, label("sections_section", lang), Font(bold=True, size=12))
    heads = [
        label("section", lang),
        label("total", lang),
        status_label("done", lang),
        label("overdue", lang),
        label("done_pct", lang),
        label("avg_progress", lang),
    ]
    r += 1
    for col, text in enumerate(heads, start=1):
        at(r, col, text, Font(bold=True))
    for s in report.sections:
        r += 1
        for col, value in enumerate([s.section, s.total, s.done, s.overdue, s.done_pct, s.avg_progress], start=1):
            at(r, col, value / 100 if col >= 5 and isinstance(value, int) else value, None, "0%" if col >= 5 else None)
    if report.problems:
        r += 2
        at(r, 1, label("report_problems", lang, n=len(report.problems)), Font(bold=True, color="FFB00020"))
        for p in report.problems:
            r += 1
            at(r, 1, p)
    widths = {"A": 24, "B": min(max(display_width(f"{h.plan_number} {h.plan_title}") + 2, 20), MAX_WIDTH)}
    widths.update(dict.fromkeys("CDEF", 12))
    last_row = max(grid)
    _start(ws, widths, last_row, max(max(cols) for cols in grid.values()))
    for row in range(1, last_row + 1):
        given = grid.get(row, {})
        cells: list[Cell | None] = []
        for col in range(1, max(given, default=0) + 1):
            if col not in given:
                cells.append(None)
                continue
            value, font, number_format = given[col]
            cell = _new_cell(ws, value)
            if font is not None:
                cell.font = font
            if number_format is not None:
                cell.number_format = number_format
            cells.append(cell)
        ws.append(cells)  # a row with no cells is written as an empty <row/>: a streamed sheet numbers rows in turn


def render_xlsx(report: Report, lang: Lang = "zh") -> bytes:
    """The workbook's bytes: sheets 概览, 任务, 部门, 逾期, 变更 (English names with --lang en)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.creator = "wkx"
    wb.properties.title = report.header.title or f"{report.header.plan_number} {label('report_title', lang)}"
    stamp = report.header.generated_at.replace(tzinfo=None)
    wb.properties.created = stamp
    wb.properties.modified = stamp

    _overview(wb.create_sheet(label("sheet_overview", lang)), report, lang)

    def L(key: str) -> str:
        return label(key, lang)

    measures = _Sheet(
        wb.create_sheet(label("sheet_measures", lang)),
        [
            L("id"),
            L("section"),
            L("title"),
            L("description"),
            L("lead"),
            L("cooperating"),
            L("due"),
            L("due_text"),
            L("status"),
            L("timing"),
            L("days_overdue_col"),
            L("days_left_col"),
            L("progress"),
            L("last_update_date"),
            L("last_update"),
            L("days_since_update"),
        ],
        wrap={4, 15},
    )
    for m in report.measures:
        u = m.last_update
        measures.add(
            [
                m.id,
                m.section,
                m.title,
                m.description,
                _names(m.lead, lang),
                _names(m.cooperating, lang),
                m.due if m.due else (m.due_text or m.deadline),
                m.due_text,
                status_label(m.status, lang),
                timing_label({"days_overdue": m.days_overdue, "days_left": m.days_left}, lang),
                m.days_overdue,
                m.days_left,
                m.progress,
                date.fromisoformat(u["date"]) if u else None,
                _last(m, lang),
                m.days_since_update,
            ],
            _fill(m),
        )
    measures.finish()

    ids = [m.id for m in report.measures]
    depts = _Sheet(
        wb.create_sheet(label("sheet_departments", lang)), [L("department"), L("lead_count"), L("cooperating_count"), L("overdue_as_lead"), *map(str, ids)]
    )
    for d in report.departments:
        roles = [L("role_lead") if d.roles.get(i) == "lead" else L("role_cooperating") if d.roles.get(i) else None for i in ids]
        depts.add([d.name, d.lead, d.cooperating, d.overdue_as_lead, *roles])
    depts.finish()

    overdue = _Sheet(
        wb.create_sheet(label("sheet_overdue", lang)),
        [
            L("id"),
            L("title"),
            L("due"),
            L("due_text"),
            L("days_overdue_col"),
            L("lead"),
            L("cooperating"),
            L("status"),
            L("last_update_date"),
            L("last_update"),
        ],
        wrap={10},
    )
    for m in report.overdue:
        u = m.last_update
        overdue.add(
            [
                m.id,
                m.title,
                m.due,
                m.due_text,
                m.days_overdue,
                _names(m.lead, lang),
                _names(m.cooperating, lang),
                status_label(m.status, lang),
                date.fromisoformat(u["date"]) if u else None,
                _last(m, lang),
            ],
            RED,
        )
    overdue.finish()

    c = report.changes
    changes = _Sheet(
        wb.create_sheet(label("sheet_changes", lang)),
        [L("when"), L("author"), L("id"), L("title"), L("kind"), L("deadline_move"), L("reopening"), L("change"), L("history_commit")],
        wrap={8},
    )
    if not c.requested:
        changes.add([L("changes_not_requested")])
    elif not c.available:
        from wkx_tasks.reports.render import unavailable_reason

        changes.add([label("changes_unavailable", lang, reason=unavailable_reason(c.reason, c.note, lang))])
    elif not c.entries:
        changes.add([L("no_changes")])
    for e in c.entries:
        changes.add(
            [
                e.when,
                e.author,
                e.id,
                e.title or e.path,
                kind_label(e.kind, lang),
                L("yes") if e.deadline_move else None,
                L("yes") if e.reopening else None,
                change_text(e.changes, lang),
                e.commit,
            ],
            AMBER if e.deadline_move or e.reopening else None,
        )
    changes.finish()

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
