"""The validated snapshot of a ledger: used only for the exact bytes and model it came from."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from pydantic_core import to_json

from measures.domain.changes import mark_done
from measures.ledger import snapshot
from measures.ledger.store import read_ledger, update_ledger
from measures.ledger.tomledit import new_document
from measures.model.records import Ledger, Measure, Plan, Status

from .conftest import Run, WriteLedger
from .test_snapshot_records import ledgers_with_changes

AT = datetime(2021, 1, 1, tzinfo=UTC)


def big_ledger(path: Path, count: int = 2500) -> Path:
    measures = tuple(
        Measure(
            id=n,
            title=f"第{n}条举措：优化营商环境的具体措施",
            owner=f"区第{n % 40}局",
            deadline=date(2021, 1 + n % 12, 1 + n % 28),
            status=Status.TODO,
            source="原文" * 20,
        )
        for n in range(1, count + 1)
    )
    path.write_text(new_document(Ledger(plan=Plan(name="大台账"), measures=measures)), "utf-8")
    return path


def kept(path: Path) -> Path:
    where = snapshot.snapshot_file(path)
    assert where is not None
    return Path(where)


def refuse_to_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(text: str, name: str) -> Ledger:
        raise AssertionError("parsed the TOML although a snapshot matched")

    monkeypatch.setattr("measures.model.parse.parse_ledger", fail)


def test_a_large_ledger_is_read_from_its_snapshot_the_second_time(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = big_ledger(isolated / "big.toml")
    first = read_ledger(path).ledger
    assert kept(path).exists()
    refuse_to_parse(monkeypatch)
    assert read_ledger(path).ledger == first


def test_other_bytes_are_parsed_again(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = big_ledger(isolated / "big.toml")
    read_ledger(path)
    # A hand edit that keeps the size: only the bytes tell.
    text = path.read_text("utf-8").replace("第7条举措", "第7条措施", 1)
    path.write_text(text, "utf-8")
    assert read_ledger(path).ledger.get(7).title.startswith("第7条措施")


def test_a_damaged_snapshot_is_ignored(isolated: Path) -> None:
    path = big_ledger(isolated / "big.toml")
    expected = read_ledger(path).ledger
    copy = kept(path)
    copy.write_bytes(copy.read_bytes()[:-500])
    assert read_ledger(path).ledger == expected


def test_a_write_leaves_a_snapshot_of_the_new_text(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = big_ledger(isolated / "big.toml")
    _, after = update_ledger(
        path, lambda ledger: ledger.replace(mark_done(ledger.get(9), date(2021, 1, 1), "li", AT))
    )
    refuse_to_parse(monkeypatch)
    assert read_ledger(path).ledger == after


def test_a_read_keeps_its_snapshot_in_the_cache_folder_not_beside_the_ledger(
    ledger: Path, isolated: Path
) -> None:
    beside = sorted(ledger.parent.rglob("*"))
    read_ledger(ledger)
    assert sorted(ledger.parent.rglob("*")) == beside
    assert kept(ledger).parent == isolated.parent / "cache" / "measures"
    assert kept(ledger).read_bytes().startswith(b"measures ")


def test_each_ledger_path_has_its_own_snapshot(isolated: Path) -> None:
    one = big_ledger(isolated / "one.toml", 5)
    (isolated / "sub").mkdir()
    other = big_ledger(isolated / "sub" / "one.toml", 7)
    assert len(read_ledger(one).ledger.measures) == 5
    assert len(read_ledger(other).ledger.measures) == 7
    assert kept(one) != kept(other)
    assert len(read_ledger(one).ledger.measures) == 5


def test_a_snapshot_made_by_other_validation_rules_is_not_used(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = big_ledger(isolated / "big.toml", 10)
    read_ledger(path)
    monkeypatch.setattr(snapshot, "_fingerprint", "another model")
    assert snapshot.load(path, path.read_bytes()) is None


def test_the_model_fingerprint_is_of_the_model_source() -> None:
    assert snapshot.model_fingerprint() == snapshot.model_fingerprint()
    assert len(snapshot.model_fingerprint()) == 16


def test_the_cache_folder_follows_xdg_then_home() -> None:
    assert snapshot.cache_folder({"XDG_CACHE_HOME": "/c", "HOME": "/h"}) == "/c/measures"
    assert snapshot.cache_folder({"XDG_CACHE_HOME": "rel", "HOME": "/h"}) == "/h/.cache/measures"
    assert snapshot.cache_folder({"HOME": "/h"}) == "/h/.cache/measures"
    assert snapshot.cache_folder({}) is None


def test_without_a_cache_folder_reads_still_work(
    ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.delenv("HOME")
    assert len(read_ledger(ledger).ledger.measures) == 31
    assert len(read_ledger(ledger).ledger.measures) == 31


def test_an_unwritable_cache_folder_is_skipped_silently(
    ledger: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = isolated / "not-a-folder"
    blocker.write_text("x", "utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert len(read_ledger(ledger).ledger.measures) == 31
    assert snapshot.load(ledger, ledger.read_bytes()) is None


@settings(max_examples=100, deadline=None)
@given(ledgers_with_changes())
def test_the_snapshot_form_holds_every_ledger_exactly(ledger: Ledger) -> None:
    kept = to_json(snapshot._ledger_json(ledger))
    assert snapshot._ledger(json.loads(kept)) == ledger


def test_text_that_looks_like_a_date_stays_text_through_the_snapshot(
    write_ledger: WriteLedger,
) -> None:
    """JSON has no dates: a title `2020-12-31` in a `set` entry must not come back as a date."""
    path = write_ledger(
        '[plan]\nname = "方案"\n\n[[measures]]\nid = 1\ntitle = "2021-01-31"\n'
        'deadline = 2021-03-31\nstatus = "todo"\n'
        "log = [\n"
        '  { at = 2021-01-01T09:00:00+08:00, action = "set", field = "title",'
        ' old = "2020-12-31", new = "2021-01-31" },\n'
        '  { at = 2021-01-02T09:00:00+08:00, action = "extend", field = "deadline",'
        " old = 2021-02-28, new = 2021-03-31 },\n"
        "]\n"
    )
    first = read_ledger(path).ledger
    assert kept(path).exists()
    again = read_ledger(path).ledger
    assert again == first
    title, deadline = again.measures[0].log
    assert title.old == "2020-12-31" and title.new == "2021-01-31"
    assert deadline.old == date(2021, 2, 28) and deadline.new == date(2021, 3, 31)


@pytest.mark.parametrize(
    ("field", "old", "problem"),
    [
        ("title", "2020-12-31", "must be text"),
        ("deadline", '"2020-12-31"', "must be a date"),
        ("done_on", '"2020-12-31"', "must be a date"),
    ],
)
def test_a_logged_value_must_have_the_type_of_its_field(
    write_ledger: WriteLedger,
    run: Run,
    field: str,
    old: str,
    problem: str,
) -> None:
    write_ledger(
        '[plan]\nname = "方案"\n\n[[measures]]\nid = 1\ntitle = "举措"\n'
        'deadline = 2021-03-31\nstatus = "todo"\n'
        f'log = [ {{ at = 2021-01-01T09:00:00+08:00, action = "set", field = "{field}",'
        f" old = {old} }} ]\n"
    )
    result = run("list")
    assert result.exit_code == 1
    assert problem in result.stderr
    assert "measure 1" in result.stderr
