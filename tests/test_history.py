"""The past from the log: as-of reconstruction, the log in time order, change summaries."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from measures.domain.changes import (
    add_measure,
    add_note,
    block,
    extend,
    mark_done,
    reopen,
    set_fields,
    start,
    verify,
)
from measures.domain.history import (
    as_of,
    change_text,
    describe_change,
    effective_day,
    events,
    ledger_as_of,
)
from measures.model import validate
from measures.model.records import Measure, as_dict

from .conftest import PLAN_HEADER, Run, WriteLedger, measure_block

CST = timezone(timedelta(hours=8))


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=CST)


def measure(**changes: Any) -> Measure:
    base: dict[str, Any] = {
        "id": 1,
        "title": "企业名称自主申报",
        "owner": "区市场监督管理局",
        "deadline": date(2020, 12, 31),
        "status": "todo",
    }
    return validate.measure({**base, **changes})


def on(m: Measure | None, day: str) -> tuple[str, date | None, date | None]:
    assert m is not None
    state = as_of(m, date.fromisoformat(day))
    assert state is not None
    return state.status.value, state.done_on, state.deadline


class TestAsOf:
    def test_done_takes_effect_on_the_day_it_set_not_when_recorded(self) -> None:
        done = mark_done(measure(), date(2021, 3, 1), "wang", at("2021-03-10"))
        assert on(done, "2021-01-15") == ("todo", None, date(2020, 12, 31))
        assert on(done, "2021-02-28") == ("todo", None, date(2020, 12, 31))
        assert on(done, "2021-03-01") == ("done", date(2021, 3, 1), date(2020, 12, 31))
        assert on(done, "2021-03-02")[0] == "done"

    def test_each_move_on_the_day_of_its_at(self) -> None:
        m = start(measure(), "wang", at("2020-11-20"))
        m = block(m, "等待接口", "wang", at("2020-12-05"))
        m = reopen(m, "wang", at("2020-12-15"))
        m = mark_done(m, date(2020, 12, 28), "wang", at("2020-12-28"))
        m = verify(m, "zhao", at("2021-01-08"))
        assert [on(m, d)[0] for d in ("2020-11-19", "2020-11-20", "2020-12-05", "2020-12-14")] == [
            "todo",
            "doing",
            "blocked",
            "blocked",
        ]
        assert [on(m, d)[0] for d in ("2020-12-15", "2020-12-27", "2020-12-28", "2021-01-08")] == [
            "doing",
            "doing",
            "done",
            "verified",
        ]
        assert on(m, "2021-01-08")[1] == date(2020, 12, 28)

    def test_the_end_of_the_day_in_the_entrys_own_offset(self) -> None:
        # 23:30 in Beijing is 15:30 UTC the same day; 00:30 in Beijing is still the 19th in UTC.
        late = start(measure(), "wang", datetime(2020, 11, 20, 23, 30, tzinfo=CST))
        assert on(late, "2020-11-20")[0] == "doing"
        early = start(measure(), "wang", datetime(2020, 11, 21, 0, 30, tzinfo=CST))
        assert on(early, "2020-11-20")[0] == "todo"

    def test_deadlines_move_with_extend_and_set(self) -> None:
        m = extend(measure(), date(2021, 3, 31), "延期", "wang", at("2021-01-05"))
        m = set_fields(m, {"deadline": date(2021, 4, 30)}, "li", at("2021-02-01"))
        assert on(m, "2021-01-04")[2] == date(2020, 12, 31)
        assert on(m, "2021-01-05")[2] == date(2021, 3, 31)
        assert on(m, "2021-02-01")[2] == date(2021, 4, 30)
        state = as_of(m, date(2021, 1, 20))
        assert state is not None and [e.action.value for e in state.log] == ["extend"]

    def test_owners_move_with_set(self) -> None:
        m = set_fields(measure(), {"owner": "区政务服务局"}, "li", at("2021-01-05"))
        before = as_of(m, date(2021, 1, 4))
        assert before is not None and before.owner == "区市场监督管理局"
        after = as_of(m, date(2021, 1, 5))
        assert after is not None and after.owner == "区政务服务局"

    def test_reopened_after_done(self) -> None:
        m = mark_done(
            start(measure(), "w", at("2020-12-01")), date(2020, 12, 20), "w", at("2020-12-20")
        )
        m = reopen(m, "zhao", at("2021-01-10"))
        assert on(m, "2020-12-25") == ("done", date(2020, 12, 20), date(2020, 12, 31))
        assert on(m, "2021-01-10") == ("doing", None, date(2020, 12, 31))

    def test_a_measure_added_later_did_not_exist(self) -> None:
        ledger = validate.ledger({"plan": {"name": "p"}, "measures": []})
        ledger, added = add_measure(
            ledger, {"title": "新举措", "deadline": date(2021, 6, 30)}, "li", at("2021-02-01")
        )
        assert as_of(added, date(2021, 1, 31)) is None
        assert on(added, "2021-02-01")[0] == "todo"
        assert ledger_as_of(ledger, date(2021, 1, 31)).measures == ()

    def test_no_log_means_the_record_stands(self) -> None:
        by_hand = measure(status="done", done_on=date(2020, 12, 1))
        assert as_of(by_hand, date(2020, 1, 1)) == by_hand

    def test_a_note_changes_nothing_on_any_day(self) -> None:
        m = add_note(measure(), "进展", "w", at("2021-01-05"))
        before = as_of(m, date(2021, 1, 4))
        assert before is not None and before == replace(m, log=())
        assert as_of(m, date(2021, 1, 5)) == m

    def test_effective_day(self) -> None:
        done = mark_done(measure(), date(2021, 3, 1), "w", at("2021-03-10"))
        assert effective_day(done.log[-1]) == date(2021, 3, 1)
        assert effective_day(start(measure(), "w", at("2021-03-10")).log[-1]) == date(2021, 3, 10)


class TestLogHelpers:
    def test_events_oldest_first_across_measures(self) -> None:
        one = start(measure(), "w", at("2021-01-05"))
        two = add_note(measure(id=2), "早", "w", at("2021-01-03"))
        two = add_note(two, "晚", "w", at("2021-01-07"))
        found = events([one, two])
        assert [(e.measure_id, e.entry.at.day) for e in found] == [(2, 3), (1, 5), (2, 7)]
        assert [e.entry.note for e in events([one, two], since=date(2021, 1, 5))] == [None, "晚"]
        assert [e.measure_id for e in events([one, two], measure_id=1)] == [1]

    def test_change_text(self) -> None:
        m = mark_done(
            start(measure(), "w", at("2021-01-05")), date(2021, 1, 6), "w", at("2021-01-06")
        )
        assert [change_text(e) for e in m.log] == ["todo → doing", "doing → done, on 2021-01-06"]
        moved = extend(measure(), date(2021, 3, 31), "x", "w", at("2021-01-05")).log[-1]
        assert change_text(moved) == "deadline 2020-12-31 → 2021-03-31"
        assert change_text(add_note(measure(), "x", "w", at("2021-01-05")).log[-1]) == ""

    def test_describe_change(self) -> None:
        before = validate.ledger(
            {
                "plan": {"name": "p"},
                "measures": [as_dict(measure()), as_dict(measure(id=2))],
            }
        )
        after = before.replace(start(before.get(1), "w", at("2021-01-05")))
        after = after.replace(
            set_fields(after.get(2), {"owner": "区税务局"}, "w", at("2021-01-05"))
        )
        assert describe_change(before, after) == (
            "start 1 (todo → doing); set 2 (owner 区市场监督管理局 → 区税务局)"
        )


class TestCommandLine:
    def test_list_as_of_before_and_after_a_late_report_of_done(
        self, run: Run, ledger: Path
    ) -> None:
        assert run("done", "1", "--on", "2021-03-01").exit_code == 0
        result = run("list", "--as-of", "2021-01-15", "--format", "json")
        assert result.exit_code == 0, result.stderr
        first = json.loads(result.stdout)[0]
        assert (first["id"], first["status"], first["done_on"]) == (1, "todo", None)
        assert first["overdue"] is True and first["days_overdue"] == 15
        first = json.loads(run("list", "--as-of", "2021-03-02", "--format", "json").stdout)[0]
        assert (first["status"], first["done_on"], first["overdue"]) == (
            "done",
            "2021-03-01",
            False,
        )
        table = run("list", "--as-of", "2021-01-15").stdout
        assert "as of 2021-01-15" in table and "31 overdue" in table

    def test_report_as_of_counts_extensions_made_by_then(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        extend_entry = (
            '\n[[measures.log]]\nat = 2021-01-05T10:00:00+08:00\nby = "wang"\naction = "extend"\n'
            'field = "deadline"\nold = 2020-12-31\nnew = 2021-03-31\nnote = "延期"\n'
        )
        write_ledger(PLAN_HEADER + measure_block(1, deadline="2021-03-31", extra=extend_entry))
        early = json.loads(run("report", "--as-of", "2021-01-04", "--format", "json").stdout)
        assert early["as_of"] == "2021-01-04"
        assert early["by_owner"][0]["extended"] == 0
        assert [row["days_overdue"] for row in early["overdue"]] == [4]
        late = json.loads(run("report", "--as-of", "2021-01-05", "--format", "json").stdout)
        assert late["by_owner"][0]["extended"] == 1 and late["overdue"] == []

    def test_a_measure_added_later_is_not_listed_before(
        self, run: Run, ledger: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        added_at = datetime(2026, 1, 5, 9, 0, tzinfo=CST)
        monkeypatch.setattr("measures.cli.change_commands.clock_now", lambda: added_at)
        assert run("add", "--title", "新", "--owner", "", "--deadline", "2026-03-31").exit_code == 0
        rows = json.loads(run("list", "--as-of", "2026-01-04", "--format", "json").stdout)
        assert len(rows) == 31
        rows = json.loads(run("list", "--as-of", "2026/1/5", "--format", "json").stdout)
        assert [r["id"] for r in rows][-1] == 32

    def test_a_bad_as_of_date_is_refused(self, run: Run, ledger: Path) -> None:
        result = run("list", "--as-of", "2021-02-30")
        assert result.exit_code == 1 and "--as-of '2021-02-30' does not exist" in result.stderr
        assert run("report", "--as-of", "someday").exit_code == 1


def test_utc_entries_take_their_own_day() -> None:
    m = start(measure(), "w", datetime(2020, 11, 20, 23, 30, tzinfo=UTC))
    assert on(m, "2020-11-20")[0] == "doing"
    assert on(m, "2020-11-19")[0] == "todo"
