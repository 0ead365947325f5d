"""check: every problem at once, errors exit 1, warnings exit 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from measures.domain.checks import Level, check_ledger
from measures.model import parse

from .conftest import (
    PLAN_HEADER,
    REPO,
    SHIPPED,
    Run,
    WriteLedger,
    generated_ledger,
    measure_block,
)


def found(text: str) -> list[tuple[str, str, str]]:
    return [(p.level.value, p.where, p.message) for p in check_ledger(text.encode(), "m.toml")]


class TestCore:
    def test_the_shipped_ledger_has_warnings_only(self) -> None:
        problems = check_ledger(SHIPPED.read_bytes(), "measures.toml")
        assert {p.level for p in problems} == {Level.WARNING}
        no_owner = [p.where for p in problems if p.message.startswith("no owner")]
        placeholders = [p.where for p in problems if p.message.startswith("a placeholder")]
        inferred = [p.where for p in problems if " is inferred: " in p.message]
        assert len(no_owner) == len(placeholders) == 26
        assert inferred == [
            f"measures.toml, measure {i} (line {line})"
            for i, line in ((1, 37), (2, 47), (3, 57), (4, 68), (5, 78))
        ]
        assert placeholders[0] == "measures.toml, measure 6 (line 90)"
        assert placeholders[-1].startswith("measures.toml, measure 31 (line ")

    def test_done_on_on_a_todo_measure_is_an_error(self) -> None:
        text = PLAN_HEADER + measure_block(1) + measure_block(2, extra="done_on = 2020-12-01\n")
        ((level, where, message),) = [p for p in found(text) if p[0] == "error"]
        assert (level, where) == ("error", "m.toml, measure 2 (line 13)")
        assert "done_on is set but status is 'todo'" in message

    def test_every_error_at_once_each_with_its_record(self) -> None:
        text = (
            PLAN_HEADER
            + measure_block(1)
            + measure_block(1, status="finished")
            + measure_block(3, title="")
            + measure_block(4, deadline='"2020-12-31"', extra="dedline = 2020-12-31\n")
        )
        errors = [(where, message) for level, where, message in found(text) if level == "error"]
        assert errors == [
            (
                "m.toml, measure 1 (line 13)",
                "id: duplicate id 1 (also measure 1 (line 6)); every measure needs its own id",
            ),
            (
                "m.toml, measure 1 (line 13)",
                "status: 'finished' is not a status; use one of 'todo', 'doing', 'blocked', "
                "'done', 'verified' or 'dropped'",
            ),
            ("m.toml, measure 3 (line 20)", "title: must not be empty"),
            (
                "m.toml, measure 4 (line 27)",
                "deadline: must be a TOML date such as 2020-12-31, not '2020-12-31'",
            ),
            ("m.toml, measure 4 (line 27)", "dedline: is not a field the ledger knows (a typo?)"),
        ]

    def test_the_choices_are_listed_in_chinese_words_in_chinese(self) -> None:
        from measures.i18n import set_language

        set_language("zh")
        try:
            text = PLAN_HEADER + measure_block(1, status="finished")
            ((_level, _where, message),) = [p for p in found(text) if p[0] == "error"]
        finally:
            set_language("en")
        assert message.endswith(
            "可用的状态：'todo'、'doing'、'blocked'、'done'、'verified'或'dropped'"
        ), message

    def test_duplicates_alone_are_reported_once(self) -> None:
        text = PLAN_HEADER + measure_block(1) + measure_block(1)
        errors = [p for p in found(text) if p[0] == "error"]
        assert len(errors) == 1 and "duplicate id 1" in errors[0][2]

    def test_invalid_toml_is_one_error_with_line_and_column(self) -> None:
        assert found(PLAN_HEADER + "\n[[measures]]\nid = = 3\n") == [
            ("error", "m.toml", "invalid TOML: Invalid value (at line 7, column 6)")
        ]

    def test_not_utf8_and_empty(self) -> None:
        (problem,) = check_ledger(PLAN_HEADER.encode() + "举措".encode("gbk"), "m.toml")
        assert problem.where == "m.toml, line 5" and "not UTF-8" in problem.message
        assert [p.message for p in check_ledger(b"\n \n", "m.toml")] == [
            "the file is empty; start it with a [plan] table"
        ]

    def test_warnings(self) -> None:
        log = '\n[[measures.log]]\nat = 2020-12-01T10:00:00+08:00\naction = "start"\nto = "doing"\n'
        text = (
            PLAN_HEADER  # declares 3
            + measure_block(1, owner="  ")
            + measure_block(2, title="第2条（报道未公布）", extra=log)
        )
        assert found(text) == [
            ("warning", "m.toml, measure 1 (line 6)", "no owner (lead unit); set one with "
             "`measures set ID --owner UNIT`"),
            ("warning", "m.toml, measure 2 (line 13)", "a placeholder: the title says it is not "
             "published; fill it in with `measures set`"),
            ("warning", "m.toml, measure 2 (line 13)", "status is 'todo' but the log's newest "
             "move is to 'doing' (changed by hand?)"),
            ("warning", "m.toml", "the plan declares 3 measures but the ledger has 2"),
        ]  # fmt: skip

    def test_an_english_placeholder_title(self) -> None:
        text = PLAN_HEADER.replace("3", "1") + measure_block(
            1, extra='title_en = "Measure 1 (Not Published in the report)"\n'
        )
        assert [p[2][:13] for p in found(text)] == ["a placeholder"]

    def test_a_clean_ledger(self) -> None:
        text = PLAN_HEADER + "".join(measure_block(i) for i in (1, 2, 3))
        assert found(text) == []


class TestCommand:
    def test_shipped_ledger_exits_0_with_warnings(self, run: Run, ledger: Path) -> None:
        result = run("check")
        assert result.exit_code == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[-1] == "0 errors, 57 warnings."
        assert f"{ledger}, measure 6 (line 90): warning: no owner" in result.stdout
        inferred = f"{ledger}, measure 3 (line 57): warning: owner 区税务局 is inferred"
        assert f"{inferred}: no source names it" in result.stdout
        assert all(": warning: " in line for line in lines[:-1])

    def test_done_on_on_a_todo_measure_exits_1(self, run: Run, write_ledger: WriteLedger) -> None:
        path = write_ledger(
            PLAN_HEADER
            + measure_block(1, extra="done_on = 2020-12-01\n")
            + measure_block(2, owner="")
            + measure_block(3, status="bogus")
        )
        before = path.read_bytes()
        result = run("check")
        assert result.exit_code == 1
        out = result.stdout
        assert f"{path}, measure 1 (line 6): error: done_on is set but status is 'todo'" in out
        assert f"{path}, measure 3 (line 21): error: status: 'bogus' is not a status" in out
        assert f"{path}, measure 2 (line 14): warning: no owner" in out
        assert out.splitlines()[-1] == "2 errors, 1 warning."
        assert path.read_bytes() == before

    def test_a_clean_ledger_says_so(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(PLAN_HEADER + "".join(measure_block(i) for i in (1, 2, 3)))
        result = run("check")
        assert result.exit_code == 0
        assert result.stdout == "No problems found in 3 measures.\n"

    def test_ledger_text_in_messages_is_inert(self, run: Run, write_ledger: WriteLedger) -> None:
        write_ledger(PLAN_HEADER + measure_block(1, status="\\u001b[2J"))
        result = run("check")
        assert result.exit_code == 1
        assert "\x1b" not in result.stdout and "\\x1b[2J" in result.stdout

    def test_no_ledger(self, run: Run) -> None:
        result = run("check")
        assert result.exit_code == 1 and "no ledger found" in result.stderr


def _read_as_before(raw: bytes, name: str) -> list[object]:
    """`check_ledger` as it read every ledger before: tomllib, then pydantic."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parse, "well_formed_data", lambda body: None)
        return list(check_ledger(raw, name))


def test_a_valid_ledger_is_checked_fast_with_the_same_warnings(tmp_path: Path) -> None:
    """A ledger valid as it stands is read by toml-rs and wellformed.py: the warnings
    are those of tomllib and pydantic's reading, and there are some to compare."""
    texts = {
        "shipped": SHIPPED.read_bytes(),
        "example": (REPO / "docs" / "examples" / "示例台账.toml").read_bytes(),
        "generated": generated_ledger(300).encode("utf-8"),
        "declared more": SHIPPED.read_bytes().replace(b"declared = 31", b"declared = 40"),
    }
    warned = 0
    for name, raw in texts.items():
        assert parse.well_formed_data(raw.decode("utf-8").removeprefix("\ufeff")) is not None
        fast = check_ledger(raw, name)
        assert fast == _read_as_before(raw, name), name
        assert all(problem.level is Level.WARNING for problem in fast)
        warned += bool(fast)
    assert warned >= 2


def test_a_ledger_in_error_is_still_checked_by_tomllib_and_pydantic() -> None:
    raw = SHIPPED.read_bytes().replace(b'status = "todo"', b'status = "finished"', 1)
    assert parse.well_formed_data(raw.decode("utf-8")) is None
    found = check_ledger(raw, "measures.toml")
    assert found == _read_as_before(raw, "measures.toml")
    assert any(problem.level is Level.ERROR and "status" in problem.message for problem in found)
