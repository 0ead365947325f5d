"""A validated copy of the ledger, so that the next command need not parse it again.

Parsing and validating TOML is the slowest part of reading a big ledger (about
4 s for 100,000 measures), and importing the validator is most of the start-up
of a small one. After a ledger has been read and validated, or written, its
records are kept as JSON in the user's cache folder (`$XDG_CACHE_HOME/measures`,
else `~/.cache/measures`), one file per ledger path, under a header naming the
version of measures, a fingerprint of the model that validated them and a hash
of the ledger's exact bytes. The next read of the same bytes by the same model
uses that JSON instead, rebuilt into the records (`model/records.py`) without
validating it again and without importing pydantic, by the full command line and
the quick path (`quick.py`) alike. Any other bytes, version or model, or a damaged
copy, and the TOML is parsed again; the TOML file stays the only source of
truth.

A snapshot is a cache: nothing else refers to it, deleting it (or the whole
folder) loses nothing, and when it cannot be written (no home folder, a full
disk) the commands simply parse the TOML. Reading a ledger never writes beside
it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from stat import S_ISREG
from typing import TYPE_CHECKING, Any, Union

from measures import __version__
from measures.ledger.hashes import sha256_hex
from measures.model.records import (
    VALUE_OF,
    Evidence,
    FieldValue,
    Ledger,
    LogEntry,
    Measure,
    Plan,
    as_dict,
    maker,
    without_cycle_collection,
)
from measures.model.status import DATE_FIELDS, Action, Status

try:  # the BLAKE2 module itself: `hashlib` would load OpenSSL too, a few ms for nothing
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

if TYPE_CHECKING:
    from mmap import mmap

CACHE_VARIABLE = "XDG_CACHE_HOME"
# The modules whose source decides what a valid ledger is, and how it is kept.
_MODEL_SOURCES = (
    "model/records.py",
    "model/validate.py",
    "model/wellformed.py",
    "model/status.py",
    "ledger/snapshot.py",
    "ledger/hashes.py",
)
_fingerprint: str | None = None


# Paths are strings joined with os.path here, not pathlib: the quick path does
# without importing pathlib.
Place = str | os.PathLike[str]
# The ledger's bytes, read or mapped: all that is done with them is a hash.
Bytes = Union[bytes, "mmap"]


def cache_folder(environ: Mapping[str, str] = os.environ) -> str | None:
    """`$XDG_CACHE_HOME/measures`, else `~/.cache/measures`; None without either."""
    base = environ.get(CACHE_VARIABLE)
    if base and os.path.isabs(base):  # noqa: PTH117
        return os.path.join(base, "measures")  # noqa: PTH118
    home = environ.get("HOME")
    return os.path.join(home, ".cache", "measures") if home else None  # noqa: PTH118


def snapshot_file(path: Place, environ: Mapping[str, str] = os.environ) -> str | None:
    """Where the snapshot of the ledger at `path` is kept: named by its absolute path."""
    folder = cache_folder(environ)
    if folder is None:
        return None
    where = os.path.realpath(path).encode("utf-8", "surrogateescape")
    name = f"{blake2b(where, digest_size=16).hexdigest()}.json"
    return os.path.join(folder, name)  # noqa: PTH118


def model_fingerprint() -> str:
    """A hash of the model's source: a snapshot made by other validation rules is never used."""
    global _fingerprint
    if _fingerprint is None:
        digest = blake2b(digest_size=8)
        package = os.path.dirname(os.path.dirname(__file__))  # noqa: PTH120
        for name in _MODEL_SOURCES:
            with open(os.path.join(package, *name.split("/")), "rb") as source:  # noqa: PTH118, PTH123
                digest.update(source.read())
        _fingerprint = digest.hexdigest()
    return _fingerprint


def _header(raw: Bytes, key: str | None = None) -> bytes:
    """The snapshot's first line for these bytes; `key`: their SHA-256, where known already
    (a write hashes the bytes for its journal too)."""
    if key is None:
        key = sha256_hex(raw)
    return f"measures {__version__} model {model_fingerprint()} ledger {key}\n".encode()


def _kept_body(path: Place, raw: Bytes, key: str | None = None) -> bytes | None:
    """The JSON kept for exactly these bytes of `path`, or None."""
    target = snapshot_file(path)
    if target is None:
        return None
    header = _header(raw, key)
    try:
        # Only a regular file is read: a link (to /dev/zero, say) is not followed,
        # and a FIFO is not waited on. A snapshot is about the ledger's size.
        descriptor = os.open(target, _READ_FLAGS)
    except OSError:
        return None
    try:
        with os.fdopen(descriptor, "rb") as kept:
            status = os.fstat(descriptor)
            if not S_ISREG(status.st_mode) or status.st_size > _size_limit(len(raw)):
                return None
            if kept.readline(len(header) + 1) != header:
                return None
            return kept.read()
    except OSError:
        return None


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _size_limit(ledger_size: int) -> int:
    """The largest snapshot kept for a ledger of `ledger_size` bytes; any bigger is not one."""
    return 4 * ledger_size + (1 << 20)


def load(path: Place, raw: Bytes) -> Ledger | None:
    """The ledger kept for exactly these bytes of `path`, as the records; or None.

    `raw` may be the file mapped into memory: only its hash is taken. The
    records are rebuilt without validation (and without importing pydantic): the
    header binds the JSON to ledger bytes this model validated. A body that does
    not have the shape `save` writes (a damaged copy) gives None.
    """
    body = _kept_body(path, raw)
    if body is None:
        return None
    import json

    # Decoded here so that the bytes can go before the parse: a big ledger's
    # snapshot is not held twice over while its records are built.
    try:
        text = body.decode("utf-8")
        del body
        with without_cycle_collection():
            data = json.loads(text)
            del text
            return _ledger(data)
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
        return None  # damaged: parse the TOML instead


# By value: a dictionary lookup is several times faster than calling the enum.
_STATUSES = {status.value: status for status in Status}
_ACTIONS = {action.value: action for action in Action}


def _ledger(data: dict[str, Any]) -> Ledger:
    plan = data["plan"]
    rows = data.get("measures", [])
    if not isinstance(rows, list):
        raise TypeError("not a list of measures")
    measures = []
    make_measure, make_entry = maker(Measure), maker(LogEntry)
    # Each row is let go once it is rebuilt, so that a big ledger is not held twice over.
    for index, row in enumerate(rows):
        measures.append(_measure(row, make_measure, make_entry))
        rows[index] = None
    return Ledger(plan=_plan(plan), measures=tuple(measures))


def _plan(plan: dict[str, Any]) -> Plan:
    issued, declared = plan.get("issued"), plan.get("declared")
    if type(plan["name"]) is not str or (declared is not None and type(declared) is not int):
        raise TypeError("not a plan")
    return Plan(
        name=plan["name"],
        issued=None if issued is None else date.fromisoformat(issued),
        declared=declared,
        report_every=plan.get("report_every"),
        require_evidence=plan.get("require_evidence"),
        key=_text_or_none(plan.get("key")),
        district=_plan_text(plan, "district"),
        source=_plan_text(plan, "source"),
        notes=_plan_text(plan, "notes"),
        yellow_days=_count(plan.get("yellow_days")),
        stale_days=_count(plan.get("stale_days")),
    )


def _text_or_none(value: Any) -> str | None:
    if value is not None and type(value) is not str:
        raise TypeError("not text")
    return value


def _plan_text(plan: dict[str, Any], key: str) -> str:
    value = plan.get(key, "")
    if type(value) is not str:
        raise TypeError(f"not a plan's {key}")
    return value


def _count(value: Any) -> int | None:
    if value is not None and type(value) is not int:
        raise TypeError("not a count")
    return value


# A measure is kept as a row of its fields in order, and so is a log entry: a
# list decodes quicker than an object with its keys, and is unpacked in one go.
# Dates are ISO text, statuses and actions their values, absent values null.


def _measure(
    row: list[Any],
    make: Callable[..., Measure] = Measure,
    make_entry: Callable[..., LogEntry] = LogEntry,
) -> Measure:
    """The measure of a row of the snapshot; `make` and `make_entry` build the records.

    This runs once per measure, 100,000 times for a big ledger: the values are
    checked for their kind in one go, and passed in field order. A row of
    another length, or a value of another kind, raises (the snapshot is damaged).
    """
    (
        ident,
        title,
        title_en,
        owner,
        partners,
        deadline,
        deadline_text,
        status,
        done_on,
        source,
        entries,
        owner_basis,
    ) = row
    if type(ident) is not int:
        raise TypeError(f"not an id: {ident!r}")
    if not (
        type(title)
        is type(title_en)
        is type(owner)
        is type(source)
        is type(deadline_text)
        is type(owner_basis)
        is str
    ):
        raise TypeError(f"measure {ident}: a text field is not text")
    if type(partners) is not list or type(entries) is not list:
        raise TypeError(f"measure {ident}: not a list of partners or of log entries")
    # fromisoformat raises TypeError for anything but text, ValueError for a bad date.
    return make(
        ident,
        title,
        title_en,
        owner,
        tuple(partners),
        None if deadline is None else date.fromisoformat(deadline),
        deadline_text,
        _STATUSES[status],
        None if done_on is None else date.fromisoformat(done_on),
        source,
        tuple([_entry(entry, make_entry) for entry in entries]) if entries else (),
        owner_basis,
    )


def _entry(row: list[Any], make: Callable[..., LogEntry] = LogEntry) -> LogEntry:
    """The log entry of a row of the snapshot, its fields passed in order."""
    at, by, action, source, to, note, field, old, new, on, evidence = row
    if type(by) is not str or not (note is None or type(note) is str):
        raise TypeError("not a log entry")
    if field in DATE_FIELDS:
        old = None if old is None else date.fromisoformat(old)
        new = None if new is None else date.fromisoformat(new)
    else:
        old, new = _field_value(old), _field_value(new)
    return make(
        datetime.fromisoformat(at),
        by,
        _ACTIONS[action],
        None if source is None else _STATUSES[source],
        None if to is None else _STATUSES[to],
        note,
        field,
        old,
        new,
        None if on is None else date.fromisoformat(on),
        None if evidence is None else tuple([Evidence(**item) for item in evidence]),
    )


def _field_value(value: Any) -> FieldValue | None:
    """The old or new text, or list of text, of a field other than a date's."""
    if value is None or type(value) is str:
        return value
    if type(value) is list:
        return tuple(value)
    raise TypeError("not a field's value")


def _optional_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _measure_row(measure: Measure) -> list[Any]:
    """The measure as the row `_measure` reads."""
    return [
        measure.id,
        measure.title,
        measure.title_en,
        measure.owner,
        list(measure.partners),
        _optional_date(measure.deadline),
        measure.deadline_text,
        VALUE_OF[measure.status],
        _optional_date(measure.done_on),
        measure.source,
        [_entry_row(entry) for entry in measure.log],
        measure.owner_basis,
    ]


def _entry_row(entry: LogEntry) -> list[Any]:
    """The log entry as the row `_entry` reads; its time exactly as `fromisoformat` reads it."""
    source, to = entry.from_, entry.to
    return [
        entry.at.isoformat(),
        entry.by,
        VALUE_OF[entry.action],
        None if source is None else VALUE_OF[source],
        None if to is None else VALUE_OF[to],
        entry.note,
        entry.field,
        *(
            value.isoformat() if isinstance(value, date) else value
            for value in (entry.old, entry.new)
        ),
        None if entry.on is None else entry.on.isoformat(),
        None
        if entry.evidence is None
        else [as_dict(item, exclude_none=True) for item in entry.evidence],
    ]


def _ledger_json(ledger: Ledger) -> dict[str, Any]:
    return {
        "plan": as_dict(ledger.plan, json=True, exclude_none=True),
        "measures": [_measure_row(measure) for measure in ledger.measures],
    }


# The body is one JSON object laid out on lines: the plan and the records'
# starts on the first, then each measure's row on a line of its own, so that a
# write keeps the rows of the measures it did not change as they are, bytes and
# all, and builds only the rows it changed. (JSON escapes every newline inside
# a value, so a row is never more than its line.)
_HEAD, _ROWS_OPEN, _END = b'{"plan":', b',"measures":[', b"\n]}"


@dataclass
class Kept:
    """What a write takes from the snapshot of the bytes it changes.

    The records, where each record begins in the text's plain form (None when
    not known: a snapshot made by a read, which does not scan for them), and
    each measure's row as the snapshot holds it.
    """

    ledger: Ledger
    starts: list[int] | None
    rows: list[bytes]


def load_kept(path: Place, raw: Bytes) -> Kept | None:
    """`load`, for a write: the records with their starts and rows as kept, or None."""
    body = _kept_body(path, raw)
    if body is None:
        return None
    import json

    lines = body.split(b"\n")
    try:
        with without_cycle_collection():
            data = json.loads(body)
            del body
            starts = data.get("starts")
            ledger = _ledger(data)
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
        return None
    rows = [line.removesuffix(b",") for line in lines[1:-1]]
    if len(rows) != len(ledger.measures) or not (
        starts is None
        or (
            type(starts) is list
            and len(starts) == len(rows)
            and all(type(start) is int for start in starts)
        )
    ):
        return None
    return Kept(ledger, starts, rows)


def save(
    path: Place,
    raw: bytes,
    ledger: Ledger,
    starts: list[int] | None = None,
    kept: Kept | None = None,
    changed: Collection[int] = (),
    offsets: list[int] | None = None,
) -> None:
    """Keep `ledger` as the validated reading of these bytes; silently skipped if it cannot.

    `starts` are where its records begin in the text's plain form, if known, and
    `offsets` where in the bytes (for a ledger in that form: `load_some`).
    After a write, `kept` is the snapshot of the bytes it replaced and
    `changed` the indexes of the measures it wrote: the rows of all the others
    are taken from `kept` as they are. That snapshot is kept aside (`previous`),
    for an `undo` that puts those bytes back.
    """
    target = snapshot_file(path)
    if target is None:
        return
    with without_cycle_collection():
        to_json = _encoder(ledger, kept, changed)
        rows = _rows(ledger, kept, changed, to_json)
        plan = to_json(as_dict(ledger.plan, json=True, exclude_none=True))
        places = [b',"starts":', to_json(starts), b',"offsets":', to_json(offsets)]
        head = b"".join([_header(raw), _HEAD, plan, *places, _ROWS_OPEN])
        data = b"".join([head, b"\n", b",\n".join(rows), _END]) if rows else head + b"]}"
        del rows
    _write(target, data, keep_previous=kept is not None)


def _write(target: str, data: bytes | list[bytes | memoryview], keep_previous: bool) -> None:
    """Put `data` (or its pieces, one after the other) at `target`; `keep_previous`: the
    snapshot there kept aside, for `undo`."""
    from measures.ledger.temporary import make_temporary

    # A cache needs no fsync: a copy torn by a crash fails its JSON, or its header.
    folder = os.path.dirname(target)  # noqa: PTH120
    try:
        os.makedirs(folder, exist_ok=True)  # noqa: PTH103
        descriptor, temporary = make_temporary(folder, ".", ".tmp")
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                handle.writelines(data)
        if keep_previous:
            with contextlib.suppress(OSError):
                os.replace(target, previous_file(target))  # noqa: PTH105
        os.replace(temporary, target)  # noqa: PTH105
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)  # noqa: PTH108


# From this many rows to write on, pydantic-core's JSON writer (compiled, about
# four times the speed) is worth its import; below it, the standard library's:
# a write builds the rows of the measures it changed, and those are few.
_COMPILED_FROM = 200


def _encoder(ledger: Ledger, kept: Kept | None, changed: Collection[int]) -> Callable[[Any], bytes]:
    """What writes the JSON of a row: both give the same bytes for the values rows hold."""
    built = count = len(ledger.measures)
    if kept is not None and len(kept.rows) <= count:
        built = len(changed) + count - len(kept.rows)
    if built >= _COMPILED_FROM:
        from pydantic_core import to_json

        return to_json
    return _plain_json


def _plain_json(value: Any) -> bytes:
    """The JSON of a row or a plan by the standard library, as pydantic-core writes it."""
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _rows(
    ledger: Ledger, kept: Kept | None, changed: Collection[int], to_json: Callable[[Any], bytes]
) -> list[bytes]:
    """Each measure's row as JSON: from `kept` where the measure did not change."""
    measures = ledger.measures
    if kept is None or len(kept.rows) > len(measures):
        return [to_json(_measure_row(measure)) for measure in measures]
    rows = list(kept.rows)
    rows += [b""] * (len(measures) - len(rows))
    for index in {*changed, *range(len(kept.rows), len(measures))}:
        rows[index] = to_json(_measure_row(measures[index]))
    return rows


@dataclass
class Some:
    """What a write that names the measures it changes takes from the snapshot.

    The plan; those measures, in file order, each one's place among the records
    (`indexes`) and where its row stands in `body` (`rows`: start and end); the
    number of records, where they begin in the text (None: not known) and in
    its bytes (`offsets`; None: not known), and the body as kept, to be spliced
    with the rows changed and nothing else.
    """

    plan: Plan
    measures: tuple[Measure, ...]
    indexes: list[int]
    rows: list[tuple[int, int]]
    count: int
    starts: list[int] | None
    offsets: list[int] | None
    body: bytes


def load_some(path: Place, raw: Bytes, ids: Collection[int], key: str | None = None) -> Some | None:
    """The snapshot of these bytes read for the measures `ids` alone, or None.

    None also when it holds no measure of one of the ids. Each row is found by
    its id at the start of its line, and only those rows are decoded: a write
    to a big ledger then costs what its bytes cost to copy, not what its
    records cost to rebuild. `key`: the SHA-256 of `raw`, where known.
    """
    body = _kept_body(path, raw, key)
    if body is None:
        return None
    import json

    first = body.find(b"\n")
    if first < 0 or not body.endswith(_END) or not body.startswith(_HEAD):
        return None
    try:
        data = json.loads(body[:first] + b"]}")
        plan, starts, offsets = _plan(data["plan"]), data.get("starts"), data.get("offsets")
        count = body.count(b"\n") - 1
        if not (_places(starts, count) and _places(offsets, count)):
            return None
        found = []
        make_measure, make_entry = maker(Measure), maker(LogEntry)
        for ident in ids:
            at = body.find(b"\n[%d," % ident, first)
            if at < 0:
                return None
            end = body.index(b"\n", at + 1)
            row = body[at + 1 : end].removesuffix(b",")
            measure = _measure(json.loads(row), make_measure, make_entry)
            if measure.id != ident:
                return None
            found.append((body.count(b"\n", 0, at), measure, (at + 1, at + 1 + len(row))))
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
        return None
    found.sort(key=lambda item: item[0])
    return Some(
        plan,
        tuple(measure for _index, measure, _row in found),
        [index for index, _measure, _row in found],
        [row for _index, _measure, row in found],
        count,
        starts,
        offsets,
        body,
    )


def _places(places: Any, count: int) -> bool:
    """Whether `places` are None or `count` whole numbers, as starts and offsets are kept."""
    return places is None or (
        type(places) is list and len(places) == count and all(type(p) is int for p in places)
    )


def save_some(
    path: Place,
    key: str,
    some: Some,
    changed: Mapping[int, Measure],
    starts: list[int],
    offsets: list[int],
) -> None:
    """After a write that took `some`: keep the snapshot of the new bytes, of SHA-256 `key`.

    `changed` are the measures written, by their place in `some.measures`, and
    `starts` and `offsets` where the new text's records begin, as characters and
    as bytes; every other row is the bytes kept. The snapshot replaced is kept
    aside, as `save` keeps it.
    """
    target = snapshot_file(path)
    if target is None:
        return
    plan = _plain_json(as_dict(some.plan, json=True, exclude_none=True))
    pieces: list[bytes | memoryview] = [
        _header(b"", key),
        _HEAD,
        plan,
        b',"starts":',
        _plain_json(starts),
        b',"offsets":',
        _plain_json(offsets),
        _ROWS_OPEN,
    ]
    body, position = memoryview(some.body), some.body.index(b"\n")
    for place in sorted(changed):
        start, end = some.rows[place]
        pieces += [body[position:start], _plain_json(_measure_row(changed[place]))]
        position = end
    pieces.append(body[position:])
    _write(target, pieces, keep_previous=True)


def previous_file(target: str) -> str:
    """Where the snapshot a write replaced is kept aside, beside the current one."""
    return target.removesuffix(".json") + ".previous.json"


def restore_previous(path: Place, raw: bytes) -> bool:
    """After an `undo` put back `raw`: the snapshot kept aside becomes current, if of `raw`."""
    target = snapshot_file(path)
    if target is None:
        return False
    aside = previous_file(target)
    header = _header(raw)
    try:
        descriptor = os.open(aside, _READ_FLAGS)
        with os.fdopen(descriptor, "rb") as kept:
            if (
                not S_ISREG(os.fstat(descriptor).st_mode)
                or kept.readline(len(header) + 1) != header
            ):
                return False
        os.replace(aside, target)  # noqa: PTH105
    except OSError:
        return False
    return True
