from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from measures.domain.changes import mark_done
from measures.errors import InvalidLedger, LedgerNotFound, UnknownMeasure, WriteFailed
from measures.ledger.store import find_ledger, read_ledger, update_ledger
from measures.model.records import Ledger

from .conftest import PLAN_HEADER, WriteLedger, measure_block

AT = datetime(2020, 12, 20, 9, 30, tzinfo=UTC)


def done_change(ident: int) -> Callable[[Ledger], Ledger]:
    def change(ledger: Ledger) -> Ledger:
        return ledger.replace(mark_done(ledger.get(ident), date(2020, 12, 20), "wang", AT))

    return change


class TestFinding:
    def test_explicit_file_wins(self, tmp_path: Path) -> None:
        (tmp_path / "measures.toml").write_text("")
        named = tmp_path / "other.toml"
        named.write_text("")
        found = find_ledger("other.toml", {"MEASURES_FILE": "x.toml"}, tmp_path)
        assert found == named

    def test_environment_comes_next(self, tmp_path: Path) -> None:
        (tmp_path / "measures.toml").write_text("")
        (tmp_path / "env.toml").write_text("")
        assert find_ledger(None, {"MEASURES_FILE": "env.toml"}, tmp_path) == tmp_path / "env.toml"

    def test_nearest_parent_with_a_ledger(self, tmp_path: Path) -> None:
        (tmp_path / "data").mkdir()
        (tmp_path / "data" / "measures.toml").write_text("")
        deep = tmp_path / "a" / "b"
        deep.mkdir(parents=True)
        assert find_ledger(None, {}, deep) == tmp_path / "data" / "measures.toml"

    def test_measures_toml_before_data_folder(self, tmp_path: Path) -> None:
        (tmp_path / "data").mkdir()
        (tmp_path / "data" / "measures.toml").write_text("")
        (tmp_path / "measures.toml").write_text("")
        assert find_ledger(None, {}, tmp_path) == tmp_path / "measures.toml"

    def test_none_found_says_how_to_create_one(self, tmp_path: Path) -> None:
        with pytest.raises(LedgerNotFound) as caught:
            find_ledger(None, {}, tmp_path)
        assert "no ledger found" in caught.value.message
        assert "measures init" in str(caught.value.hint)

    def test_a_named_file_that_is_missing(self, tmp_path: Path) -> None:
        with pytest.raises(LedgerNotFound, match=r"gone\.toml: no such ledger file"):
            find_ledger("gone.toml", {}, tmp_path)


class TestReading:
    def test_the_shipped_ledger_reads(self, ledger: Path) -> None:
        loaded = read_ledger(ledger)
        assert [m.id for m in loaded.ledger.measures] == list(range(1, 32))

    def test_invalid_toml_names_line_and_column(self, write_ledger: WriteLedger) -> None:
        path = write_ledger(PLAN_HEADER + "\n[[measures]]\nid = = 3\n")
        with pytest.raises(InvalidLedger, match=r"invalid TOML: .*line 7, column") as caught:
            read_ledger(path)
        assert str(path) in caught.value.message

    def test_model_errors_name_measure_line_and_field(self, write_ledger: WriteLedger) -> None:
        path = write_ledger(PLAN_HEADER + measure_block(1) + measure_block(2, status="finished"))
        with pytest.raises(InvalidLedger) as caught:
            read_ledger(path)
        message = caught.value.message
        assert "measure 2 (line 13)" in message
        assert "status: 'finished' is not a status" in message

    def test_not_utf8(self, write_ledger: WriteLedger) -> None:
        path = write_ledger("")
        path.write_bytes(PLAN_HEADER.encode("gbk"))
        with pytest.raises(InvalidLedger, match="not UTF-8"):
            read_ledger(path)

    def test_empty_file(self, write_ledger: WriteLedger) -> None:
        with pytest.raises(InvalidLedger, match="the file is empty"):
            read_ledger(write_ledger("\n  \n"))


class TestWriting:
    def test_a_change_edits_only_its_record(self, ledger: Path) -> None:
        before = ledger.read_text(encoding="utf-8")
        update_ledger(ledger, done_change(2))
        after = ledger.read_text(encoding="utf-8")
        removed = [line for line in before.splitlines() if line not in after.splitlines()]
        assert removed == []  # every old line is still there, save the status one below
        old_lines, new_lines = before.splitlines(), after.splitlines()
        assert len(new_lines) > len(old_lines)
        assert read_ledger(ledger).ledger.get(2).status.value == "done"
        assert read_ledger(ledger).ledger.get(1).status.value == "todo"

    def test_no_temporary_file_is_left(self, ledger: Path) -> None:
        update_ledger(ledger, done_change(1))
        leftovers = [p.name for p in ledger.parent.iterdir() if p.name.endswith(".tmp")]
        assert leftovers == []

    def test_a_failing_change_writes_nothing(self, ledger: Path) -> None:
        before = ledger.read_bytes()
        with pytest.raises(UnknownMeasure) as caught:
            update_ledger(ledger, done_change(99))
        assert str(ledger) in caught.value.message
        assert ledger.read_bytes() == before

    def test_a_read_only_ledger_is_refused(self, ledger: Path) -> None:
        before = ledger.read_bytes()
        ledger.chmod(stat.S_IRUSR | stat.S_IRGRP)
        with pytest.raises(WriteFailed, match="read-only"):
            update_ledger(ledger, done_change(1))
        assert ledger.read_bytes() == before

    def test_permissions_are_kept(self, ledger: Path) -> None:
        ledger.chmod(0o640)
        update_ledger(ledger, done_change(1))
        assert stat.S_IMODE(ledger.stat().st_mode) == 0o640

    def test_a_full_disk_reports_and_keeps_the_file(
        self, ledger: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        before = ledger.read_bytes()

        def no_space(*args: object) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(Path, "replace", no_space)
        with pytest.raises(WriteFailed, match=r"No space left on device.*nothing was changed"):
            update_ledger(ledger, done_change(1))
        assert ledger.read_bytes() == before
        assert [p.name for p in ledger.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_the_lock_and_journal_folder_keeps_itself_out_of_git(ledger: Path) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q"], cwd=ledger.parent, check=True)
    update_ledger(ledger, done_change(1))
    state = ledger.parent / ".measures"
    assert sorted(p.name for p in state.iterdir()) == [
        ".gitignore",
        "measures.toml.lock",
        "measures.toml.undo",
    ]
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=ledger.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert status == "?? measures.toml\n"
