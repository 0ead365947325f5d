"""The pure changes made to measures: each returns a new record with its log entry.

Nothing here reads the clock or the environment; the command line passes the
day, the time (`at`) and the user's name (`by`) in.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from measures.errors import BadValue, Conflict
from measures.model import OPEN, Action, FieldValue, Ledger, LogEntry, Measure, Status

# The fields `set` may change; status and done_on move only through the lifecycle.
SETTABLE = ("title", "title_en", "owner", "deadline", "partners", "source")


def _logged(measure: Measure, entry: LogEntry, **update: Any) -> Measure:
    return measure.model_copy(update={**update, "log": (*measure.log, entry)})


def mark_done(
    measure: Measure,
    on: date,
    by: str,
    at: datetime,
    note: str | None = None,
) -> Measure:
    """The measure reported complete by its lead unit on `on`."""
    if measure.status not in OPEN:
        raise Conflict(
            f"measure {measure.id} is {measure.status.value}; only an open measure "
            "(todo, doing, blocked) can be marked done.",
            "Use `measures reopen` first if it must be done again.",
        )
    entry = LogEntry(
        at=at, by=by, action=Action.DONE, from_=measure.status, to=Status.DONE, note=note
    )
    return _logged(measure, entry, status=Status.DONE, done_on=on)


def set_fields(
    measure: Measure,
    values: dict[str, FieldValue],
    by: str,
    at: datetime,
    note: str | None = None,
) -> Measure:
    """The measure with `values` set, one `set` log entry for each field that moved."""
    unknown = sorted(set(values) - set(SETTABLE))
    if unknown:
        raise BadValue(f"cannot set {', '.join(unknown)}; settable: {', '.join(SETTABLE)}.")
    result = measure
    for field in SETTABLE:
        if field not in values:
            continue
        old, new = getattr(measure, field), values[field]
        if isinstance(new, list):
            new = tuple(new)
        if old == new:
            continue
        entry = LogEntry(at=at, by=by, action=Action.SET, field=field, old=old, new=new, note=note)
        result = _logged(result, entry, **{field: new})
    # Validate the whole record once more: a blank title, say, is refused here.
    return Measure.model_validate(result.model_dump(by_alias=True))


def next_id(ledger: Ledger) -> int:
    return max((m.id for m in ledger.measures), default=0) + 1


def add_measure(
    ledger: Ledger,
    fields: dict[str, Any],
    by: str,
    at: datetime,
    note: str | None = None,
) -> tuple[Ledger, Measure]:
    """The ledger with a new `todo` measure appended (next free id unless `fields` has one)."""
    ident = fields.get("id") or next_id(ledger)
    if any(m.id == ident for m in ledger.measures):
        raise Conflict(f"measure {ident} already exists.", "Choose another --id, or leave it out.")
    entry = LogEntry(at=at, by=by, action=Action.ADD, to=Status.TODO, note=note)
    measure = Measure.model_validate(
        {**fields, "id": ident, "status": Status.TODO, "log": (entry,)}
    )
    return ledger.model_copy(update={"measures": (*ledger.measures, measure)}), measure


def set_status(
    measure: Measure,
    status: Status,
    done_on: date | None,
    by: str,
    at: datetime,
    note: str | None = None,
) -> Measure:
    """The measure moved to `status` as a file being imported says, logged as a `set`.

    For import, where the status arrives as a value rather than as a step of the
    lifecycle (`measures done`, ...). The entry is a `set` of field `status` with
    `from` and `to` (and `old`/`new`) the two statuses; a `done_on` that moves gets
    its own `set` entry. The record is validated whole: `done_on` must be given
    exactly when `status` is done or verified.
    """
    result = measure
    if status is not measure.status:
        entry = LogEntry(
            at=at,
            by=by,
            action=Action.SET,
            from_=measure.status,
            to=status,
            field="status",
            old=measure.status.value,
            new=status.value,
            note=note,
        )
        result = _logged(result, entry, status=status)
    if done_on != measure.done_on:
        entry = LogEntry(
            at=at,
            by=by,
            action=Action.SET,
            field="done_on",
            old=measure.done_on,
            new=done_on,
            note=note,
        )
        result = _logged(result, entry, done_on=done_on)
    return Measure.model_validate(result.model_dump(by_alias=True))
