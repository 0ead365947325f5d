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
