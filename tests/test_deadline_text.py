"""Deadlines as offices write them: a wording beside the date, and ongoing measures.

`deadline_text` keeps the plan's wording (`2020年年底前`) when the deadline was
not written as a plain date; a measure with no `deadline` at all is ongoing
(`长期坚持`): never overdue, sorted after every dated measure.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from pydantic_core import to_json

from measures.domain.queries import SortKey, overdue, sort_measures
from measures.ledger import snapshot
from measures.ledger.store import read_ledger
from measures.ledger.tomledit import apply_changes, new_document
from measures.model import validate
from measures.model.records import (
    Measure,
    Status,
    as_dict,
    days_overdue,
    field_names,
    is_overdue,
)

from .conftest import PLAN_HEADER, Run, WriteLedger

TODAY = date(2026, 6, 1)

# Measure 1 dated and worded, 2 ongoing, 3 a plain date.
WORDED = (
    PLAN_HEADER
    + """
[[measures]]
id = 1
title = "推行企业开办一网通办"
owner = "区市场监督管理局"
deadline = 2020-12-31  # 任务表写作“年底前”
deadline_text = "2020年年底前"
status = "todo"

[[measures]]
id = 2
title = "优化营商环境常态化"
owner = "区政务服务局"
deadline_text = "长期坚持"
status = "doing"

[[measures]]
id = 3
title = "清理证明事项"
owner = "区司法局"
deadline = 2020-11-30
status = "todo"
"""
)


def base(**changes: Any) -> dict[str, Any]:
    return {"id": 7, "title": "举措", "status": "todo", **changes}


class TestModel:
    def test_an_ongoing_measure_has_no_deadline_and_its_wording(self) -> None:
        measure = validate.measure(base(deadline=None, deadline_text="长期坚持"))
        assert measure.deadline is None
        assert measure.deadline_text == "长期坚持"

    def test_a_toml_measure_without_deadline_but_with_a_wording_is_ongoing(self) -> None:
        measure = validate.measure(base(deadline_text="持续推进"))
        assert (measure.deadline, measure.deadline_text) == (None, "持续推进")

    def test_a_dated_measure_keeps_its_wording(self) -> None:
        measure = validate.measure(base(deadline=date(2020, 12, 31), deadline_text="2020年年底前"))
        assert (measure.deadline, measure.deadline_text) == (date(2020, 12, 31), "2020年年底前")

    def test_the_wording_defaults_to_empty(self) -> None:
        assert validate.measure(base(deadline=date(2020, 12, 31))).deadline_text == ""

    def test_no_deadline_and_no_wording_is_missing_as_before(self) -> None:
        with pytest.raises(ValidationError) as caught:
            validate.measure(base())
        problem = caught.value.errors()[0]
        assert (problem["type"], problem["loc"]) == ("missing", ("deadline",))

    @pytest.mark.parametrize("wording", ["", "  "])
    def test_no_deadline_and_a_blank_wording_is_refused(self, wording: str) -> None:
        with pytest.raises(ValidationError, match="deadline is missing: give a date"):
            validate.measure(base(deadline=None, deadline_text=wording))

    def test_a_wording_has_a_length_limit(self) -> None:
        with pytest.raises(ValidationError, match="at most 200"):
            validate.measure(base(deadline_text="长" * 201))

    def test_a_wording_must_be_text(self) -> None:
        with pytest.raises(ValidationError, match="deadline_text"):
            validate.measure(base(deadline=date(2020, 12, 31), deadline_text=5))


class TestLateness:
    ongoing = validate.measure(base(deadline_text="长期坚持"))

    @pytest.mark.parametrize("status", [Status.TODO, Status.DOING, Status.BLOCKED])
    def test_an_ongoing_measure_is_never_overdue(self, status: Status) -> None:
        measure = replace(self.ongoing, status=status)
        for day in (date(1, 1, 1), TODAY, date(9999, 12, 31)):
            assert not is_overdue(measure, day)
            assert days_overdue(measure, day) == 0
        assert overdue([measure], date(9999, 12, 31)) == []

    def test_a_worded_measure_is_late_by_its_date(self) -> None:
        measure = validate.measure(base(deadline=date(2020, 12, 31), deadline_text="年底前"))
        assert days_overdue(measure, date(2021, 1, 2)) == 2

    def test_ongoing_measures_sort_after_every_dated_one(self) -> None:
        measures = [
            validate.measure(base(id=1, deadline_text="长期坚持")),
            validate.measure(base(id=2, deadline=date(9999, 12, 31))),
            validate.measure(base(id=3, deadline=date(2020, 1, 1), deadline_text="年初")),
            validate.measure(base(id=4, deadline_text="常态化")),
        ]
        assert [m.id for m in sort_measures(measures, SortKey.DEADLINE)] == [3, 2, 1, 4]


class TestLedgerFile:
    def test_a_ledger_with_a_wording_and_an_ongoing_measure_loads(
        self, write_ledger: WriteLedger
    ) -> None:
        loaded = read_ledger(write_ledger(WORDED)).ledger
        assert [(m.deadline, m.deadline_text) for m in loaded.measures] == [
            (date(2020, 12, 31), "2020年年底前"),
            (None, "长期坚持"),
            (date(2020, 11, 30), ""),
        ]

    def test_the_snapshot_carries_the_wording(self, write_ledger: WriteLedger) -> None:
        path = write_ledger(WORDED)
        first = read_ledger(path).ledger
        kept = snapshot.load(path, path.read_bytes())
        assert kept == first  # saved on the first read, and read back the same
        rows = json.loads(to_json(snapshot._ledger_json(first)))["measures"]
        assert rows[1][5:7] == [None, "长期坚持"]
        assert snapshot._ledger(json.loads(to_json(snapshot._ledger_json(first)))) == first

    def test_to_toml_leaves_an_empty_wording_out(self) -> None:
        measure = validate.measure(base(deadline=date(2020, 12, 31)))
        assert "deadline_text" not in measure.to_toml()
        ongoing = validate.measure(base(deadline_text="长期坚持"))
        data = ongoing.to_toml()
        assert "deadline" not in data and data["deadline_text"] == "长期坚持"
        assert list(data)[:4] == ["id", "title", "title_en", "owner"]

    def test_a_new_document_reads_back_the_same(self, write_ledger: WriteLedger) -> None:
        ledger = read_ledger(write_ledger(WORDED)).ledger
        text = new_document(ledger)
        assert validate.ledger(tomllib.loads(text)) == ledger
        assert 'deadline_text = "长期坚持"' in text

    def test_a_minimal_edit_puts_the_wording_beside_the_deadline(
        self, write_ledger: WriteLedger
    ) -> None:
        path = write_ledger(WORDED)
        old = read_ledger(path).ledger
        new = old.replace(replace(old.get(3), deadline_text="11月底前"))
        new = new.replace(replace(new.get(2), deadline_text="常态化推进"))
        new = new.replace(replace(new.get(1), deadline_text=""))
        text = apply_changes(WORDED, old, new)
        assert 'deadline = 2020-11-30\ndeadline_text = "11月底前"\nstatus' in text
        assert 'deadline_text = "常态化推进"' in text
        assert "2020年年底前" not in text
        assert "deadline = 2020-12-31  # 任务表写作“年底前”\nstatus" in text
        assert validate.ledger(tomllib.loads(text)) == new

    def test_dating_an_ongoing_measure_writes_the_date_in_its_place(self) -> None:
        old = validate.ledger(tomllib.loads(WORDED))
        dated = replace(old.get(2), deadline=date(2027, 6, 30), deadline_text="")
        text = apply_changes(WORDED, old, old.replace(dated))
        assert 'owner = "区政务服务局"\ndeadline = 2027-06-30\nstatus = "doing"' in text
        assert "长期坚持" not in text

    def test_json_has_the_wording_and_a_null_deadline(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        write_ledger(WORDED)
        result = run("list", "--format", "json", "--as-of", TODAY.isoformat())
        assert result.exit_code == 0, result.output
        records = json.loads(result.stdout)
        assert [(r["deadline"], r["deadline_text"]) for r in records] == [
            ("2020-12-31", "2020年年底前"),
            (None, "长期坚持"),
            ("2020-11-30", ""),
        ]
        assert [r["overdue"] for r in records] == [True, False, True]
        assert [r["days_overdue"] for r in records][1] == 0

    def test_the_json_written_by_hand_is_the_generic_form(self) -> None:
        for measure in validate.ledger(tomllib.loads(WORDED)).measures:
            generic: dict[str, Any] = {}
            for key, value in as_dict(measure).items():
                generic[key] = value.isoformat() if isinstance(value, date) else value
            written = as_dict(measure, json=True)
            assert written["deadline"] == generic["deadline"]
            assert written["deadline_text"] == generic["deadline_text"]
            # New keys go at the end: the deadline's wording, then the owner's basis.
            assert list(written)[-2:] == ["deadline_text", "owner_basis"]

    def test_a_measure_with_neither_is_refused_naming_it(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        write_ledger(PLAN_HEADER + '\n[[measures]]\nid = 4\ntitle = "甲"\nstatus = "todo"\n')
        result = run("list")
        assert result.exit_code != 0
        assert "measure 4 (line 6): deadline: is missing." in result.stderr

    def test_a_blank_wording_without_a_date_is_refused_naming_it(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        path = write_ledger(
            PLAN_HEADER
            + '\n[[measures]]\nid = 4\ntitle = "甲"\ndeadline_text = " "\nstatus = "todo"\n'
        )
        before = path.read_bytes()
        result = run("done", "4")
        assert result.exit_code != 0
        assert (
            "measure 4 (line 6): deadline is missing: give a date, or for ongoing work "
            'a wording such as deadline_text = "长期坚持".' in result.stderr
        )
        assert path.read_bytes() == before

    def test_the_refusal_is_in_chinese_too(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(
            PLAN_HEADER
            + '\n[[measures]]\nid = 4\ntitle = "甲"\ndeadline_text = " "\nstatus = "todo"\n'
        )
        result = run("--lang", "zh", "list")
        assert result.exit_code != 0
        assert (
            "第4条举措（第6行）：缺少完成时限：请填写日期，长期任务请写明时限表述" in result.stderr
        )


def test_a_wording_is_an_ongoing_measure_at_any_as_of(run: Run, write_ledger: WriteLedger) -> None:
    write_ledger(WORDED)
    for day in (date(2020, 11, 1), date(2021, 1, 1), TODAY, TODAY + timedelta(days=3650)):
        result = run("list", "--overdue", "--format", "json", "--as-of", day.isoformat())
        assert result.exit_code == 0, result.output
        assert 2 not in [r["id"] for r in json.loads(result.stdout)]


def test_records_have_the_field_after_deadline() -> None:
    names = list(field_names(Measure))
    assert names[names.index("deadline") + 1] == "deadline_text"


def rows_of(output: str) -> list[str]:
    """The table's lines, their cells separated by single spaces."""
    return [" ".join(line.split()) for line in output.splitlines()]


class TestShown:
    def test_deadline_label_in_both_languages(self) -> None:
        from measures.domain.labels import deadline_label
        from measures.i18n import set_language

        ledger = validate.ledger(tomllib.loads(WORDED))
        worded, ongoing, plain = ledger.measures
        assert [deadline_label(m) for m in ledger.measures] == [
            "2020-12-31 (2020年年底前)",
            "长期坚持",
            "2020-11-30",
        ]
        set_language("zh")
        assert [deadline_label(m) for m in (worded, ongoing, plain)] == [
            "2020年年底前",
            "长期坚持",
            "2020年11月30日",
        ]

    def test_list_shows_the_wording_and_sorts_ongoing_last(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        write_ledger(WORDED)
        result = run("list", "--sort", "deadline", "--as-of", "2026-06-01")
        assert result.exit_code == 0, result.output
        rows = rows_of(result.stdout)
        assert "3 清理证明事项 区司法局 2020-11-30 red todo 2009 d" in rows
        assert (
            "1 推行企业开办一网通办 区市场监督管理局 2020-12-31 (2020年年底前) red todo 1978 d"
            in rows
        )
        assert "2 优化营商环境常态化 区政务服务局 长期坚持 yellow doing" in rows
        order = [row.split()[0] for row in rows if row[:1].isdigit() and "measures," not in row]
        assert order == ["3", "1", "2"]

    def test_list_in_chinese_shows_the_wording_alone(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        write_ledger(WORDED)
        result = run("--lang", "zh", "list", "--as-of", "2026-06-01")
        assert result.exit_code == 0, result.output
        rows = rows_of(result.stdout)
        assert "1 推行企业开办一网通办 区市场监督管理局 2020年年底前 红灯 未启动 1978天" in rows
        assert "2 优化营商环境常态化 区政务服务局 长期坚持 黄灯 推进中" in rows
        assert "3 清理证明事项 区司法局 2020年11月30日 红灯 未启动 2009天" in rows

    def test_show_in_both_languages(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(WORDED)
        assert "Deadline 2020-12-31 (2020年年底前)" in rows_of(run("show", "1").stdout)
        assert "Deadline 长期坚持" in rows_of(run("show", "2").stdout)
        assert "完成时限 2020年年底前" in rows_of(run("--lang", "zh", "show", "1").stdout)
        assert "完成时限 长期坚持" in rows_of(run("--lang", "zh", "show", "2").stdout)

    def test_report_lists_show_the_wording(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(WORDED)
        rows = rows_of(run("report", "--as-of", "2020-12-25").stdout)
        assert "6 1 推行企业开办一网通办 区市场监督管理局 2020-12-31 (2020年年底前) todo" in rows
        rows = rows_of(run("--lang", "zh", "report", "--as-of", "2021-01-05").stdout)
        assert "5 1 推行企业开办一网通办 区市场监督管理局 2020年年底前 未启动" in rows
        assert not any("长期坚持" in row for row in rows)  # never overdue, never due

    def test_report_formats_show_the_wording(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(WORDED)
        markdown = run("report", "--as-of", "2021-01-05", "--format", "markdown").stdout
        assert (
            "| 5 | 1 | 推行企业开办一网通办 | 区市场监督管理局 | 2020-12-31 (2020年年底前) | todo |"
            in (markdown)
        )
        page = run("--lang", "zh", "report", "--as-of", "2021-01-05", "--format", "html").stdout
        assert "<td>2020年年底前</td>" in page
        data = json.loads(run("report", "--as-of", "2021-01-05", "--format", "json").stdout)
        assert [(m["id"], m["deadline"], m["deadline_text"]) for m in data["overdue"]] == [
            (3, "2020-11-30", ""),
            (1, "2020-12-31", "2020年年底前"),
        ]
        assert data["in_progress"] == 3

    def test_list_markdown_and_csv(self, run: Run, write_ledger: WriteLedger) -> None:
        import csv
        import io

        write_ledger(WORDED)
        markdown = run("--lang", "zh", "list", "--format", "markdown").stdout
        assert "| 2 | 优化营商环境常态化 | 区政务服务局 | 长期坚持 | 推进中 |" in markdown
        table = list(csv.reader(io.StringIO(run("list", "--format", "csv").stdout)))
        header = table[0]
        assert header[-5:] == [
            "overdue",
            "days_overdue",
            "deadline_text",
            "owner_basis",
            "light",
        ]
        assert header[header.index("deadline") - 1] == "partners"  # the old columns stay put
        by_id = {row[0]: dict(zip(header, row, strict=True)) for row in table[1:]}
        assert (by_id["1"]["deadline"], by_id["1"]["deadline_text"]) == (
            "2020-12-31",
            "2020年年底前",
        )
        assert (by_id["2"]["deadline"], by_id["2"]["deadline_text"]) == ("", "长期坚持")
        assert by_id["2"]["overdue"] == "false"

    def test_the_quick_path_shows_the_same(self, write_ledger: WriteLedger) -> None:
        from .conftest import measures_process

        write_ledger(WORDED)
        first = measures_process("list", "--sort", "deadline", lang="C.UTF-8")
        again = measures_process("list", "--sort", "deadline", lang="C.UTF-8")  # from the snapshot
        assert first.returncode == again.returncode == 0, first.stderr
        assert again.stdout == first.stdout
        assert "长期坚持" in again.stdout and "2020-12-31 (2020年年底前)" in again.stdout


class TestChanges:
    def test_extend_clears_the_wording_and_undo_restores_it(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        path = write_ledger(WORDED)
        before = path.read_bytes()
        result = run("extend", "1", "--to", "2021-03-31", "--reason", "市级系统延期上线")
        assert result.exit_code == 0, result.output
        measure = read_ledger(path).ledger.get(1)
        assert (measure.deadline, measure.deadline_text) == (date(2021, 3, 31), "")
        extend, cleared = measure.log
        assert (extend.action, extend.field, extend.new) == (
            "extend",
            "deadline",
            date(2021, 3, 31),
        )
        assert (cleared.action, cleared.field) == ("set", "deadline_text")
        assert (cleared.old, cleared.new, cleared.at) == ("2020年年底前", "", extend.at)
        assert 'deadline_text = "2020年年底前"' not in path.read_text("utf-8")
        # --as-of before the extension puts back both the date and the wording.
        day = (extend.at - timedelta(days=1)).date().isoformat()
        record = json.loads(run("list", "--format", "json", "--as-of", day).stdout)[0]
        assert (record["deadline"], record["deadline_text"]) == ("2020-12-31", "2020年年底前")
        undone = run("undo")
        assert undone.exit_code == 0, undone.output
        assert "set 1 (deadline_text 2020年年底前 → '')" in undone.stderr
        assert path.read_bytes() == before
        assert read_ledger(path).ledger.get(1).deadline_text == "2020年年底前"

    def test_an_ongoing_measure_cannot_be_extended(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        path = write_ledger(WORDED)
        before = path.read_bytes()
        result = run("extend", "2", "--to", "2027-01-01", "--reason", "x")
        assert result.exit_code == 1
        assert "measure 2 is ongoing (长期坚持): it has no deadline to extend." in result.stderr
        assert "measures set ID --deadline DATE" in result.stderr
        assert path.read_bytes() == before

    def test_set_a_new_date_clears_the_wording_the_same_date_keeps_it(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        path = write_ledger(WORDED)
        assert run("set", "1", "--deadline", "2020-12-31", "--owner", "区政务服务局").exit_code == 0
        assert read_ledger(path).ledger.get(1).deadline_text == "2020年年底前"
        assert run("set", "1", "--deadline", "2021-01-31").exit_code == 0
        measure = read_ledger(path).ledger.get(1)
        assert (measure.deadline, measure.deadline_text) == (date(2021, 1, 31), "")
        assert [e.field for e in measure.log] == ["owner", "deadline", "deadline_text"]

    def test_set_a_date_and_a_wording_together(self, run: Run, write_ledger: WriteLedger) -> None:
        path = write_ledger(WORDED)
        result = run("set", "3", "--deadline", "2021-06-30", "--deadline-text", "2021年6月底前")
        assert result.exit_code == 0, result.output
        assert "Set on 3: deadline, deadline_text." in result.stderr
        measure = read_ledger(path).ledger.get(3)
        assert (measure.deadline, measure.deadline_text) == (date(2021, 6, 30), "2021年6月底前")
        assert 'deadline = 2021-06-30\ndeadline_text = "2021年6月底前"\n' in path.read_text("utf-8")

    def test_dating_an_ongoing_measure_and_as_of_before(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        path = write_ledger(WORDED)
        assert run("set", "2", "--deadline", "2027-06-30").exit_code == 0
        measure = read_ledger(path).ledger.get(2)
        assert (measure.deadline, measure.deadline_text) == (date(2027, 6, 30), "")
        day = (measure.log[0].at - timedelta(days=1)).date().isoformat()
        record = json.loads(run("list", "--format", "json", "--as-of", day).stdout)[1]
        assert (record["deadline"], record["deadline_text"]) == (None, "长期坚持")

    def test_clearing_the_wording_of_an_ongoing_measure_is_refused(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        path = write_ledger(WORDED)
        before = path.read_bytes()
        result = run("set", "2", "--deadline-text", "")
        assert result.exit_code == 1
        assert "deadline is missing" in result.stderr
        assert path.read_bytes() == before

    def test_add_an_ongoing_measure(self, run: Run, write_ledger: WriteLedger) -> None:
        path = write_ledger(WORDED)
        result = run(
            "add", "--title", "常态化监管", "--owner", "区司法局", "--deadline-text", "常态化"
        )
        assert result.exit_code == 0, result.output
        assert "Added measure 4: due 常态化." in result.stderr
        added = read_ledger(path).ledger.get(4)
        assert (added.deadline, added.deadline_text) == (None, "常态化")
        result = run(
            "--lang", "zh", "add", "--title", "乙", "--owner", "", "--deadline-text", "持续推进"
        )
        assert "已新增第5条举措，完成时限持续推进。" in result.stderr

    def test_add_a_dated_measure_with_its_wording(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        path = write_ledger(WORDED)
        result = run(
            "add", "--title", "甲", "--owner", "", "--deadline", "2026-03-31",
            "--deadline-text", "2026年第一季度",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        added = read_ledger(path).ledger.get(4)
        assert (added.deadline, added.deadline_text) == (date(2026, 3, 31), "2026年第一季度")

    def test_add_without_a_deadline_or_a_wording_is_refused(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        path = write_ledger(WORDED)
        before = path.read_bytes()
        result = run("add", "--title", "甲", "--owner", "")
        assert result.exit_code == 1
        assert "a new measure needs a deadline." in result.stderr
        assert "--deadline-text TEXT" in result.stderr
        result = run("--lang", "zh", "add", "--title", "甲", "--owner", "", "--deadline-text", " ")
        assert result.exit_code == 1
        assert "新增举措需要完成时限" in result.stderr
        assert path.read_bytes() == before

    def test_a_wording_too_long_is_refused_quoting_the_option(
        self, run: Run, write_ledger: WriteLedger
    ) -> None:
        write_ledger(WORDED)
        result = run("set", "1", "--deadline-text", "长" * 201)
        assert result.exit_code == 1
        assert "--deadline-text is 201 characters long; at most 200 are allowed." in result.stderr


def test_check_accepts_wordings_and_ongoing_measures(run: Run, write_ledger: WriteLedger) -> None:
    write_ledger(WORDED)
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "No problems found in 3 measures." in result.stdout


class TestMerge:
    def edit(self, text: str, ident: int, **values: Any) -> str:
        from datetime import UTC, datetime

        from measures.domain.changes import set_fields
        from measures.domain.merge import write_merged
        from measures.model.parse import parse_ledger

        old = parse_ledger(text, "test")
        at = datetime(2021, 1, 1, tzinfo=UTC)
        return write_merged(text, old, old.replace(set_fields(old.get(ident), values, "li", at)))

    def test_a_wording_changed_on_one_side_is_kept(self) -> None:
        from measures.domain.merge import merge_texts
        from measures.model.parse import parse_ledger

        ours = self.edit(WORDED, 1, owner="区政务服务局")
        theirs = self.edit(WORDED, 1, deadline_text="2020年12月底前")
        result = merge_texts(WORDED, ours, theirs)
        assert result.clean, [c.describe() for c in result.conflicts]
        measure = parse_ledger(result.text, "merged").get(1)
        assert (measure.owner, measure.deadline_text) == ("区政务服务局", "2020年12月底前")
        assert "# 任务表写作“年底前”" in result.text

    def test_a_new_date_against_a_new_wording_is_a_conflict(self) -> None:
        from measures.domain.merge import merge_texts

        ours = self.edit(WORDED, 1, deadline=date(2021, 3, 31))
        theirs = self.edit(WORDED, 1, deadline_text="2020年12月底前")
        result = merge_texts(WORDED, ours, theirs)
        assert not result.clean
        assert [c.describe() for c in result.conflicts] == [
            'measure 1, deadline: ours 2021-03-31 (deadline_text ""), '
            'theirs 2020-12-31 (deadline_text "2020年12月底前") '
            '(was 2020-12-31 (deadline_text "2020年年底前"))'
        ]
