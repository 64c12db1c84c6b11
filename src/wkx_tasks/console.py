"""Terminal output with rich: aligned tables (Chinese counts double width), colour only on a terminal."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .errors import Problem
from .i18n import Lang, label, status_label, timing_label

if TYPE_CHECKING:
    from rich.console import Console

    from .views import Summary


PIPED_WIDTH = 200


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    # Markup and highlighting off: user text such as '[重要]' must print as written.
    return Console(stderr=stderr, highlight=False, markup=False, emoji=False)


def _emit(renderable: Any) -> None:
    """Print to a terminal as rich would; into a pipe or file, wide enough not to crop and without trailing blanks."""
    import os

    from rich.console import Console

    console = _console()
    if console.is_terminal:
        console.print(renderable)
        return
    columns = os.environ.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() and int(columns) > 0 else PIPED_WIDTH
    plain = Console(width=width, color_system=None, highlight=False, markup=False, emoji=False, force_terminal=False)
    with plain.capture() as captured:
        plain.print(renderable)
    sys.stdout.write("\n".join(line.rstrip() for line in captured.get().splitlines()) + "\n")


def _is_terminal() -> bool:
    """Whether stdout takes colour and cursor codes, decided as rich's Console decides it."""
    import os

    tty_compatible = os.environ.get("TTY_COMPATIBLE", "")
    if tty_compatible in ("0", "1"):
        return tty_compatible == "1"
    force_color = os.environ.get("FORCE_COLOR")
    if force_color is not None:
        return force_color != ""
    try:
        return sys.stdout.isatty()
    except (ValueError, AttributeError):
        return False


def _piped_width() -> int:
    import os

    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else PIPED_WIDTH


def _width() -> int:
    """The width _emit will print at."""
    if _is_terminal():
        return _console().width
    return _piped_width()


# Text made only of printable ASCII and the middle dot of the headlines (one cell each) and of CJK ideographs, CJK
# punctuation and full-width forms (two cells each, as rich counts them — tests/test_perf_paths.py checks every
# one) is measured without rich, whose width tables take ~18 ms to import and load (measured on its own).
_SIMPLE = re.compile(r"[\x20-\x7e\u00b7\u3001-\u3011\u4e00-\u9fff\uff01-\uff5e]*")


def plain_width(text: str) -> int | None:
    """How many terminal cells text takes when wkx measures it by itself (printable text of the characters above,
    as rich would count them), else None: rich must measure it."""
    return plain_widths([text])[0]


def plain_widths(texts: list[str]) -> list[int | None]:
    """plain_width of each text (for thousands of titles at once)."""
    simple = _SIMPLE.fullmatch
    # In UTF-8 every wide character allowed here takes 3 bytes, the middle dot 2, the rest 1: count from the length.
    return [len(t) + (len(t.encode()) - len(t) - t.count("\u00b7")) // 2 if simple(t) is not None else None for t in texts]


def cell_width(text: str) -> int:
    """How many terminal cells text takes, as rich measures it (Chinese characters take two)."""
    width = plain_width(text)
    if width is not None:
        return width
    from rich.cells import cell_len

    return cell_len(text)


def _emit_plain(lines: list[str], *, measured: bool = False) -> bool:
    """Into a pipe or file, write lines that need no wrapping straight out — the bytes rich would write — and say so.

    Returns False (writing nothing) on a terminal, or when a line is too wide or holds characters rich treats
    specially; the caller then renders with rich. Keeps a big `wkx status | ...` from spending seconds in rich.
    """
    if _is_terminal():
        return False
    if not measured:
        width = _piped_width()
        for line in lines:
            if not line.isprintable() or cell_width(line) > width:
                return False
    # Measured lines (the grid's) end in a border, never in blanks.
    sys.stdout.write("\n".join(lines) + "\n" if measured else "".join(line.rstrip() + "\n" for line in lines))
    return True


def _grid(headers: list[str], columns: list[list[str]], lengths: list[list[int] | None], right: set[int], min_widths: dict[int, int]) -> list[str] | None:
    """The lines of rich's default table (box HEAVY_HEAD, padding 1) for one-line cells at their natural widths.

    Column by column: the cells of column i are columns[i], lengths[i] their widths in cells when already known
    (-1 for a text that is not plain one-line text), else None: then each distinct text is measured and padded
    once. None when a cell is not plain one-line text or the table is wider than the output: rich then folds cells.
    """
    cell_len = cell_width
    widths: list[int] = []
    distinct: list[dict[str, int] | None] = []
    for i, cells in enumerate(columns):
        known = lengths[i]
        widest = max(cell_len(headers[i]), min_widths.get(i, 0))
        if known is None:
            measured: dict[str, int] = {}  # names, dates and labels repeat across rows: measure each text once
            for cell in set(cells):
                if not cell.isprintable():
                    return None
                measured[cell] = len(cell) if cell.isascii() else cell_len(cell)
            widths.append(max(max(measured.values(), default=0), widest))
            distinct.append(measured)
        else:
            if known and min(known) < 0:
                return None
            widths.append(max(max(known, default=0), widest))
            distinct.append(None)
    if sum(widths) + 3 * len(widths) + 1 > _piped_width():
        return None
    padded = []
    for i, (cells, known, sizes, width) in enumerate(zip(columns, lengths, distinct, widths, strict=True)):
        at_right = i in right
        if sizes is not None:
            pad = {c: " " * (width - n) + c if at_right else c + " " * (width - n) for c, n in sizes.items()}
            padded.append([pad[c] for c in cells])
        elif at_right:
            padded.append([" " * (width - n) + cell for cell, n in zip(cells, known or (), strict=True)])
        else:
            padded.append([cell + " " * (width - n) for cell, n in zip(cells, known or (), strict=True)])
    head = [" " * (w - cell_len(h)) + h if i in right else h + " " * (w - cell_len(h)) for i, (h, w) in enumerate(zip(headers, widths, strict=True))]
    out = ["┏" + "┳".join("━" * (w + 2) for w in widths) + "┓"]
    out.append("┃ " + " ┃ ".join(head) + " ┃")
    out.append("┡" + "╇".join("━" * (w + 2) for w in widths) + "┩")
    out += ["│ " + " │ ".join(parts) + " │" for parts in zip(*padded, strict=True)]
    out.append("└" + "┴".join("─" * (w + 2) for w in widths) + "┘")
    return out


def print_json(data: Any) -> None:
    """JSON on stdout, Chinese kept as characters (no \\u escapes)."""
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def print_json_records(records: list[Any]) -> None:
    """A JSON array with one record per line: as valid as print_json, far faster to write for thousands of records."""
    import json

    if not records:
        sys.stdout.write("[]\n")
        return
    sys.stdout.write("[\n  " + ",\n  ".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n")


def print_text(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def print_problems(problems: Iterable[Problem], heading: str | None = None) -> None:
    console = _console(stderr=True)
    if heading:
        console.print(heading, style="bold red")
    for p in problems:
        console.print(str(p), style="red", soft_wrap=True)


def print_error(message: str) -> None:
    _console(stderr=True).print(f"wkx: {message}", style="red", soft_wrap=True)


def print_error_note(message: str) -> None:
    """A line for the reader on stderr, so that stdout stays pure data (JSON)."""
    _console(stderr=True).print(message, style="dim", soft_wrap=True)


def print_note(message: str) -> None:
    _emit(message)


def _names(people: list[dict[str, str]], lang: Lang) -> str:
    return label("list_sep", lang).join(p["name"] for p in people)


def _row_style(row: dict[str, Any], due_soon_days: int = 30) -> str | None:
    if row.get("overdue"):
        return "red"
    if isinstance(row.get("days_left"), int) and row["days_left"] <= due_soon_days:
        return "yellow"
    return None


def _due_cell(row: dict[str, Any], lang: Lang) -> str:
    if row["deadline"] == "ongoing":
        return label("ongoing", lang)
    return str(row["deadline"])


Timing = tuple[int | None, int | None]  # (days overdue, days left) of a row, as the JSON contract has them


class TaskCells:
    """The cells of the status and list tables, given column by column: each distinct list of department names,
    deadline, timing and status is worded once, so that thousands of rows cost little more than their titles."""

    def __init__(self, lang: Lang, *, with_cooperating: bool, due_soon_days: int = 30) -> None:
        self.lang = lang
        self.with_cooperating = with_cooperating
        self.due_soon_days = due_soon_days

    def fill(
        self,
        ids: list[int],
        titles: list[str],
        leads: list[tuple[str, ...]],
        cooperating: list[tuple[str, ...]] | None,
        deadlines: list[str],
        statuses: list[str],
        timings: list[Timing],
        title_widths: list[int] | None = None,
    ) -> None:
        """The rows, one list per column: department names as tuples; title_widths the titles' widths in cells
        when known (-1: not plain one-line text), else None to measure them when printed."""
        lang = self.lang
        sep = label("list_sep", lang)
        self.ids = [str(i) for i in ids]
        self.titles = titles
        self.title_widths = title_widths
        self.leads = _worded(leads, sep.join)
        self.coops = _worded(cooperating, sep.join) if self.with_cooperating and cooperating is not None else None
        ongoing = label("ongoing", lang)
        self.dues = _worded(deadlines, lambda d: ongoing if d == "ongoing" else d)
        self.statuses = _worded(statuses, lambda s: status_label(s, lang))

        def timing(when: Timing) -> tuple[str, str | None]:
            row: dict[str, Any] = {"days_overdue": when[0], "days_left": when[1], "overdue": when[0] is not None}
            return timing_label(row, lang), _row_style(row, self.due_soon_days)

        worded = {when: timing(when) for when in set(timings)}
        self.timings = [worded[when][0] for when in timings]
        self.styles = [worded[when][1] for when in timings]

    def print(self) -> None:
        lang = self.lang
        if not self.ids:
            _emit(label("no_rows", lang))
            return
        headers = [label("id", lang), label("title", lang), label("lead", lang)]
        columns = [self.ids, self.titles, self.leads]
        if self.coops is not None:
            headers.append(label("cooperating", lang))
            columns.append(self.coops)
        headers += [label("due", lang), label("timing", lang), label("status", lang)]
        columns += [self.dues, self.timings, self.statuses]
        if not _is_terminal():
            lengths: list[list[int] | None] = [[len(i) for i in self.ids], self.title_widths, *([None] * (len(columns) - 2))]
            grid = _grid(headers, columns, lengths, right={0}, min_widths={1: 12})
            if grid is not None and _emit_plain(grid, measured=True):
                return
        from rich.table import Table
        from rich.text import Text

        table = Table(show_lines=False, expand=False)
        table.add_column(label("id", lang), justify="right", no_wrap=True)
        table.add_column(label("title", lang), overflow="fold", min_width=12)
        table.add_column(label("lead", lang), overflow="fold")
        if self.coops is not None:
            table.add_column(label("cooperating", lang), overflow="fold")
        table.add_column(label("due", lang), no_wrap=True)
        table.add_column(label("timing", lang), no_wrap=True)
        table.add_column(label("status", lang), no_wrap=True)
        for cells, style in zip(zip(*columns, strict=True), self.styles, strict=True):
            table.add_row(*(Text(c) for c in cells), style=style)
        _emit(table)


def _worded(values: list[Any], word: Any) -> list[str]:
    """values mapped through word, each distinct value worded once."""
    words = {v: word(v) for v in set(values)}
    return [words[v] for v in values]


def task_table(rows: list[dict[str, Any]], lang: Lang, *, with_cooperating: bool, due_soon_days: int = 30) -> None:
    """The status/list table of measures given as rows of the JSON contract."""
    cells = TaskCells(lang, with_cooperating=with_cooperating, due_soon_days=due_soon_days)
    cells.fill(
        [r["id"] for r in rows],
        [r["title"] for r in rows],
        [tuple(p["name"] for p in r["lead"]) for r in rows],
        [tuple(p["name"] for p in r.get("cooperating", ())) for r in rows] if with_cooperating else None,
        [str(r["deadline"]) for r in rows],
        [r["status"] for r in rows],
        [(r.get("days_overdue"), r.get("days_left")) for r in rows],
    )
    cells.print()


def headline(summary: Summary, lang: Lang) -> None:
    statuses = " · ".join(f"{status_label(s, lang)} {n}" for s, n in summary.by_status.items())
    first = f"{label('as_of', lang)} {summary.as_of.isoformat()}  {label('total', lang)} {summary.total}: {statuses}"
    if not _emit_plain([first]):
        _emit(first)
    parts = [
        (f"{label('overdue', lang)} {summary.overdue}", "bold red" if summary.overdue else None),
        (f"{label('due_soon', lang, days=summary.due_soon_days)} {summary.due_soon}", "yellow" if summary.due_soon else None),
        (f"{label('ongoing', lang)} {summary.ongoing}", None),
    ]
    if _emit_plain([" · ".join(part for part, _ in parts)]):
        return
    from rich.text import Text

    text = Text()
    for i, (part, style) in enumerate(parts):
        if i:
            text.append(" · ")
        text.append(part, style=style)
    _emit(text)


def task_detail(row: dict[str, Any], lang: Lang) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    due = _due_cell(row, lang)
    if row.get("due_text"):
        due += f"（{row['due_text']}）"
    when = timing_label(row, lang)
    fields: list[tuple[str, str]] = [
        (label("id", lang), str(row["id"])),
        (label("section", lang), row["section"]),
        (label("title", lang), row["title"]),
        (label("description", lang), row["description"]),
        (label("lead", lang), _names(row["lead"], lang)),
        (label("cooperating", lang), _names(row["cooperating"], lang) or "—"),
        (label("due", lang), due + (f"  {when}" if when else "")),
        (label("status", lang), status_label(row["status"], lang)),
    ]
    if row.get("original_due"):
        fields.append((label("original_due", lang), row["original_due"]))
    if row.get("completed"):
        fields.append((label("completed", lang), row["completed"]))
    if row.get("verified"):
        v = row["verified"]
        fields.append((label("verified", lang), f"{v['date']} {v['by']} {v.get('note', '')}".strip()))
    if row.get("progress") is not None:
        fields.append((label("progress", lang), f"{row['progress']}%"))
    for m in row.get("milestones", []):
        fields.append((label("milestones", lang), f"{m['due']} {m['title']} [{status_label(m['status'], lang)}]"))
    for u in row.get("updates", []):
        fields.append((label("updates", lang), f"{u['date']} {u['by']}: {u['note']}"))
    for u in row.get("urgings", []):
        fields.append((label("urgings", lang), f"{u['date']} {u['by']}: {u.get('note', '')}"))
    if row.get("file"):
        fields.append((label("file", lang), row["file"]))
    for key, value in fields:
        table.add_row(Text(key), Text(value), style="red" if row.get("overdue") and key == label("due", lang) else None)
    _emit(table)


def _value_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return "[" + ", ".join(_value_text(v) for v in value) + "]"
    if isinstance(value, dict):
        if {"date", "by"} <= set(value):
            return f"{value['date']} {value['by']}: {value.get('note', '')}".rstrip(": ")
        return "{" + ", ".join(f"{k}: {_value_text(v)}" for k, v in value.items()) + "}"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def history_table(events: list[Any], lang: Lang) -> None:
    """One row per event, newest first; deadline moves (延期/提前) in yellow, reopenings in red, both tagged."""
    from rich.table import Table
    from rich.text import Text

    if not events:
        _emit(label("no_events", lang))
        return
    table = Table(show_lines=True, expand=False)
    table.add_column(label("history_when", lang), no_wrap=True)
    table.add_column(label("history_commit", lang), no_wrap=True)
    table.add_column(label("author", lang), overflow="fold", max_width=12)
    table.add_column(label("id", lang), justify="right", no_wrap=True)
    table.add_column(label("kind", lang), no_wrap=True)
    table.add_column(label("changes", lang), overflow="fold", min_width=24)
    with_message = _width() >= 100  # on a narrow terminal the changes need the room more than the message
    if with_message:
        table.add_column(label("message", lang), overflow="fold", max_width=24)
    for event in events:
        changes = Text()
        shown = event.changes
        if event.kind in ("created", "deleted"):  # the whole file: its title, deadline and status say enough here
            shown = [c for c in event.changes if c.field in ("title", "due", "status")] or event.changes
        for i, change in enumerate(shown):
            if i:
                changes.append("\n")
            if change.field in ("updates", "urgings") and change.old is None and isinstance(change.new, dict):
                changes.append(f"+ {change.field}: {_value_text(change.new)}")
                continue
            if change.field == "due" and event.deadline_move:
                changes.append(f"[{label(event.deadline_move, lang)}] ", style="bold yellow")
            elif change.field == "status" and event.is_reopening:
                changes.append(f"[{label('reopened', lang)}] ", style="bold red")
            changes.append(f"{change.field}: {_value_text(change.old)} → {_value_text(change.new)}")
        if event.kind == "renamed" and event.old_path:
            changes.append(("\n" if shown else "") + f"{event.old_path.rsplit('/', 1)[-1]} → {event.path.rsplit('/', 1)[-1]}")
        elif not shown:  # the file changed, no value did: say so rather than leave the cell blank
            changes.append(label("no_field_changed", lang), style="dim")
        kind = label(event.kind, lang)
        row_style = "red" if event.is_reopening else ("yellow" if event.is_deadline_move else None)
        cells = [Text(event.date.strftime("%Y-%m-%d %H:%M")), Text(event.commit[:7]), Text(event.author), Text(str(event.task_id)), Text(kind), changes]
        if with_message:
            cells.append(Text(event.message.split("\n", 1)[0]))
        table.add_row(*cells, style=row_style)
    _emit(table)


def blame_table(origins: list[Any], lang: Lang) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, expand=False)
    table.add_column(label("field", lang), no_wrap=True)
    table.add_column(label("value", lang), overflow="fold")
    table.add_column(label("history_commit", lang), no_wrap=True)
    table.add_column(label("author", lang), overflow="fold")
    table.add_column(label("history_when", lang), no_wrap=True)
    table.add_column(label("message", lang), overflow="fold")
    for o in origins:
        if o.commit is None:
            cells = [o.field, _value_text(o.value), label("not_committed", lang), "", "", ""]
        else:
            cells = [o.field, _value_text(o.value), o.commit[:8], o.author, o.date.strftime("%Y-%m-%d %H:%M"), o.message.split("\n", 1)[0]]
        table.add_row(*(Text(c) for c in cells))
    _emit(table)
