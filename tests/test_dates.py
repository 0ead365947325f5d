from datetime import date

import pytest

from measures.domain.dates import parse_date
from measures.errors import BadValue

TODAY = date(2020, 12, 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-12-31", date(2020, 12, 31)),
        ("2020/12/31", date(2020, 12, 31)),
        ("2020/1/5", date(2020, 1, 5)),
        ("2020年12月31日", date(2020, 12, 31)),
        ("today", TODAY),
        ("TODAY", TODAY),
        ("+7d", date(2020, 12, 17)),
        ("-3d", date(2020, 12, 7)),
    ],
)
def test_accepted_forms(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2020-02-30", "does not exist on the calendar"),
        ("2021-13-01", "does not exist on the calendar"),
        ("31/12/2020", "is not a date"),
        ("tomorrow", "is not a date"),
        ("", "is not a date"),
        ("+9999999d", "out of range"),
    ],
)
def test_refused_forms_name_the_value(text: str, message: str) -> None:
    with pytest.raises(BadValue, match=message) as caught:
        parse_date(text, TODAY, "--on")
    assert repr(text) in caught.value.message
