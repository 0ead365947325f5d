"""The sheet `export` writes: which columns, in which language and order, their values, the title.

An office sends this sheet to a unit to fill in and takes it back with `import`,
so its headings and status words are the file's, fixed here rather than in the
message catalogue (a translator must not change what import reads). Chinese
follows the office's column order (序号, 工作任务, 牵头单位, …); English keeps
the exchange columns, with `progress` at the end. Pure: the day and the language
are given, nothing is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from measures.domain.history import latest_progress
from measures.domain.labels import CHINESE_STATUS, marked_owner
from measures.errors import BadValue
from measures.exchange.table import Cell, partners_cell
from measures.i18n import _
from measures.model.records import VALUE_OF, Ledger, Measure, Status

Headers = Literal["zh", "en"]


@dataclass(frozen=True)
class Column:
    """One column of the sheet: the field it shows, its heading, and how wide it is printed.

    Widths are in spreadsheet characters (a Chinese character takes two): the
    column is as wide as its widest cell, within `least` and `most`; a column
    that `wraps` breaks longer text into lines instead of growing.
    """

    field: str
    heading: str
    least: int
    most: int
    wraps: bool = False


# The field names are the exchange's (table.COLUMNS), plus `progress` (the
# newest note of the measure's log) and `remarks` (left empty for the unit).
ENGLISH_COLUMNS = (
    Column("id", "id", 4, 6),
    Column("title", "title", 30, 48, wraps=True),
    Column("title_en", "title_en", 12, 40, wraps=True),
    Column("owner", "owner", 10, 28, wraps=True),  # room for `区市场监督管理局 (inferred)`
    Column("partners", "partners", 10, 24, wraps=True),
    Column("deadline", "deadline", 10, 12),
    Column("status", "status", 8, 10),
    Column("done_on", "done_on", 10, 12),
    Column("source", "source", 10, 36, wraps=True),
    Column("progress", "progress", 20, 36, wraps=True),
)
CHINESE_COLUMNS = (
    Column("id", "序号", 5, 6),
    Column("title", "工作任务", 30, 44, wraps=True),
    Column("owner", "牵头单位", 10, 24, wraps=True),  # room for `区市场监督管理局（推定）`
    Column("partners", "配合单位", 10, 22, wraps=True),
    Column("deadline", "完成时限", 10, 16, wraps=True),
    Column("status", "状态", 8, 8),
    Column("done_on", "完成日期", 10, 16),
    Column("progress", "进展情况", 24, 36, wraps=True),
    Column("remarks", "备注", 12, 12, wraps=True),
)
COLUMNS_OF: dict[str, tuple[Column, ...]] = {"en": ENGLISH_COLUMNS, "zh": CHINESE_COLUMNS}
# How a date cell is shown in the spreadsheet.
DATE_FORMATS = {"en": "yyyy-mm-dd", "zh": 'yyyy"年"m"月"d"日"'}
# Rows below the last measure where the status list still applies: room to add measures.
BLANK_ROWS = 20


@dataclass(frozen=True)
class Sheet:
    """What an export file holds, whatever its format: title, columns, rows of cell values."""

    headers: Headers
    title: str  # the xlsx's title row (CSV and Markdown are data, without it)
    columns: tuple[Column, ...]
    rows: list[list[Cell]]
    statuses: tuple[str, ...]  # the status words the status column offers, in order
    # Lines under the title, in the xlsx's title cell: the plan's district, source and notes.
    subtitle: tuple[str, ...] = ()

    @property
    def headings(self) -> list[str]:
        return [column.heading for column in self.columns]

    def column_of(self, field: str) -> int | None:
        """The index of the column showing `field`, if the sheet has one."""
        for index, column in enumerate(self.columns):
            if column.field == field:
                return index
        return None


def export_sheet(ledger: Ledger, headers: Headers, today: date, owner: str | None = None) -> Sheet:
    """The sheet of `ledger` (only the measures `owner` leads or partners, if given), by id."""
    measures = sorted(ledger.measures, key=lambda m: m.id)
    if owner is not None:
        measures = units_measures(measures, owner)
    columns = COLUMNS_OF[headers]
    rows = [[_value(m, c.field, headers) for c in columns] for m in measures]
    return Sheet(
        headers=headers,
        title=sheet_title(ledger.plan.name, today, headers, owner),
        columns=columns,
        rows=rows,
        statuses=status_choices(headers),
        subtitle=sheet_provenance(ledger, headers),
    )


_PROVENANCE_LABELS = {
    "zh": ("地区：", "来源：", "说明："),
    "en": ("District: ", "Source: ", "Notes: "),
}


def sheet_provenance(ledger: Ledger, headers: Headers) -> tuple[str, ...]:
    """`地区：包头市昆都仑区`, `来源：…`, `说明：…` (or in English), for what `[plan]` gives."""
    plan = ledger.plan
    labels = _PROVENANCE_LABELS[headers]
    texts = (plan.district, plan.source, plan.notes)
    return tuple(label + text for label, text in zip(labels, texts, strict=True) if text.strip())


# What the status column offers: every status an import may set. Signing a measure
# off (已销号, verified) is the office's, with `measures verify` and its evidence: an
# import refuses it, so a unit filling in the sheet is not offered it.
CHOICES = tuple(status for status in Status if status is not Status.VERIFIED)


def status_choices(headers: Headers) -> tuple[str, ...]:
    """The statuses the status column offers, as the sheet writes them: 未启动, 推进中, …
    or todo, doing, …; all but 已销号 (verified)."""
    if headers == "zh":
        return tuple(CHINESE_STATUS[s] for s in CHOICES)
    return tuple(VALUE_OF[s] for s in CHOICES)


def units_measures(measures: Sequence[Measure], unit: str) -> list[Measure]:
    """The measures `unit` leads or partners (its exact name); a BadValue if it has none."""
    found = [m for m in measures if m.owner == unit or unit in m.partners]
    if found:
        return found
    units = ledger_units(measures)
    raise BadValue(
        _("--owner {unit}: no measure is led or partnered by that unit.").format(unit=unit),
        _("The ledger's units: {units}.").format(units=_(", ").join(units))
        if units
        else _("No measure in the ledger names a unit yet."),
    )


def ledger_units(measures: Iterable[Measure]) -> list[str]:
    """Every unit that leads or partners a measure, each once, in the order they first appear."""
    seen: dict[str, None] = {}
    for measure in measures:
        for unit in (measure.owner, *measure.partners):
            if unit:
                seen.setdefault(unit, None)
    return list(seen)


def sheet_title(plan: str, today: date, headers: Headers, unit: str | None = None) -> str:
    """`《…行动方案》任务台账（截至2026年12月2日）`, or its English, naming the unit if one."""
    if headers == "zh":
        name = plan if plan.startswith("《") and plan.endswith("》") else f"《{plan}》"
        day = f"{today.year}年{today.month}月{today.day}日"
        whose = f"{unit}，" if unit else ""
        return f"{name}任务台账（{whose}截至{day}）"
    whose = f" — {unit}" if unit else ""
    return f"{plan}: ledger of measures{whose} (as of {today.isoformat()})"


def _value(measure: Measure, field: str, headers: Headers) -> Cell:
    if field == "status":
        return CHINESE_STATUS[measure.status] if headers == "zh" else VALUE_OF[measure.status]
    if field == "partners":
        return partners_cell(measure.partners)
    if field == "deadline":
        # The plan's wording (2020年年底前, 长期坚持), where the ledger keeps one, in either
        # language: what an office reads, and what import reads back as the same date and
        # wording (a plain date would clear the wording).
        return measure.deadline_text or measure.deadline
    if field == "progress":
        return latest_progress(measure)
    if field == "remarks":
        return ""
    if field == "owner":
        return marked_owner(measure.owner, measure.owner_basis, headers)
    value: Cell = getattr(measure, field)
    return value
