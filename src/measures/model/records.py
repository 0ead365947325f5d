"""The ledger's records: measures, their log entries, the plan and the ledger.

Frozen, slotted dataclasses, the one type every layer uses, the quick path
(`quick.py`) and the full command line alike. They import nothing but the
standard library and `status.py`: building them does not check them. What comes
from outside (TOML, a command's options, an imported file) is checked by the
pydantic validators of `validate.py` (`validate.measure(data)`, ...), which hand
back these records; a snapshot (`snapshot.py`) is rebuilt into them without
validation, being bound to ledger bytes already validated.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from measures.errors import UnknownMeasure
from measures.i18n import _
from measures.model.status import (
    COMPLETE,
    OPEN,
    Action,
    Status,
    days_overdue,
    is_overdue,
)

# Limits on text fields: generous for any real measure, and they keep a runaway
# value (a pasted document, a corrupted line) out of tables and reports.
MAX_TITLE = 500
MAX_TITLE_EN = MAX_TITLE * 2
MAX_NAME = 200  # owners and partners: names of units
MAX_TEXT = 10_000  # source words and notes

FieldValue = date | str | tuple[str, ...]

# Logged fields whose old and new values are lists of text.
LIST_FIELDS = frozenset({"partners"})


@dataclass(frozen=True, slots=True, kw_only=True)
class LogEntry:
    """One line of a measure's history, appended by the tool and never rewritten."""

    at: datetime
    by: str = ""
    action: Action
    from_: Status | None = None  # `from` in the ledger
    to: Status | None = None
    note: str | None = None
    # For `set` and `extend`: which field moved, and from what to what.
    field: str | None = None
    old: FieldValue | None = None
    new: FieldValue | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Measure:
    """One measure the plan promises."""

    id: int
    title: str
    title_en: str = ""
    owner: str = ""
    partners: tuple[str, ...] = ()
    deadline: date
    status: Status
    done_on: date | None = None
    source: str = ""
    log: tuple[LogEntry, ...] = ()

    def to_toml(self) -> dict[str, Any]:
        """The record as plain TOML values, leaving out what is empty or absent."""
        data: dict[str, Any] = _plain(as_dict(self, exclude_none=True))
        for key in ("partners", "log"):
            if not data[key]:
                del data[key]
        return data


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    name: str
    issued: date | None = None
    declared: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Ledger:
    """A plan and its measures, in file order."""

    plan: Plan
    measures: tuple[Measure, ...] = ()

    def get(self, measure_id: int) -> Measure:
        for measure in self.measures:
            if measure.id == measure_id:
                return measure
        raise UnknownMeasure(
            _("no measure has id {id}.").format(id=measure_id),
            _("See the ids with `measures list`."),
        )

    def replace(self, new: Measure) -> Ledger:
        """A ledger with the measure of the same id swapped for `new`."""
        self.get(new.id)
        measures = tuple(new if m.id == new.id else m for m in self.measures)
        return replace(self, measures=measures)


Record = LogEntry | Measure | Plan | Ledger


def field_names(kind: type[Record]) -> tuple[str, ...]:
    """The record's fields in order (`from_` for a log entry's `from`)."""
    return tuple(item.name for item in fields(kind))


def as_dict(record: Record, *, json: bool = False, exclude_none: bool = False) -> dict[str, Any]:
    """The record as a dictionary by the ledger's names (`from`), nested records too.

    Python values (dates, statuses, tuples) as they are, or with `json` the
    values JSON writes: dates as ISO text, statuses as their values, tuples as
    lists. `exclude_none` leaves out the fields that are None.
    """
    data: dict[str, Any] = {}
    for name in field_names(type(record)):
        value = getattr(record, name)
        if value is None and exclude_none:
            continue
        data["from" if name == "from_" else name] = _value(value, json, exclude_none)
    return data


def _value(value: Any, json: bool, exclude_none: bool) -> Any:
    if isinstance(value, Record):
        return as_dict(value, json=json, exclude_none=exclude_none)
    if isinstance(value, tuple):
        items = [_value(item, json, exclude_none) for item in value]
        return items if json else tuple(items)
    if json:
        if isinstance(value, StrEnum):
            return value.value
        if isinstance(value, datetime):
            return iso_datetime(value)
        if isinstance(value, date):
            return value.isoformat()
    return value


def iso_datetime(value: datetime) -> str:
    """A time as pydantic writes it in JSON: `Z` for UTC, an offset in hours and minutes."""
    offset = value.utcoffset()
    if offset is None:
        return value.isoformat()
    base = value.replace(tzinfo=None).isoformat()
    if not offset:
        return f"{base}Z"
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{base}{sign}{hours:02d}:{minutes:02d}"


def _plain(value: Any) -> Any:
    """Enums as their strings and tuples as lists, as a TOML writer expects."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


__all__ = [
    "COMPLETE",
    "OPEN",
    "Action",
    "FieldValue",
    "Ledger",
    "LogEntry",
    "Measure",
    "Plan",
    "Status",
    "as_dict",
    "days_overdue",
    "field_names",
    "is_overdue",
]
