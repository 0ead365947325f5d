"""A write that names its measures reads only those from a big ledger's snapshot (issue 18).

`store._change_some` builds the plan and the measures a write names from their
rows alone, edits their blocks in place and splices the journal and the
snapshot. Here it is made to serve small ledgers too (`SOME_FROM = 0`), and
every command is run twice, once so and once reading every record, on copies
of each layout: the ledger and the undo journal come out the same, byte for
byte, the snapshot keeps the same records, and every command says the same.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from measures.ledger import snapshot, store

from .conftest import SHIPPED, Run
from .test_speed_writes import EDITS, LAYOUTS, scanned_starts

NOW = datetime(2026, 11, 30, 9, 30, tzinfo=timezone(timedelta(hours=8)))

SEQUENCE = [
    ("list",),
    *EDITS,
    ("done", "1", "--note", "系统已上线"),  # 1 was extended, not done
    ("done", "2"),  # done already: refused alike
    ("note", "9", "无此举措"),  # no such measure: refused alike
    ("reopen", "3", "--note", "资金已到位"),
    ("set", "2", "--deadline", "2021-03-31", "--partner", "区财政局", "--owner", "区商务局"),
    ("set", "9", "--title", "无此举措"),  # no such measure: refused alike
    ("verify", "2", "--evidence", "https://example.org/2.pdf"),
    ("undo",),
    ("drop", "4", "--reason", "合并到第1条"),
    ("undo",),
    ("undo",),
]


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_reading_only_the_measures_named_writes_the_same(
    layout: str, isolated: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("measures.cli.change_commands.clock_now", lambda: NOW)
    monkeypatch.setattr("measures.writes.clock_now", lambda: NOW)
    monkeypatch.setattr("measures.writes.login", lambda: "督查室")
    served: list[bool] = []
    change_some: Callable[..., Any] = store._change_some

    def counted(*args: Any) -> Any:
        done = change_some(*args)
        served.append(done is not None)
        return done

    monkeypatch.setattr(store, "_change_some", counted)
    folders = {some: isolated / ("some" if some else "all") for some in (True, False)}
    for folder in folders.values():
        folder.mkdir()
        (folder / "measures.toml").write_bytes(LAYOUTS[layout].encode("utf-8"))
    for command in SEQUENCE:
        said = {}
        for some, folder in folders.items():
            monkeypatch.setattr(store, "SOME_FROM", 0 if some else 1 << 60)
            result = run(*command, "--file", str(folder / "measures.toml"))
            said[some] = (result.exit_code, result.stdout, result.stderr.replace(str(folder), "~"))
        assert said[True] == said[False], command
        mine, theirs = (folder / "measures.toml" for folder in folders.values())
        assert mine.read_bytes() == theirs.read_bytes(), command
        journals = [folder / ".measures" / "measures.toml.undo" for folder in folders.values()]
        assert [j.read_bytes() if j.exists() else None for j in journals[:1]] == [
            j.read_bytes() if j.exists() else None for j in journals[1:]
        ], command
        # The same records kept; the starts, where kept, the scanned ones (a read of a
        # big ledger keeps them, and "some" stands for a big one here).
        assert snapshot.load(mine, mine.read_bytes()) == snapshot.load(theirs, theirs.read_bytes())
        for path in (mine, theirs):
            kept = snapshot._kept_body(path, path.read_bytes())  # None: none for these bytes
            starts = None if kept is None else json.loads(kept)["starts"]
            assert starts in (None, scanned_starts(path)), (command, path)
    # Quoted headers or a multi-line string, a BOM or CRLF: edited the whole way.
    assert any(served) == (layout == "plain")


def test_a_write_to_a_big_ledger_reads_only_its_measures(
    isolated: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past SOME_FROM by itself: the shipped plan's measures copied out to 1,300."""
    text = SHIPPED.read_text("utf-8")
    head, first, rest = text.partition("[[measures]]")
    blocks = (first + rest).split("[[measures]]")[1:]
    body = "".join(
        "[[measures]]"
        + blocks[n % len(blocks)].replace(f"id = {n % len(blocks) + 1}\n", f"id = {n + 1}\n", 1)
        for n in range(1300)
    )
    ledger = isolated / "measures.toml"
    ledger.write_text(head.replace("declared = 31", "declared = 1300") + body, "utf-8")
    assert ledger.stat().st_size > store.SOME_FROM
    assert run("list").exit_code == 0
    built: list[int] = []
    measure = snapshot._measure

    def counted(*args: Any) -> Any:
        built.append(1)
        return measure(*args)

    monkeypatch.setattr(snapshot, "_measure", counted)
    result = run("done", "1200", "--note", "已完成")
    assert result.exit_code == 0, result.output
    assert built == [1]  # one row rebuilt, of 1,300
    result = run("set", "1201", "--owner", "区商务局", "--deadline", "2027-06-30")
    assert result.exit_code == 0, result.output
    assert built == [1, 1]  # so does `set`
    monkeypatch.setattr(snapshot, "_measure", measure)
    assert run("show", "1200", "--format", "json").stdout.count("已完成") == 1
    assert json.loads(run("show", "1201", "--format", "json").stdout)["owner"] == "区商务局"
    assert run("check").exit_code == 0
