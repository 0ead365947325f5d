"""The ledger's records as plain objects, rebuilt from a snapshot without pydantic.

A snapshot (`snapshot.py`) holds a ledger exactly as pydantic validated it and
wrote it as JSON, fields at their defaults left out. Rebuilding it as these
light objects skips importing and running pydantic, which is most of the
start-up of a command that only reads (see `quick.py`). They carry the same
attributes, with the same types, as the model's `Ledger`, `Plan`, `Measure` and
`LogEntry`, and `Measure.model_dump` gives the dictionary pydantic gives, so
the queries, reports and renderers read them as they read the model. They are
read-only by convention and never written back: changes always go through the
model.

Data that does not have the snapshot's shape raises KeyError, TypeError or
ValueError; the quick path then falls back to the full command line.
`PlainLedger` consumes the data it is given: each record's dictionary is let go
once it is rebuilt.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from measures.model.status import DATE_FIELDS, Action, Status

# By value: a dictionary lookup is several times faster than calling the enum.
_STATUSES = {status.value: status for status in Status}
_ACTIONS = {action.value: action for action in Action}


def _status(value: Any) -> Status:
    try:
        return _STATUSES[value]
    except (KeyError, TypeError):
        raise ValueError(f"not a status: {value!r}") from None


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"not text: {value!r}")
    return value


class PlainEntry:
    """One log entry: the attributes of `measures.model.records.LogEntry`.

    Only the action is read up front; the other fields are converted when read,
    since a report reads the action of every entry and little else.
    """

    __slots__ = ("_data", "action")

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        try:
            self.action = _ACTIONS[data["action"]]
        except TypeError:
            raise ValueError(f"not an action: {data['action']!r}") from None

    @property
    def at(self) -> datetime:
        return datetime.fromisoformat(_text(self._data["at"]))

    @property
    def by(self) -> str:
        return _text(self._data.get("by", ""))

    @property
    def from_(self) -> Status | None:
        value = self._data.get("from")
        return None if value is None else _status(value)

    @property
    def to(self) -> Status | None:
        value = self._data.get("to")
        return None if value is None else _status(value)

    @property
    def note(self) -> str | None:
        return self._data.get("note")

    @property
    def field(self) -> str | None:
        return self._data.get("field")

    @property
    def old(self) -> date | str | tuple[str, ...] | None:
        return self._value(self._data.get("old"))

    @property
    def new(self) -> date | str | tuple[str, ...] | None:
        return self._value(self._data.get("new"))

    def check(self) -> None:
        """Convert every field once, raising if one does not have the snapshot's shape."""
        for name in ("at", "by", "from_", "to", "note", "field", "old", "new"):
            getattr(self, name)

    def model_dump(self, *, mode: str = "json", by_alias: bool = True) -> dict[str, Any]:
        """The entry as pydantic writes it: `model_dump(mode="json", by_alias=True)`."""
        if mode != "json" or not by_alias:
            raise ValueError("a plain record has only its JSON form")
        return _entry_json(self._data)

    def _value(self, value: Any) -> date | str | tuple[str, ...] | None:
        if isinstance(value, list):
            return tuple(value)
        if self.field in DATE_FIELDS and isinstance(value, str):
            return date.fromisoformat(value)
        return value  # type: ignore[no-any-return]


def _entry_json(entry: dict[str, Any]) -> dict[str, Any]:
    """A log entry as `LogEntry.model_dump(mode="json", by_alias=True)`: every field, in order."""
    get = entry.get
    return {
        "at": entry["at"],
        "by": get("by", ""),
        "action": entry["action"],
        "from": get("from"),
        "to": get("to"),
        "note": get("note"),
        "field": get("field"),
        "old": get("old"),
        "new": get("new"),
    }


class PlainMeasure:
    """One measure: the attributes of `measures.model.records.Measure`."""

    __slots__ = (
        "_entries",
        "_log",
        "deadline",
        "done_on",
        "id",
        "owner",
        "partners",
        "source",
        "status",
        "title",
        "title_en",
    )

    def __init__(self, data: dict[str, Any]) -> None:
        ident = data["id"]
        if type(ident) is not int:
            raise TypeError(f"not an id: {ident!r}")
        self.id = ident
        # Checked in one go: this runs once per measure, 100,000 times for a big ledger.
        title, title_en = data["title"], data.get("title_en", "")
        owner, source = data.get("owner", ""), data.get("source", "")
        if not (type(title) is type(title_en) is type(owner) is type(source) is str):
            raise TypeError(f"measure {ident}: a text field is not text")
        self.title, self.title_en, self.owner, self.source = title, title_en, owner, source
        self.partners = tuple(data.get("partners", ()))
        # fromisoformat raises TypeError for anything but text, ValueError for a bad date.
        self.deadline = date.fromisoformat(data["deadline"])
        self.status = _STATUSES[data["status"]]
        done_on = data.get("done_on")
        self.done_on = None if done_on is None else date.fromisoformat(done_on)
        entries = data.get("log", [])
        if not isinstance(entries, list):
            raise TypeError(f"not a log: {entries!r}")
        self._entries: list[dict[str, Any]] = entries
        self._log: tuple[PlainEntry, ...] | None = None if entries else ()

    @property
    def log(self) -> tuple[PlainEntry, ...]:
        """The log entries, rebuilt the first time they are read (`list` seldom needs them)."""
        if self._log is None:
            self._log = tuple(PlainEntry(entry) for entry in self._entries)
        return self._log

    def model_dump(self, *, mode: str = "json", by_alias: bool = True) -> dict[str, Any]:
        """The record as pydantic writes it: `model_dump(mode="json", by_alias=True)`."""
        if mode != "json" or not by_alias:
            raise ValueError("a plain record has only its JSON form")
        return {
            "id": self.id,
            "title": self.title,
            "title_en": self.title_en,
            "owner": self.owner,
            "partners": list(self.partners),
            "deadline": self.deadline.isoformat(),
            "status": self.status.value,
            "done_on": None if self.done_on is None else self.done_on.isoformat(),
            "source": self.source,
            "log": [_entry_json(entry) for entry in self._entries],
        }


class PlainPlan:
    """The [plan] table: the attributes of `measures.model.records.Plan`."""

    __slots__ = ("declared", "issued", "name")

    def __init__(self, data: dict[str, Any]) -> None:
        self.name = _text(data["name"])
        issued = data.get("issued")
        self.issued = None if issued is None else date.fromisoformat(issued)
        declared = data.get("declared")
        if declared is not None and type(declared) is not int:
            raise TypeError(f"not a count: {declared!r}")
        self.declared = declared


class PlainLedger:
    """A plan and its measures in file order: the attributes of `measures.model.records.Ledger`."""

    __slots__ = ("measures", "plan")

    def __init__(self, data: dict[str, Any]) -> None:
        self.plan = PlainPlan(data["plan"])
        records = data.get("measures", [])
        if not isinstance(records, list):
            raise TypeError("not a list of measures")
        measures = []
        # Each record's dictionary is let go once it is rebuilt, so that a big
        # ledger is not held twice over.
        for index, record in enumerate(records):
            measures.append(PlainMeasure(record))
            records[index] = None
        self.measures = tuple(measures)
