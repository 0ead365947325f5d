"""The ledger's records: measures, their log entries, the plan and the ledger.

Frozen, slotted dataclasses, the one type every layer uses, the quick path
(`quick.py`) and the full command line alike. They import nothing but the
standard library and `status.py`: building them does not check them. What comes
from outside (TOML, a command's options, an imported file) is checked by the
pydantic validators of `validate.py` (`validate.measure(data)`, ...), which hand
back these records, or first, for well-formed TOML, by `wellformed.py`, which
hands back the same records without pydantic; a snapshot (`snapshot.py`) is
rebuilt into them without validation, being bound to ledger bytes already
validated.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

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
MAX_DEADLINE_TEXT = MAX_NAME  # a deadline as the plan words it: 2020年年底前, 长期坚持

FieldValue = date | str | tuple[str, ...]

# Logged fields whose old and new values are lists of text.
LIST_FIELDS = frozenset({"partners"})

# Each status and action as its text: a lookup here is several times quicker than `.value`.
VALUE_OF: dict[Status | Action, str] = {
    item: item.value for kind in (Status, Action) for item in kind
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """One piece of evidence (佐证材料) a sign-off rests on: a file and its hash, or a URL."""

    path: str | None = None  # relative to the ledger's folder, with `/`
    sha256: str | None = None
    url: str | None = None


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
    # The day the change took effect when it is not the day of `at` (`--on`, backdated).
    on: date | None = None
    # For `verify`: the evidence checked (files with their hashes, or URLs).
    evidence: tuple[Evidence, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Measure:
    """One measure the plan promises."""

    id: int
    title: str
    title_en: str = ""
    owner: str = ""
    partners: tuple[str, ...] = ()
    # None for an ongoing measure (长期坚持): never overdue, sorted after every dated one.
    deadline: date | None
    # The plan's own wording of the deadline when it is not a plain date; "" when it is.
    deadline_text: str = ""
    status: Status
    done_on: date | None = None
    source: str = ""
    log: tuple[LogEntry, ...] = ()
    # How the owner is known: "" as given (a plan's or an office's assignment), "inferred"
    # when no source names it and it is a guess by function (shown 区税务局（推定）).
    owner_basis: str = ""

    def to_toml(self) -> dict[str, Any]:
        """The record as plain TOML values, leaving out what is empty or absent."""
        data: dict[str, Any] = _plain(as_dict(self, exclude_none=True))
        for key in ("partners", "log", "deadline_text", "owner_basis"):
            if not data[key]:
                del data[key]
        return data


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """The plan the measures carry out: its name, the day it was issued, how many it declares."""

    name: str
    issued: date | None = None
    declared: int | None = None
    # How often units report progress: "month", "week" or a number of days.
    report_every: str | int | None = None
    # Whether `verify` needs evidence (佐证材料).
    require_evidence: bool | None = None
    # The plan's short key in a workspace of several plans (`yshj:3`); else the file's stem.
    key: str | None = None
    # Where the plan comes from: its district, the document or report it is read from,
    # and what the office notes about that reading (what is inferred, what is missing).
    district: str = ""
    source: str = ""
    notes: str = ""
    # Traffic lights (domain/lights.py): yellow when due within this many days (None: 14)
    yellow_days: int | None = None
    # ... or with nothing logged for this many days (None: 30).
    stale_days: int | None = None


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


Record = Evidence | LogEntry | Measure | Plan | Ledger
R = TypeVar("R", Evidence, LogEntry, Measure, Plan, Ledger)


def field_names(kind: type[Record]) -> tuple[str, ...]:
    """The record's fields in order (`from_` for a log entry's `from`)."""
    return tuple(item.name for item in fields(kind))


_makers: dict[type[Record], Callable[..., Any]] = {}


def maker(kind: type[R]) -> Callable[..., R]:
    """A constructor of `kind` for values already checked, every field given, in order or by name.

    A frozen dataclass's `__init__` sets each field through `object.__setattr__`;
    this sets the slots directly, three times quicker, which counts when a
    snapshot or the validator hands over 100,000 measures. Made on first use.
    """
    made = _makers.get(kind)
    if made is None:
        names = field_names(kind)
        # Names of their own, apart from any field's (a log entry has a field `new`).
        space: dict[str, Any] = {"_new_": object.__new__, "_kind_": kind}
        lines = [f"def make({', '.join(names)}):", "    _record_ = _new_(_kind_)"]
        for name in names:
            space[f"_set_{name}_"] = getattr(kind, name).__set__
            lines.append(f"    _set_{name}_(_record_, {name})")
        lines.append("    return _record_")
        exec("\n".join(lines), space)
        made = _makers[kind] = space["make"]
    return made


def as_dict(record: Record, *, json: bool = False, exclude_none: bool = False) -> dict[str, Any]:
    """The record as a dictionary by the ledger's names (`from`), nested records too.

    Python values (dates, statuses, tuples) as they are, or with `json` the
    values JSON writes: dates as ISO text, statuses as their values, tuples as
    lists. `exclude_none` leaves out the fields that are None.
    """
    if json and not exclude_none:  # the forms `--format json` writes: by hand, for speed
        if type(record) is Measure:
            return _measure_json(record)
        if type(record) is LogEntry:
            return _entry_json(record)
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


def _measure_json(measure: Measure) -> dict[str, Any]:
    """`as_dict(measure, json=True)`, written out: it runs for each of 100,000 measures."""
    deadline, done_on = measure.deadline, measure.done_on
    return {
        "id": measure.id,
        "title": measure.title,
        "title_en": measure.title_en,
        "owner": measure.owner,
        "partners": list(measure.partners),
        "deadline": None if deadline is None else deadline.isoformat(),
        "status": VALUE_OF[measure.status],
        "done_on": None if done_on is None else done_on.isoformat(),
        "source": measure.source,
        "log": [_entry_json(entry) for entry in measure.log],
        # After the keys of before: a new key goes at the end.
        "deadline_text": measure.deadline_text,
        "owner_basis": measure.owner_basis,
    }


def _entry_json(entry: LogEntry) -> dict[str, Any]:
    """`as_dict(entry, json=True)`, written out."""
    source, to = entry.from_, entry.to
    return {
        "at": iso_datetime(entry.at),
        "by": entry.by,
        "action": VALUE_OF[entry.action],
        "from": None if source is None else VALUE_OF[source],
        "to": None if to is None else VALUE_OF[to],
        "note": entry.note,
        "field": entry.field,
        "old": _json_value(entry.old),
        "new": _json_value(entry.new),
        # After the keys of before: a new key goes at the end.
        "on": None if entry.on is None else entry.on.isoformat(),
        "evidence": None
        if entry.evidence is None
        else [as_dict(item, json=True) for item in entry.evidence],
    }


def _json_value(value: FieldValue | None) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Build many records, or their JSON, without the cycle collector running meanwhile.

    Records make no cycles, and with millions of objects alive (a big ledger's
    TOML or JSON, the validator's models) a full collection set off by building
    100,000 records costs more than building them (1.4 s against 0.3 s).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def iso_datetime(value: datetime) -> str:
    """A time as pydantic writes it in JSON: `Z` for UTC, an offset in hours and minutes."""
    text = value.isoformat()
    # The common case first: an offset in whole minutes other than UTC's, or none.
    if text[-6] in "+-" and text[-3] == ":" and not text.endswith("+00:00"):
        return text
    offset = value.utcoffset()
    if offset is None:
        return text
    if not offset:
        return f"{text[:-6]}Z"  # "+00:00"
    if not (offset.seconds % 60 or offset.microseconds):
        return text
    base = value.replace(tzinfo=None).isoformat()
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
    "Evidence",
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
