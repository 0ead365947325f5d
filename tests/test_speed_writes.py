"""Writes that touch what changed (issue 18): the starts and rows a snapshot keeps.

A write on bytes that have a snapshot takes each record's start from it rather
than scanning the text, builds the snapshot rows of the changed measures only,
and saves one snapshot, of the new bytes. These tests check that what is kept
is what a scan and a full build would give, after every kind of edit and in
every layout, and that a stale start only ever costs the scan.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from measures.ledger import snapshot
from measures.ledger.store import read_ledger
from measures.ledger.tomledit import apply_changes_spliced, apply_edit, plain_layout
from measures.model.headers import record_starts
from measures.model.parse import parse_ledger
from measures.model.records import Ledger

from .conftest import PLAN_HEADER, Run, WriteLedger, measure_block

QUOTED = (
    PLAN_HEADER
    + measure_block(1)
    + measure_block(2).replace("[[measures]]", '[["measures"]]')
    + measure_block(3, extra='source = """\n多行\n[[measures]]\n"""\n')
    + measure_block(4).replace("[[measures]]", "[[ 'measures' ]]  # 引号")
)
LAYOUTS = {
    "plain": PLAN_HEADER + "".join(measure_block(n) for n in (1, 2, 3, 4)),
    "quoted headers, a header in a string": QUOTED,
    "crlf": (PLAN_HEADER + "".join(measure_block(n) for n in (1, 2, 3, 4))).replace("\n", "\r\n"),
    "bom": "\ufeff" + PLAN_HEADER + "".join(measure_block(n) for n in (1, 2, 3, 4)),
}
EDITS = [
    ("done", "2"),
    ("start", "1"),
    ("note", "3", "已召开推进会\n第二行"),
    ("set", "4", "--title", "改过的标题，长得多的标题"),
    ("extend", "1", "--to", "2021-06-30", "--reason", "延期"),
    ("add", "--title", "新增举措", "--owner", "区财政局", "--deadline", "2021-12-31"),
    ("block", "3", "--reason", "资金未到位"),
]


def kept_body(path: Path) -> dict[str, object]:
    where = snapshot.snapshot_file(path)
    assert where is not None
    text = Path(where).read_bytes().split(b"\n", 1)[1]
    found: dict[str, object] = json.loads(text)
    return found


def kept_starts(path: Path) -> object:
    return kept_body(path)["starts"]


def scanned_starts(path: Path) -> list[int]:
    text = path.read_bytes().decode("utf-8")
    return record_starts(plain_layout(text)[0])


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_the_starts_kept_are_the_scanned_ones_after_every_kind_of_edit(
    layout: str, run: Run, write_ledger: WriteLedger
) -> None:
    path = write_ledger(LAYOUTS[layout])
    assert run("list").exit_code == 0
    assert kept_starts(path) is None  # a read does not scan for them
    for edit in EDITS:
        result = run(*edit)
        assert result.exit_code == 0, result.output
        assert kept_starts(path) == scanned_starts(path), edit
        # The snapshot kept is exactly what a full build from a parse gives.
        rebuilt = parse_ledger(path.read_text(encoding="utf-8"), str(path))
        assert snapshot.load(path, path.read_bytes()) == rebuilt
    undone = run("undo")
    assert undone.exit_code == 0, undone.output
    assert snapshot.load(path, path.read_bytes()) == parse_ledger(
        path.read_text(encoding="utf-8"), str(path)
    )


def test_a_write_saves_one_snapshot_of_the_new_bytes_and_builds_only_the_changed_rows(
    run: Run, write_ledger: WriteLedger, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_ledger(LAYOUTS["plain"])
    assert run("done", "1").exit_code == 0  # a cold write: the snapshot now has starts
    before = kept_body(path)
    saved: list[bytes] = []
    built: list[int] = []
    real_save, real_row = snapshot.save, snapshot._measure_row

    def save(where: object, raw: bytes, *args: object, **kwargs: object) -> None:
        saved.append(raw)
        real_save(where, raw, *args, **kwargs)  # type: ignore[arg-type]

    def row(measure: object) -> list[object]:
        built.append(measure.id)  # type: ignore[attr-defined]
        return real_row(measure)  # type: ignore[arg-type]

    monkeypatch.setattr(snapshot, "save", save)
    monkeypatch.setattr(snapshot, "_measure_row", row)
    from measures.ledger import tomledit

    monkeypatch.setattr(tomledit, "record_starts", refuse_scan)
    assert run("note", "3", "进展").exit_code == 0
    assert saved == [path.read_bytes()]
    assert built == [3]
    after = kept_body(path)
    rows_before, rows_after = before["measures"], after["measures"]
    assert isinstance(rows_before, list) and isinstance(rows_after, list)
    assert [r for i, r in enumerate(rows_after) if i != 2] == [
        r for i, r in enumerate(rows_before) if i != 2
    ]


def test_a_cold_write_saves_no_snapshot_of_the_bytes_it_replaces(
    run: Run, write_ledger: WriteLedger, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_ledger(LAYOUTS["plain"])
    saved: list[bytes] = []
    real_save = snapshot.save

    def save(where: object, raw: bytes, *args: object, **kwargs: object) -> None:
        saved.append(raw)
        real_save(where, raw, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(snapshot, "save", save)
    assert run("done", "2").exit_code == 0
    assert saved == [path.read_bytes()]


def test_the_starts_hinted_are_used_without_a_scan_when_they_hold(
    write_ledger: WriteLedger, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_ledger(QUOTED)
    text = path.read_text(encoding="utf-8")
    old = read_ledger(path).ledger
    new = done_on(old, 3)
    expected = apply_changes_spliced(text, old, new)
    starts = record_starts(text)
    from measures.ledger import tomledit

    monkeypatch.setattr(tomledit, "record_starts", refuse_scan)
    edited = apply_edit(text, old, new, starts)
    assert (edited.text, edited.splices) == expected
    assert edited.changed == [2]
    monkeypatch.undo()
    assert edited.starts == record_starts(edited.text)


def refuse_scan(text: str) -> list[int]:
    raise AssertionError("scanned although the starts held")


@pytest.mark.parametrize(
    "stale",
    [
        lambda starts: starts[:-1],  # one short
        lambda starts: [s + 1 for s in starts],  # not at a header
        lambda starts: [starts[0], starts[2], starts[1], starts[3]],  # not rising
        lambda starts: [starts[0], starts[1], starts[3], starts[3]],  # another record's header
        lambda starts: [0, 0, 0, 0],
        lambda starts: [*starts[:3], 10**9],  # past the end
    ],
)
def test_stale_starts_fall_back_to_the_scan(stale: object, write_ledger: WriteLedger) -> None:
    path = write_ledger(QUOTED)
    text = path.read_text(encoding="utf-8")
    old = read_ledger(path).ledger
    for ident in (1, 3, 4):
        new = done_on(old, ident)
        hint = stale(record_starts(text))  # type: ignore[operator]
        edited = apply_edit(text, old, new, hint)
        assert (edited.text, edited.splices) == apply_changes_spliced(text, old, new)
        assert edited.starts == record_starts(edited.text)


def done_on(ledger: Ledger, ident: int) -> Ledger:
    """The ledger with measure `ident` retitled: a change of one record."""
    measures = tuple(
        replace(m, title=f"{m.title}（已改）") if m.id == ident else m for m in ledger.measures
    )
    return replace(ledger, measures=measures)


def test_a_damaged_row_layout_is_no_snapshot_for_a_write(
    run: Run, write_ledger: WriteLedger
) -> None:
    path = write_ledger(LAYOUTS["plain"])
    assert run("done", "1").exit_code == 0
    where = snapshot.snapshot_file(path)
    assert where is not None
    kept = Path(where).read_bytes()
    header, body = kept.split(b"\n", 1)
    # The same JSON on one line: it reads, but its rows cannot be told apart.
    Path(where).write_bytes(header + b"\n" + json.dumps(json.loads(body)).encode())
    assert snapshot.load_kept(path, path.read_bytes()) is None
    assert run("note", "2", "进展").exit_code == 0
    assert kept_starts(path) == scanned_starts(path)


def test_undo_puts_back_the_snapshot_of_the_bytes_it_restores(
    run: Run, write_ledger: WriteLedger, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_ledger(LAYOUTS["plain"])
    assert run("list").exit_code == 0
    assert run("note", "2", "进展").exit_code == 0
    assert run("undo").exit_code == 0

    def fail(text: str, name: str) -> Ledger:
        raise AssertionError("parsed the TOML after undo")

    monkeypatch.setattr("measures.model.parse.parse_ledger", fail)
    assert read_ledger(path).ledger.measures[1].log == ()
