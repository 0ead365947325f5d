"""The columns of a sheet to import: which row is the header, and which field each column is.

Offices head their columns in many ways (序号, 编号, id; 工作任务, 举措, title; …);
each name read here maps to one field. A sheet may carry a title row, a blank
row or a 填报单位 / 填报时间 line above its header: the header is the first row
with a cell that names an id or a title column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from measures.exchange.cells import column_letter
from measures.i18n import _

# Each field, and the headings read as it (compared by `heading_key`). The first
# name of a list is the one the Chinese export writes; the field's own name is
# the one the English export writes.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("序号", "编号", "id"),
    "title": ("工作任务", "重点任务", "任务", "举措", "工作内容", "具体措施", "title"),
    "title_en": ("英文标题", "title_en"),
    "owner": ("牵头单位", "责任单位", "主责单位", "owner"),
    "partners": ("配合单位", "协办单位", "partners"),
    "deadline": ("完成时限", "时间节点", "截止时间", "deadline"),
    "status": ("状态", "完成情况", "status"),
    "done_on": ("完成日期", "done_on"),
    "progress": ("进展情况", "推进情况", "工作进展", "progress"),
    "source": ("来源", "依据", "source"),
}
# Columns of a feedback sheet that are not fields: their text joins the
# progress note as a labelled line, `存在问题：…`, in this order.
NOTE_LINES = ("存在问题", "下步打算", "备注")
# 完成时间 is the deadline in a plan's table, and the day the work was done in
# a unit's feedback sheet, which has a deadline column beside it.
DONE_TIME = "完成时间"
# The fields that make a row the header: a sheet has at least one of them.
KEY_FIELDS = ("id", "title")
# Whitespace at a heading's edges or inside it: spaces, full-width spaces, line breaks.
_SPACE = re.compile(r"[\s\u3000]+")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


def heading_key(text: str) -> str:
    """A heading as compared: no spaces, line breaks or full-width spaces; ASCII in lower case."""
    squeezed = _SPACE.sub("", text)
    return "".join(c.lower() if c.isascii() else c for c in squeezed)


_FIELD_OF = {heading_key(name): field for field, names in FIELD_NAMES.items() for name in names}
_NOTE_KEYS = {heading_key(name): name for name in NOTE_LINES}


@dataclass(frozen=True)
class Column:
    """One column of the sheet: where it is, how the sheet heads it, and what it is read as."""

    index: int
    heading: str  # as the sheet writes it, trimmed
    field: str  # a field of FIELD_NAMES, or a NOTE_LINES label

    @property
    def label(self) -> str:
        """The column as an error names it: its letter and its heading, `E (完成时限)`."""
        place = column_letter(self.index)
        return _("{letter} ({heading})").format(letter=place, heading=self.heading)


@dataclass(frozen=True)
class Header:
    """The header row, found and read."""

    row: int  # as a spreadsheet numbers it, from 1
    columns: tuple[Column | None, ...]  # by index; None for an empty or ignored column
    ignored: tuple[Column, ...]  # headed, but not a column import reads (field "")
    done_time: str | None  # 完成时间 read as "deadline" or "done_on"; None: no such column
    year: int | None  # the plan's year, from a title or 填报时间 line above the header

    def column(self, field: str) -> Column | None:
        return next((c for c in self.columns if c is not None and c.field == field), None)

    @property
    def fields(self) -> set[str]:
        return {c.field for c in self.columns if c is not None}


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def find_header(table: Sequence[Sequence[Any]]) -> int | None:
    """The index of the header row: the first with a cell naming an id or title column."""
    for index, cells in enumerate(table):
        for cell in cells:
            if isinstance(cell, str) and _FIELD_OF.get(heading_key(cell)) in KEY_FIELDS:
                return index
    return None


def year_above(rows: Sequence[Sequence[Any]]) -> int | None:
    """The year a title or 填报时间 line above the header names (`2026年…`), if one does."""
    for cells in rows:
        for cell in cells:
            if isinstance(cell, datetime | date):
                return cell.year
            found = _YEAR.search(_text(cell))
            if found:
                return int(found.group(1))
    return None


def read_header(
    table: Sequence[Sequence[Any]], index: int
) -> tuple[Header, list[tuple[Column, str]]]:
    """The header at `table[index]`, and its problems: (column, what is wrong), in column order.

    The problem of two columns meaning one field names both; the message is
    made by the caller, in the user's language.
    """
    cells = table[index]
    keys = [heading_key(_text(cell)) for cell in cells]
    has_deadline = any(_FIELD_OF.get(key) == "deadline" for key in keys)
    done_time = None
    columns: list[Column | None] = []
    ignored: list[Column] = []
    problems: list[tuple[Column, str]] = []
    seen: dict[str, Column] = {}
    for position, (cell, key) in enumerate(zip(cells, keys, strict=True)):
        heading = _SPACE.sub(" ", _text(cell)).strip()
        if not key:
            columns.append(None)  # an empty column, as spreadsheets often leave
            continue
        if key == DONE_TIME:
            field = done_time = "done_on" if has_deadline else "deadline"
        else:
            field = _FIELD_OF.get(key) or _NOTE_KEYS.get(key, "")
        column = Column(position, heading, field)
        if not field:
            ignored.append(column)
            columns.append(None)
            continue
        if field in seen:
            problems.append((column, seen[field].label))
        else:
            seen[field] = column
        columns.append(column)
    header = Header(index + 1, tuple(columns), tuple(ignored), done_time, year_above(table[:index]))
    return header, problems
