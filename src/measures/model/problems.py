"""What is wrong with a ledger, in words: each pydantic problem named by file, record and field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from measures.i18n import N_, _, ngettext
from measures.model.fieldnames import field_label
from measures.model.headers import record_lines

TOO_LONG_NUMBER = N_("a number with more than 4,300 digits, too long to read")


def describe_invalid(error: Any, data: dict[str, Any], text: str, name: str) -> str:
    """One line naming the file, record, line and field of the first problem found."""
    problems = error.errors()
    where, message = describe_problem(problems[0], data, text, name)
    count = len(problems)
    more = ngettext(
        " (and {count} more problem)", " (and {count} more problems)", count - 1
    ).format(count=count - 1)
    return _("{where}: {message}{more}.").format(
        where=where, message=message, more=more if count > 1 else ""
    )


def describe_problem(
    problem: Any, data: dict[str, Any], text: str, name: str, lines: Sequence[int] | None = None
) -> tuple[str, str]:
    """(where, what) for one pydantic problem: `file, measure 3 (line 40)`, `status: ...`.

    `lines`, from `record_lines(text)`, saves finding the records again for each problem.
    """
    location = list(problem["loc"])
    where = name
    field = ".".join(str(part) for part in location)
    if location[:1] == ["measures"] and len(location) >= 2 and isinstance(location[1], int):
        index = location[1]
        where = _("{path}, {record}").format(
            path=name, record=record_label(data, text, index, lines)
        )
        field = ".".join(str(part) for part in location[2:])
    elif not location and (second := _second_with_same_id(data)) is not None:
        # The ledger's own check, unique ids: named at the record that repeats an id.
        where = _("{path}, {record}").format(
            path=name, record=record_label(data, text, second, lines)
        )
    message = explain(problem)
    if not field:
        return where, message
    return where, _("{field}: {message}").format(field=_field_shown(field), message=message)


def _field_shown(path: str) -> str:
    """The field a problem is in, as the file names it; in Chinese its office name first.

    `done_on`, or 完成日期（done_on）; `log.0.at`, or 时间（log.0.at）.
    """
    last = path.rsplit(".", 1)[-1]
    label = field_label(last)
    return path if label == last else f"{label}（{path}）"


def _second_with_same_id(data: dict[str, Any]) -> int | None:
    """The index of the first record whose id an earlier record has."""
    records = data.get("measures")
    seen: set[int] = set()
    for index, record in enumerate(records if isinstance(records, list) else ()):
        ident = record.get("id") if isinstance(record, dict) else None
        if isinstance(ident, int) and not isinstance(ident, bool):
            if ident in seen:
                return index
            seen.add(ident)
    return None


def _shown(value: Any, limit: int = 60) -> str:
    """A value as it appears in an error: its repr, cut short so the error stays one line."""
    try:
        text = repr(value)
    except (RecursionError, ValueError):  # nested too deep, or an int too long to print
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def record_label(
    data: dict[str, Any], text: str, index: int, lines: Sequence[int] | None = None
) -> str:
    """`measure 3 (line 40)`: the record's id where it has one, else its place in the file."""
    record = data["measures"][index]
    lines = record_lines(text) if lines is None else lines
    line = lines[index] if index < len(lines) else None
    ident = record.get("id") if isinstance(record, dict) else None
    if isinstance(ident, int):
        label = _("measure {id}").format(id=ident)
    else:
        label = _("measure #{number}").format(number=index + 1)
    return _("{record} (line {line})").format(record=label, line=line) if line else label


def _choices(expected: str) -> str:
    """pydantic's `'todo', 'doing' or 'dropped'` in the chosen language's words
    (`'todo'、'doing'或'dropped'`); as it is if it is not of that form."""
    import re

    quoted = r"'(?:[^'\\]|\\.)*'"
    if not re.fullmatch(rf"{quoted}(?:, {quoted})* or {quoted}", expected):
        return expected
    values = re.findall(quoted, expected)
    return _("{first} or {last}").format(first=_(", ").join(values[:-1]), last=values[-1])


def explain(problem: Any) -> str:
    """What is wrong, in words, for one pydantic problem."""
    kind = problem["type"]
    location = problem["loc"]
    value = _shown(problem.get("input"))
    if location == ("plan",) and kind == "missing":
        return _("the [plan] table is missing; the file must have one, with a name")
    if location == ("plan", "measures"):
        return _("measures are written under [plan]; write each one as a [[measures]] table")
    if kind == "missing":
        return _("is missing")
    if kind == "extra_forbidden":
        return _("is not a field the ledger knows (a typo?)")
    if kind in ("date_type", "date_parsing", "date_from_datetime_inexact"):
        return _("must be a TOML date such as 2020-12-31, not {value}").format(value=value)
    if kind == "enum":
        return _("{value} is not a status; use one of {choices}").format(
            value=value, choices=_choices(problem["ctx"]["expected"])
        )
    if kind == "literal_error":
        return _("{value} is not allowed here; use one of {choices}").format(
            value=value, choices=_choices(problem["ctx"]["expected"])
        )
    if location == ("measures",) or kind in ("tuple_type", "list_type"):
        return _("must be an array of tables, written [[measures]]")
    if kind == "model_type":
        return _("must be a table")
    if kind == "greater_than" and location[-1:] == ("id",):
        return _("must be a positive whole number, not {value}").format(value=value)
    if kind == "int_type":
        return _("must be a whole number, not {value}").format(value=value)
    if kind == "string_too_long":
        return _("is {length} characters long; at most {limit} are allowed").format(
            length=len(problem["input"]), limit=problem["ctx"]["max_length"]
        )
    if kind == "string_type":
        return _("must be a string, not {value}").format(value=value)
    if kind in ("string_pattern_mismatch", "string_too_short"):
        return _("must not be empty")
    if kind == "value_error":
        return str(problem["ctx"]["error"])
    return str(problem["msg"])
