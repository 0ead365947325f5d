"""Plain records rebuilt from a snapshot carry exactly what the model's records carry."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from measures.model.plain import PlainLedger
from measures.model.records import Action, Ledger, LogEntry, Measure

from .test_properties import PROPERTY, dates, ledgers, moments, texts

DAY = date(2020, 12, 31)
ENTRY_FIELDS = ("at", "by", "action", "from_", "to", "note", "field", "old", "new")
MEASURE_FIELDS = tuple(name for name in Measure.model_fields if name != "log")

# `set` and `extend` entries: which field moved, from what to what.
# Text that reads like a date must stay text: JSON cannot tell them apart.
date_like = dates.map(date.isoformat)
changes = st.one_of(
    st.tuples(st.sampled_from(["title", "owner", "source"]), texts | date_like, texts | date_like),
    st.tuples(st.sampled_from(["deadline", "done_on"]), st.none() | dates, dates),
    st.tuples(
        st.just("partners"), st.lists(texts, max_size=2).map(tuple), st.lists(texts).map(tuple)
    ),
)


@st.composite
def ledgers_with_changes(draw: st.DrawFn) -> Ledger:
    ledger = draw(ledgers())
    if not ledger.measures:
        return ledger
    first = ledger.measures[0]
    field, old, new = draw(changes)
    entry = LogEntry(
        at=draw(moments),
        action=draw(st.sampled_from([Action.SET, Action.EXTEND])),
        field=field,
        old=old,
        new=new,
    )
    return ledger.replace(first.model_copy(update={"log": (*first.log, entry)}))


def plain(ledger: Ledger, compact: bool = True) -> PlainLedger:
    """As the snapshot keeps it (defaults left out), or with every field written."""
    return PlainLedger(json.loads(ledger.model_dump_json(by_alias=True, exclude_defaults=compact)))


def assert_same(plain_ledger: PlainLedger, ledger: Ledger) -> None:
    for name in ("name", "issued", "declared"):
        assert getattr(plain_ledger.plan, name) == getattr(ledger.plan, name)
    assert len(plain_ledger.measures) == len(ledger.measures)
    for copy, measure in zip(plain_ledger.measures, ledger.measures, strict=True):
        for name in MEASURE_FIELDS:
            value = getattr(copy, name)
            assert value == getattr(measure, name), name
            assert type(value) is type(getattr(measure, name)), name
        assert copy.model_dump(mode="json", by_alias=True) == measure.model_dump(
            mode="json", by_alias=True
        )
        assert len(copy.log) == len(measure.log)
        for copied, entry in zip(copy.log, measure.log, strict=True):
            for name in ENTRY_FIELDS:
                assert getattr(copied, name) == getattr(entry, name), name
                assert type(getattr(copied, name)) is type(getattr(entry, name)), name


@PROPERTY
@given(ledgers_with_changes())
def test_plain_records_equal_the_models_field_by_field(ledger: Ledger) -> None:
    assert_same(plain(ledger), ledger)
    assert_same(plain(ledger, compact=False), ledger)


def test_the_shipped_plan_reads_the_same(ledger: Any) -> None:
    from measures.ledger.store import read_ledger

    model = read_ledger(ledger).ledger
    assert_same(plain(model), model)


def test_a_dump_is_a_copy() -> None:
    measure = Measure(id=1, title="举措", deadline=DAY, status="todo")
    copy = plain(Ledger(plan={"name": "方案"}, measures=(measure,))).measures[0]
    copy.model_dump()["title"] = "changed"
    assert copy.model_dump()["title"] == "举措"
    with pytest.raises(ValueError):
        copy.model_dump(mode="python")


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda d: d["measures"][0].pop("deadline"), KeyError),
        (lambda d: d["measures"][0].update(deadline=20201231), TypeError),
        (lambda d: d["measures"][0].update(deadline="31/12/2020"), ValueError),
        (lambda d: d["measures"][0].update(status="finished"), KeyError),
        (lambda d: d["measures"][0].update(id="1"), TypeError),
        (lambda d: d["measures"][0].update(title=None), TypeError),
        (lambda d: d["plan"].update(declared="31"), TypeError),
        (lambda d: d.pop("plan"), KeyError),
    ],
)
def test_data_of_another_shape_is_refused(change: Any, error: type[Exception]) -> None:
    measure = Measure(id=1, title="举措", deadline=DAY, status="todo")
    data = json.loads(Ledger(plan={"name": "方案"}, measures=(measure,)).model_dump_json())
    change(data)
    with pytest.raises(error):
        PlainLedger(data)
