"""Equality of parsed TOML values down to their types (a helper, and its own test)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any


def same_values(a: Any, b: Any) -> bool:
    """Whether `a` and `b` are equal with the same types throughout, and the same offsets."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_values(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_values(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, datetime | time):
        return (
            a == b and a.utcoffset() == b.utcoffset() and (a.tzinfo is None) == (b.tzinfo is None)
        )
    return bool(a == b)


def test_same_values_tells_types_and_offsets_apart() -> None:
    east = timezone(timedelta(hours=8))
    assert same_values({"a": [1, date(2020, 1, 1)]}, {"a": [1, date(2020, 1, 1)]})
    assert not same_values(date(2020, 1, 1), datetime(2020, 1, 1))
    assert not same_values(1, 1.0)
    assert not same_values(1, True)
    moment = datetime(2020, 1, 1, 8, tzinfo=east)
    assert not same_values(moment, moment.astimezone(UTC))
    assert not same_values({"a": 1, "b": 2}, {"b": 2, "a": 1})
