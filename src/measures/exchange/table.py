"""The exchange columns that `export` writes and `import` reads, and the import itself.

Pure: the renderers turn files into rows of cell values and back; this module
turns rows into checked changes to a ledger. Nothing here reads a file or the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from measures.domain import changes
from measures.domain.changes import (
    FutureDay,
    check_done_on,
    mark_done,
    new_measure,
    set_fields,
    set_status,
)
from measures.domain.history import latest_progress
from measures.domain.labels import INFERRED, unmarked_owner
from measures.errors import BadValue
from measures.exchange.cellforms import (
    PARTNER_SEPARATOR,
    cell_text,
    partners_cell,
    split_partners,
)
from measures.exchange.cells import column_letter
from measures.exchange.columns import NOTE_LINES
from measures.i18n import _, ngettext
from measures.model.fieldnames import field_label
from measures.model.records import (
    COMPLETE,
    OPEN,
    Action,
    FieldValue,
    Ledger,
    Measure,
    Status,
    as_dict,
)

__all__ = [
    "COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "PARTNER_SEPARATOR",
    "ImportFile",
    "ImportSummary",
    "apply_import",
    "check_import",
    "export_row",
    "import_rows",
    "partners_cell",
    "read_table",
    "split_partners",
]

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
# A file to import is read whole: these bound what that takes (render/ reads it).
MAX_ROWS = 100_000  # the last row that may hold a value (the header is row 1)
MAX_FILE_BYTES = 20 * 1024 * 1024  # a file of 100,000 measures takes a few MB

if TYPE_CHECKING:
    from measures.exchange.columns import Column, Header

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


@dataclass(frozen=True)
class ImportSummary:
    added: list[int]
    updated: list[int]
    unchanged: list[int]


@dataclass(frozen=True)
class _Row:
    number: int  # as a spreadsheet shows it, from 1
    values: dict[str, Any]  # the fields the row gives; an empty deadline or done_on gives none
    converted: bool  # every cell converted and the id on no earlier row: check the record
    note: str = ""  # the progress note: 进展情况 with 存在问题, 下步打算, 备注 as labelled lines


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


def read_table(table: Sequence[Sequence[Cell]], name: str, year: int | None = None) -> ImportFile:
    """The header and the rows of `table`, each cell converted; problems kept, not raised.

    What `import` can do before it takes the ledger's lock: it needs no ledger.
    `year` (the plan's, from its `issued`) completes a month with no year
    (`12月底前`); without it, the year a title or 填报时间 line above the header names.
    """
    problems = _Problems(name)
    header = _header(table, problems)
    if header is not None and year is not None:
        header = replace(header, year=year)
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
            measure = _updated(before, row, by, at, note)
            if measure == before:
                unchanged.append(ident)
                continue
            updated.append(ident)
        else:
            fields = {k: v for k, v in row.values.items() if k not in _NOT_ADDED}
            measure = _moved(new_measure(ident, fields, by, at, note), row, by, at, note, new=True)
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
    year = ledger.plan.issued.year if ledger.plan.issued else None
    return apply_import(ledger, read_table(table, name, year), by, at, today)


def _header(table: Sequence[Sequence[Cell]], problems: _Problems) -> Header | None:
    """The header row: the first that names an id or a title column; rows above it are skipped."""
    from measures.exchange.columns import FIELD_NAMES, find_header, read_header

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
            outside = column_letter(len(columns))
            problems.add(number, outside, _("a value outside the header's columns"))
        found = len(problems.found)
        padded = [*cells, *[None] * (len(columns) - len(cells))]
        values, note = _fields(number, columns, padded, header.year, problems)
        ident = values.get("id")
        if isinstance(ident, int):
            if ident in first_row:
                problems.add(
                    number,
                    _label(header, "id"),
                    _("id {id} is already on row {row}").format(id=ident, row=first_row[ident]),
                )
            first_row.setdefault(ident, number)
            rows.append(_Row(number, values, len(problems.found) == found, note))
    return rows


def _fields(
    number: int,
    columns: Sequence[Column | None],
    cells: Sequence[Cell],
    year: int | None,
    problems: _Problems,
) -> tuple[dict[str, Any], str]:
    """The fields one row gives, and its progress note; each bad cell a problem."""
    from measures.exchange.cellforms import merged_partners

    values: dict[str, Any] = {}
    lines: dict[str, str] = {}
    extra: tuple[str, ...] = ()
    for column, cell in zip(columns, cells, strict=False):
        if column is None:
            continue
        field = column.field
        if field == "progress" or field in NOTE_LINES:
            lines[field] = _text(cell).strip()
            continue
        try:
            if field == "deadline":
                got = _deadline(cell, year)
                if got is not None:
                    values["deadline"], wording = got
                    values["deadline_text"] = wording
            elif field == "owner":
                owner, extra = _convert(field, cell)
                # `区税务局（推定）`, as export marks an owner inferred: the owner, and its basis.
                values["owner"], inferred = unmarked_owner(owner)
                if inferred:
                    values["owner_basis"] = INFERRED
            elif (value := _convert(field, cell)) is not None:
                values[field] = value
        except ValueError as error:
            problems.add(number, column.label, str(error))
    if extra:
        values["partners"] = merged_partners(extra, values.get("partners", ()), values["owner"])
    note = "\n".join(
        [lines.get("progress", ""), *(f"{k}：{lines[k]}" for k in NOTE_LINES if lines.get(k))]
    ).strip("\n")
    return values, note


def _label(header: Header | None, field: str) -> str:
    """The column of `field` as the sheet names it (`C (完成时限)`), or the field's name."""

    column = header.column(field) if header is not None else None
    return column.label if column is not None else field_label(field)


def _text(cell: Cell) -> str:
    return cell_text(cell)


def _convert(column: str, cell: Cell) -> Any:
    """The value of one cell for `column`; a ValueError says what is wrong with it."""
    from measures.exchange import cellforms

    if column == "id":
        text = _text(cell).strip()
        if not text.isdecimal() or int(text) == 0:
            raise ValueError(
                _("must be a positive whole number such as 3, not {value}").format(
                    value=cellforms.shown(text)
                )
            )
        return int(text)
    if column == "done_on":
        return cellforms.day_cell(cell) if _text(cell).strip() else None
    if column == "status":
        return cellforms.status_cell(cell)
    if column == "partners":
        return split_partners(_text(cell))
    if column == "owner":
        return cellforms.owner_cell(_text(cell))
    return _text(cell)


def _deadline(cell: Cell, year: int | None) -> tuple[date | None, str] | None:
    """The deadline and its wording, or None for an empty cell (the deadline is not given)."""
    from measures.exchange.cellforms import deadline_cell

    if not _text(cell).strip() and not isinstance(cell, date):
        return None
    return deadline_cell(cell, year)


def _check_row(
    row: _Row, measure: Measure | None, today: date, problems: _Problems, header: Header | None
) -> None:
    """Check the record the row would leave behind, naming the column of each problem."""
    from pydantic import ValidationError

    from measures.model import validate

    values = dict(row.values)
    if measure is None:
        record: dict[str, Any] = {"status": Status.TODO, "done_on": None, **values}
    else:
        refused = _refused_move(measure, values.get("status", measure.status))
        if refused is not None:
            problems.add(row.number, _label(header, "status"), refused)
            values.pop("status", None)
            values.pop("done_on", None)
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


# The moves an import may make to a measure already in the ledger, as the
# commands make them: the office's sign-off (verify) and reopening a closed
# measure are left to their commands.
_MOVES: dict[tuple[Status, Status], Action] = {
    (Status.TODO, Status.DOING): Action.START,
    (Status.TODO, Status.BLOCKED): Action.BLOCK,
    (Status.DOING, Status.BLOCKED): Action.BLOCK,
    (Status.BLOCKED, Status.DOING): Action.REOPEN,
    **{(s, Status.DONE): Action.DONE for s in OPEN},
    **{(s, Status.DROPPED): Action.DROP for s in OPEN},
}


def _refused_move(measure: Measure, status: Status) -> str | None:
    """Why the import may not move `measure` to `status`, or None if it may (or it stays)."""
    from measures.domain.labels import status_label

    if status is measure.status or (measure.status, status) in _MOVES:
        return None
    words = {"id": measure.id, "status": status_label(measure.status), "to": status_label(status)}
    if status is Status.VERIFIED:
        return _(
            "measure {id} is {status}; an import does not sign a measure off as {to}: "
            "the office does, with `measures verify`"
        ).format(**words)
    if measure.status in (*COMPLETE, Status.DROPPED):
        return _(
            "measure {id} is {status}; an import does not reopen it as {to}: "
            "use `measures reopen` first"
        ).format(**words)
    return _("measure {id} is {status}; an import cannot move it to {to}").format(**words)


def _explain(problem: Any) -> str:
    kind = problem["type"]
    if kind == "missing":
        return _("is missing (a new measure needs it)")
    if kind in ("string_pattern_mismatch", "string_too_short"):
        return _("must not be empty")
    if kind == "value_error":
        return str(problem["ctx"]["error"])
    return str(problem["msg"])


def _updated(measure: Measure, row: _Row, by: str, at: datetime, note: str) -> Measure:
    values = row.values
    fields: dict[str, FieldValue] = {
        key: value for key, value in values.items() if key not in ("id", "status", "done_on")
    }
    return _moved(set_fields(measure, fields, by, at, note), row, by, at, note)


def _moved(
    measure: Measure, row: _Row, by: str, at: datetime, note: str, new: bool = False
) -> Measure:
    """The measure in the status the row gives, moved as its command moves it, and its note.

    A new measure (just added, `todo`) takes the row's status as it is, logged as a `set`.
    """
    values = row.values
    status = values.get("status", measure.status)
    done_on = values.get("done_on", measure.done_on)
    reason = row.note or note
    # A new measure arrives in its row's status (a ledger passed on from another
    # office), logged as a `set`, as `done` if it is done.
    action = _MOVES.get((measure.status, status)) if not new or status is Status.DONE else None
    result = measure
    if status is measure.status:
        if done_on != measure.done_on:  # the day it was done, corrected
            result = set_status(measure, status, done_on, by, at, note)
    elif action is Action.DONE and done_on is not None:
        result = mark_done(measure, done_on, by, at, note)
    elif action is Action.START:
        result = changes.start(measure, by, at, note)
    elif action is Action.BLOCK:
        result = changes.block(measure, reason, by, at)
    elif action is Action.DROP:
        result = changes.drop(measure, reason, by, at)
    elif action is Action.REOPEN:
        result = changes.reopen(measure, by, at, note)
        if result.status is Status.TODO:
            result = changes.start(result, by, at, note)
    else:
        assert new, "check_import refuses every other move"
        result = set_status(measure, status, done_on, by, at, note)
    if row.note and row.note != latest_progress(result):
        result = changes.add_note(result, row.note, by, at)
    return result


# What a new measure is not made with: its status moves after the `add`.
_NOT_ADDED = ("status", "done_on")
