"""Undo: the journal's reverse edits, the store's checks, and the command."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import Result

from measures.domain.changes import mark_done, start
from measures.domain.history import describe_recorded
from measures.errors import Conflict, InvalidLedger, WriteFailed
from measures.ledger import journal
from measures.ledger.store import read_ledger, undo_last, update_ledger
from measures.model.records import Ledger

from .conftest import PLAN_HEADER, Run, WriteLedger, measure_block


def undone(ledger: Path) -> tuple[str, int]:
    """Undo the newest change: (its words, as undo shows them; changes left)."""
    what, left = undo_last(ledger)
    return describe_recorded(what), left


AT = datetime(2020, 12, 20, 9, 30, tzinfo=UTC)


def journal_of(path: Path) -> Path:
    return path.parent / ".measures" / f"{path.name}.undo"


def ok(run: Run, *args: str) -> Result:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    return result


class TestReverseEdits:
    @given(st.text(), st.text())
    def test_any_two_texts_round_trip(self, before: str, after: str) -> None:
        edits = journal.reverse_edits(before, after)
        assert journal.apply_edits(after, edits) == before

    @given(
        st.lists(st.sampled_from(["[[measures]]\n", "id = 1\n", "x\n", "# c\n", "\r\n"])),
        st.lists(st.sampled_from(["[[measures]]\n", "id = 2\n", "x\n", "\n"])),
    )
    def test_texts_with_record_headers_round_trip(
        self, before: list[str], after: list[str]
    ) -> None:
        old, new = "".join(before), "".join(after)
        assert journal.apply_edits(new, journal.reverse_edits(old, new)) == old

    def test_one_changed_record_in_a_big_ledger_is_a_small_edit(self) -> None:
        blocks = [measure_block(i, title=f"举措{i}") for i in range(1, 3001)]
        before = PLAN_HEADER + "".join(blocks)
        after = before.replace('title = "举措1500"', 'title = "举措1500改"')
        edits = journal.reverse_edits(before, after)
        assert len(edits) == 1 and len(edits[0].text) < 10
        assert journal.apply_edits(after, edits) == before

    def test_undo_text_refuses_a_journal_that_does_not_fit(self) -> None:
        change = journal.record("abc", "abd", "x")
        assert journal.undo_text("abd", change) == "abc"
        with pytest.raises(InvalidLedger, match="does not give back"):
            journal.undo_text("xyz", journal.Change("x", change.before_sha256, "", ()))

    def test_the_journal_keeps_only_the_newest_changes(self) -> None:
        changes = [journal.record(str(n), str(n + 1), f"change {n}") for n in range(120)]
        kept = journal.loads(journal.dumps(changes), "j")
        assert len(kept) == journal.MAX_CHANGES
        assert kept[-1].what == "change 119" and kept[0].what == "change 20"


class TestStore:
    def done_change(self, ident: int) -> Callable[[Ledger], Ledger]:
        def change(ledger: Ledger) -> Ledger:
            return ledger.replace(mark_done(ledger.get(ident), date(2020, 12, 20), "wang", AT))

        return change

    def test_each_write_records_its_reverse_and_undo_puts_it_back(self, ledger: Path) -> None:
        original = ledger.read_bytes()
        update_ledger(ledger, lambda led: led.replace(start(led.get(2), "wang", AT)))
        middle = ledger.read_bytes()
        update_ledger(ledger, self.done_change(2))
        assert len(journal_of(ledger).read_text(encoding="utf-8").splitlines()) == 2
        assert undone(ledger) == ("done 2 (doing → done, on 2020-12-20)", 1)
        assert ledger.read_bytes() == middle
        assert undone(ledger) == ("start 2 (todo → doing)", 0)
        assert ledger.read_bytes() == original
        assert not journal_of(ledger).exists()
        with pytest.raises(Conflict, match="nothing to undo"):
            undo_last(ledger)

    def test_a_change_that_changes_nothing_records_nothing(self, ledger: Path) -> None:
        update_ledger(ledger, lambda led: led)
        assert not journal_of(ledger).exists()

    def test_a_hand_edit_since_is_never_overwritten(self, ledger: Path) -> None:
        update_ledger(ledger, self.done_change(1))
        edited = ledger.read_text(encoding="utf-8") + "# 手工备注\n"
        ledger.write_text(edited, encoding="utf-8")
        recorded = journal_of(ledger).read_bytes()
        with pytest.raises(Conflict, match="not as `measures` last wrote it"):
            undo_last(ledger)
        assert ledger.read_text(encoding="utf-8") == edited
        assert journal_of(ledger).read_bytes() == recorded

    def test_undo_goes_back_to_the_hand_edit_then_stops(self, ledger: Path) -> None:
        update_ledger(ledger, self.done_change(1))
        edited = ledger.read_text(encoding="utf-8").replace("# Source:", "# Source (checked):")
        ledger.write_text(edited, encoding="utf-8")
        update_ledger(ledger, self.done_change(2))
        undo_last(ledger)
        assert ledger.read_text(encoding="utf-8") == edited
        with pytest.raises(Conflict, match="edited by hand"):
            undo_last(ledger)

    def test_the_journal_has_the_ledgers_permissions(self, ledger: Path) -> None:
        ledger.chmod(0o600)
        update_ledger(ledger, self.done_change(1))
        assert stat.S_IMODE(journal_of(ledger).stat().st_mode) == 0o600

    def test_a_journal_that_cannot_be_written_does_not_fail_the_change(
        self, ledger: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        update_ledger(ledger, self.done_change(1))

        def no_space(changes: list[journal.Change]) -> str:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(journal, "dumps", no_space)
        update_ledger(ledger, self.done_change(2))  # the change itself stands
        monkeypatch.undo()
        after = ledger.read_bytes()
        assert read_ledger(ledger).ledger.get(2).status.value == "done"
        # Undo will not guess: the journal's newest change is not what the file holds.
        with pytest.raises(Conflict, match="not as `measures` last wrote it"):
            undo_last(ledger)
        assert ledger.read_bytes() == after

    def test_an_unreadable_journal_is_an_error_that_says_what_to_do(self, ledger: Path) -> None:
        update_ledger(ledger, self.done_change(1))
        before = ledger.read_bytes()
        journal_of(ledger).write_text("{not json\n", encoding="utf-8")
        with pytest.raises(InvalidLedger, match="undo journal cannot be read") as caught:
            undo_last(ledger)
        assert "Delete it" in str(caught.value)
        assert ledger.read_bytes() == before

    def test_undo_waits_for_the_write_lock(
        self, ledger: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from filelock import FileLock

        update_ledger(ledger, self.done_change(1))
        after = ledger.read_bytes()
        monkeypatch.setattr("measures.ledger.store.LOCK_TIMEOUT_SECONDS", 0.05)
        with (
            FileLock(ledger.parent / ".measures" / "measures.toml.lock"),
            pytest.raises(WriteFailed, match="another `measures` is still writing"),
        ):
            undo_last(ledger)
        assert ledger.read_bytes() == after
        undo_last(ledger)  # once the lock is free
        assert ledger.read_bytes() != after

    @pytest.mark.parametrize(
        "original",
        [
            (PLAN_HEADER + measure_block(1) + measure_block(2)).replace("\n", "\r\n").encode(),
            "\ufeff".encode() + (PLAN_HEADER + measure_block(1)).encode(),
        ],
        ids=["crlf", "bom"],
    )
    def test_line_ends_and_a_bom_come_back_exactly(
        self, write_ledger: WriteLedger, original: bytes
    ) -> None:
        path = write_ledger("")
        path.write_bytes(original)
        update_ledger(path, self.done_change(1))
        assert path.read_bytes() != original
        undo_last(path)
        assert path.read_bytes() == original


class TestCommand:
    def test_two_undos_after_start_and_done_give_back_the_original_bytes(
        self,
        run: Run,
        ledger: Path,
    ) -> None:
        original = ledger.read_bytes()
        ok(run, "start", "3")
        after_start = ledger.read_bytes()
        ok(run, "done", "3")
        result = ok(run, "undo")
        assert "Undone: done 3 (doing → done" in result.stderr
        assert "1 earlier change can be undone" in result.stderr
        assert ledger.read_bytes() == after_start
        result = ok(run, "undo")
        assert "Undone: start 3 (todo → doing)" in result.stderr
        assert ledger.read_bytes() == original
        result = run("undo")
        assert result.exit_code == 1 and "nothing to undo" in result.stderr
        assert ledger.read_bytes() == original

    def test_every_kind_of_change_can_be_undone(self, run: Run, ledger: Path) -> None:
        original = ledger.read_bytes()
        steps = [
            ["add", "--title", "新举措", "--owner", "区商务局", "--deadline", "2021-06-30"],
            ["set", "32", "--owner", "区税务局", "--partner", "区政务服务局"],
            ["extend", "1", "--to", "2021-03-31", "--reason", "延期"],
            ["block", "1", "--reason", "等待"],
            ["reopen", "1"],
            ["note", "2", "进展"],
            ["drop", "2", "--reason", "并入"],
            ["done", "4", "--on", "2020-12-01"],
            ["verify", "4"],
        ]
        snapshots = []
        for step in steps:
            snapshots.append(ledger.read_bytes())
            ok(run, *step)
        for snapshot, step in zip(reversed(snapshots), reversed(steps), strict=True):
            result = ok(run, "undo")
            assert f"Undone: {step[0]} " in result.stderr
            assert ledger.read_bytes() == snapshot
        assert ledger.read_bytes() == original

    def test_refuses_after_a_hand_edit(self, run: Run, ledger: Path) -> None:
        ok(run, "start", "5")
        ledger.write_text(ledger.read_text(encoding="utf-8").replace("区商务局", "区商务委"))
        before = ledger.read_bytes()
        result = run("undo")
        assert result.exit_code == 1
        assert "edited by hand" in result.stderr and "git" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 2
        assert ledger.read_bytes() == before

    def test_undo_is_not_itself_undone(self, run: Run, ledger: Path) -> None:
        original = ledger.read_bytes()
        ok(run, "start", "5")
        ok(run, "undo")
        assert run("undo").exit_code == 1
        assert ledger.read_bytes() == original

    def test_a_refused_change_leaves_the_journal_alone(self, run: Run, ledger: Path) -> None:
        ok(run, "start", "5")
        recorded = journal_of(ledger).read_bytes()
        assert run("verify", "5").exit_code == 1
        assert journal_of(ledger).read_bytes() == recorded
        lines = journal_of(ledger).read_text(encoding="utf-8").splitlines()
        # The journal keeps what the change was, as data; undo words it when it shows it.
        what = json.loads(lines[0])["what"]
        assert [(ident, entry["action"]) for ident, entry in what["entries"]] == [(5, "start")]
        assert describe_recorded(what) == "start 5 (todo → doing)"
