"""The ledger's records as plain objects, rebuilt from a snapshot without pydantic.

A snapshot (`snapshot.py`) holds a ledger exactly as pydantic validated it and
wrote it as JSON. Rebuilding it as these light objects skips importing and
running pydantic, which is most of the start-up of a command that only reads
(see `quick.py`). They carry the same attributes, with the same types, as the
model's `Ledger`, `Plan`, `Measure` and `LogEntry`, and `Measure.model_dump`
gives the dictionary pydantic wrote, so the queries, reports and renderers read
them as they read the model. They are read-only by convention and never written
back: changes always go through the model.

Data that does not have the snapshot's shape raises KeyError, TypeError or
ValueError; the quick path then falls back to the full command line.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from measures.status import Action, Status

# Log fields whose old and new values are dates (JSON writes them as text).
_DATE_FIELDS = frozenset({"deadline", "done_on"})


def _day(value: Any) -> date:
    if not isinstance(value, str):
        raise TypeError(f"not a date: {value!r}")
    return date.fromisoformat(value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"not text: {value!r}")
    return value


class PlainEntry:
    """One log entry: the attributes of `measures.model.LogEntry`."""

    __slots__ = ("action", "at", "by", "field", "from_", "new", "note", "old", "to")

    def __init__(self, data: dict[str, Any]) -> None:
        self.at = datetime.fromisoformat(_text(data["at"]))
        self.by = _text(data["by"])
        self.action = Action(data["action"])
        self.from_ = None if data["from"] is None else Status(data["from"])
        self.to = None if data["to"] is None else Status(data["to"])
        self.note = data["note"]
        self.field = data["field"]
        self.old = self._value(data["old"])
        self.new = self._value(data["new"])

    def _value(self, value: Any) -> date | str | tuple[str, ...] | None:
        if isinstance(value, list):
            return tuple(value)
        if self.field in _DATE_FIELDS and isinstance(value, str):
            return date.fromisoformat(value)
        return value  # type: ignore[no-any-return]


class PlainMeasure:
    """One measure: the attributes of `measures.model.Measure`."""

    __slots__ = (
        "_data",
        "deadline",
        "done_on",
        "id",
        "log",
        "owner",
        "partners",
        "source",
        "status",
        "title",
        "title_en",
    )

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        ident = data["id"]
        if type(ident) is not int:
            raise TypeError(f"not an id: {ident!r}")
        self.id = ident
        self.title = _text(data["title"])
        self.title_en = _text(data["title_en"])
        self.owner = _text(data["owner"])
        self.partners = tuple(data["partners"])
        self.deadline = _day(data["deadline"])
        self.status = Status(data["status"])
        self.done_on = None if data["done_on"] is None else _day(data["done_on"])
        self.source = _text(data["source"])
        self.log = tuple(PlainEntry(entry) for entry in data["log"])

    def model_dump(self, *, mode: str = "json", by_alias: bool = True) -> dict[str, Any]:
        """The record as pydantic wrote it: `model_dump(mode="json", by_alias=True)`."""
        if mode != "json" or not by_alias:
            raise ValueError("a plain record has only its JSON form")
        return dict(self._data)


class PlainPlan:
    """The [plan] table: the attributes of `measures.model.Plan`."""

    __slots__ = ("declared", "issued", "name")

    def __init__(self, data: dict[str, Any]) -> None:
        self.name = _text(data["name"])
        self.issued = None if data["issued"] is None else _day(data["issued"])
        declared = data["declared"]
        if declared is not None and type(declared) is not int:
            raise TypeError(f"not a count: {declared!r}")
        self.declared = declared


class PlainLedger:
    """A plan and its measures in file order: the attributes of `measures.model.Ledger`."""

    __slots__ = ("measures", "plan")

    def __init__(self, data: dict[str, Any]) -> None:
        self.plan = PlainPlan(data["plan"])
        self.measures = tuple(PlainMeasure(record) for record in data["measures"])
