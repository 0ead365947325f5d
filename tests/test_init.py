"""init: a new ledger from the shipped plan or empty, never over an existing file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from measures.errors import BadValue, Conflict, WriteFailed
from measures.ledger.newledger import create, empty_ledger, shipped_plan
from measures.model.parse import parse_ledger

from .conftest import SHIPPED, Run


def test_the_packaged_plan_is_the_shipped_ledger_byte_for_byte() -> None:
    assert shipped_plan() == SHIPPED.read_bytes()


def test_an_empty_ledger_reads_back_with_its_name() -> None:
    ledger = parse_ledger(empty_ledger('方案 "2021" \\ 版'), "x")
    assert ledger.plan.name == '方案 "2021" \\ 版' and ledger.measures == ()
    with pytest.raises(BadValue, match="--name must not be empty"):
        empty_ledger("  ")


def test_create_never_replaces_a_file(tmp_path: Path) -> None:
    target = tmp_path / "m.toml"
    create(target, b"one")
    with pytest.raises(Conflict, match="already exists"):
        create(target, b"two")
    assert target.read_bytes() == b"one"
    with pytest.raises(WriteFailed, match="no such folder"):
        create(tmp_path / "missing" / "m.toml", b"x")


class TestCommand:
    def test_writes_the_shipped_plan_to_measures_toml_here(self, run: Run, isolated: Path) -> None:
        result = run("init")
        assert result.exit_code == 0, result.stderr
        assert "Created measures.toml" in result.stderr
        assert (isolated / "measures.toml").read_bytes() == SHIPPED.read_bytes()
        listed = json.loads(run("list", "--format", "json").stdout)
        assert len(listed) == 31

    def test_refuses_to_overwrite(self, run: Run, isolated: Path) -> None:
        existing = isolated / "measures.toml"
        existing.write_text("# mine\n", encoding="utf-8")
        for args in (["init"], ["init", "--empty"], ["init", "measures.toml"], ["init", "."]):
            result = run(*args)
            assert result.exit_code == 1, args
            assert "already exists" in result.stderr
            assert existing.read_text(encoding="utf-8") == "# mine\n"

    def test_empty_with_a_name_at_a_path(self, run: Run, isolated: Path) -> None:
        (isolated / "plans").mkdir()
        result = run("init", "plans/2021.toml", "--empty", "--name", "2021年方案")
        assert result.exit_code == 0, result.stderr
        target = isolated / "plans" / "2021.toml"
        assert parse_ledger(target.read_text(encoding="utf-8"), "x").plan.name == "2021年方案"
        assert run("-f", str(target), "check").stdout == "No problems found.\n"
        added = run("-f", str(target), "add", "--title", "新", "--owner", "区商务局",
                    "--deadline", "2021-06-30")  # fmt: skip
        assert added.exit_code == 0, added.stderr
        assert [
            r["id"] for r in json.loads(run("-f", str(target), "list", "--format", "json").stdout)
        ] == [1]

    def test_a_folder_gets_measures_toml_and_file_option_names_the_path(
        self, run: Run, isolated: Path
    ) -> None:
        (isolated / "data").mkdir()
        assert run("init", "data").exit_code == 0
        assert (isolated / "data" / "measures.toml").read_bytes() == SHIPPED.read_bytes()
        assert run("-f", "other.toml", "init", "--empty").exit_code == 0
        assert "新的行动方案" in (isolated / "other.toml").read_text(encoding="utf-8")

    def test_refusals(self, run: Run, isolated: Path) -> None:
        result = run("init", "--name", "x")
        assert result.exit_code == 1 and "--name goes with --empty" in result.stderr
        result = run("init", "nowhere/m.toml")
        assert result.exit_code == 1 and "no such folder" in result.stderr
        assert list(isolated.iterdir()) == []
