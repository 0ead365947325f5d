"""The example files under docs/examples import as an office would expect, and round-trip."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from .conftest import Run

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
TASK_TABLES = [
    "任务分解表.xlsx",
    "任务分解表.csv",
    "任务分解表.docx",
    "任务分解表.ods",
    "任务分解表.xls",
]


def _records(run: Run) -> list[dict[str, Any]]:
    result = run("list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    records: list[dict[str, Any]] = json.loads(result.stdout)
    return records


def _empty_ledger(run: Run) -> None:
    result = run("init", "--empty", "--name", "昆区营商环境行动方案")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("name", TASK_TABLES)
def test_every_task_table_imports_the_same_seven_measures(
    run: Run, isolated: Path, name: str
) -> None:
    _empty_ledger(run)
    result = run("import", str(EXAMPLES / name))
    assert result.exit_code == 0, result.stderr
    assert "7 added, 0 updated, 0 unchanged" in result.stderr
    records = {record["id"]: record for record in _records(run)}
    assert sorted(records) == list(range(1, 8))
    first = records[1]
    assert first["title"] == "实行企业名称自主申报"
    assert first["owner"] == "区市场监督管理局"
    assert (first["deadline"], first["deadline_text"]) == ("2020-12-31", "2020年年底前")
    ongoing = [r for r in records.values() if r["deadline"] is None]
    assert {r["deadline_text"] for r in ongoing} == {"长期坚持", "持续推进"}
    assert all(r["overdue"] is False for r in ongoing)
    dated = {r["id"]: r["deadline"] for r in records.values() if not r["deadline_text"]}
    assert set(dated.values()) == {"2021-06-30", "2021-03-31"}
    # An owner cell `区…（牵头）、区…` gives the owner and the partners.
    assert all(
        record["owner"] and "牵头" not in str(record["owner"]) for record in records.values()
    )
    assert any(record["partners"] for record in records.values())
    # A 进展情况 cell is a note in the log.
    notes = [e["note"] for e in first["log"] if e["action"] == "note"]
    assert notes == ["已上线运行，累计自主申报企业名称1260个"]


def test_the_files_of_one_table_give_one_ledger(run: Run, isolated: Path) -> None:
    ledgers = []
    for index, name in enumerate(TASK_TABLES):
        target = isolated / f"{index}.toml"
        assert run("init", "--empty", "--name", "方案", str(target)).exit_code == 0
        assert run("-f", str(target), "import", str(EXAMPLES / name)).exit_code == 0
        records = json.loads(run("-f", str(target), "list", "--format", "json").stdout)
        for record in records:  # the time, and the file named in the add entry, differ
            for entry in record["log"]:
                del entry["at"]
                if entry["action"] == "add":
                    del entry["note"]
        ledgers.append(records)
    assert all(records == ledgers[0] for records in ledgers[1:])


def test_a_feedback_sheet_moves_statuses_and_adds_progress_once(run: Run, isolated: Path) -> None:
    _empty_ledger(run)
    assert run("import", str(EXAMPLES / "任务分解表.xlsx")).exit_code == 0
    result = run("import", str(EXAMPLES / "反馈表.xlsx"))
    assert result.exit_code == 0, result.stderr
    assert "0 added, 3 updated, 0 unchanged" in result.stderr
    records = {record["id"]: record for record in _records(run)}
    assert records[1]["status"] == "done"
    assert records[1]["done_on"] == date(2020, 12, 20).isoformat()
    assert records[2]["status"] == records[3]["status"] == "doing"
    before = (isolated / "measures.toml").read_bytes()
    again = run("import", str(EXAMPLES / "反馈表.xlsx"))
    assert "0 added, 0 updated, 3 unchanged" in again.stderr
    assert (isolated / "measures.toml").read_bytes() == before


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_export_after_a_feedback_import_reads_back_unchanged(
    run: Run, isolated: Path, language: str, kind: str
) -> None:
    """The progress column is the newest progress note, not the note an import leaves on a move."""
    _empty_ledger(run)
    assert run("import", str(EXAMPLES / "任务分解表.xlsx")).exit_code == 0
    assert run("import", str(EXAMPLES / "反馈表.xlsx")).exit_code == 0
    before = (isolated / "measures.toml").read_bytes()
    out = isolated / f"sheet.{kind}"
    exported = run("--lang", language, "export", "--format", kind, "--output", str(out))
    assert exported.exit_code == 0, exported.stderr
    result = run("--lang", "en", "import", str(out))
    assert result.exit_code == 0, result.stderr
    assert "0 added, 0 updated, 7 unchanged" in result.stderr
    assert (isolated / "measures.toml").read_bytes() == before


def test_the_examples_readme_lists_every_example() -> None:
    listed = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    files = sorted(p.name for p in EXAMPLES.iterdir() if p.name != "README.md")
    assert files and all(f"`{name}`" in listed for name in files)
