"""The exchange columns that `export` writes and `import` reads, and the import itself.

Pure: the renderers turn files into rows of cell values and back; this module
turns rows into checked changes to a ledger. Nothing here reads a file or the clock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from measures.domain.changes import (
    FutureDay,
    check_done_on,
    mark_done,
    new_measure,
    set_fields,
    set_status,
)
from measures.errors import BadValue
from measures.i18n import _, ngettext
from measures.model.records import OPEN, FieldValue, Ledger, Measure, Status, as_dict

COLUMNS = (
    "id",
    "title",
    "title_en",
    "owner",
    "partners",
    "deadline",
    "status",
    "done_on",
    "source",
)
DATE_COLUMNS = ("deadline", "done_on")
# Partners share one cell; export joins them with the full-width semicolon that
# Chinese text uses, import splits on it or on the ASCII one. A partner that
# would not come back the same way (one holding a semicolon, with spaces at its
# edges, empty, or starting with `"`) is written in double quotes, a `"` in it
# doubled, as CSV quotes a cell: `"甲;乙"；丙`.
PARTNER_SEPARATOR = "；"
_SEPARATORS = ";；"
_QUOTED_PARTNER = re.compile(r'\s*"((?:[^"]|"")*)"\s*(?:[;；]|\Z)')
_PLAIN_PARTNER = re.compile(r"([^;；]*)(?:[;；]|\Z)")
# A file to import is read whole: these bound what that takes (render/ reads it).
MAX_ROWS = 100_000  # the last row that may hold a value (the header is row 1)
MAX_FILE_BYTES = 20 * 1024 * 1024  # a file of 100,000 measures takes a few MB
_DATE = re.compile(r"^\d{4}(?:[-/]\d{1,2}[-/]\d{1,2}|年\d{1,2}月\d{1,2}日?)$")

if TYPE_CHECKING:
    from measures.exchange.columns import Header

Cell = str | int | float | date | datetime | bool | None


def export_row(measure: Measure) -> list[Cell]:
    """The measure's exchange columns as cell values: id an int, dates as dates, text as text."""
    return [
        measure.id,
        measure.title,
        measure.title_en,
        measure.owner,
        partners_cell(measure.partners),
        measure.deadline,
        measure.status.value,
        measure.done_on,
        measure.source,
    ]


def partners_cell(partners: Sequence[str]) -> str:
    """The partners as one cell, which `split_partners` reads back as the same names."""
    return PARTNER_SEPARATOR.join(_partner(name) for name in partners)


def _partner(name: str) -> str:
    plain = name and name == name.strip() and not name.startswith('"')
    if plain and not any(separator in name for separator in _SEPARATORS):
        return name
    return '"' + name.replace('"', '""') + '"'


def split_partners(cell: str) -> tuple[str, ...]:
    """The partners in one cell: split on `；` or `;` outside double quotes, spaces trimmed.

    A part in double quotes (`"` doubled inside) is taken exactly as quoted;
    an unquoted part loses its edge spaces, and an empty one is dropped.
    """
    names: list[str] = []
    position = 0
    while position < len(cell):
        quoted = _QUOTED_PARTNER.match(cell, position)
        if quoted:
            names.append(quoted.group(1).replace('""', '"'))
            position = quoted.end()
            continue
        plain = _PLAIN_PARTNER.match(cell, position)
        assert plain is not None  # it matches anything, up to a separator or the end
        if name := plain.group(1).strip():
            names.append(name)
        position = plain.end()
    return tuple(names)


@dataclass(frozen=True)
class ImportSummary:
    added: list[int]
    updated: list[int]
    unchanged: list[int]


@dataclass(frozen=True)
class _Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    values: dict[str, Any]
    converted: bool  # every cell converted and the id on no earlier row: check the record


class _Problems:
    """Every problem found in the file, reported together as one error, in row order."""

    # A message of more lines than this would bury the first ones; the rest are counted.
    SHOWN = 50

    def __init__(self, name: str, found: Sequence[tuple[int, str]] = ()) -> None:
        self.name = name
        self.found: list[tuple[int, str]] = list(found)  # (row, "row R, column C: message")

    def add(self, row: int, column: str, message: str) -> None:
        self.found.append(
            (
                row,
                _("row {row}, column {column}: {message}").format(
                    row=row, column=column, message=message
                ),
            )
        )

    def raise_any(self) -> None:
        if not self.found:
            return
        count = len(self.found)
        ordered = [text for _row, text in sorted(self.found, key=lambda problem: problem[0])]
        hint = _("Nothing was imported; fix the file and import it again.")
        if count == 1:
            raise BadValue(_("{name}, {problem}.").format(name=self.name, problem=ordered[0]), hint)
        lines = [
            ngettext("{name}: {count} problem:", "{name}: {count} problems:", count).format(
                name=self.name, count=count
            ),
            *(f"  {text}" for text in ordered[: self.SHOWN]),
        ]
        if count > self.SHOWN:
            rest = count - self.SHOWN
            more = ngettext("… and {count} more problem", "… and {count} more problems", rest)
            lines.append("  " + more.format(count=rest))
        raise BadValue("\n".join(lines), hint)


@dataclass(frozen=True)
class ImportFile:
    """A file's rows read and converted, before any ledger is looked at."""

    name: str
    rows: list[_Row]
    problems: list[tuple[int, str]]  # (row, message), as _Problems keeps them
    header: Header | None = None  # None: no header was found (a problem says so)

    @property
    def ignored(self) -> list[str]:
        """The headings of the columns import does not read, as the sheet writes them."""
        return [column.heading for column in self.header.ignored] if self.header else []


def read_table(table: Sequence[Sequence[Cell]], name: str) -> ImportFile:
    """The header and the rows of `table`, each cell converted; problems kept, not raised.

    What `import` can do before it takes the ledger's lock: it needs no ledger.
    """
    problems = _Problems(name)
    header = _header(table, problems)
    rows = _rows(table, header, problems)
    return ImportFile(name, rows, problems.found, header)


def check_import(ledger: Ledger, file: ImportFile, today: date) -> None:
    """Raise the file's first problem (a BadValue) against `ledger`, counting all of them."""
    problems = _Problems(file.name, file.problems)
    existing = {m.id: m for m in ledger.measures}
    for row in file.rows:
        if row.converted:
            _check_row(row, existing.get(row.values["id"]), today, problems, file.header)
    problems.raise_any()


def apply_import(
    ledger: Ledger, file: ImportFile, by: str, at: datetime, today: date
) -> tuple[Ledger, ImportSummary]:
    """The ledger with the file's rows added or applied, after `check_import`, and what moved.

    New ids are added at the end, in the file's order; existing ones get the
    fields that differ, each change logged. Linear in the rows and the measures:
    the ledger is built once, not once a row.
    """
    check_import(ledger, file, today)
    note = _("imported from {name}").format(name=file.name)
    measures = {m.id: m for m in ledger.measures}  # in file order; new ids go last
    added: list[int] = []
    updated: list[int] = []
    unchanged: list[int] = []
    for row in file.rows:
        ident = row.values["id"]
        before = measures.get(ident)
        if before is not None:
            measure = _updated(before, row.values, by, at, note)
            if measure == before:
                unchanged.append(ident)
                continue
            updated.append(ident)
        else:
            fields = {k: v for k, v in row.values.items() if k not in ("status", "done_on")}
            measure = _moved(new_measure(ident, fields, by, at, note), row.values, by, at, note)
            added.append(ident)
        measures[ident] = measure
    if not added and not updated:
        return ledger, ImportSummary(added, updated, unchanged)
    # Ids stay unique: a new row's id is in no measure, and no id is on two rows.
    new = replace(ledger, measures=tuple(measures.values()))
    return new, ImportSummary(added, updated, unchanged)


def import_rows(
    ledger: Ledger,
    table: Sequence[Sequence[Cell]],
    name: str,
    by: str,
    at: datetime,
    today: date,
) -> tuple[Ledger, ImportSummary]:
    """The ledger with the rows of `table` (header first) added or applied, and what moved.

    Every row is checked before any is applied: the first problem is raised as a
    BadValue naming `name`, the row and the column, and the ledger is not changed.
    New ids are added; existing ones get the fields that differ, each change logged.
    """
    return apply_import(ledger, read_table(table, name), by, at, today)


def _header(table: Sequence[Sequence[Cell]], problems: _Problems) -> Header | None:
    """The header row: the first that names an id or a title column; rows above it are skipped."""
    from measures.exchange.columns import FIELD_NAMES, field_label, find_header, read_header

    index = find_header(table)
    if index is None:
        names = ", ".join(FIELD_NAMES["id"] + FIELD_NAMES["title"])
        if not any(_text(cell).strip() for cells in table for cell in cells):
            message = _("the file is empty; it needs a header row with {columns}")
        else:
            message = _("no row is a header: none has a column named {columns}")
        problems.add(1, "-", message.format(columns=names))
        return None
    header, clashes = read_header(table, index)
    for column, other in clashes:
        problems.add(
            header.row,
            column.label,
            _("columns {first} and {second} are both read as {field}").format(
                first=other, second=column.label, field=field_label(column.field)
            ),
        )
    if header.column("id") is None:
        problems.add(
            header.row,
            "-",
            _("the header has no id column ({names})").format(names=", ".join(FIELD_NAMES["id"])),
        )
    return header


def _letter(index: int) -> str:
    from measures.exchange.columns import letter

    return letter(index)


def _rows(
    table: Sequence[Sequence[Cell]], header: Header | None, problems: _Problems
) -> list[_Row]:
    """The data rows below the header, converted, every problem noted in row order."""
    if header is None or header.column("id") is None:
        return []
    columns = header.columns
    rows: list[_Row] = []
    first_row: dict[int, int] = {}
    for number, cells in enumerate(table[header.row :], start=header.row + 1):
        if all(_text(cell).strip() == "" for cell in cells):
            continue  # a blank row
        if len(cells) > len(columns) and any(_text(c).strip() for c in cells[len(columns) :]):
            problems.add(number, _letter(len(columns)), _("a value outside the header's columns"))
        found = len(problems.found)
        values: dict[str, Any] = {}
        for column, cell in zip(columns, cells, strict=False):
            if column is None or column.field not in COLUMNS:
                continue
            try:
                values[column.field] = _convert(column.field, cell)
            except ValueError as error:
                problems.add(number, column.label, str(error))
        for column in columns[len(cells) :]:  # a short row: its missing cells are empty
            if column is not None and column.field in COLUMNS:
                try:
                    values[column.field] = _convert(column.field, None)
                except ValueError as error:
                    problems.add(number, column.label, str(error))
        ident = values.get("id")
        if isinstance(ident, int):
            if ident in first_row:
                problems.add(
                    number,
                    _label(header, "id"),
                    _("id {id} is already on row {row}").format(id=ident, row=first_row[ident]),
                )
            first_row.setdefault(ident, number)
            rows.append(_Row(number, values, converted=len(problems.found) == found))
    return rows


def _label(header: Header | None, field: str) -> str:
    """The column of `field` as the sheet names it (`C (完成时限)`), or the field's name."""
    from measures.exchange.columns import field_label

    column = header.column(field) if header is not None else None
    return column.label if column is not None else field_label(field)


def _text(cell: Cell) -> str:
    """A cell as text, with the quote that export put before a formula-like value taken off."""
    from measures.exchange.cells import restore

    if cell is None:
        return ""
    if isinstance(cell, str):
        return restore(cell)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def _convert(column: str, cell: Cell) -> Any:
    """The value of one cell for `column`; a ValueError says what is wrong with it."""
    if column == "id":
        text = _text(cell).strip()
        if not text.isdecimal() or int(text) == 0:
            shown = repr(text) if text else _("empty")
            raise ValueError(
                _("must be a positive whole number such as 3, not {value}").format(value=shown)
            )
        return int(text)
    if column in DATE_COLUMNS:
        return _date(cell, required=column == "deadline")
    if column == "status":
        from measures.domain.labels import parse_status

        text = _text(cell).strip().lower()
        status = parse_status(text)  # its value, or its Chinese name
        if status is None:
            choices = ", ".join(s.value for s in Status)
            shown = repr(text) if text else _("empty")
            raise ValueError(
                _("{value} is not a status; use one of {choices}").format(
                    value=shown, choices=choices
                )
            )
        return status
    if column == "partners":
        return split_partners(_text(cell))
    return _text(cell)


def _date(cell: Cell, required: bool) -> date | None:
    from measures.domain.dates import parse_date

    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = _text(cell).strip()
    if not text:
        if required:
            raise ValueError(_("is empty; it must be a date such as 2020-12-31"))
        return None
    if not _DATE.match(text):
        raise ValueError(
            _("must be a date such as 2020-12-31, not {value}").format(value=repr(text))
        )
    try:
        # The fixed forms only: a file must not mean a different day tomorrow.
        return parse_date(text, date.min, "date")
    except BadValue:
        raise ValueError(
            _("{value} does not exist on the calendar").format(value=repr(text))
        ) from None


def _check_row(
    row: _Row, measure: Measure | None, today: date, problems: _Problems, header: Header | None
) -> None:
    """Check the record the row would leave behind, naming the column of each problem."""
    from pydantic import ValidationError

    from measures.model import validate

    values = row.values
    if measure is None:
        record: dict[str, Any] = {"status": Status.TODO, "done_on": None, **values}
    else:
        record = {**as_dict(measure), **values}
    try:
        validate.measure(record)
    except ValidationError as error:
        for problem in error.errors():
            column = str(problem["loc"][0]) if problem["loc"] else "done_on"
            problems.add(row.number, _label(header, column), _explain(problem))
    before = measure.done_on if measure is not None else None
    done_on = values.get("done_on")
    if done_on is not None and done_on != before:
        try:
            check_done_on(done_on, today)
        except FutureDay as error:
            problems.add(row.number, _label(header, "done_on"), error.message)


def _explain(problem: Any) -> str:
    kind = problem["type"]
    if kind == "missing":
        return _("is missing (a new measure needs it)")
    if kind in ("string_pattern_mismatch", "string_too_short"):
        return _("must not be empty")
    if kind == "value_error":
        return str(problem["ctx"]["error"])
    return str(problem["msg"])


def _updated(measure: Measure, values: dict[str, Any], by: str, at: datetime, note: str) -> Measure:
    fields: dict[str, FieldValue] = {
        key: value for key, value in values.items() if key not in ("id", "status", "done_on")
    }
    return _moved(set_fields(measure, fields, by, at, note), values, by, at, note)


def _moved(measure: Measure, values: dict[str, Any], by: str, at: datetime, note: str) -> Measure:
    """The measure in the status the row gives: open→done as `done`, anything else a `set`."""
    status = values.get("status", measure.status)
    done_on = values.get("done_on", measure.done_on)
    if status is measure.status and done_on == measure.done_on:
        return measure
    if measure.status in OPEN and status is Status.DONE and done_on is not None:
        return mark_done(measure, done_on, by, at, note)
    return set_status(measure, status, done_on, by, at, note)
