"""The lifecycle changes, called directly: what each allows, what it records."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from measures.domain.changes import (
    add_note,
    block,
    drop,
    extend,
    mark_done,
    reopen,
    start,
    verify,
)
from measures.errors import BadValue, Conflict
from measures.model import validate
from measures.model.records import Action, Measure, Status

AT = datetime(2020, 12, 20, 9, 30, tzinfo=UTC)


def measure(**changes: Any) -> Measure:
    base: dict[str, Any] = {
        "id": 3,
        "title": "企业开办网上受理时限压缩至0.5天",
        "deadline": date(2020, 12, 31),
        "status": "todo",
    }
    return validate.measure({**base, **changes})


def test_start_moves_todo_to_doing_and_logs_it() -> None:
    started = start(measure(), "wang", AT, "部署会")
    assert started.status is Status.DOING
    (entry,) = started.log
    assert (entry.action, entry.from_, entry.to, entry.by, entry.note) == (
        Action.START,
        Status.TODO,
        Status.DOING,
        "wang",
        "部署会",
    )


@pytest.mark.parametrize("status", ["doing", "blocked", "dropped"])
def test_start_only_from_todo(status: str) -> None:
    with pytest.raises(Conflict, match=f"measure 3 is {status}; only a measure that is todo"):
        start(measure(status=status), "wang", AT)


def test_block_needs_a_reason_and_keeps_it() -> None:
    blocked = block(measure(status="doing"), "等待接口", "wang", AT)
    assert blocked.status is Status.BLOCKED
    assert blocked.log[-1].note == "等待接口"
    assert blocked.log[-1].from_ is Status.DOING
    with pytest.raises(BadValue, match="block needs a reason"):
        block(measure(), "  ", "wang", AT)
    with pytest.raises(Conflict, match="todo or doing can be blocked"):
        block(blocked, "again", "wang", AT)


def test_drop_an_open_measure_only() -> None:
    dropped = drop(measure(status="blocked"), "并入第3条", "wang", AT)
    assert dropped.status is Status.DROPPED and dropped.log[-1].note == "并入第3条"
    with pytest.raises(BadValue, match="drop needs a reason"):
        drop(measure(), "", "wang", AT)
    done = mark_done(measure(), date(2020, 12, 1), "wang", AT)
    with pytest.raises(Conflict, match="todo, doing or blocked can be dropped"):
        drop(done, "late", "wang", AT)


def test_verify_signs_off_a_done_measure_and_keeps_done_on() -> None:
    done = mark_done(measure(), date(2020, 12, 1), "wang", AT)
    verified = verify(done, "zhao", AT, "材料齐全")
    assert verified.status is Status.VERIFIED
    assert verified.done_on == date(2020, 12, 1)
    assert (verified.log[-1].action, verified.log[-1].from_, verified.log[-1].by) == (
        Action.VERIFY,
        Status.DONE,
        "zhao",
    )


@pytest.mark.parametrize("status", ["todo", "doing", "blocked", "dropped"])
def test_verify_refuses_what_is_not_done(status: str) -> None:
    with pytest.raises(Conflict, match="only a measure that is done can be verified"):
        verify(measure(status=status), "zhao", AT)


def test_mark_done_records_the_day_it_set() -> None:
    entry = mark_done(measure(), date(2021, 3, 1), "wang", AT).log[-1]
    assert (entry.field, entry.old, entry.new) == ("done_on", None, date(2021, 3, 1))


def test_reopen_goes_back_to_where_work_stood() -> None:
    blocked = block(start(measure(), "wang", AT), "等待", "wang", AT)
    assert reopen(blocked, "wang", AT).status is Status.DOING
    blocked_early = block(measure(), "等待", "wang", AT)
    assert reopen(blocked_early, "wang", AT).status is Status.TODO
    done = mark_done(start(measure(), "wang", AT), date(2020, 12, 1), "wang", AT)
    reopened = reopen(verify(done, "zhao", AT), "zhao", AT, "材料不全")
    assert reopened.status is Status.DOING and reopened.done_on is None
    entry = reopened.log[-1]
    assert (entry.from_, entry.to, entry.field, entry.old, entry.note) == (
        Status.VERIFIED,
        Status.DOING,
        "done_on",
        date(2020, 12, 1),
        "材料不全",
    )
    # A measure marked done by hand, with no log, starts over.
    by_hand = measure(status="done", done_on=date(2020, 12, 1))
    assert reopen(by_hand, "wang", AT).status is Status.TODO


@pytest.mark.parametrize("status", ["todo", "doing"])
def test_reopen_refuses_an_open_measure(status: str) -> None:
    with pytest.raises(Conflict, match="It is open already"):
        reopen(measure(status=status), "wang", AT)


def test_extend_moves_the_deadline_later_with_a_reason() -> None:
    extended = extend(measure(), date(2021, 3, 31), "市级系统延期", "wang", AT)
    assert extended.deadline == date(2021, 3, 31)
    entry = extended.log[-1]
    assert (entry.action, entry.field, entry.old, entry.new, entry.note) == (
        Action.EXTEND,
        "deadline",
        date(2020, 12, 31),
        date(2021, 3, 31),
        "市级系统延期",
    )
    assert entry.from_ is None and entry.to is None
    with pytest.raises(BadValue, match="extend needs a reason"):
        extend(measure(), date(2021, 3, 31), " ", "wang", AT)
    with pytest.raises(BadValue, match="not after measure 3's deadline 2020-12-31"):
        extend(measure(), date(2020, 12, 31), "why", "wang", AT)
    with pytest.raises(Conflict, match="is dropped"):
        extend(measure(status="dropped"), date(2021, 3, 31), "why", "wang", AT)


def test_a_note_changes_nothing_but_the_log() -> None:
    noted = add_note(measure(status="done", done_on=date(2020, 12, 1)), "已归档", "li", AT)
    assert noted.status is Status.DONE
    assert [(e.action, e.note) for e in noted.log] == [(Action.NOTE, "已归档")]
    with pytest.raises(BadValue, match="the note is empty"):
        add_note(measure(), "   ", "li", AT)
