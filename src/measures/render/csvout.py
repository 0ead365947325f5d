"""Measures as CSV: one row a measure, every cell safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from measures.model import Measure
from measures.render.cells import neutralise

LIST_COLUMNS = (
    "id",
    "title",
    "title_en",
    "owner",
    "partners",
    "deadline",
    "status",
    "done_on",
    "source",
    "overdue",
    "days_overdue",
)


def measures_csv(rows: Sequence[tuple[Measure, int]]) -> str:
    """A header row, then each measure beside its days overdue; partners joined by "; "."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LIST_COLUMNS)
    for measure, late_days in rows:
        cells = [
            str(measure.id),
            measure.title,
            measure.title_en,
            measure.owner,
            "; ".join(measure.partners),
            measure.deadline.isoformat(),
            measure.status.value,
            measure.done_on.isoformat() if measure.done_on else "",
            measure.source,
            "true" if late_days else "false",
            str(late_days),
        ]
        writer.writerow([neutralise(cell) for cell in cells])
    return out.getvalue()
