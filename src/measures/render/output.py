"""What `list` and `report` print, in each format: shared by the command line and the quick path.

Standard output is written for what it is:

- On a terminal, ledger text is shown inert in every format, as in the tables
  (see `inert.py`): a CSV cell's control and bidi characters become escapes such
  as `\\x1b`, and JSON gives them as `\\u001b` escapes, which still read back as
  the exact value. To a file or a pipe, values are written exactly.
- A stream that is not UTF-8 (`LC_ALL=C`, `PYTHONIOENCODING=ascii`) gets what
  keeps the values: JSON with `\\uXXXX` escapes and HTML with character
  references (the same values and page, in ASCII); CSV and Markdown in UTF-8
  all the same, as the export files are; the tables with a backslash escape
  for a character the encoding lacks (the launcher sets that up).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table

    from measures.domain.history import Event
    from measures.domain.lights import Light, Rules
    from measures.domain.reports import Report
    from measures.model.records import Measure, Plan
    from measures.render.longtable import LongTable


def on_terminal(stream: IO[str] | None = None) -> bool:
    """Whether `stream` (standard output) is a terminal, where ledger text must be inert."""
    stream = sys.stdout if stream is None else stream
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or a closed stream
        return False


def is_utf8(stream: IO[str] | None = None) -> bool:
    """Whether `stream` (standard output) encodes text as UTF-8."""
    import codecs

    stream = sys.stdout if stream is None else stream
    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "utf-8"
    except LookupError:
        return False


def _cells_shown() -> Callable[[str], str] | None:
    """How ledger text goes into a CSV cell on standard output: inert on a terminal."""
    if not on_terminal():
        return None
    from measures.inert import inert

    return inert


# In JSON text, characters above ASCII and the controls inert.py escapes appear
# only inside strings (the serialiser escapes C0 controls itself, and a raw
# newline is only ever the indentation's), so each can become a \uXXXX escape.
_NON_ASCII = re.compile("[^\n -~]")


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # a pair of surrogates, as JSON writes a character beyond the BMP
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_shown(text: str, stream: IO[str] | None = None) -> str:
    """JSON text as it goes to `stream` (standard output): the same values, escaped as need be."""
    if not is_utf8(stream):
        return _NON_ASCII.sub(_json_escape, text)
    if on_terminal(stream):
        from measures.inert import UNSAFE

        return UNSAFE.sub(lambda m: m.group() if m.group() == "\n" else _json_escape(m), text)
    return text


# Formats that are data in UTF-8 whatever the locale, as the export files are.
_UTF8_DATA = ("csv", "markdown")


def write_out(text: str, output: str = "text") -> None:
    """`text`, in format `output`, on standard output in an encoding it can carry."""
    stream = sys.stdout
    if output == "json":
        text = json_shown(text, stream)
    elif not is_utf8(stream):
        binary = getattr(stream, "buffer", None)
        if output in _UTF8_DATA and binary is not None:
            stream.flush()
            binary.write(text.encode("utf-8", "backslashreplace"))
            binary.flush()
            return
        encoding = stream.encoding or "ascii"
        errors = "xmlcharrefreplace" if output == "html" else "backslashreplace"
        text = text.encode(encoding, errors).decode(encoding)
    stream.write(text)


def print_measures(
    chosen: Sequence[Measure],
    today: date,
    output: str,
    plans: Sequence[str] | None = None,
    rules: Rules | Sequence[Rules] | None = None,
) -> None:
    """The measures on standard output as `list` shows them: table, json, csv or markdown.

    `plans`: beside each measure, its plan's key, for a workspace of several plans.
    `rules`: the thresholds of the lights, the plan's, or beside each measure its plan's
    (default: the default thresholds).
    """
    from measures.domain.lights import Rules, light

    each = list(rules) if isinstance(rules, Sequence) else [rules or Rules()] * len(chosen)
    if output == "json":
        from measures.render.records import measure_record, to_json, write_json_list

        records = (
            (measure_record(m, today, r) for m, r in zip(chosen, each, strict=True))
            if plans is None
            else (
                {"plan": key, **measure_record(m, today, r)}
                for m, key, r in zip(chosen, plans, each, strict=True)
            )
        )
        if is_utf8() and not on_terminal():
            write_json_list(records, sys.stdout)  # the common case, a chunk at a time
        else:
            write_out(to_json(list(records)), "json")
        return
    from measures.domain.queries import with_lateness

    rows = with_lateness(chosen, today)
    lights = [light(m, today, r) for m, r in zip(chosen, each, strict=True)]
    if output == "csv":
        from measures.exchange.csvfile import measures_csv

        write_out(measures_csv(rows, _cells_shown(), plans, lights), "csv")
        return
    if output == "markdown":
        from measures.render.markdown import measures_markdown

        write_out(measures_markdown(rows, today, plans, lights), "markdown")
        return
    from measures.render.longtable import LONG

    if len(rows) <= LONG and _print_plain_measures(rows, today, plans, lights):
        return
    from measures.render.terminal import measures_table

    print_table(measures_table(rows, today, plans, lights))


def _print_plain_measures(
    rows: Sequence[tuple[Measure, int]],
    today: date,
    plans: Sequence[str] | None,
    lights: Sequence[Light | None],
) -> bool:
    """The list's table written without rich where rich would write it plain
    (`plainout.unstyled_width`, `plaintable.py`); whether it was."""
    from measures.render import plainout

    width = plainout.unstyled_width(sys.stdout)
    if width is None:
        return False
    from measures.render.plaintable import table_text
    from measures.render.terminal import measures_block

    text = table_text(measures_block(rows, today, plans, lights), width)
    if text is None:
        return False
    plainout.write_text(text)
    return True


def print_table(table: Table | LongTable, file: IO[str] | None = None) -> None:
    """A table on standard output (or `file`): a long one, which has no colour, as plain
    lines (`plainout.py`) when the width it is laid out to is known and it fits; else by
    rich."""
    from measures.render.longtable import LongTable

    if isinstance(table, LongTable):
        from measures.render import plainout

        width = plainout.console_width(stream=file)
        if width is not None and table.width(width) <= width:
            plainout.write_lines(table.lines(width), file)
            return
    from measures.render.terminal import make_console

    make_console(file).print(table)


def print_measure(
    measure: Measure,
    today: date,
    output: str,
    key: str | None = None,
    plan: Plan | None = None,
) -> None:
    """One measure as `show` prints it: every field and its log, as a table or json.

    `key`: its plan's key, for a workspace of several plans; `plan`: the plan, whose
    provenance the table shows and whose thresholds its light (JSON's `light`) takes.
    """
    if output == "json":
        from measures.domain.lights import rules_of
        from measures.render.records import measure_record, to_json

        record = measure_record(measure, today, rules_of(plan) if plan is not None else None)
        write_out(to_json(record if key is None else {"plan": key, **record}), "json")
        return
    from measures.render.detail import print_measure as print_detail
    from measures.render.terminal import make_console

    console = make_console()
    if key is not None:
        from measures.i18n import _
        from measures.inert import inert

        console.print(inert(_("Plan: {key}").format(key=key)), markup=False, highlight=False)
    print_detail(console, measure, today, plan)


def print_log(found: Sequence[Event], output: str) -> None:
    """Log entries as `log` prints them, as a table or json."""
    if output == "json":
        from measures.render.records import event_record, to_json

        write_out(to_json([event_record(event) for event in found]), "json")
        return
    from measures.render.detail import log_table
    from measures.render.terminal import make_console

    make_console().print(log_table(found))


def print_report(report: Report, overdue_only: bool, file: IO[str] | None = None) -> None:
    """The report as rich tables on the terminal (or `file`); with `overdue_only`, that table.

    Where rich would write plain text, and lay it out plainly, it is written without rich.
    """
    from measures.render.plainreport import write_plain_report

    if write_plain_report(report, overdue_only, sys.stdout if file is None else file):
        return
    from measures.render.terminal import make_console, overdue_table
    from measures.render.terminal import print_report as print_tables

    if overdue_only:  # a long list, past the plain layout: the long table's
        print_table(overdue_table(report.overdue, report.as_of, plans=report.overdue_plans), file)
    else:
        print_tables(make_console(file), report)


def report_text(
    report: Report,
    output: str,
    overdue_only: bool,
    shown: Callable[[str], str] | None = None,
) -> str:
    """The report as text in `output`: json, markdown, html, csv, or table (plain, for a file).

    `shown`: what a CSV cell's ledger text goes through (see `report_for_stdout`).
    """
    if output == "json":
        from measures.render.records import report_record, to_json

        return to_json(report_record(report, overdue_only=overdue_only))
    if output == "markdown":
        from measures.render.markdown import report_markdown

        return report_markdown(report, overdue_only)
    if output == "html":
        from measures.render.html import report_html

        return report_html(report, overdue_only)
    if output == "csv":
        from measures.render.csvfile import report_csv

        return report_csv(report, overdue_only, shown)
    return _table_text(report, overdue_only)


def report_for_stdout(report: Report, output: str, overdue_only: bool) -> str:
    """The report's text for standard output (write it with `write_out`): inert on a terminal."""
    return report_text(report, output, overdue_only, _cells_shown())


def _table_text(report: Report, overdue_only: bool) -> str:
    """The terminal report as plain text, for a file."""
    import io

    buffer = io.StringIO()
    print_report(report, overdue_only, buffer)
    return buffer.getvalue()
