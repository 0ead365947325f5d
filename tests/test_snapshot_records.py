"""A snapshot's JSON rebuilds exactly the records it was written from, and no other shape."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import to_json

from measures.domain.lights import Light
from measures.ledger import snapshot
from measures.model import validate
from measures.model.records import (
    Action,
    Ledger,
    LogEntry,
    Measure,
    Plan,
    Status,
    as_dict,
    field_names,
)
from measures.render.records import COMPILED_FROM

from .test_properties import PROPERTY, dates, ledgers, moments, texts

DAY = date(2020, 12, 31)
ENTRY_FIELDS = field_names(LogEntry)
MEASURE_FIELDS = tuple(name for name in field_names(Measure) if name != "log")

# `set` and `extend` entries: which field moved, from what to what.
# Text that reads like a date must stay text: JSON cannot tell them apart.
date_like = dates.map(date.isoformat)
changes = st.one_of(
    st.tuples(
        st.sampled_from(["title", "owner", "source", "deadline_text"]),
        texts | date_like,
        texts | date_like,
    ),
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
    return ledger.replace(replace(first, log=(*first.log, entry)))


def rebuilt(ledger: Ledger) -> Ledger:
    """The ledger as the snapshot keeps it (defaults left out), read back."""
    return snapshot._ledger(json.loads(to_json(snapshot._ledger_json(ledger))))


def assert_same(copy_ledger: Ledger, ledger: Ledger) -> None:
    assert copy_ledger == ledger
    for copy, measure in zip(copy_ledger.measures, ledger.measures, strict=True):
        for name in MEASURE_FIELDS:
            assert type(getattr(copy, name)) is type(getattr(measure, name)), name
        for copied, entry in zip(copy.log, measure.log, strict=True):
            for name in ENTRY_FIELDS:
                assert type(getattr(copied, name)) is type(getattr(entry, name)), name


@PROPERTY
@given(ledgers_with_changes())
def test_snapshot_records_equal_the_originals_field_by_field(ledger: Ledger) -> None:
    assert_same(rebuilt(ledger), ledger)


def test_the_shipped_plan_reads_the_same(ledger: Any) -> None:
    from measures.ledger.store import read_ledger

    model = read_ledger(ledger).ledger
    assert_same(rebuilt(model), model)


# Where each field sits in a measure's row of the snapshot.
AT = {name: index for index, name in enumerate(field_names(Measure))}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda d: d["measures"][0].pop(AT["deadline"]), ValueError),
        (lambda d: d["measures"][0].__setitem__(AT["deadline"], 20201231), TypeError),
        (lambda d: d["measures"][0].__setitem__(AT["deadline"], "31/12/2020"), ValueError),
        (lambda d: d["measures"][0].__setitem__(AT["status"], "finished"), KeyError),
        (lambda d: d["measures"][0].__setitem__(AT["id"], "1"), TypeError),
        (lambda d: d["measures"][0].__setitem__(AT["title"], None), TypeError),
        (lambda d: d["measures"][0].__setitem__(AT["log"], None), TypeError),
        (lambda d: d["measures"][0].__setitem__(AT["log"], [["2026-01-01T00:00:00"]]), ValueError),
        (lambda d: d["plan"].update(declared="31"), TypeError),
        (lambda d: d.pop("plan"), KeyError),
    ],
)
def test_data_of_another_shape_is_refused(change: Any, error: type[Exception]) -> None:
    measure = Measure(id=1, title="举措", deadline=DAY, status=Status.TODO)
    data = json.loads(
        to_json(snapshot._ledger_json(Ledger(plan=Plan(name="方案"), measures=(measure,))))
    )
    change(data)
    with pytest.raises(error):
        snapshot._ledger(data)


@PROPERTY
@given(ledgers_with_changes())
def test_the_json_form_is_the_validators(ledger: Ledger) -> None:
    """`as_dict(..., json=True)` writes what pydantic wrote before: `--format json` is unchanged."""
    for measure in ledger.measures:
        model = validate.Measure.model_validate(as_dict(measure))
        assert as_dict(measure, json=True) == model.model_dump(mode="json", by_alias=True)
        for entry, logged in zip(measure.log, model.log, strict=True):
            assert as_dict(entry, json=True) == logged.model_dump(mode="json", by_alias=True)
            assert as_dict(entry, json=True, exclude_none=True) == logged.model_dump(
                mode="json", by_alias=True, exclude_none=True
            )
    assert as_dict(ledger.plan, exclude_none=True) == validate.Plan.model_validate(
        as_dict(ledger.plan)
    ).model_dump(exclude_none=True)


@PROPERTY
@given(ledgers_with_changes())
def test_both_writers_of_a_row_give_the_same_bytes(ledger: Ledger) -> None:
    """A write's few rows go through the standard library's JSON, a first read's many
    through pydantic-core's: one snapshot may hold rows of both."""
    few = snapshot._encoder(ledger, snapshot.Kept(ledger, None, [b""] * len(ledger.measures)), ())
    for measure in ledger.measures:
        row = snapshot._measure_row(measure)
        assert few(row) == to_json(row)


@PROPERTY
@given(ledgers_with_changes(), st.sampled_from([Light.RED, Light.YELLOW, Light.GREEN, None]))
def test_both_writers_of_the_list_as_json_give_the_same_bytes(
    ledger: Ledger, colour: Light | None
) -> None:
    """`list --format json` of fewer than COMPILED_FROM measures goes through the standard
    library's JSON, of more through pydantic-core's: the same bytes."""
    from measures.domain.lights import Rules
    from measures.render.records import json_bytes, measure_record, records_json

    records = [measure_record(measure, DAY, Rules()) for measure in ledger.measures]
    records += [{**record, "light": None if colour is None else colour.value} for record in records]
    assert len(records) < COMPILED_FROM
    assert records_json(records) == json_bytes(records)


def test_the_list_as_json_of_odd_text_is_the_same_by_both_writers() -> None:
    from measures.render.records import json_bytes, records_json

    odd = "\x00\x08\x0c\x1b\x1f\x7f\"\\/\u2028\u2029\ufeff😀𠀀<>&'\u200d"
    records = [{"id": 1, "title": odd, "log": [], "partners": [odd], "x": {}, "days": 0}]
    assert records_json(records) == json_bytes(records)
