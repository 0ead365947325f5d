"""Progress cadence (`list --stale`, `report_every`, `report --since`) and backdating (`--on`)."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from measures.domain.changes import BeforeAdded, FutureDay, check_on, start
from measures.domain.history import as_of
from measures.ledger.store import read_ledger

from .conftest import PLAN_HEADER, Run, WriteLedger, measure_block

TODAY = date(2026, 3, 15)
NOW = datetime(2026, 3, 15, 10, 0, tzinfo=UTC)


def added(day: str) -> str:
    return f'\n[[measures.log]]\nat = {day}T09:00:00+08:00\naction = "add"\nto = "todo"\n'


def note(day: str, text: str = "进展") -> str:
    return f'\n[[measures.log]]\nat = {day}T09:00:00+08:00\naction = "note"\nnote = "{text}"\n'


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("measures.cli.change_commands.clock_today", lambda: TODAY)
    monkeypatch.setattr("measures.cli.change_commands.clock_now", lambda: NOW)


# --- backdating ------------------------------------------------------------------


@pytest.fixture
def backdate_ledger(write_ledger: WriteLedger) -> Path:
    return write_ledger(
        PLAN_HEADER
        + measure_block(1, extra=added("2026-01-10"))
        + measure_block(2, status="doing", extra=added("2026-01-10"))
        + measure_block(3, status="done", extra="done_on = 2026-02-01\n" + added("2026-01-10"))
    )


COMMANDS = [
    ("start", ["start", "1"], 1, "doing"),
    ("block", ["block", "2", "--reason", "等待接口"], 2, "blocked"),
    ("drop", ["drop", "2", "--reason", "并入第1条"], 2, "dropped"),
    ("verify", ["verify", "3"], 3, "verified"),
    ("extend", ["extend", "1", "--to", "2027-06-30", "--reason", "延期"], 1, None),
    ("note", ["note", "1", "已召开部署会"], 1, None),
    ("done", ["done", "1"], 1, "done"),
]
NAMES = [command[0] for command in COMMANDS]


@pytest.mark.parametrize(("name", "args", "ident", "status"), COMMANDS, ids=NAMES)
def test_on_places_the_change_on_that_day(
    run: Run, backdate_ledger: Path, name: str, args: list[str], ident: int, status: str | None
) -> None:
    result = run(*args, "--on", "2026-02-20")
    assert result.exit_code == 0, result.stderr
    data = tomllib.loads(backdate_ledger.read_text("utf-8"))
    entry = next(m for m in data["measures"] if m["id"] == ident)["log"][-1]
    if name == "done":
        assert (entry["field"], entry["new"]) == ("done_on", date(2026, 2, 20))
    else:
        assert entry["on"] == date(2026, 2, 20)
    assert entry["at"].date() == TODAY  # the entry is made today, the change dated before
    before = json.loads(run("list", "--as-of", "2026-02-19", "--format", "json").stdout)
    after = json.loads(run("list", "--as-of", "2026-02-20", "--format", "json").stdout)
    old = next(m for m in before if m["id"] == ident)
    new = next(m for m in after if m["id"] == ident)
    if status is not None:
        assert old["status"] != status and new["status"] == status
    if name == "extend":
        assert (old["deadline"], new["deadline"]) == ("2020-12-31", "2027-06-30")
    if name == "note":
        assert len(new["log"]) == len(old["log"]) + 1


@pytest.mark.parametrize(("name", "args", "ident", "status"), COMMANDS, ids=NAMES)
@pytest.mark.parametrize(
    ("day", "words"),
    [
        ("2026-03-16", "--on 2026-03-16: 2026-03-16 is in the future."),
        ("+3d", "--on +3d: 2026-03-18 is in the future."),
        ("2026/1/9", "--on 2026/1/9: 2026-01-09 is before measure {id} was added, on 2026-01-10."),
    ],
)
def test_on_is_never_in_the_future_nor_before_the_measure_was_added(
    run: Run,
    backdate_ledger: Path,
    name: str,
    args: list[str],
    ident: int,
    status: str | None,
    day: str,
    words: str,
) -> None:
    before = backdate_ledger.read_bytes()
    result = run(*args, "--on", day)
    assert result.exit_code == 1
    assert words.format(id=ident) in result.stderr
    assert backdate_ledger.read_bytes() == before


def test_on_is_refused_in_chinese_too(run: Run, backdate_ledger: Path) -> None:
    result = run("--lang", "zh", "start", "1", "--on", "2026-01-01")
    assert result.exit_code == 1
    assert "早于第1项举措的录入日期" in result.stderr


def test_the_backdating_rule_in_the_core(backdate_ledger: Path) -> None:
    measure = read_ledger(backdate_ledger).ledger.get(1)
    check_on(measure, date(2026, 1, 10), TODAY)  # the day it was added is allowed
    with pytest.raises(FutureDay):
        check_on(measure, date(2026, 3, 16), TODAY)
    with pytest.raises(BeforeAdded):
        check_on(measure, date(2026, 1, 9), TODAY)
    started = start(measure, "li", NOW, on=date(2026, 2, 1))
    assert started.log[-1].on == date(2026, 2, 1)
    assert as_of(started, date(2026, 1, 31)).status == "todo"  # type: ignore[union-attr]
    assert as_of(started, date(2026, 2, 1)).status == "doing"  # type: ignore[union-attr]
    # Given as today, no day is recorded: the entry's time says it.
    assert start(measure, "li", NOW, on=TODAY).log[-1].on is None


# --- cadence ---------------------------------------------------------------------

DONE_ENTRY = (
    '\n[[measures.log]]\nat = 2026-03-11T09:00:00+08:00\naction = "done"\nfrom = "todo"\n'
    'to = "done"\nfield = "done_on"\nnew = 2026-03-10\n'
)
CADENCE = (
    '[plan]\nname = "测试方案"\nissued = 2026-01-01\n{every}'
    + measure_block(1, status="doing", owner="区市场监督管理局", deadline="2026-12-31",
                    extra=added("2026-01-05") + note("2026-03-03", "已召开部署会"))
    + measure_block(2, owner="区税务局", deadline="2026-02-28", extra=added("2026-01-05"))
    + measure_block(3, owner="区税务局", status="done", deadline="2026-06-30",
                    extra="done_on = 2026-03-10\n" + added("2026-01-05") + DONE_ENTRY)
    + measure_block(4, owner="区商务局", deadline="2026-06-30",
                    extra=added("2026-01-05") + note("2026-03-09"))
)  # fmt: skip


def report_json(run: Run, *args: str) -> dict[str, object]:
    result = run("report", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_stale_lists_open_measures_quiet_for_so_many_days(
    run: Run, write_ledger: WriteLedger
) -> None:
    write_ledger(CADENCE.format(every=""))

    def stale(days: str, day: str) -> list[int]:
        result = run("list", "--stale", days, "--as-of", day, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return [m["id"] for m in json.loads(result.stdout)]

    # 2 was added on 01-05 and heard of no more; 3 is done, never stale.
    assert stale("7", "2026-03-15") == [1, 2]
    assert stale("6", "2026-03-15") == [1, 2, 4]  # 03-09 is six days before: not within
    assert stale("13", "2026-03-15") == [2]
    assert stale("30", "2026-01-20") == []  # as of then, every addition was recent
    refused = run("list", "--stale", "十")
    assert refused.exit_code == 1 and "'十'" in refused.stderr


@pytest.mark.parametrize(
    ("every", "day", "units"),
    [
        ('"month"', "2026-03-15", ["区税务局"]),  # 1 and 4 noted in March; 2 is not
        ('"month"', "2026-04-01", ["区市场监督管理局", "区税务局", "区商务局"]),
        ('"week"', "2026-03-15", ["区市场监督管理局", "区税务局"]),  # ISO week from 03-09
        ('"week"', "2026-03-08", ["区税务局", "区商务局"]),  # week of 03-02: 1 noted on 03-03
        ("12", "2026-03-15", ["区市场监督管理局", "区税务局"]),  # 03-04 to 03-15
        ("13", "2026-03-15", ["区税务局"]),  # 03-03 to 03-15: 1 was noted on 03-03
        ("10", "2026-03-15", ["区市场监督管理局", "区税务局"]),
    ],
)
def test_report_every_names_the_units_that_have_not_reported(
    run: Run, write_ledger: WriteLedger, every: str, day: str, units: list[str]
) -> None:
    write_ledger(CADENCE.format(every=f"report_every = {every}\n"))
    assert report_json(run, "--as-of", day)["not_reported"] == units
    table = run("report", "--as-of", day).stdout
    assert f"Units that have not reported progress this period: {', '.join(units)}." in (
        " ".join(table.split())
    )
    chinese = run("--lang", "zh", "report", "--as-of", day, "--format", "markdown").stdout
    assert "本期未报送进展的单位：" in chinese
    html = run("--lang", "en", "report", "--as-of", day, "--format", "html").stdout
    assert "Units that have not reported progress this period" in html


def test_without_report_every_there_is_no_such_line(run: Run, write_ledger: WriteLedger) -> None:
    write_ledger(CADENCE.format(every=""))
    assert report_json(run, "--as-of", "2026-03-15")["not_reported"] is None
    assert "not reported" not in run("report", "--as-of", "2026-03-15").stdout


def test_a_bad_report_every_is_refused(run: Run, write_ledger: WriteLedger) -> None:
    write_ledger(CADENCE.format(every='report_every = "quarter"\n'))
    result = run("report")
    assert result.exit_code == 1 and "report_every" in result.stderr


def test_report_since_says_what_changed(run: Run, write_ledger: WriteLedger) -> None:
    extra = (
        '\n[[measures.log]]\nat = 2026-03-12T09:00:00+08:00\naction = "extend"\n'
        'field = "deadline"\nold = 2026-06-30\nnew = 2026-09-30\nnote = "市级系统延期"\n'
    )
    text = CADENCE.format(every="")
    write_ledger(text + extra)
    since = report_json(run, "--as-of", "2026-03-15", "--since", "2026-03-05")["since"]
    assert isinstance(since, dict)
    assert since["day"] == "2026-03-05"
    assert [(m["id"], m["day"]) for m in since["completed"]] == [(3, "2026-03-10")]
    assert [(m["id"], m["note"]) for m in since["notes"]] == [(4, "进展")]  # 03-03 is before
    assert [(m["id"], m["note"]) for m in since["extended"]] == [(4, "市级系统延期")]
    assert since["blocked"] == [] and since["dropped"] == []
    table = " ".join(run("report", "--as-of", "2026-03-15", "--since", "2026-03-05").stdout.split())
    assert "Since 2026-03-05" in table and "Newly complete:" in table
    chinese = run("--lang", "zh", "report", "--as-of", "2026-03-15", "--since", "2026-03-05")
    assert "本期新增（2026年3月5日以来）" in chinese.stdout and "新完成" in chinese.stdout
    markdown = run(
        "--lang", "en", "report", "--since", "2026-03-01", "--as-of", "2026-03-15",
        "--format", "markdown",
    )  # fmt: skip
    assert "### Since 2026-03-01" in markdown.stdout and "已召开部署会" in markdown.stdout
    assert report_json(run, "--as-of", "2026-03-15")["since"] is None
