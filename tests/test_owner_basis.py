"""An owner no source names is inferred: kept as `owner_basis`, shown marked, read back."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from measures.domain.changes import set_fields
from measures.domain.labels import marked_owner, unmarked_owner
from measures.domain.reports import build_report
from measures.ledger import snapshot
from measures.ledger.store import read_ledger
from measures.model import validate
from measures.model.records import as_dict

from .conftest import PLAN_HEADER, Run, WriteLedger, measure_block

AT = datetime(2021, 1, 4, 9, 0, tzinfo=UTC)


def inferred(ident: int = 1, owner: str = "区税务局") -> str:
    return measure_block(ident, owner=owner, extra='owner_basis = "inferred"\n')


class TestCore:
    def test_marked_and_read_back_in_either_language(self) -> None:
        assert marked_owner("区税务局", "inferred", "zh") == "区税务局（推定）"
        assert marked_owner("区税务局", "inferred", "en") == "区税务局 (inferred)"
        assert marked_owner("区税务局", "", "zh") == "区税务局"
        assert marked_owner("", "inferred", "zh") == ""
        for text in ("区税务局（推定）", "区税务局 (inferred)", "区税务局(推定)"):
            assert unmarked_owner(text) == ("区税务局", True)
        assert unmarked_owner("区税务局") == ("区税务局", False)
        assert unmarked_owner("（推定）") == ("（推定）", False)  # a mark alone is no owner

    def test_only_known_bases_are_taken(self) -> None:
        record = {"id": 1, "title": "t", "deadline": None, "deadline_text": "长期坚持"}
        assert validate.measure({**record, "status": "todo"}).owner_basis == ""
        with pytest.raises(ValidationError, match="owner_basis"):
            validate.measure({**record, "status": "todo", "owner_basis": "guessed"})

    def test_an_owner_given_is_stated(self) -> None:
        measure = validate.measure(
            {"id": 1, "title": "t", "owner": "甲", "owner_basis": "inferred",
             "deadline": None, "deadline_text": "长期坚持", "status": "todo"}
        )  # fmt: skip
        same = set_fields(measure, {"owner": "甲"}, "zhao", AT)
        assert (same.owner, same.owner_basis) == ("甲", "")
        assert [(e.field, e.old, e.new) for e in same.log] == [("owner_basis", "inferred", "")]
        assert set_fields(measure, {"title": "新"}, "zhao", AT).owner_basis == "inferred"

    def test_a_report_groups_an_inferred_owner_apart(self) -> None:
        ledger = validate.ledger(
            tomllib.loads(PLAN_HEADER + inferred(1) + measure_block(2, owner="区税务局"))
        )
        rows = build_report(ledger, AT.date()).owners
        assert [(r.owner, r.owner_basis, r.total) for r in rows] == [
            ("区税务局", "", 1),
            ("区税务局", "inferred", 1),
        ]


class TestFile:
    def test_written_only_when_inferred_and_kept_by_the_snapshot(
        self, write_ledger: WriteLedger
    ) -> None:
        path = write_ledger(PLAN_HEADER + inferred(1) + measure_block(2))
        ledger = read_ledger(path).ledger
        assert [m.owner_basis for m in ledger.measures] == ["inferred", ""]
        assert "owner_basis" not in ledger.measures[1].to_toml()
        assert ledger.measures[0].to_toml()["owner_basis"] == "inferred"
        data = json.loads(json.dumps(snapshot._ledger_json(ledger)))
        assert snapshot._ledger(data) == ledger
        assert as_dict(ledger.measures[0], json=True)["owner_basis"] == "inferred"

    def test_the_plans_provenance_round_trips(self, write_ledger: WriteLedger) -> None:
        header = PLAN_HEADER + 'district = "包头市昆都仑区"\nsource = "报道"\nnotes = "推定"\n'
        path = write_ledger(header + measure_block(1))
        ledger = read_ledger(path).ledger
        assert (ledger.plan.district, ledger.plan.source, ledger.plan.notes) == (
            "包头市昆都仑区",
            "报道",
            "推定",
        )
        data = json.loads(json.dumps(snapshot._ledger_json(ledger)))
        assert snapshot._ledger(data) == ledger
        # A ledger without them reads as before.
        plain = read_ledger(write_ledger(PLAN_HEADER + measure_block(1), "b.toml")).ledger
        assert (plain.plan.district, plain.plan.source, plain.plan.notes) == ("", "", "")


class TestCommands:
    def test_shown_everywhere_an_owner_is(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(PLAN_HEADER + inferred(1))
        assert "区税务局 (inferred)" in run("list").stdout
        assert "区税务局 (inferred)" in run("report").stdout
        assert "| 区税务局 (inferred) |" in run("list", "--format", "markdown").stdout
        assert json.loads(run("show", "1", "--format", "json").stdout)["owner_basis"] == "inferred"
        assert "区税务局（推定）" in run("--lang", "zh", "show", "1").stdout

    def test_set_owner_confirms_it(self, run: Run, write_ledger: WriteLedger) -> None:
        path = write_ledger(PLAN_HEADER + inferred(1))
        assert run("set", "1", "--owner", "区税务局").exit_code == 0
        assert 'owner_basis = "inferred"' not in path.read_text(encoding="utf-8")
        assert "inferred" not in run("check").stdout
        assert run("undo").exit_code == 0
        assert 'owner_basis = "inferred"' in path.read_text(encoding="utf-8")

    def test_an_unknown_basis_is_refused_quoting_it(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        write_ledger(PLAN_HEADER + measure_block(1, extra='owner_basis = "Guessed"\n'))
        result = run("list")
        assert result.exit_code == 1
        assert "owner_basis" in result.stderr and "'Guessed'" in result.stderr

    def test_import_reads_the_mark_of_a_new_measure(
        self, run: Run, write_ledger: WriteLedger, isolated: Path
    ) -> None:
        path = write_ledger(PLAN_HEADER + measure_block(1))
        sheet = isolated / "t.csv"
        rows = ["序号,工作任务,牵头单位,完成时限", "2,乙,区财政局（推定）,2021-06-30"]
        sheet.write_text("\n".join(rows) + "\n", "utf-8")
        assert run("import", str(sheet)).exit_code == 0
        measure = read_ledger(path).ledger.get(2)
        assert (measure.owner, measure.owner_basis) == ("区财政局", "inferred")
