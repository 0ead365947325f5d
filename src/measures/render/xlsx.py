"""Excel workbooks, written and read with openpyxl (imported only here, when needed)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from measures.errors import BadValue
from measures.render.cells import neutralise

DATE_FORMAT = "yyyy-mm-dd"


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """One sheet: a bold header row, then the rows; text neutralised, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = title
    sheet.append([neutralise(h) for h in header])
    for heading in sheet[1]:
        heading.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(value) for value in row])
        for written in sheet[sheet.max_row]:
            if isinstance(written.value, date):
                written.number_format = DATE_FORMAT
    _fit_columns(sheet)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fit_columns(sheet: Any) -> None:
    """Columns as wide as their widest cell (a Chinese character counts two), within limits."""
    import unicodedata

    from openpyxl.utils import get_column_letter

    for index, column in enumerate(sheet.iter_cols(values_only=True), start=1):
        widest = max(
            (
                sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in _shown(v))
                for v in column
            ),
            default=0,
        )
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, 8), 60)


def _shown(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _cell(value: object) -> Any:
    if isinstance(value, str):
        return neutralise(value)
    return value


def read_xlsx(path: Path) -> list[list[Any]]:
    """The rows of the workbook's first sheet, from cell A1, header first."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except OSError as error:
        raise BadValue(f"{path}: cannot be read ({error.strerror}).") from None
    except (BadZipFile, InvalidFileException, KeyError, ValueError) as error:
        raise BadValue(
            f"{path}: not a readable .xlsx workbook ({error}).",
            "Save it from Excel or WPS as an Excel workbook (.xlsx), or as CSV UTF-8.",
        ) from None
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)]
    finally:
        book.close()
