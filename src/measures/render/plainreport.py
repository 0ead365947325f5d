"""The terminal report written without rich, where rich would write plain text anyway.

To a pipe or a file rich's Console writes no escape codes, and the report is
then plain text that `plaintable.py` lays out the same, byte for byte, without
importing rich.console or rich.table (at 10,000 measures about 0.1 s of the
report's 0.27 s). Where rich would style the output (a terminal, FORCE_COLOR,
TTY_COMPATIBLE=1), draw in ASCII (an encoding not UTF), or lay out what
`plaintable.py` does not copy, the report is left to rich, unchanged.

Where that is, `plainout.unstyled_width` decides, as `terminal.make_console`'s
Console does (rich 15's `is_terminal`, `encoding` and `size`).
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from measures.domain.reports import Report


def report_text(report: Report, overdue_only: bool, width: int) -> str | None:
    """The terminal report (`output.print_report`) as rich writes it without styles to a
    console `width` wide, or None where rich lays it out in a way of its own."""
    from measures.render.longtable import LONG
    from measures.render.plaintable import blocks_text
    from measures.render.terminal import overdue_block, report_blocks

    if overdue_only:
        if len(report.overdue) > LONG:
            return None  # the long table's own layout
        blocks = [overdue_block(report.overdue, report.as_of, plans=report.overdue_plans)]
        return blocks_text(blocks, width)
    return blocks_text(report_blocks(report, width), width)


def write_plain_report(report: Report, overdue_only: bool, file: IO[str]) -> bool:
    """Write the report to `file` without rich if that gives rich's bytes; whether it did."""
    from measures.render import plainout

    width = plainout.unstyled_width(file)
    if width is None:
        return False
    text = report_text(report, overdue_only, width)
    if text is None:
        return False
    plainout.write_text(text, file)
    return True
