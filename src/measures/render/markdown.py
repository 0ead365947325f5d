"""Measures as a Markdown table, every cell escaped so it stays one cell of plain text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from measures.model import Measure
from measures.render.inert import inert

# Characters that would end a cell (|) or turn text into emphasis, code, links or HTML.
_SPECIAL = re.compile(r"([\\|*_`\[\]<>])")
_NEWLINES = re.compile(r"\r\n|\r|\n")


def cell(value: object) -> str:
    """`value` as the text of one table cell: specials escaped, line breaks as <br>."""
    escaped = _SPECIAL.sub(r"\\\1", str(value))
    return "<br>".join(inert(line) for line in _NEWLINES.split(escaped))


def _row(values: Sequence[object]) -> str:
    return "| " + " | ".join(cell(value) for value in values) + " |"


def measures_markdown(rows: Sequence[tuple[Measure, int]], today: date) -> str:
    lines = [
        _row(["ID", "Measure", "Owner", "Deadline", "Status", "Overdue"]),
        "| ---: | --- | --- | --- | --- | ---: |",
    ]
    for measure, late_days in rows:
        lines.append(
            _row(
                [
                    measure.id,
                    measure.title,
                    measure.owner or "-",
                    measure.deadline.isoformat(),
                    measure.status.value,
                    f"{late_days} d" if late_days else "",
                ]
            )
        )
    late = sum(1 for _, days in rows if days)
    lines += ["", f"{len(rows)} measures, {late} overdue, as of {today.isoformat()}"]
    return "\n".join(lines) + "\n"
