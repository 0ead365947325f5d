"""The records of a ledger's usual, well-formed TOML data, checked without pydantic; or None.

Importing pydantic and building the models of `validate.py` takes most of a
first read of a small ledger, and of every write's check of what it wrote. The
data of such a read is nearly always well formed, and of the few kinds a TOML
parser gives: text, whole numbers, dates, aware times, arrays and tables. This
checks that data by the rules of `validate.py`, rule for rule, in plain Python,
and builds the same records; anything it is not sure of (a value of another
kind, a rule broken, a form it does not take) is None, and the caller then
validates with pydantic as before, so every error keeps its precise message.
So it may refuse what pydantic would accept, but never the reverse: whatever
it returns, `validate` returns an equal record for the same data.

It is used at every size: it is also the quicker, some 2-5 µs a measure
against pydantic's 3-10 µs (20 µs at 100,000 measures, its models built with
the cycle collector on), records built included.

A rule changed in `validate.py` is changed here too; tests/test_wellformed.py
sets the two against each other on valid and nearly valid data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Any

from measures.model import records
from measures.model.records import (
    LIST_FIELDS,
    MAX_DEADLINE_TEXT,
    MAX_NAME,
    MAX_TEXT,
    MAX_TITLE,
    MAX_TITLE_EN,
    Ledger,
    LogEntry,
    Measure,
    Plan,
)
from measures.model.status import COMPLETE, DATE_FIELDS, Action, Status

_STATUS = {status.value: status for status in Status}
_ACTION = {action.value: action for action in Action}

# Integers are taken below this; a bigger one (never an id in practice) goes to pydantic.
_BIG = 1 << 63

# The patterns of validate.py, matched without regular expressions (compiling
# them would cost more than the check of a small ledger). pydantic-core's `\S`
# is the complement of Unicode's White_Space; Python's space (str.isspace,
# str.split) is wider, also \x1c-\x1f: text non-blank here is non-blank there.
_HEX = "0123456789abcdef"
_KEY_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

# The keys each check below knows, written out: a key the models gain is not
# taken here until its rules are (it goes to pydantic meanwhile).
_PLAN_KEYS = frozenset(
    {
        "name",
        "issued",
        "declared",
        "report_every",
        "require_evidence",
        "key",
        "district",
        "source",
        "notes",
        "yellow_days",
        "stale_days",
    }
)
_MEASURE_KEYS = frozenset(
    {
        "id",
        "title",
        "title_en",
        "owner",
        "partners",
        "deadline",
        "deadline_text",
        "status",
        "done_on",
        "source",
        "log",
        "owner_basis",
    }
)
_ENTRY_KEYS = frozenset(
    {"at", "by", "action", "from", "to", "note", "field", "old", "new", "on", "evidence"}
)
_EVIDENCE_KEYS = frozenset({"path", "sha256", "url"})

# What a value that is not sure is returned as, where None is a value.
_UNSURE: Any = object()


def ledger(data: Any) -> Ledger | None:
    """The ledger of this TOML document, as `validate.ledger` makes it; None if not sure."""
    if type(data) is not dict or not data.keys() <= {"plan", "measures"}:
        return None
    plan_record = plan(data.get("plan"))
    items = data.get("measures", ())
    if plan_record is None or type(items) not in (list, tuple):
        return None
    make, make_entry = records.maker(Measure), records.maker(LogEntry)
    built = []
    with records.without_cycle_collection():
        for item in items:
            measure_record = _measure(item, make, make_entry)
            if measure_record is None:
                return None
            built.append(measure_record)
    if len({measure_record.id for measure_record in built}) != len(built):
        return None  # a duplicate id
    return Ledger(plan=plan_record, measures=tuple(built))


def measure(data: Any) -> Measure | None:
    """The measure of this TOML table, as `validate.measure` makes it; None if not sure."""
    return _measure(data, records.maker(Measure), records.maker(LogEntry))


def entry(**fields: Any) -> LogEntry | None:
    """The log entry of these fields (by their Python names: `from_`, enum members,
    `records.Evidence`), as `validate.entry` makes it; None if not sure.

    A write builds one for every change it makes: checked here, it needs no pydantic.
    """
    if "from" in fields:  # the TOML name, which validate.entry does not take
        return None
    data: dict[str, Any] = {}
    for name, value in fields.items():
        if value is None and name in _MAY_BE_NONE:
            continue  # the model's default for these
        if name == "evidence":
            if type(value) is not tuple or not all(type(i) is records.Evidence for i in value):
                return None
            value = [records.as_dict(item, exclude_none=True) for item in value]
        elif isinstance(value, (Action, Status)):
            value = value.value
        data["from" if name == "from_" else name] = value
    return _entry(data, records.maker(LogEntry))


def entry_json(data: Any) -> LogEntry | None:
    """The log entry of its JSON fields as a write recorded them (the journal's
    `as_dict(entry, json=True)`), as `validate.entry_json` makes it; None if not sure.

    Times and days are taken only in the very form they are written in.
    """
    if type(data) is not dict:
        return None
    table = dict(data)
    at = table.get("at")
    if type(at) is not str:
        return None
    try:
        moment = datetime.fromisoformat(at)
        if records.iso_datetime(moment) != at:
            return None
        table["at"] = moment
        days = ["on"] + (["old", "new"] if table.get("field") in DATE_FIELDS else [])
        for key in days:
            day = table.get(key)
            if day is not None:
                read = date.fromisoformat(day) if type(day) is str else None
                if read is None or read.isoformat() != day:
                    return None
                table[key] = read
    except ValueError:
        return None
    return _entry(table, records.maker(LogEntry))


_MAY_BE_NONE = frozenset({"from_", "to", "note", "field", "old", "new", "on", "evidence"})


def plan(data: Any) -> Plan | None:
    """The plan of this TOML table, as `validate.plan` makes it; None if not sure."""
    if type(data) is not dict or not data.keys() <= _PLAN_KEYS:
        return None
    get = data.get
    name: Any = get("name")
    if not _title(name):
        return None
    issued = get("issued")
    declared = get("declared")
    report_every = get("report_every")
    require_evidence = get("require_evidence")
    key = get("key")
    yellow_days = get("yellow_days")
    stale_days = get("stale_days")
    if (
        (issued is not None and type(issued) is not date)
        or (declared is not None and not (type(declared) is int and 0 <= declared < _BIG))
        or not _period(report_every)
        or (require_evidence is not None and type(require_evidence) is not bool)
        or (key is not None and not _plan_key(key))
        or (yellow_days is not None and not (type(yellow_days) is int and 0 <= yellow_days <= 3650))
        or (stale_days is not None and not (type(stale_days) is int and 1 <= stale_days <= 3650))
    ):
        return None
    district = get("district", "")
    source = get("source", "")
    notes = get("notes", "")
    if not (_text(district, MAX_NAME) and _text(source, MAX_TEXT) and _text(notes, MAX_TEXT)):
        return None
    return Plan(
        name=name,
        issued=issued,
        declared=declared,
        report_every=report_every,
        require_evidence=require_evidence,
        key=key,
        district=district,
        source=source,
        notes=notes,
        yellow_days=yellow_days,
        stale_days=stale_days,
    )


def _period(value: Any) -> bool:
    """Whether `value` is a plan's report_every: None, "month", "week" or a number of days."""
    if value is None:
        return True
    if type(value) is str:
        return value in ("month", "week")
    return type(value) is int and 0 < value < _BIG


def _plan_key(value: Any) -> bool:
    """Whether `value` is a plan's key: 1 to 40 ASCII letters, digits, `_` and `-`."""
    return (
        type(value) is str
        and 0 < len(value) <= 40
        and value.isascii()
        and not value.strip(_KEY_CHARACTERS)
    )


def _unicode(value: Any) -> bool:
    """Whether `value` is text that pydantic takes as it is: a str, every character encodable.

    A TOML parser never gives a lone surrogate, which pydantic refuses; a str
    handed on from elsewhere might hold one.
    """
    if type(value) is not str:
        return False
    if value.isascii():
        return True
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _text(value: Any, limit: int) -> bool:
    """`_unicode` text of at most `limit` characters."""
    return _unicode(value) and len(value) <= limit


def _title(value: Any) -> bool:
    """`_text` of a title: at most MAX_TITLE characters, not all of them space."""
    return _text(value, MAX_TITLE) and bool(value) and not value.isspace()


def _measure(
    data: Any, make: Callable[..., Measure], make_entry: Callable[..., LogEntry]
) -> Measure | None:
    if type(data) is not dict or not data.keys() <= _MEASURE_KEYS:
        return None
    get = data.get
    ident = get("id")
    title = get("title")
    status = get("status")
    if (
        type(ident) is not int
        or not 0 < ident < _BIG
        or type(status) is not str
        or status not in _STATUS
        or not _title(title)
    ):
        return None
    status = _STATUS[status]
    title_en = get("title_en", "")
    owner = get("owner", "")
    deadline_text = get("deadline_text", "")
    source = get("source", "")
    owner_basis = get("owner_basis", "")
    if not (
        _text(title_en, MAX_TITLE_EN)
        and _text(owner, MAX_NAME)
        and _text(deadline_text, MAX_DEADLINE_TEXT)
        and _text(source, MAX_TEXT)
        and (owner_basis == "" or owner_basis == "inferred")
        and type(owner_basis) is str
    ):
        return None
    if "deadline" in data:
        deadline = data["deadline"]
        if deadline is not None and type(deadline) is not date:
            return None
    elif deadline_text:  # ongoing work (validate.Measure._ongoing)
        deadline = None
    else:
        return None  # no deadline at all
    if deadline is None and not deadline_text.strip():
        return None
    done_on = get("done_on")
    if done_on is not None and type(done_on) is not date:
        return None
    if (done_on is None) is (status in COMPLETE):
        return None  # done without the day, or a day without being done
    partners = _names(get("partners", ()))
    log = get("log", ())
    if partners is None or type(log) not in (list, tuple):
        return None
    entries = []
    for item in log:
        entry = _entry(item, make_entry)
        if entry is None:
            return None
        entries.append(entry)
    return make(
        id=ident,
        title=title,
        title_en=title_en,
        owner=owner,
        partners=partners,
        deadline=deadline,
        deadline_text=deadline_text,
        status=status,
        done_on=done_on,
        source=source,
        log=tuple(entries),
        owner_basis=owner_basis,
    )


def _names(value: Any) -> tuple[str, ...] | None:
    """A list of names (partners), each at most MAX_NAME long, as a tuple; None if not one."""
    if type(value) not in (list, tuple):
        return None
    for item in value:
        if not _text(item, MAX_NAME):
            return None
    return tuple(value)


def _status(value: Any) -> Any:
    """The status of this text (`from`, `to`), or None for None; _UNSURE for anything else."""
    if value is None:
        return None
    if type(value) is str:
        return _STATUS.get(value, _UNSURE)
    return _UNSURE


def _entry(data: Any, make_entry: Callable[..., LogEntry]) -> LogEntry | None:
    if type(data) is not dict or not data.keys() <= _ENTRY_KEYS:
        return None
    get = data.get
    at = get("at")
    action = get("action")
    # Aware: a TOML time with an offset is given a `timezone`, whose offset is never None.
    if type(at) is not datetime or type(at.tzinfo) is not timezone or type(action) is not str:
        return None
    action = _ACTION.get(action)
    by = get("by", "")
    note = get("note")
    field = get("field")
    on = get("on")
    if (
        action is None
        or not _text(by, MAX_NAME)
        or (note is not None and not _text(note, MAX_TEXT))
        or (field is not None and not _unicode(field))
        or (on is not None and type(on) is not date)
    ):
        return None
    source = _status(get("from"))
    to = _status(get("to"))
    old = _field_value(get("old"), field)
    new = _field_value(get("new"), field)
    evidence = get("evidence")
    if evidence is not None:
        evidence = _evidence(evidence)
    if source is _UNSURE or to is _UNSURE or old is _UNSURE or new is _UNSURE:
        return None
    if evidence is _UNSURE:
        return None
    return make_entry(
        at=at,
        by=by,
        action=action,
        from_=source,
        to=to,
        note=note,
        field=field,
        old=old,
        new=new,
        on=on,
        evidence=evidence,
    )


def _field_value(value: Any, field: str | None) -> Any:
    """A logged old or new value as `validate.LogEntry` takes it from TOML, by its field.

    A date for a date field, a list of text (as a tuple) for a list field, text
    for any other; _UNSURE for anything else.
    """
    if value is None:
        return None
    if field in DATE_FIELDS:
        return value if type(value) is date else _UNSURE
    if field in LIST_FIELDS:  # any list of text, of any length
        if type(value) not in (list, tuple) or not all(_unicode(item) for item in value):
            return _UNSURE
        return tuple(value)
    return value if _unicode(value) else _UNSURE


def _evidence(value: Any) -> tuple[records.Evidence, ...] | Any:
    """The evidence of a log entry: each a file with its hash or a URL; _UNSURE if not sure."""
    if type(value) not in (list, tuple):
        return _UNSURE
    found = []
    for item in value:
        if type(item) is not dict or not item.keys() <= _EVIDENCE_KEYS:
            return _UNSURE
        path, sha256, url = item.get("path"), item.get("sha256"), item.get("url")
        if url is not None:
            if path is not None or sha256 is not None or not _url(url):
                return _UNSURE
        elif (
            not _text(path, MAX_TEXT)
            or not path
            or path.isspace()
            or type(sha256) is not str
            or len(sha256) != 64
            or sha256.strip(_HEX)
            or path.startswith("/")
            or ".." in path.split("/")
        ):
            return _UNSURE
        found.append(records.Evidence(path=path, sha256=sha256, url=url))
    return tuple(found)


def _url(value: Any) -> bool:
    """Whether `value` is an evidence URL: `http://` or `https://` and no space after it."""
    if not _text(value, MAX_TEXT):
        return False
    rest = value.removeprefix("https://") if value.startswith("https://") else None
    if rest is None:
        rest = value.removeprefix("http://") if value.startswith("http://") else None
    # `\S+` to the end: one word, split on nothing.
    return rest is not None and rest.split() == [rest]
