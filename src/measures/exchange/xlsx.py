"""Excel workbooks, written and read with openpyxl (imported only here, when needed).

Text is written so that it comes back exactly: a character XML cannot carry (a
control character such as U+000B) or would not keep (CR) is written as Excel
itself writes it, `_x000B_`, and a value that already holds such a `_xHHHH_`
gets its `_` written `_x005F_`; reading undoes both, as Excel and WPS do.

A workbook to import is someone else's file, so it is read within limits: its
size, the size of its parts unpacked (a zip bomb), the rows and columns that
hold values (not the size the sheet declares), and no part with a DTD (which an
Office file never has; entities are how XML bombs and XXE work).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from copy import copy
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from measures.errors import BadValue, typed
from measures.exchange.cells import neutralise, read_limited, unknown_sheet
from measures.i18n import _

if TYPE_CHECKING:
    from measures.exchange.sheet import Sheet

HEADER_ROW = 2  # in the export's sheet: the title row is row 1
LINE_POINTS = 15  # a line of 11-point text, as Excel spaces it

# Reading limits beyond those of every file to import (exchange.MAX_ROWS, MAX_FILE_BYTES).
MAX_COLUMNS = 100  # the last column that may hold a value (the exchange has nine)
MAX_UNPACKED_BYTES = 128 * 1024 * 1024  # all its parts, unpacked
_CHUNK = 64 * 1024

# Characters XML 1.0 cannot hold, and CR, which an XML reader turns into LF.
_UNSAFE_CHARACTERS = "\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff"
_UNSAFE = re.compile(f"[{_UNSAFE_CHARACTERS}]")
# A `_` that would start an escape as written: before `xHHHH` and a `_`, or before
# `xHHHH` and an unsafe character, whose own escape starts with one.
_LITERAL = re.compile(f"_(?=x[0-9A-Fa-f]{{4}}(?:_|[{_UNSAFE_CHARACTERS}]))")
_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")


def escape(value: str) -> str:
    """`value` as an xlsx cell holds it: unsafe characters as `_xHHHH_`, a literal `_x` kept."""
    value = _LITERAL.sub("_x005F_", value)
    return _UNSAFE.sub(lambda found: f"_x{ord(found.group()):04X}_", value)


def unescape(value: str) -> str:
    """The text `escape` was given: every `_xHHHH_` is the character HHHH (not a surrogate)."""

    def character(found: re.Match[str]) -> str:
        code = int(found.group(1), 16)
        return found.group() if 0xD800 <= code <= 0xDFFF else chr(code)

    return _ESCAPED.sub(character, value) if "_x" in value else value


def sheet_xlsx(layout: Sheet) -> bytes:
    """The export's workbook, ready to print and to fill in.

    A title row merged across the columns, the header (bold, filled, repeated on
    every printed page, frozen), then the rows: wrapped, top-aligned, with thin
    borders, dates as date cells. A4 landscape, one page wide; the page number
    in the footer; the status column offers the statuses an import may set as a list,
    over the rows and some blank ones below.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.properties import PageSetupProperties

    from measures.exchange.sheet import BLANK_ROWS, DATE_FORMATS

    chinese = layout.headers == "zh"
    font = "宋体" if chinese else "Calibri"
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "任务台账" if chinese else "measures"
    width = len(layout.columns)
    last = get_column_letter(width)

    # The plan's provenance goes in the title cell, under the title: the header stays row 2.
    sheet.append([_cell("\n".join((layout.title, *layout.subtitle)))])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    title = sheet.cell(row=1, column=1)
    title.font = Font(name="黑体" if chinese else font, bold=True, size=16)
    title.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 36

    line = Side(style="thin")
    border = Border(left=line, right=line, top=line, bottom=line)
    sheet.append([_cell(h) for h in layout.headings])
    for heading in sheet[HEADER_ROW]:
        heading.font = Font(name=font, bold=True, size=11)
        heading.fill = PatternFill("solid", fgColor="D9E1F2")
        heading.border = border
        heading.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    date_format = DATE_FORMATS[layout.headers]
    body = Font(name=font, size=11)
    # One style object per kind of column, shared by its cells; each cell placed by
    # its row and column (asking the sheet for its last row scans every cell: an
    # export of 10,000 measures took minutes).
    centred = Alignment(horizontal="center", vertical="top", wrap_text=True)
    wrapped = Alignment(horizontal="left", vertical="top", wrap_text=True, indent=1)
    aligned = [wrapped if column.wraps else centred for column in layout.columns]
    # Setting a style makes openpyxl hash it and look it up in the workbook's
    # list; a cell styled like one before takes a copy of that cell's style
    # indexes instead, which keeps 10,000 rows to seconds.
    styled: dict[tuple[int, bool], Any] = {}
    for number, row in enumerate(layout.rows, start=HEADER_ROW + 1):
        for index, value in enumerate(row):
            written = sheet.cell(row=number, column=index + 1, value=_cell(value))
            kind = (index, isinstance(value, date))
            like = styled.get(kind)
            if like is not None:
                written._style = copy(like)
                continue
            written.font = body
            written.border = border
            written.alignment = aligned[index]  # wrapped text indented clear of the border
            if kind[1]:
                written.number_format = date_format
            styled[kind] = written._style

    for index, column in enumerate(layout.columns):
        shown = [column.heading, *(_shown(row[index], chinese) for row in layout.rows)]
        widest = max(_width(text) for text in shown) + 2
        letter = get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = min(max(widest, column.least), column.most)

    for number, row in enumerate(layout.rows, start=HEADER_ROW + 1):
        sheet.row_dimensions[number].height = _height(row, layout, sheet, chinese)
    if layout.subtitle:
        # The title's font is 16 pt against the columns' 11: a line of it takes 16/11 the room.
        room = sum(sheet.column_dimensions[get_column_letter(i + 1)].width for i in range(width))
        lines = sum(-(-_width(text) * 16 // int(11 * room)) or 1 for text in layout.subtitle)
        sheet.row_dimensions[1].height = 36 + 22 * lines

    status = layout.column_of("status")
    if status is not None:
        letter = get_column_letter(status + 1)
        choices = DataValidation(
            type="list", formula1='"' + ",".join(layout.statuses) + '"', allow_blank=True
        )
        choices.error = (
            "请从列表中选择状态。销号（已销号）由督查室核验佐证后办理。"
            if chinese
            else "Choose a status from the list. Signing off (verified) is the office's, "
            "once it has checked the evidence."
        )
        choices.showErrorMessage = True
        end = HEADER_ROW + len(layout.rows) + BLANK_ROWS
        choices.add(f"{letter}{HEADER_ROW + 1}:{letter}{end}")
        sheet.add_data_validation(choices)

    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{last}{HEADER_ROW + len(layout.rows)}"
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    footer = "第 &P 页 共 &N 页" if chinese else "Page &P of &N"
    page_footer = sheet.oddFooter
    assert page_footer is not None and page_footer.center is not None  # a new sheet has both
    page_footer.center.text = footer
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _height(row: Sequence[object], layout: Sheet, sheet: Any, chinese: bool) -> float:
    """A row's height in points: its tallest cell's lines as wrapped, with room above and below.

    Set, not left to the spreadsheet: Excel does not grow a row for wrapped text
    it has not laid out, and a little room makes the printed table easier to read.
    """
    from openpyxl.utils import get_column_letter

    lines = 1
    for index, value in enumerate(row):
        margin = 2 if layout.columns[index].wraps else 1  # the indent of wrapped text
        room = max(int(sheet.column_dimensions[get_column_letter(index + 1)].width) - margin, 1)
        text = _shown(value, chinese) if isinstance(value, date) else str(value or "")
        wrapped = sum(-(-_width(part) // room) or 1 for part in text.splitlines() or [""])
        lines = max(lines, wrapped)
    return lines * LINE_POINTS + 3


def _shown(value: object, chinese: bool = False) -> str:
    """A value as the spreadsheet shows it, for its width: its widest line."""
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value.year}年{value.month:02}月{value.day:02}日" if chinese else value.isoformat()
    return max(str(value).splitlines() or [""], key=_width)


def _width(text: str) -> int:
    """How many characters wide a spreadsheet shows `text`: a Chinese character counts two."""
    from measures.render.linebreak import cells

    return cells(text)


def _cell(value: object) -> Any:
    if isinstance(value, str):
        return escape(neutralise(value))
    return value


def read_xlsx(path: Path, sheet: str | None = None) -> list[list[Any]]:
    """The rows of the worksheet named `sheet` (default: the first), from cell A1, header first.

    Only rows and columns that hold values count: trailing empty cells and rows
    are dropped. A merged range holds its value in its top-left cell and None in
    the others (read-only openpyxl does not know merged ranges, and needs not:
    the file stores the value in that cell alone). Anything that cannot be read,
    or goes past the limits, is a BadValue naming the file.
    """
    from measures.exchange.table import MAX_FILE_BYTES, MAX_ROWS

    data = read_limited(path, MAX_FILE_BYTES)
    if not data:
        raise BadValue(
            _("{path}: the file is empty.").format(path=path),
            _("Save it from Excel or WPS as an Excel workbook (.xlsx), or as CSV UTF-8."),
        )
    check_package(path, data)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl reading an untrusted file: any failure means unreadable
        raise _unreadable(path, error) from None
    try:
        if not book.worksheets:
            raise BadValue(
                _("{path}: the workbook has no worksheet to import.").format(path=path),
                _("Save it from Excel or WPS with the measures on its first sheet."),
            )
        names = book.sheetnames
        if sheet is None:
            chosen = book.worksheets[0]
        elif sheet in names:
            chosen = book[sheet]
        else:
            raise unknown_sheet(path, sheet, names)
        if not hasattr(chosen, "reset_dimensions"):  # a chart sheet has no cells
            raise BadValue(
                _("{path}: the sheet {name} holds no cells.").format(
                    path=path, name=typed(chosen.title)
                ),
                _("Choose a worksheet with --sheet NAME."),
            )
        chosen.reset_dimensions()  # the declared size is not trusted: only cells that exist
        rows = chosen.iter_rows(min_row=1, min_col=1, values_only=True)
        return _bounded_rows(path, rows, MAX_ROWS)
    except BadValue:
        raise
    except Exception as error:  # the sheet is parsed as it is read
        raise _unreadable(path, error) from None
    finally:
        book.close()


def _unreadable(path: Path, error: BaseException) -> BadValue:
    lines = str(error).strip().splitlines()
    reason = lines[0] if lines else type(error).__name__
    return BadValue(
        _("{path}: not a readable .xlsx workbook ({reason}).").format(
            path=path, reason=reason[:200]
        ),
        _("Save it from Excel or WPS as an Excel workbook (.xlsx), or as CSV UTF-8."),
    )


def check_package(
    path: Path, data: bytes, unreadable: Callable[[Path, BaseException], BadValue] | None = None
) -> None:
    """Refuse a zip bomb and any XML part that declares a DTD, before a reader parses them.

    Every zip-packaged office file (xlsx, ods, docx) is checked so; `unreadable`
    makes the error for a file that is not such a package (default: an .xlsx one's).
    """
    unreadable = unreadable or _unreadable
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise unreadable(path, error) from None
    with archive:
        members = archive.infolist()
        unpacked = sum(member.file_size for member in members)
        if unpacked > MAX_UNPACKED_BYTES:
            raise BadValue(
                _("{path}: the file unpacks to more than {size} MB.").format(
                    path=path, size=MAX_UNPACKED_BYTES // (1024 * 1024)
                ),
                _("Import the measures in several files."),
            )
        for member in members:
            try:
                with archive.open(member) as stream:
                    _check_xml(stream)
            except BadValue as error:
                raise unreadable(path, ValueError(f"{member.filename}: {error.message}")) from None
            except Exception as error:  # a broken or encrypted member, an unknown compression
                raise unreadable(path, error) from None


def _check_xml(stream: IO[bytes]) -> None:
    """Parse one part if it is XML, and refuse it if it declares a DTD (a BadValue).

    The declared size of a member bounds what zipfile unpacks (a member that
    unpacks to more fails its CRC check), so this reads at most that.
    """
    from xml.parsers import expat

    first = stream.read(_CHUNK)
    looks_like_xml = first.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    if not looks_like_xml and not first.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # not XML: a picture, a printer's settings; openpyxl does not parse it

    def refuse(*_args: object) -> None:
        raise BadValue(_("it declares a DTD, which a workbook never has"))

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        for chunk in _chunks(first, stream):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise BadValue(str(error)) from None


def _chunks(first: bytes, stream: IO[bytes]) -> Iterator[bytes]:
    yield first
    while chunk := stream.read(_CHUNK):
        yield chunk


def _bounded_rows(path: Path, rows: Iterable[tuple[Any, ...]], limit: int) -> list[list[Any]]:
    """The rows up to the last one with a value, each up to its last value, within limits."""
    kept: list[list[Any]] = []
    blank = 0  # empty rows seen since the last row kept
    for number, row in enumerate(rows, start=1):
        cells = list(row)
        while cells and cells[-1] is None:
            cells.pop()
        if not cells:
            blank += 1
            continue
        if number > limit:
            raise too_large(path, _("row {row}").format(row=f"{number:,}"), limit)
        if len(cells) > MAX_COLUMNS:
            from openpyxl.utils import get_column_letter

            cell = f"{get_column_letter(len(cells))}{number}"
            raise too_large(path, _("cell {cell}").format(cell=cell), limit)
        kept.extend([] for _blank in range(blank))
        blank = 0
        kept.append([unescape(cell) if isinstance(cell, str) else cell for cell in cells])
    return kept


def too_large(path: Path, where: str, rows: int) -> BadValue:
    return BadValue(
        _(
            "{path}: the sheet has a value in {where}; import reads at most {rows} rows "
            "and {columns} columns."
        ).format(path=path, where=where, rows=f"{rows:,}", columns=MAX_COLUMNS),
        _("Delete what lies outside the measures' table, or import it in several files."),
    )
