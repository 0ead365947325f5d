"""The pure changes made to measures: each returns a new record with its log entry.

Nothing here reads the clock or the environment; the command line passes the
day, the time (`at`) and the user's name (`by`) in.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from measures.domain.labels import format_date, status_label, status_list
from measures.errors import BadValue, Conflict
from measures.i18n import _
from measures.model.records import (
    COMPLETE,
    OPEN,
    Action,
    Evidence,
    FieldValue,
    Ledger,
    LogEntry,
    Measure,
    Status,
    as_dict,
)

# The fields `set` may change; status and done_on move only through the lifecycle.
SETTABLE = (
    "title",
    "title_en",
    "owner",
    "deadline",
    "deadline_text",
    "partners",
    "source",
    "owner_basis",
)


def _validated(data: dict[str, Any]) -> Measure:
    """The record `data` describes, or a BadValue naming the field that breaks the model."""
    from pydantic import ValidationError

    from measures.model import validate

    try:
        return validate.measure(data)
    except ValidationError as error:
        raise _refused(error) from None


def _entry(**fields: Any) -> LogEntry:
    """A log entry, or a BadValue naming the field that breaks the model (a note too long).

    Checked without pydantic when it surely passes (`wellformed.entry`), as nearly
    every entry does; by the pydantic model otherwise, which says what is wrong.
    """
    from measures.model import wellformed

    made = wellformed.entry(**fields)
    if made is not None:
        return made
    from pydantic import ValidationError

    from measures.model import validate

    try:
        return validate.entry(**fields)
    except ValidationError as error:
        raise _refused(error) from None


def _refused(error: Any) -> BadValue:
    """The BadValue for the first problem the validator found: `field: what is wrong.`"""
    from measures.model.problems import explain

    problem = error.errors()[0]
    field = ".".join(str(part) for part in problem["loc"])
    message = explain(problem)
    if field:
        message = _("{field}: {message}").format(field=field, message=message)
    return BadValue(_("{message}.").format(message=message))


def _logged(measure: Measure, entry: LogEntry, **update: Any) -> Measure:
    return replace(measure, **update, log=(*measure.log, entry))


class FutureDay(BadValue):
    """A day a measure was done that lies after today."""


def check_done_on(on: date, today: date) -> None:
    """The rule for the day a measure was done (`done --on`, an import's done_on): not after today.

    FutureDay if it is; the command line and the import each name where the day came from.
    """
    if on > today:
        raise FutureDay(_("{day} is in the future").format(day=on.isoformat()))


class BeforeAdded(BadValue):
    """A day a change took effect that lies before its measure was added."""


def added_on(measure: Measure) -> date | None:
    """The day the measure's `add` entry took effect; None for a measure written by hand."""
    for entry in measure.log:
        if entry.action is Action.ADD:
            return entry.on or entry.at.date()
    return None


def check_on(measure: Measure, on: date, today: date) -> None:
    """The rule for a backdated change (`--on` of done, start, block, verify, ...).

    Not after today (FutureDay), and not before the measure was added (BeforeAdded):
    the `--as-of` view must be able to place the change on that day.
    """
    check_done_on(on, today)
    added = added_on(measure)
    if added is not None and on < added:
        raise BeforeAdded(
            _("{day} is before measure {id} was added, on {added}").format(
                day=format_date(on), id=measure.id, added=format_date(added)
            ),
            _("A change cannot take effect before its measure was added."),
        )


def _effective(on: date | None, at: datetime) -> date | None:
    """The `on` a log entry records: the day given, unless it is the day of `at` anyway."""
    return None if on is None or on == at.date() else on


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
            _(
                "measure {id} is {status}; only an open measure ({allowed}) can be marked done."
            ).format(
                id=measure.id,
                status=status_label(measure.status),
                allowed=_(", ").join(status_label(s) for s in Status if s in OPEN),
            ),
            _("Use `measures reopen` first if it must be done again."),
        )
    # The entry carries the day it was done: `--as-of` dates the change by it, not by `at`.
    entry = _entry(
        at=at,
        by=by,
        action=Action.DONE,
        from_=measure.status,
        to=Status.DONE,
        note=note,
        field="done_on",
        new=on,
    )
    return _logged(measure, entry, status=Status.DONE, done_on=on)


def _refuse(measure: Measure, allowed: frozenset[Status], message: str, hint: str) -> None:
    """A Conflict unless the measure's status is one of `allowed`.

    `message` names the change refused, with {id}, {status} and {allowed} to fill in.
    """
    if measure.status not in allowed:
        raise Conflict(
            message.format(
                id=measure.id,
                status=status_label(measure.status),
                allowed=status_list(allowed),
            ),
            hint,
        )


def _moved(
    measure: Measure,
    action: Action,
    to: Status,
    by: str,
    at: datetime,
    note: str | None,
    on: date | None = None,
    **extra: Any,
) -> Measure:
    entry = _entry(
        at=at,
        by=by,
        action=action,
        from_=measure.status,
        to=to,
        note=note,
        on=_effective(on, at),
        **extra,
    )
    return _logged(measure, entry, status=to)


def _reason(reason: str | None, message: str) -> str:
    if reason is None or not reason.strip():
        raise BadValue(message, _("Give one with --reason TEXT."))
    return reason


def start(
    measure: Measure, by: str, at: datetime, note: str | None = None, on: date | None = None
) -> Measure:
    """Work on a `todo` measure has begun: it is now `doing`."""
    _refuse(
        measure,
        frozenset({Status.TODO}),
        _("measure {id} is {status}; only a measure that is {allowed} can be started."),
        _("A blocked measure goes back to work with `measures reopen`."),
    )
    return _moved(measure, Action.START, Status.DOING, by, at, note, on)


def block(measure: Measure, reason: str, by: str, at: datetime, on: date | None = None) -> Measure:
    """Work cannot go on, for `reason`; the measure stays open (and can be overdue)."""
    _refuse(
        measure,
        frozenset({Status.TODO, Status.DOING}),
        _("measure {id} is {status}; only a measure that is {allowed} can be blocked."),
        _("Only a measure waiting or in progress can be blocked."),
    )
    why = _reason(reason, _("block needs a reason."))
    return _moved(measure, Action.BLOCK, Status.BLOCKED, by, at, why, on)


def drop(measure: Measure, reason: str, by: str, at: datetime, on: date | None = None) -> Measure:
    """The measure will not be carried out, for `reason`; reports leave it out of the rate."""
    _refuse(
        measure,
        OPEN,
        _("measure {id} is {status}; only a measure that is {allowed} can be dropped."),
        _("Use `measures reopen` first to drop a closed measure."),
    )
    why = _reason(reason, _("drop needs a reason."))
    return _moved(measure, Action.DROP, Status.DROPPED, by, at, why, on)


def verify(
    measure: Measure,
    by: str,
    at: datetime,
    note: str | None = None,
    on: date | None = None,
    evidence: tuple[Evidence, ...] = (),
    require_evidence: bool = False,
) -> Measure:
    """The supervising office has checked a `done` measure and signs it off (销号).

    `evidence`: the files (by path and hash) and URLs checked, kept in the entry.
    With `require_evidence` (the plan's `require_evidence = true`) none is refused.
    """
    _refuse(
        measure,
        frozenset({Status.DONE}),
        _("measure {id} is {status}; only a measure that is {allowed} can be verified."),
        _("Only a measure its lead unit reported done can be signed off; mark it done first."),
    )
    if require_evidence and not evidence:
        raise BadValue(
            _("measure {id} cannot be signed off without evidence: this plan requires it.").format(
                id=measure.id
            ),
            _("Give the evidence checked with --evidence FILE or --evidence URL (repeatable)."),
        )
    return _moved(
        measure, Action.VERIFY, Status.VERIFIED, by, at, note, on, evidence=evidence or None
    )


def reopen_status(measure: Measure) -> Status:
    """Where a reopened measure goes: back to `doing` if work had begun, else `todo`.

    The newest log entry that left `todo` or `doing` says which; a measure with no
    such entry (written by hand) goes back to `todo`.
    """
    for entry in reversed(measure.log):
        if entry.from_ in (Status.TODO, Status.DOING):
            return entry.from_
    return Status.TODO


def reopen(measure: Measure, by: str, at: datetime, note: str | None = None) -> Measure:
    """A blocked, done, verified or dropped measure is open again; `done_on` goes."""
    _refuse(
        measure,
        frozenset({Status.BLOCKED, *COMPLETE, Status.DROPPED}),
        _("measure {id} is {status}; only a measure that is {allowed} can be reopened."),
        _("It is open already."),
    )
    to = reopen_status(measure)
    if measure.done_on is None:
        return _moved(measure, Action.REOPEN, to, by, at, note)
    entry = _entry(
        at=at,
        by=by,
        action=Action.REOPEN,
        from_=measure.status,
        to=to,
        note=note,
        field="done_on",
        old=measure.done_on,
    )
    return _logged(measure, entry, status=to, done_on=None)


def extend(
    measure: Measure, to: date, reason: str, by: str, at: datetime, on: date | None = None
) -> Measure:
    """A formal extension of an open measure's deadline to the later day `to`."""
    _refuse(
        measure,
        OPEN,
        _("measure {id} is {status}; only a measure that is {allowed} can be extended."),
        _("A closed measure needs no deadline; `measures set --deadline` corrects a typo."),
    )
    if measure.deadline is None:
        raise BadValue(
            _("measure {id} is ongoing ({wording}): it has no deadline to extend.").format(
                id=measure.id, wording=measure.deadline_text
            ),
            _("To give it a deadline, use `measures set ID --deadline DATE`."),
        )
    if to <= measure.deadline:
        raise BadValue(
            _(
                "--to {day} is not after measure {id}'s deadline {deadline}; "
                "an extension moves the deadline later."
            ).format(day=format_date(to), id=measure.id, deadline=format_date(measure.deadline)),
            _("To correct a mistyped deadline, use `measures set ID --deadline DATE`."),
        )
    note = _reason(reason, _("extend needs a reason."))
    entry = _entry(
        at=at,
        by=by,
        action=Action.EXTEND,
        field="deadline",
        old=measure.deadline,
        new=to,
        note=note,
        on=_effective(on, at),
    )
    extended = _logged(measure, entry, deadline=to)
    return _wording_cleared(extended, measure.deadline_text, by, at, note, on)


def _wording_cleared(
    measure: Measure,
    wording: str,
    by: str,
    at: datetime,
    note: str | None,
    on: date | None = None,
) -> Measure:
    """A measure given a date keeps no wording of its old deadline (2020年年底前).

    The wording's clearing is its own `set` entry of field `deadline_text`, at the
    same time as the change of the date, so that `--as-of` puts back both.
    """
    if not wording:
        return measure
    entry = _entry(
        at=at,
        by=by,
        action=Action.SET,
        field="deadline_text",
        old=wording,
        new="",
        note=note,
        on=_effective(on, at),
    )
    return _logged(measure, entry, deadline_text="")


def add_note(measure: Measure, text: str, by: str, at: datetime, on: date | None = None) -> Measure:
    """A progress note in the measure's log; nothing else moves."""
    if not text.strip():
        raise BadValue(
            _("the note is empty."), _('Write it in quotes: measures note 3 "已完成初稿"')
        )
    entry = _entry(at=at, by=by, action=Action.NOTE, note=text, on=_effective(on, at))
    return _logged(measure, entry)


def set_fields(
    measure: Measure,
    values: dict[str, FieldValue],
    by: str,
    at: datetime,
    note: str | None = None,
) -> Measure:
    """The measure with `values` set, one `set` log entry for each field that moved.

    A deadline moved to another date without a wording given clears the old
    wording (`deadline_text`), logged as a `set` of its own: the wording was of
    the old date. The same date given again keeps it. An owner given, even the
    same one, is no longer inferred: `owner_basis` goes, logged as its own `set`.
    """
    unknown = sorted(set(values) - set(SETTABLE))
    if unknown:
        raise BadValue(
            _("cannot set {fields}; settable: {settable}.").format(
                fields=", ".join(unknown), settable=", ".join(SETTABLE)
            )
        )
    if (
        "deadline_text" not in values
        and values.get("deadline", measure.deadline) != measure.deadline
    ):
        values = {**values, "deadline_text": ""}
    if "owner" in values and "owner_basis" not in values:
        # An owner given is an owner stated: an inference it replaces or confirms goes.
        values = {**values, "owner_basis": ""}
    result = measure
    for field in SETTABLE:
        if field not in values:
            continue
        old, new = getattr(measure, field), values[field]
        if isinstance(new, list):
            new = tuple(new)
        if old == new:
            continue
        entry = _entry(at=at, by=by, action=Action.SET, field=field, old=old, new=new, note=note)
        result = _logged(result, entry, **{field: new})
    # Validate the whole record once more: a blank title, say, is refused here.
    return _validated(as_dict(result))


def next_id(ledger: Ledger) -> int:
    return max((m.id for m in ledger.measures), default=0) + 1


def add_measure(
    ledger: Ledger,
    fields: dict[str, Any],
    by: str,
    at: datetime,
    note: str | None = None,
) -> tuple[Ledger, Measure]:
    """The ledger with a new `todo` measure appended (next free id unless `fields` has one).

    Its deadline is a date, a date with its wording, or, for ongoing work, a
    wording alone (`deadline_text`, 长期坚持).
    """
    if fields.get("deadline") is None and not str(fields.get("deadline_text") or "").strip():
        raise BadValue(
            _("a new measure needs a deadline."),
            _("Give --deadline DATE, or for ongoing work --deadline-text TEXT (长期坚持)."),
        )
    ident = fields.get("id") or next_id(ledger)
    if any(m.id == ident for m in ledger.measures):
        raise Conflict(
            _("measure {id} already exists.").format(id=ident),
            _("Choose another --id, or leave it out."),
        )
    measure = new_measure(ident, fields, by, at, note)
    return replace(ledger, measures=(*ledger.measures, measure)), measure


def new_measure(
    ident: int, fields: dict[str, Any], by: str, at: datetime, note: str | None = None
) -> Measure:
    """A new `todo` measure with id `ident`, its `add` entry logged; the caller keeps ids unique.

    Import adds thousands at a time through this, building the ledger once.
    """
    entry = _entry(at=at, by=by, action=Action.ADD, to=Status.TODO, note=note)
    return _validated({**fields, "id": ident, "status": Status.TODO, "log": (entry,)})


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
        entry = _entry(
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
        entry = _entry(
            at=at,
            by=by,
            action=Action.SET,
            field="done_on",
            old=measure.done_on,
            new=done_on,
            note=note,
        )
        result = _logged(result, entry, done_on=done_on)
    from measures.model import validate

    return validate.measure(as_dict(result))
