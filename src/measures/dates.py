"""Parsing the dates people type: 2020-12-31, 2020/12/31, 2020年12月31日, today, +7d, -3d."""

import re
from datetime import date, timedelta

from measures.errors import BadValue

_NUMERIC = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_CHINESE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$")
_RELATIVE = re.compile(r"^([+-])(\d+)d$")

ACCEPTED = "2020-12-31, 2020/12/31, 2020年12月31日, today, +7d or -3d"


def parse_date(text: str, today: date, what: str = "date") -> date:
    """Return the date `text` names, relative forms counted from `today`."""
    value = text.strip()
    if value.lower() == "today":
        return today
    relative = _RELATIVE.match(value)
    if relative:
        days = int(relative.group(2))
        try:
            return today + timedelta(days=days if relative.group(1) == "+" else -days)
        except OverflowError:
            raise BadValue(f"{what} {text!r} is out of range.") from None
    match = _NUMERIC.match(value) or _CHINESE.match(value)
    if not match:
        raise BadValue(f"{what} {text!r} is not a date.", f"Use {ACCEPTED}.")
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise BadValue(f"{what} {text!r} does not exist on the calendar.") from None
