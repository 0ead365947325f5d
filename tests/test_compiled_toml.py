"""The first read through toml-rs (issue 18): tomllib's values, and tomllib's errors.

`model/parse.py` reads a ledger with toml-rs, a compiled parser, and hands any
text it refuses, or whose values the model refuses, to tomllib as before. These
tests check that the outcome (the ledger, or the error and its hint) is exactly
what tomllib alone gives.
"""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from measures.errors import InvalidLedger
from measures.model import parse
from measures.model.records import Ledger

from .conftest import PLAN_HEADER, SHIPPED, measure_block
from .test_compiled_values import same_values
from .test_fuzz_ledgers import BASES, mutated

toml_rs = pytest.importorskip("toml_rs")

VALUES = """\
date = 2020-12-31
aware = 2020-11-10T09:00:00+08:00
west = 1979-05-27T00:32:00.999999-07:00
lmt = 2020-01-01T00:00:00-00:44
utc = 2020-01-01T00:00:00Z
local = 1979-05-27T07:32:00
clock = 07:32:00
big = 9223372036854775807
small = -9223372036854775808
hex = 0xff_ff
nested = [[1, 2], ["a"], []]
text = "\\u00e9\\U0001F600 a\\u2028b"
literal = '''
[[measures]]'''

[[a]]
x = 1
[[a.b]]
y = 2
[[a.b]]
y = 3
[[a]]
x = 2
"""


@pytest.mark.parametrize(
    "text",
    [VALUES, SHIPPED.read_text(encoding="utf-8"), *BASES[:2]],
    ids=["values", "shipped", "small", "shipped head"],
)
def test_toml_rs_gives_tomllib_s_values_and_types(text: str) -> None:
    assert same_values(toml_rs.loads(text, toml_version="1.0.0"), tomllib.loads(text))


def outcome(text: str) -> Ledger | tuple[str, str | None]:
    try:
        return parse.parse_ledger(text, "m.toml")
    except InvalidLedger as error:
        return error.message, error.hint


def tomllib_outcome(text: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as patched:
        patched.setattr(parse, "compiled_ledger", lambda body: None)
        return outcome(text)


def test_the_shipped_ledger_is_read_by_toml_rs_as_by_tomllib(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert parse.compiled_ledger(text) is not None
    assert outcome(text) == tomllib_outcome(text, monkeypatch)


@pytest.mark.parametrize(
    "text",
    [
        PLAN_HEADER + measure_block(1) + "\n[[measures]]\nid = = 3\n",  # invalid TOML
        PLAN_HEADER + measure_block(1, status="finished"),  # the model refuses
        PLAN_HEADER.replace("declared = 3", "declared = " + "9" * 4301) + measure_block(1),
        PLAN_HEADER + measure_block(1).replace("id = 1", "id = " + "7" * 4301),
        PLAN_HEADER + measure_block(1) + "partners = " + "[" * 1000 + "]" * 1000 + "\n",
        PLAN_HEADER + measure_block(1) + measure_block(1),  # a duplicate id
        # TOML 1.1, which tomllib (1.0) refuses and toml-rs would take by default.
        PLAN_HEADER + measure_block(1, owner="\\e"),
        PLAN_HEADER + measure_block(1, owner="\\x41"),
        PLAN_HEADER + measure_block(1) + 'partners = {a = "甲",\n b = "乙",}\n',
        PLAN_HEADER + measure_block(1, deadline="2020-12-31 09:30"),
    ],
    ids=[
        "invalid toml",
        "bad status",
        "long declared",
        "long id",
        "deep",
        "duplicate",
        "1.1 escape e",
        "1.1 escape x",
        "1.1 inline table",
        "1.1 time without seconds",
    ],
)
def test_a_file_toml_rs_refuses_or_tomllib_would_is_handed_to_tomllib(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert parse.compiled_ledger(text) is None
    assert outcome(text) == tomllib_outcome(text, monkeypatch)


@pytest.mark.slow
@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=mutated())
def test_on_the_fuzz_corpus_every_outcome_is_tomllib_s(
    data: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    assert outcome(text) == tomllib_outcome(text, monkeypatch)
