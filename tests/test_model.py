from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from measures.domain.changes import add_measure, mark_done, set_fields
from measures.errors import BadValue, Conflict, UnknownMeasure
from measures.model import validate
from measures.model.records import (
    Action,
    Status,
    days_overdue,
    is_overdue,
)

AT = datetime(2020, 12, 20, 9, 30, tzinfo=UTC)


def record(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": 1,
        "title": "企业名称自主申报",
        "deadline": date(2020, 12, 31),
        "status": "todo",
    }
    base.update(changes)
    return base


def test_a_minimal_record_is_valid() -> None:
    measure = validate.measure(record())
    assert measure.status is Status.TODO
    assert measure.owner == ""
    assert measure.log == ()


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"status": "finished"}, "status"),
        ({"deadline": "2020-12-31"}, "deadline"),
        ({"deadline": datetime(2020, 12, 31, 10)}, "deadline"),
        ({"id": 0}, "id"),
        ({"id": -4}, "id"),
        ({"id": "3"}, "id"),
        ({"id": 2.0}, "id"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"titel": "typo"}, "titel"),
        ({"status": "done"}, "done_on is missing"),
        ({"done_on": date(2020, 12, 1)}, "done_on is set"),
    ],
)
def test_records_that_break_the_model_are_refused(changes: dict[str, Any], fragment: str) -> None:
    data = record(**changes)
    with pytest.raises(ValidationError) as caught:
        validate.measure(data)
    assert fragment in str(caught.value)


def test_missing_title_is_refused() -> None:
    data = record()
    del data["title"]
    with pytest.raises(ValidationError, match="title"):
        validate.measure(data)


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValidationError, match="duplicate id 1"):
        validate.ledger({"plan": {"name": "p"}, "measures": [record(), record()]})


def test_log_entries_need_an_offset() -> None:
    entry = {"at": datetime(2020, 12, 20, 9, 30), "action": "note"}
    with pytest.raises(ValidationError, match="at"):
        validate.measure(record(log=[entry]))


def test_overdue_is_open_and_past_the_deadline() -> None:
    measure = validate.measure(record())
    assert not is_overdue(measure, date(2020, 12, 31))
    assert is_overdue(measure, date(2021, 1, 2))
    assert days_overdue(measure, date(2021, 1, 2)) == 2
    done = mark_done(measure, date(2021, 1, 1), "wang", AT)
    assert not is_overdue(done, date(2021, 1, 2))
    assert days_overdue(done, date(2021, 1, 2)) == 0


def test_mark_done_records_the_day_and_logs_the_change() -> None:
    measure = validate.measure(record(status="doing"))
    done = mark_done(measure, date(2020, 12, 20), "wang", AT, "系统已上线")
    assert done.status is Status.DONE
    assert done.done_on == date(2020, 12, 20)
    (entry,) = done.log
    assert (entry.action, entry.from_, entry.to, entry.by, entry.note) == (
        Action.DONE,
        Status.DOING,
        Status.DONE,
        "wang",
        "系统已上线",
    )
    assert measure.status is Status.DOING  # the original is untouched


@pytest.mark.parametrize("status", ["dropped"])
def test_mark_done_refuses_a_closed_measure(status: str) -> None:
    measure = validate.measure(record(status=status))
    with pytest.raises(Conflict, match="is dropped"):
        mark_done(measure, date(2020, 12, 20), "wang", AT)
    done = mark_done(validate.measure(record()), date(2020, 12, 20), "wang", AT)
    with pytest.raises(Conflict, match="is done"):
        mark_done(done, date(2020, 12, 21), "wang", AT)


def test_ledger_lookup_and_replace() -> None:
    ledger = validate.ledger(
        {"plan": {"name": "p"}, "measures": [record(), record(id=2, title="二")]}
    )
    with pytest.raises(UnknownMeasure, match="no measure has id 9"):
        ledger.get(9)
    done = mark_done(ledger.get(2), date(2020, 12, 20), "wang", AT)
    after = ledger.replace(done)
    assert [m.status for m in after.measures] == [Status.TODO, Status.DONE]
    assert ledger.get(2).status is Status.TODO


def test_to_toml_leaves_out_what_is_empty() -> None:
    measure = validate.measure(record())
    data = measure.to_toml()
    assert "partners" not in data and "log" not in data and "done_on" not in data
    assert data["status"] == "todo" and type(data["status"]) is str


def test_set_fields_logs_each_field_that_moved() -> None:
    measure = validate.measure(record(owner="区税务局"))
    changed = set_fields(
        measure, {"owner": "区政务服务局", "deadline": date(2021, 3, 31), "title_en": ""}, "li", AT
    )
    assert changed.owner == "区政务服务局" and changed.deadline == date(2021, 3, 31)
    assert [(e.action, e.field, e.old, e.new) for e in changed.log] == [
        (Action.SET, "owner", "区税务局", "区政务服务局"),
        (Action.SET, "deadline", date(2020, 12, 31), date(2021, 3, 31)),
    ]
    assert set_fields(measure, {"owner": "区税务局"}, "li", AT) == measure


def test_set_fields_refuses_what_it_may_not_set() -> None:
    measure = validate.measure(record())
    with pytest.raises(BadValue, match="cannot set status"):
        set_fields(measure, {"status": "done"}, "li", AT)
    with pytest.raises(BadValue, match="title: must not be empty"):
        set_fields(measure, {"title": " "}, "li", AT)


def test_add_measure_takes_the_next_free_id() -> None:
    ledger = validate.ledger({"plan": {"name": "p"}, "measures": [record(id=4)]})
    fields = {"title": "新举措", "owner": "区商务局", "deadline": date(2021, 6, 30)}
    after, added = add_measure(ledger, fields, "li", AT)
    assert added.id == 5 and added.status is Status.TODO
    assert added.log[0].action is Action.ADD
    assert [m.id for m in after.measures] == [4, 5]
    with pytest.raises(Conflict, match="measure 4 already exists"):
        add_measure(ledger, {**fields, "id": 4}, "li", AT)


def test_the_validators_have_the_records_fields() -> None:
    """A field added to a record but not to its validator (or the other way) is caught here."""
    from measures.model import records, validate

    for name in ("LogEntry", "Measure", "Plan", "Ledger"):
        record, model = getattr(records, name), getattr(validate, name)
        assert records.field_names(record) == tuple(model.model_fields), name
