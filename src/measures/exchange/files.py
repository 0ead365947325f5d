"""The files an office receives, turned into rows of cell values: one reader per format.

`read_rows` gives what the sheet or table holds, from its first row (a title row
and a 填报单位 line included, for the interpreter to find the header): a row
is a list of cells, each str, int, float, date, datetime, bool or None, up to
its last value; a blank row inside the table is an empty list. Every format
gives the same rows for the same table, except that

- a CSV cell is always text, and an empty one is "" (the other formats: None);
- a number that is whole is an int (spreadsheets store every number as a
  float; 3.0 becomes 3), any other a float;
- a date cell is a date or a datetime as the file marks it (xlsx gives a
  datetime at midnight where .ods and .xls give a date); a time of day is
  its text (09:30:00), a duration its text too.

A merged range gives its value once, in its top-left cell, and None in the
others, in every format (Word repeats a merged cell's text in each grid cell it
spans; that is undone here).

Each file is someone else's, read within the limits of `table` (MAX_ROWS,
MAX_FILE_BYTES) and of `xlsx` (MAX_COLUMNS, the unpacked size of a zip
package, no DTD), and refused with a BadValue naming it, never a traceback.
python-calamine (.xls, .ods) and python-docx (.docx) are imported here only,
when such a file is read.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from measures.errors import BadValue, typed
from measures.exchange.cells import column_letter, read_limited, unknown_sheet
from measures.i18n import _

if TYPE_CHECKING:
    from measures.exchange.table import Cell

FORMATS = (".xlsx", ".xls", ".ods", ".csv", ".docx")
_WHOLE = 2**53  # beyond it a float is not a count a sheet means exactly


def read_rows(path: Path, sheet: str | None = None) -> list[list[Cell]]:
    """The rows of the file at `path`, by its suffix; `sheet` names a worksheet, or a Word table.

    `sheet`: the worksheet's name in an .xlsx, .xls or .ods workbook (default:
    the first sheet); the table's number, from 1, in a .docx (default: the first
    table that has rows). A CSV file has no sheets.
    """
    suffix = path.suffix.lower()
    if not path.is_file():
        raise BadValue(_("{path}: no such file.").format(path=path))
    if suffix in _SAVE_AS:
        raise _SAVE_AS[suffix](path)
    if suffix == ".csv":
        if sheet is not None:
            raise BadValue(
                _(
                    "{path}: a CSV file has one table and no sheets; --sheet {name} is for "
                    "workbooks and Word documents."
                ).format(path=path, name=typed(sheet)),
                _("Leave out --sheet."),
            )
        from measures.exchange.csvfile import read_csv

        return [[*row] for row in read_csv(path)]
    if suffix == ".xlsx":
        from measures.exchange.xlsx import read_xlsx

        return read_xlsx(path, sheet)
    if suffix in (".xls", ".ods"):
        return read_calamine(path, sheet)
    if suffix == ".docx":
        return read_docx(path, sheet)
    if suffix:
        message = _("{path}: import reads {formats} files, not {suffix}.")
    else:
        message = _("{path}: import reads {formats} files, not a file with no extension.")
    raise BadValue(
        message.format(path=path, formats=", ".join(FORMATS), suffix=suffix),
        _("Save it from Excel or WPS as .xlsx, or as CSV UTF-8."),
    )


def _word_97(path: Path) -> BadValue:
    return BadValue(
        _("{path}: is a Word 97–2003 document, which import does not read.").format(path=path),
        _("Save it as .docx (Word: 另存为 Word 文档; WPS: 另存为 .docx)."),
    )


def _wps_sheet(path: Path) -> BadValue:
    return BadValue(
        _("{path}: is a WPS spreadsheet (.et), which import does not read.").format(path=path),
        _("Save it from WPS as an Excel workbook (.xlsx)."),
    )


def _wps_document(path: Path) -> BadValue:
    return BadValue(
        _("{path}: is a WPS document (.wps), which import does not read.").format(path=path),
        _("Save it from WPS as a Word document (.docx)."),
    )


_SAVE_AS: dict[str, Callable[[Path], BadValue]] = {
    ".doc": _word_97,
    ".et": _wps_sheet,
    ".ett": _wps_sheet,
    ".wps": _wps_document,
    ".wpt": _wps_document,
}


# --- .xls and .ods: python-calamine -----------------------------------------------------


def read_calamine(path: Path, sheet: str | None = None) -> list[list[Cell]]:
    """The rows of a worksheet of an .xls or .ods workbook (default: the first sheet)."""
    from measures.exchange.table import MAX_FILE_BYTES, MAX_ROWS
    from measures.exchange.xlsx import MAX_COLUMNS, check_package

    kind = path.suffix.lower()
    unreadable = _unreadable_sheet(kind)
    data = read_limited(path, MAX_FILE_BYTES)
    if not data:
        raise _empty(path)
    if data.startswith(b"PK"):  # a zip package: an .ods, or an .xlsx saved under another name
        check_package(path, data, unreadable)
        if kind == ".ods" or _holds(data, "content.xml"):
            _check_ods_extent(path, data, MAX_ROWS, MAX_COLUMNS)
    elif kind == ".ods":
        raise unreadable(path, ValueError(_("it is not a zip package, as every .ods is")))
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine reading an untrusted file: any failure means unreadable
        raise unreadable(path, error) from None
    with book:
        names = list(book.sheet_names)
        if not names:
            raise unreadable(path, ValueError(_("it has no worksheet")))
        if sheet is not None and sheet not in names:
            raise unknown_sheet(path, sheet, names)
        try:
            chosen = book.get_sheet_by_name(names[0] if sheet is None else sheet)
            end = chosen.end
            if end is not None:
                _check_extent(path, end[0] + 1, end[1] + 1, MAX_ROWS, MAX_COLUMNS)
            rows = chosen.to_python(skip_empty_area=False) if end is not None else []
        except BadValue:
            raise
        except Exception as error:  # the sheet is parsed as it is read
            raise unreadable(path, error) from None
    return bounded([[_calamine_cell(value) for value in row] for row in rows])


def _calamine_cell(value: Any) -> Cell:
    """A calamine value as a cell: "" is an empty cell, a whole float an int."""
    if isinstance(value, str):
        return value if value else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < _WHOLE else value
    if isinstance(value, datetime | date | bool | int):
        return value
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _unreadable_sheet(kind: str) -> Callable[[Path, BaseException], BadValue]:
    def unreadable(path: Path, error: BaseException) -> BadValue:
        return BadValue(
            _("{path}: not a readable {kind} file ({reason}).").format(
                path=path, kind=kind, reason=_reason(error)
            ),
            _("Open it in Excel, WPS or LibreOffice and save it as an Excel workbook (.xlsx)."),
        )

    return unreadable


def _check_ods_extent(path: Path, data: bytes, max_rows: int, max_columns: int) -> None:
    """Refuse an .ods whose sheets hold a value past the limits, before calamine lays them out.

    An .ods says "this cell, 16,384 times" in a few bytes; calamine would build
    every one, so the rows and columns that hold values are counted first.
    """
    import zipfile
    from xml.parsers import expat

    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0 "
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0 "
    cells = (table + "table-cell", table + "covered-table-cell")
    state = {"row": 0, "repeat": 1, "column": 0, "last": 0, "cell": 0, "span": 0, "full": 0}

    def count(attrs: dict[str, str], name: str) -> int:
        try:
            return max(int(attrs.get(table + name, "1")), 1)
        except ValueError:
            return 1

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == table + "table":
            state["row"] = 0
        elif name == table + "table-row":
            state.update(repeat=count(attrs, "number-rows-repeated"), column=0, last=0)
        elif name in cells:
            span = count(attrs, "number-columns-repeated")
            full = int(office + "value-type" in attrs)
            state.update(cell=state["column"], span=span, full=full)
            state["column"] += span
        elif name == text_ns + "p":
            state["full"] = 1

    def end(name: str) -> None:
        if name in cells and state["full"]:
            state["last"] = max(state["last"], state["cell"] + state["span"])
            state["full"] = 0
        elif name == table + "table-row":
            if state["last"]:
                _check_extent(
                    path, state["row"] + state["repeat"], state["last"], max_rows, max_columns
                )
            state["row"] += state["repeat"]

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as stream:
            parser.ParseFile(stream)
    except BadValue:
        raise
    except Exception as error:  # no content.xml, broken XML: not an .ods
        raise _unreadable_sheet(".ods")(path, error) from None


def _holds(data: bytes, name: str) -> bool:
    """Whether the zip package `data` (already checked) has a member `name`."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return name in archive.namelist()


# --- .docx: python-docx ----------------------------------------------------------------


def read_docx(path: Path, table: str | None = None) -> list[list[Cell]]:
    """The rows of a table of a Word document: number `table` (from 1), or the first with rows.

    A cell is its text, paragraphs joined by a line break, or None if it is
    empty; a cell merged across columns or rows gives its text once, in its
    first grid cell. Only the document's own tables count, not one inside a cell.
    """
    from measures.exchange.table import MAX_FILE_BYTES, MAX_ROWS
    from measures.exchange.xlsx import MAX_COLUMNS, check_package

    data = read_limited(path, MAX_FILE_BYTES)
    if not data:
        raise _empty(path)
    check_package(path, data, _unreadable_docx)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        tables = list(document.tables)
    except Exception as error:  # python-docx reading an untrusted file
        raise _unreadable_docx(path, error) from None
    if table is None:
        chosen = next((t for t in tables if t._tbl.tr_lst), None)
        if chosen is None:
            raise BadValue(
                _("{path}: the document has no table with rows.").format(path=path),
                _("Import the Word document that holds the task table (任务分解表)."),
            )
    else:
        number = table.strip()
        if not number.isdecimal() or not 1 <= int(number) <= len(tables):
            raise BadValue(
                _("{path}: no table {table}; the document has {count} tables.").format(
                    path=path, table=typed(table), count=len(tables)
                ),
                _("For a Word document, --sheet is the table's number, 1 for the first."),
            )
        chosen = tables[int(number) - 1]
    try:
        rows = _word_rows(chosen, path, MAX_ROWS, MAX_COLUMNS)
    except BadValue:
        raise
    except Exception as error:  # a table python-docx cannot lay out
        raise _unreadable_docx(path, error) from None
    return bounded(rows)


def _word_rows(table: Any, path: Path, max_rows: int, max_columns: int) -> list[list[Cell]]:
    """Each row as its grid cells: a merged cell's text in its first, None in the rest."""
    from docx.table import _Cell

    rows: list[list[Cell]] = []
    for number, tr in enumerate(table._tbl.tr_lst, start=1):
        # A span is capped before it is laid out: one past the limit is refused all the same.
        row: list[Cell] = [None] * min(tr.grid_before, max_columns + 1)
        for tc in tr.tc_lst:
            text = _Cell(tc, table).text if tc.vMerge != "continue" else ""
            row.append(text or None)
            row.extend([None] * (min(tc.grid_span, max_columns + 1) - 1))
            if len(row) > max_columns:  # no office table is that wide, empty or not
                _check_extent(path, number, len(row), max_rows, max_columns)
        if _last_value(row):
            _check_extent(path, number, 1, max_rows, max_columns)
        rows.append(row)
    return rows


def _unreadable_docx(path: Path, error: BaseException) -> BadValue:
    return BadValue(
        _("{path}: not a readable .docx document ({reason}).").format(
            path=path, reason=_reason(error)
        ),
        _("Open it in Word or WPS and save it as a Word document (.docx)."),
    )


# --- shared ----------------------------------------------------------------------------


def bounded(rows: Iterable[Sequence[Cell]]) -> list[list[Cell]]:
    """The rows up to the last one with a value, each up to its last value (as xlsx gives)."""
    kept: list[list[Cell]] = []
    blank = 0  # empty rows since the last one kept
    for row in rows:
        cells = list(row[: _last_value(row)])
        if not cells:
            blank += 1
            continue
        kept.extend([] for _blank in range(blank))
        blank = 0
        kept.append(cells)
    return kept


def _last_value(row: Sequence[Cell]) -> int:
    """How many cells of `row` there are up to its last value."""
    for index in range(len(row), 0, -1):
        if row[index - 1] is not None:
            return index
    return 0


def _check_extent(path: Path, rows: int, columns: int, max_rows: int, max_columns: int) -> None:
    """Refuse a sheet with a value in row `rows` or column `columns` past the limits."""
    from measures.exchange.xlsx import too_large

    if rows > max_rows:
        raise too_large(path, _("row {row}").format(row=f"{rows:,}"), max_rows)
    if columns > max_columns:
        cell = f"{column_letter(columns - 1)}{rows}"
        raise too_large(path, _("cell {cell}").format(cell=cell), max_rows)


def _reason(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return (lines[0] if lines else type(error).__name__)[:200]


def _empty(path: Path) -> BadValue:
    return BadValue(
        _("{path}: the file is empty.").format(path=path),
        _("Save it from Excel or WPS as an Excel workbook (.xlsx), or as CSV UTF-8."),
    )
