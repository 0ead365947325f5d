"""Every problem in a ledger at once: errors that break the model, warnings that need care.

Reading stops at the first error; `check` goes on, so that an office fixing a
ledger by hand sees the whole list. Each problem names its record (id and line)
the way a reading error does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from measures.i18n import _
from measures.model.headers import record_lines
from measures.model.problems import TOO_LONG_NUMBER, describe_problem, record_label
from measures.model.tomlerrors import toml_error_text

if TYPE_CHECKING:
    from measures.domain.units import Units
    from measures.model.records import Measure

PLACEHOLDER_MARKS = ("未公布", "not published")


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    level: Level
    where: str  # the file, and the record and line where there is one
    message: str


def has_error(problems: Iterable[Problem]) -> bool:
    return any(problem.level is Level.ERROR for problem in problems)


def check_ledger(raw: bytes, name: str) -> list[Problem]:
    """The problems in the ledger file `name` whose bytes are `raw`: errors, then warnings."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return [
            _error(
                _("{path}, line {line}").format(path=name, line=line),
                _("the file is not UTF-8 text (byte {byte})").format(byte=error.start),
            )
        ]
    body = text.removeprefix("\ufeff")
    if not body.strip():
        return [_error(name, _("the file is empty; start it with a [plan] table"))]
    from measures.model.parse import well_formed_data

    valid = well_formed_data(body)
    if valid is not None:  # the usual ledger, read as a command reads it: no error, only warnings
        return _warnings(_records(valid), valid, body, name, record_lines(body))
    import tomllib

    try:
        data = tomllib.loads(body)
    except RecursionError:
        return [_error(name, _("arrays or tables are nested too deep to read"))]
    except tomllib.TOMLDecodeError as error:
        return [_error(name, _("invalid TOML: {error}").format(error=toml_error_text(error)))]
    except ValueError:  # an integer of more than 4,300 digits
        return [_error(name, _("invalid TOML: {error}").format(error=_(TOO_LONG_NUMBER)))]
    records = _records(data)
    lines = record_lines(body)
    duplicates = _duplicate_ids(records, data, body, name, lines)
    return [
        *duplicates,
        *_model_errors(data, body, name, lines, skip_ledger_level=bool(duplicates)),
        *_warnings(records, data, body, name, lines),
    ]


def _error(where: str, message: str) -> Problem:
    return Problem(Level.ERROR, where, message)


def _where(name: str, data: dict[str, Any], text: str, index: int, lines: list[int]) -> str:
    """`FILE, measure 3 (line 40)`."""
    return _("{path}, {record}").format(path=name, record=record_label(data, text, index, lines))


def _records(data: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(index, record) for each [[measures]] table; none if `measures` is not an array."""
    measures = data.get("measures")
    if not isinstance(measures, list):
        return []
    return [(index, record) for index, record in enumerate(measures) if isinstance(record, dict)]


def _ident(record: dict[str, Any]) -> int | None:
    ident = record.get("id")
    return ident if isinstance(ident, int) and not isinstance(ident, bool) else None


def _duplicate_ids(
    records: list[tuple[int, dict[str, Any]]],
    data: dict[str, Any],
    text: str,
    name: str,
    lines: list[int],
) -> list[Problem]:
    first: dict[int, int] = {}
    problems = []
    for index, record in records:
        ident = _ident(record)
        if ident is None:
            continue
        if ident in first:
            earlier = record_label(data, text, first[ident], lines)
            problems.append(
                _error(
                    _where(name, data, text, index, lines),
                    _(
                        "id: duplicate id {id} (also {other}); every measure needs its own id"
                    ).format(id=ident, other=earlier),
                )
            )
        else:
            first[ident] = index
    return problems


def _model_errors(
    data: dict[str, Any], text: str, name: str, lines: list[int], skip_ledger_level: bool
) -> list[Problem]:
    from pydantic import ValidationError

    from measures.model import validate

    try:
        validate.ledger(data)
    except RecursionError:
        return [_error(name, _("arrays or tables are nested too deep to read"))]
    except ValidationError as error:
        problems = []
        for problem in error.errors():
            # The ledger's own check (unique ids) is reported above, with lines.
            if skip_ledger_level and problem["loc"] == ():
                continue
            where, message = describe_problem(problem, data, text, name, lines)
            problems.append(_error(where, message))
        return problems
    return []


def _warnings(
    records: list[tuple[int, dict[str, Any]]],
    data: dict[str, Any],
    text: str,
    name: str,
    lines: list[int],
) -> list[Problem]:
    problems = []
    for index, record in records:
        for message in _record_warnings(record):
            where = _where(name, data, text, index, lines)
            problems.append(Problem(Level.WARNING, where, message))
    plan = data.get("plan")
    declared = plan.get("declared") if isinstance(plan, dict) else None
    if isinstance(declared, int) and len(records) < declared:
        problems.append(
            Problem(
                Level.WARNING,
                name,
                _("the plan declares {declared} measures but the ledger has {count}").format(
                    declared=declared, count=len(records)
                ),
            )
        )
    return problems


def _record_warnings(record: dict[str, Any]) -> list[str]:
    found = []
    owner = record.get("owner", "")
    if isinstance(owner, str) and not owner.strip():
        found.append(_("no owner (lead unit); set one with `measures set ID --owner UNIT`"))
    if record.get("owner_basis") == "inferred" and isinstance(owner, str) and owner.strip():
        found.append(
            _(
                "owner {owner} is inferred: no source names it; confirm or correct it with "
                "`measures set ID --owner UNIT`"
            ).format(owner=owner)
        )
    titles = [record.get(key) for key in ("title", "title_en")]
    if any(
        isinstance(t, str) and mark in t.casefold() for t in titles for mark in PLACEHOLDER_MARKS
    ):
        found.append(
            _("a placeholder: the title says it is not published; fill it in with `measures set`")
        )
    log = record.get("log")
    status = record.get("status")
    if isinstance(log, list) and isinstance(status, str):
        moves = [e.get("to") for e in log if isinstance(e, dict) and isinstance(e.get("to"), str)]
        if moves and moves[-1] != status:
            found.append(
                _(
                    "status is {status} but the log's newest move is to {moved} (changed by hand?)"
                ).format(status=repr(status), moved=repr(moves[-1]))
            )
    return found


def unit_problems(measures: Iterable[Measure], units: Units, name: str) -> list[Problem]:
    """A warning for each owner and partner name that no unit of `units.toml` has."""
    from measures.domain.units import unknown_units

    problems = []
    for ident, role, unit in unknown_units(measures, units):
        message = (
            _("owner {name} is no unit of units.toml")
            if role == "owner"
            else _("partner {name} is no unit of units.toml")
        )
        problems.append(
            Problem(
                Level.WARNING,
                _("{path}, measure {id}").format(path=name, id=ident),
                message.format(name=unit),
            )
        )
    return problems
