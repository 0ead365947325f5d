"""Traffic lights: each case at fixed days, `list --light`, and the report's counts."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta, timezone

import pytest

from measures.domain.lights import (
    Light,
    Rules,
    light,
    light_counts,
    light_label,
    parse_light,
    rules_of,
)
from measures.domain.reports import build_report
from measures.i18n import set_language
from measures.model import validate
from measures.model.records import Action, LogEntry, Measure, Plan, Status

from .conftest import Run, WriteLedger

TODAY = date(2026, 3, 1)
CST = timezone(timedelta(hours=8))


def logged(day: date, action: Action = Action.NOTE) -> LogEntry:
    return LogEntry(at=datetime(day.year, day.month, day.day, 9, tzinfo=CST), action=action)


def measure(
    status: Status = Status.DOING,
    deadline: date | None = date(2026, 6, 30),
    log: tuple[LogEntry, ...] = (logged(TODAY - timedelta(days=3)),),
    done_on: date | None = None,
) -> Measure:
    return Measure(
        id=1,
        title="举措",
        owner="区税务局",
        deadline=deadline,
        deadline_text="" if deadline else "长期坚持",
        status=status,
        done_on=done_on,
        log=log,
    )


RULES = Rules()  # 14 and 30 days


class TestEachCase:
    def test_overdue_is_red(self) -> None:
        assert light(measure(deadline=TODAY - timedelta(days=1)), TODAY, RULES) is Light.RED
        blocked = measure(status=Status.BLOCKED, deadline=TODAY - timedelta(days=40))
        assert light(blocked, TODAY, RULES) is Light.RED

    def test_due_today_is_not_red_but_yellow(self) -> None:
        assert light(measure(deadline=TODAY), TODAY, RULES) is Light.YELLOW

    def test_due_soon_is_yellow_up_to_yellow_days(self) -> None:
        assert light(measure(deadline=TODAY + timedelta(days=14)), TODAY, RULES) is Light.YELLOW
        assert light(measure(deadline=TODAY + timedelta(days=15)), TODAY, RULES) is Light.GREEN
        narrow = Rules(yellow_days=3)
        assert light(measure(deadline=TODAY + timedelta(days=4)), TODAY, narrow) is Light.GREEN

    def test_stale_is_yellow(self) -> None:
        quiet = measure(log=(logged(TODAY - timedelta(days=30)),))
        assert light(quiet, TODAY, RULES) is Light.YELLOW
        recent = measure(log=(logged(TODAY - timedelta(days=29)),))
        assert light(recent, TODAY, RULES) is Light.GREEN

    def test_a_set_is_not_progress(self) -> None:
        corrected = measure(
            log=(logged(TODAY - timedelta(days=40)), logged(TODAY, Action.SET)),
        )
        assert light(corrected, TODAY, RULES) is Light.YELLOW

    def test_no_log_counts_from_the_plan_issued_else_never_stale(self) -> None:
        bare = measure(log=())
        assert light(bare, TODAY, RULES) is Light.GREEN
        issued = Rules(issued=TODAY - timedelta(days=31))
        assert light(bare, TODAY, issued) is Light.YELLOW

    def test_on_track_is_green(self) -> None:
        assert light(measure(), TODAY, RULES) is Light.GREEN

    def test_complete_is_green_even_long_past_its_deadline(self) -> None:
        for status in (Status.DONE, Status.VERIFIED):
            done = measure(status=status, deadline=date(2020, 1, 1), done_on=date(2020, 3, 1))
            assert light(done, TODAY, RULES) is Light.GREEN

    def test_dropped_has_no_light(self) -> None:
        assert light(measure(status=Status.DROPPED, deadline=date(2020, 1, 1)), TODAY) is None

    def test_ongoing_is_never_red_by_date(self) -> None:
        ongoing = measure(deadline=None)
        assert light(ongoing, date(2099, 1, 1), RULES) is Light.YELLOW  # silent for years
        assert light(ongoing, TODAY, RULES) is Light.GREEN
        assert light(measure(deadline=None, status=Status.TODO, log=()), TODAY) is Light.GREEN

    def test_counts(self) -> None:
        measures = [
            measure(deadline=TODAY - timedelta(days=1)),
            measure(deadline=TODAY + timedelta(days=1)),
            measure(),
            measure(status=Status.DROPPED),
        ]
        assert light_counts(measures, TODAY, RULES) == {
            Light.RED: 1,
            Light.YELLOW: 1,
            Light.GREEN: 1,
        }


class TestWords:
    @pytest.mark.parametrize(
        ("text", "wanted"),
        [
            ("red", Light.RED),
            ("RED", Light.RED),
            (" 红 ", Light.RED),
            ("红灯", Light.RED),
            ("黄", Light.YELLOW),
            ("黄灯", Light.YELLOW),
            ("绿", Light.GREEN),
            ("green", Light.GREEN),
            ("blue", None),
            ("", None),
        ],
    )
    def test_parse(self, text: str, wanted: Light | None) -> None:
        assert parse_light(text) is wanted

    def test_label_is_a_word_in_the_language(self) -> None:
        assert light_label(Light.RED) == "red"
        set_language("zh")
        assert [light_label(shown) for shown in Light] == ["红灯", "黄灯", "绿灯"]
        assert light_label(None) == ""


class TestPlanKeys:
    def test_defaults_when_absent(self) -> None:
        assert rules_of(Plan(name="方案")) == Rules(14, 30, None)

    def test_read_from_the_plan(self) -> None:
        plan = validate.plan({"name": "方案", "yellow_days": 7, "stale_days": 10})
        assert rules_of(plan) == Rules(7, 10, None)

    @pytest.mark.parametrize("bad", [{"yellow_days": -1}, {"stale_days": 0}, {"yellow_days": "7"}])
    def test_refused(self, bad: dict[str, object]) -> None:
        with pytest.raises(ValueError, match="days"):
            validate.plan({"name": "方案", **bad})


# A plan as of 2026-03-01: yellow within 10 days, stale after 20.
LEDGER = """[plan]
name = "测试方案"
issued = 2026-01-05
yellow_days = 10
stale_days = 20

[[measures]]
id = 1
title = "逾期举措"
owner = "区税务局"
deadline = 2026-02-20
status = "doing"

[[measures.log]]
at = 2026-02-25T09:00:00+08:00
action = "note"
note = "正在推进"

[[measures]]
id = 2
title = "临期举措"
owner = "区税务局"
partners = ["区财政局"]
deadline = 2026-03-08
status = "todo"

[[measures.log]]
at = 2026-02-26T09:00:00+08:00
action = "note"
note = "已部署"

[[measures]]
id = 3
title = "久未报送"
owner = "区财政局"
deadline_text = "长期坚持"
status = "doing"

[[measures.log]]
at = 2026-02-01T09:00:00+08:00
action = "start"
from = "todo"
to = "doing"

[[measures]]
id = 4
title = "按序推进"
owner = "区财政局"
deadline = 2026-12-31
status = "doing"

[[measures.log]]
at = 2026-02-20T09:00:00+08:00
action = "note"
note = "按计划推进"

[[measures]]
id = 5
title = "已完成"
owner = "区税务局"
deadline = 2026-01-31
status = "done"
done_on = 2026-01-30

[[measures]]
id = 6
title = "已取消"
owner = "区财政局"
deadline = 2026-01-31
status = "dropped"
"""
AS_OF = ("--as-of", "2026-03-01")


class TestTheCommandLine:
    def test_list_json_gives_the_light(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(LEDGER)
        result = run("list", *AS_OF, "--format", "json")
        assert result.exit_code == 0, result.stderr
        lights = {row["id"]: row["light"] for row in json.loads(result.stdout)}
        assert lights == {1: "red", 2: "yellow", 3: "yellow", 4: "green", 5: "green", 6: None}

    @pytest.mark.parametrize(
        ("words", "ids"),
        [
            (["red"], [1]),
            (["黄"], [2, 3]),
            (["绿灯"], [4, 5]),
            (["red", "yellow"], [1, 2, 3]),
        ],
    )
    def test_list_light_filters(
        self, run: Run, write_ledger: WriteLedger, words: list[str], ids: list[int]
    ) -> None:
        write_ledger(LEDGER)
        options = [part for word in words for part in ("--light", word)]
        result = run("list", *AS_OF, *options, "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert [row["id"] for row in json.loads(result.stdout)] == ids

    def test_an_unknown_light_is_refused_quoting_it(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        write_ledger(LEDGER)
        result = run("list", "--light", "Blue")
        assert result.exit_code == 2
        assert "'Blue' is not a light" in result.stderr

    def test_as_of_moves_the_light(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(LEDGER)
        early = run("list", "--as-of", "2026-01-20", "--format", "json")
        lights = {row["id"]: row["light"] for row in json.loads(early.stdout)}
        # 15 days after the plan was issued, before the notes: on track, not yet stale.
        assert lights[1] == "green" and lights[2] == "green"
        later = run("list", "--as-of", "2026-02-10", "--format", "json")
        lights = {row["id"]: row["light"] for row in json.loads(later.stdout)}
        assert lights[1] == "yellow"  # 36 days since the plan, nothing logged by then

    def test_the_table_csv_and_markdown_say_the_word(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        write_ledger(LEDGER)
        table = run("--lang", "zh", "list", *AS_OF).stdout
        assert "红灯" in table and "黄灯" in table and "绿灯" in table
        rows = list(csv.DictReader(io.StringIO(run("list", *AS_OF, "--format", "csv").stdout)))
        assert [row["light"] for row in rows] == ["red", "yellow", "yellow", "green", "green", ""]
        markdown = run("--lang", "en", "list", *AS_OF, "--format", "markdown").stdout
        assert "| 1 | 逾期举措 | 区税务局 | 2026-02-20 | doing | 9 d | red |" in markdown

    def test_report_counts_lights_by_unit(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(LEDGER)
        data = json.loads(run("report", *AS_OF, "--format", "json").stdout)
        assert data["lights"] == {"red": 1, "yellow": 2, "green": 2}
        by_owner = {row["owner"]: row["lights"] for row in data["by_owner"]}
        assert by_owner == {
            "区税务局": {"red": 1, "yellow": 1, "green": 1},
            "区财政局": {"red": 0, "yellow": 1, "green": 1},
        }
        rows = list(csv.DictReader(io.StringIO(run("report", *AS_OF, "--format", "csv").stdout)))
        assert [(r["owner"], r["red"], r["yellow"], r["green"]) for r in rows] == [
            ("区税务局", "1", "1", "1"),
            ("区财政局", "0", "1", "1"),
        ]
        for output in ("markdown", "html"):
            text = run("--lang", "zh", "report", *AS_OF, "--format", output).stdout
            assert "红灯" in text and "黄灯" in text and "绿灯" in text, output
        table = run("--lang", "zh", "report", *AS_OF).stdout
        assert "红黄绿" in table and "1/1/1" in table and "0/1/1" in table

    def test_the_core_report_matches(self, write_ledger: WriteLedger) -> None:
        import tomllib

        ledger = validate.ledger(tomllib.loads(LEDGER))
        report = build_report(ledger, date(2026, 3, 1))
        assert report.lights == {Light.RED: 1, Light.YELLOW: 2, Light.GREEN: 2}

    def test_the_plan_keys_survive_the_snapshot(self, run: Run, write_ledger: WriteLedger) -> None:
        from measures import quick

        write_ledger(LEDGER)
        first = run("list", "--format", "json").stdout  # reads the TOML, keeps a snapshot
        again = run("list", "--format", "json").stdout
        assert first == again
        from measures.ledger import snapshot

        path = "measures.toml"
        with open(path, "rb") as ledger_file:  # noqa: PTH123
            kept = snapshot.load(path, ledger_file.read())
        assert kept is not None
        assert (kept.plan.yellow_days, kept.plan.stale_days) == (10, 20)
        assert quick.parse(["list", "--light", "red"]) is None  # the full command line's
