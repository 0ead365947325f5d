"""The report's data: done and verified apart, due soon, the burn-up, and the JSON shape."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from measures.domain.labels import UNASSIGNED
from measures.domain.reports import BurnupPoint, build_report, burnup, burnup_span, due_soon
from measures.model import validate
from measures.model.records import Action, Ledger, LogEntry, Measure, Plan, Status
from measures.render.records import report_record

from .conftest import PLAN_HEADER, Run, WriteLedger, measure_block

TODAY = date(2020, 12, 20)


def measure(
    ident: int, status: str = "todo", deadline: date = date(2020, 12, 31), **more: Any
) -> Measure:
    return validate.measure(
        {"id": ident, "title": f"举措{ident}", "deadline": deadline, "status": status, **more}
    )


def ledger(*measures: Measure) -> Ledger:
    return Ledger(plan=Plan(name="方案", issued=date(2020, 11, 6), declared=3), measures=measures)


def verify_entry(day: date) -> LogEntry:
    at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    return LogEntry(at=at, by="li", action=Action.VERIFY, from_=Status.DONE, to=Status.VERIFIED)


class TestDoneAndVerified:
    def test_counted_apart_overall_and_by_owner(self) -> None:
        report = build_report(
            ledger(
                measure(1, "done", done_on=date(2020, 12, 1), owner="甲"),
                measure(2, "verified", done_on=date(2020, 12, 2), owner="甲"),
                measure(3, "verified", done_on=date(2020, 12, 3), owner="乙"),
                measure(4, "doing", owner="甲"),
                measure(5, "dropped", owner="甲"),
            ),
            TODAY,
        )
        assert (report.complete, report.done, report.verified) == (3, 1, 2)
        assert report.rate == 3 / 4
        first = report.owners[0]
        assert (first.owner, first.total, first.complete, first.done, first.verified) == (
            "甲",
            4,
            2,
            1,
            1,
        )
        assert first.rate == 2 / 3


class TestDueSoon:
    def test_open_measures_due_from_today_to_the_limit(self) -> None:
        measures = [
            measure(1, deadline=TODAY),  # due today: 0 days left
            measure(2, deadline=TODAY + timedelta(days=14)),  # the last day counted
            measure(3, deadline=TODAY + timedelta(days=15)),  # beyond
            measure(4, deadline=TODAY - timedelta(days=1)),  # overdue, not due soon
            measure(5, "done", deadline=TODAY + timedelta(days=2), done_on=TODAY),  # closed
            measure(6, "dropped", deadline=TODAY + timedelta(days=2)),  # closed
            measure(7, "blocked", deadline=TODAY + timedelta(days=3)),
            measure(8, "doing", deadline=TODAY + timedelta(days=3)),
        ]
        soon = due_soon(measures, TODAY, 14)
        assert [(m.id, left) for m, left in soon] == [(1, 0), (7, 3), (8, 3), (2, 14)]
        assert [m.id for m, _ in due_soon(measures, TODAY, 0)] == [1]

    def test_report_uses_the_given_window(self) -> None:
        data = ledger(measure(1, deadline=TODAY + timedelta(days=20)))
        assert build_report(data, TODAY).due_soon == []
        report = build_report(data, TODAY, due_within=30)
        assert report.due_within == 30 and [m.id for m, _ in report.due_soon] == [1]


class TestBurnup:
    def test_counts_by_day_from_done_on_verify_entries_and_deadlines(self) -> None:
        points = burnup(
            [
                measure(1, "done", deadline=date(2020, 12, 15), done_on=date(2020, 12, 10)),
                measure(
                    2,
                    "verified",
                    deadline=date(2020, 12, 31),
                    done_on=date(2020, 12, 12),
                    log=[verify_entry(date(2020, 12, 18))],
                ),
                measure(3, "todo", deadline=date(2020, 12, 15)),
                measure(4, "dropped", deadline=date(2020, 11, 30)),  # left out entirely
            ],
            TODAY,
        )
        assert points == [
            BurnupPoint(date(2020, 12, 10), complete=1, verified=0, due=0),
            BurnupPoint(date(2020, 12, 12), complete=2, verified=0, due=0),
            BurnupPoint(date(2020, 12, 15), complete=2, verified=0, due=2),
            BurnupPoint(date(2020, 12, 18), complete=2, verified=1, due=2),
            BurnupPoint(TODAY, complete=2, verified=1, due=2),
            BurnupPoint(date(2020, 12, 31), complete=2, verified=1, due=3),
        ]

    def test_verified_without_an_entry_counts_from_done_on(self) -> None:
        points = burnup([measure(1, "verified", done_on=date(2020, 12, 5))], TODAY)
        assert points[0] == BurnupPoint(date(2020, 12, 5), complete=1, verified=1, due=0)

    def test_a_completion_after_the_day_is_not_counted_yet(self) -> None:
        points = burnup([measure(1, "done", done_on=date(2020, 12, 25))], TODAY)
        assert [p.day for p in points] == [TODAY, date(2020, 12, 31)]
        assert all(p.complete == 0 for p in points)

    def test_an_empty_ledger_has_the_day_alone(self) -> None:
        assert burnup([], TODAY) == [BurnupPoint(TODAY, 0, 0, 0)]


# The documented shape of `report --format json` (docs/reports.md): every key and
# its JSON type. Adding a key is allowed only together with this test and the docs.
TOP = {
    "plan": str,
    "issued": (str, type(None)),
    "as_of": str,
    "declared": (int, type(None)),
    "total": int,
    "complete": int,
    "done": int,
    "verified": int,
    "in_progress": int,
    "completion_rate": (int, float),
    "by_status": dict,
    "by_owner": list,
    "overdue": list,
    "due_within": int,
    "due_soon": list,
    "burnup": list,
    "uncounted_owners": list,
    "district": str,
    "source": str,
    "notes": str,
    "not_reported": (list, type(None)),
    "since": (dict, type(None)),
    "lights": dict,
}
OWNER = {
    "owner": str,
    "total": int,
    "complete": int,
    "done": int,
    "verified": int,
    "in_progress": int,
    "overdue": int,
    "extended": int,
    "completion_rate": (int, float),
    "owner_basis": str,
    "lights": dict,
}
BRIEF = {"id": int, "title": str, "owner": str, "deadline": str, "status": str}
OVERDUE = {**BRIEF, "days_overdue": int, "deadline_text": str, "owner_basis": str}
DUE_SOON = {**BRIEF, "days_left": int, "deadline_text": str, "owner_basis": str}
POINT = {"date": str, "complete": int, "verified": int, "due": int}


def assert_shape(value: dict[str, Any], shape: dict[str, Any]) -> None:
    assert list(value) == list(shape)
    for key, kind in shape.items():
        assert isinstance(value[key], kind), (key, value[key])
        assert not isinstance(value[key], bool), key


def assert_report_shape(data: dict[str, Any]) -> None:
    assert_shape(data, TOP)
    assert list(data["by_status"]) == ["todo", "doing", "blocked", "done", "verified", "dropped"]
    assert all(type(count) is int for count in data["by_status"].values())
    for key, shape in (
        ("by_owner", OWNER),
        ("overdue", OVERDUE),
        ("due_soon", DUE_SOON),
        ("burnup", POINT),
    ):
        assert data[key], f"the sample should fill {key}"
        for item in data[key]:
            assert_shape(item, shape)


SAMPLE = (
    PLAN_HEADER
    + measure_block(1, status="done", extra="done_on = 2020-12-10\n")
    + measure_block(2, deadline="2020-12-01", owner="区税务局")
    + measure_block(3, deadline="2099-01-05")
)


class TestJsonShape:
    def test_the_core_record(self) -> None:
        report = build_report(
            ledger(
                measure(1, "verified", done_on=date(2020, 12, 1), owner="甲"),
                measure(2, deadline=date(2020, 12, 1)),
                measure(3, deadline=date(2020, 12, 25)),
            ),
            TODAY,
        )
        data = json.loads(json.dumps(report_record(report)))
        assert_report_shape(data)
        assert data["issued"] == "2020-11-06" and data["as_of"] == "2020-12-20"
        assert data["verified"] == 1 and data["done"] == 0
        assert data["due_soon"][0] == {
            "id": 3,
            "title": "举措3",
            "owner": "",
            "deadline": "2020-12-25",
            "status": "todo",
            "days_left": 5,
            "deadline_text": "",
            "owner_basis": "",
        }
        assert data["burnup"][-1] == {"date": "2020-12-31", "complete": 1, "verified": 1, "due": 3}

    def test_through_the_command_line(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(SAMPLE)
        result = run("report", "--format", "json", "--due-within", "30000")
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert_report_shape(data)
        assert data["due_within"] == 30000
        assert [row["id"] for row in data["due_soon"]] == [3]
        assert [row["id"] for row in data["overdue"]] == [2]

    def test_overdue_only(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(SAMPLE)
        data = json.loads(run("report", "--overdue", "--format", "json").stdout)
        assert list(data) == ["as_of", "overdue"]
        assert_shape(data["overdue"][0], OVERDUE)


def test_shipped_ledger_report_has_no_progress_yet(run: Run, ledger: Path) -> None:
    data = json.loads(run("report", "--format", "json").stdout)
    assert data["burnup"][0] == {"date": "2020-12-31", "complete": 0, "verified": 0, "due": 31}
    assert data["burnup"][-1]["date"] == date.today().isoformat()


class TestUncountedOwners:
    """An owner whose every measure was dropped has no rate: shown apart, never ranked at 0 %."""

    def test_kept_apart_and_last(self) -> None:
        report = build_report(
            ledger(
                measure(1, "dropped", owner="丙"),
                measure(2, "dropped", owner="丙"),
                measure(3, owner="甲"),
                measure(4, "done", done_on=date(2020, 12, 1), owner="乙"),
                measure(5, "dropped", owner="乙"),
                measure(6),
            ),
            TODAY,
        )
        assert [row.owner for row in report.owners] == ["乙", "甲", UNASSIGNED, "丙"]
        assert [row.owner for row in report.counted_owners] == ["乙", "甲", UNASSIGNED]
        assert [row.owner for row in report.uncounted_owners] == ["丙"]
        assert not report.owners[-1].countable and report.owners[0].countable
        assert report_record(report)["uncounted_owners"] == ["丙"]

    def test_none_when_every_owner_has_a_measure(self) -> None:
        report = build_report(
            ledger(measure(1, owner="甲"), measure(2, "dropped", owner="甲")), TODAY
        )
        assert report.uncounted_owners == [] and report_record(report)["uncounted_owners"] == []


def points_due(start: date, *deadlines: tuple[date, int]) -> list[BurnupPoint]:
    """Burn-up points with these deadlines (day, how many), nothing complete."""
    due, points = 0, []
    for day, count in deadlines:
        due += count
        points.append(BurnupPoint(day, 0, 0, due))
    return points


class TestBurnupSpan:
    ISSUED = date(2026, 3, 1)

    def test_the_whole_plan_when_no_deadline_stands_apart(self) -> None:
        points = points_due(self.ISSUED, (date(2026, 6, 30), 3), (date(2026, 12, 31), 4))
        span = burnup_span(points, date(2026, 9, 1), self.ISSUED)
        assert (span.start, span.end, span.beyond) == (self.ISSUED, date(2026, 12, 31), [])

    def test_one_measure_extended_by_a_year_is_noted_not_drawn(self) -> None:
        points = points_due(
            self.ISSUED, (date(2026, 6, 30), 3), (date(2026, 12, 31), 4), (date(2027, 12, 31), 1)
        )
        span = burnup_span(points, date(2026, 12, 2), self.ISSUED)
        assert span.end == date(2026, 12, 31)
        assert span.beyond == [(date(2027, 12, 31), 1)] and span.beyond_count == 1

    def test_several_outliers_are_cut_at_the_first_far_gap(self) -> None:
        points = points_due(
            date(2020, 11, 6),
            (date(2020, 12, 31), 28),
            (date(2025, 6, 30), 1),
            (date(2027, 12, 31), 1),
        )
        span = burnup_span(points, date(2020, 12, 20), date(2020, 11, 6))
        assert span.end == date(2020, 12, 31)
        assert span.beyond == [(date(2025, 6, 30), 1), (date(2027, 12, 31), 1)]

    def test_a_late_deadline_of_many_measures_is_the_horizon(self) -> None:
        # Half the plan is due in 2028: that is the plan's span, not an outlier.
        points = points_due(self.ISSUED, (date(2026, 6, 30), 2), (date(2028, 12, 31), 2))
        span = burnup_span(points, date(2026, 12, 2), self.ISSUED)
        assert span.end == date(2028, 12, 31) and span.beyond == []

    def test_the_report_day_later_than_the_horizon_ends_the_axis(self) -> None:
        points = points_due(
            self.ISSUED, (date(2026, 6, 30), 8), (date(2027, 12, 31), 1), (date(2029, 1, 1), 1)
        )
        span = burnup_span(points, date(2028, 1, 15), self.ISSUED)
        # 2027-12-31 is past: drawn; 2029 is still to come: noted.
        assert span.end == date(2028, 1, 15)
        assert span.beyond == [(date(2029, 1, 1), 1)]

    def test_without_deadlines_or_issue_day(self) -> None:
        span = burnup_span([BurnupPoint(TODAY, 0, 0, 0)], TODAY, None)
        assert (span.start, span.end, span.beyond) == (TODAY, TODAY, [])
