"""Parser of the notice's exported text, written independently of data/ so tests can check the records."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SEED = Path(__file__).parent / "seed" / "wkx-2013-48-task-breakdown.txt"

_SECTION = re.compile(r"^[一二三四五六七八九十]+、")
_MEASURE = re.compile(r"^\s*(\d+)\.(.*)$", re.S)


@dataclass
class SeedMeasure:
    number: int
    section: str
    title: str
    description: str
    lead: list[str]
    cooperating: list[str]
    deadline: str


def _cells(text: str) -> list[str]:
    """Split the table body into cells: a cell starts with a tab; lines without one continue it."""
    cells: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("\t"):
            cells.append([line[1:]])
        elif cells:
            cells[-1].append(line)
    return ["\n".join(line.strip() for line in c if line.strip()) for c in cells]


def parse_seed(path: Path = SEED) -> list[SeedMeasure]:
    cells = _cells(path.read_text(encoding="utf-8"))
    start = next(i for i, c in enumerate(cells) if _SECTION.match(c))
    measures: list[SeedMeasure] = []
    section = ""
    i = start
    while i < len(cells):
        cell = cells[i]
        if _SECTION.match(cell):
            section = cell
            i += 1
            continue
        m = _MEASURE.match(cell)
        assert m, f"unexpected cell {cell!r}"
        body = m.group(2).strip()
        title, _, description = body.partition("。")
        lead, cooperating, deadline = cells[i + 1 : i + 4]
        measures.append(
            SeedMeasure(
                number=int(m.group(1)),
                section=section,
                title=title,
                description=description.strip(),
                lead=lead.splitlines(),
                cooperating=cooperating.splitlines(),
                deadline=deadline,
            )
        )
        i += 4
    return measures
