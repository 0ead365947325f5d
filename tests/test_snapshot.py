"""The validated snapshot of a large ledger: used only for the exact bytes it was made from."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings

from measures import snapshot, store
from measures.changes import mark_done
from measures.model import Ledger, Measure, Plan
from measures.store import read_ledger, state_file, update_ledger
from measures.tomledit import new_document

from .test_properties import ledgers

AT = datetime(2021, 1, 1, tzinfo=UTC)


def big_ledger(path: Path, count: int = 2500) -> Path:
    measures = tuple(
        Measure(
            id=n,
            title=f"第{n}条举措：优化营商环境的具体措施",
            owner=f"区第{n % 40}局",
            deadline=date(2021, 1 + n % 12, 1 + n % 28),
            status="todo",
            source="原文" * 20,
        )
        for n in range(1, count + 1)
    )
    path.write_text(new_document(Ledger(plan=Plan(name="大台账"), measures=measures)), "utf-8")
    assert path.stat().st_size > snapshot.MIN_SIZE
    return path


def refuse_to_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(text: str, name: str) -> Ledger:
        raise AssertionError("parsed the TOML although a snapshot matched")

    monkeypatch.setattr(store, "parse_ledger", fail)


def test_a_large_ledger_is_read_from_its_snapshot_the_second_time(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = big_ledger(isolated / "big.toml")
    first = read_ledger(path).ledger
    assert state_file(path, "snapshot").exists()
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
    kept = state_file(path, "snapshot")
    kept.write_bytes(kept.read_bytes()[:-500])
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


def test_small_ledgers_keep_no_snapshot(ledger: Path) -> None:
    read_ledger(ledger)
    assert not state_file(ledger, "snapshot").exists()


@settings(max_examples=100, deadline=None)
@given(ledgers())
def test_the_snapshot_form_holds_every_ledger_exactly(ledger: Ledger) -> None:
    assert Ledger.model_validate_json(ledger.model_dump_json(by_alias=True)) == ledger
