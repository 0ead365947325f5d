"""The three-way merge of ledger texts, without git."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from measures.domain.changes import add_measure, mark_done, set_fields
from measures.domain.merge import (
    MARK_OURS,
    MARK_SPLIT,
    MARK_THEIRS,
    merge_logs,
    merge_texts,
    write_merged,
)
from measures.errors import InvalidLedger
from measures.model.parse import parse_ledger
from measures.model.records import Action, Ledger, LogEntry, Status

from .conftest import PLAN_HEADER, measure_block

CST = timezone(timedelta(hours=8))
AT = datetime(2020, 12, 20, 9, 30, tzinfo=CST)
LATER = AT + timedelta(hours=1)

BASE = (
    "# 台账 kept in git\n"
    + PLAN_HEADER
    + measure_block(1, "一")
    + "\n# Measure 2 is led jointly.\n"
    + measure_block(2, "二", owner="区税务局")
    .lstrip("\n")
    .replace('owner = "区税务局"', 'owner = "区税务局"  # lead')
    + measure_block(3, "三")
)


def edit(text: str, change: Callable[[Ledger], Ledger]) -> str:
    """The text after `change`, written the way `measures` writes it."""
    old = parse_ledger(text, "test")
    return write_merged(text, old, change(old))


def done(
    ident: int, on: date = date(2020, 12, 20), at: datetime = AT
) -> Callable[[Ledger], Ledger]:
    return lambda ledger: ledger.replace(mark_done(ledger.get(ident), on, "wang", at))


def setting(ident: int, at: datetime = LATER, **values: Any) -> Callable[[Ledger], Ledger]:
    return lambda ledger: ledger.replace(set_fields(ledger.get(ident), dict(values), "li", at))


def noting(ident: int, note: str, at: datetime, by: str = "wang") -> Callable[[Ledger], Ledger]:
    def change(ledger: Ledger) -> Ledger:
        measure = ledger.get(ident)
        entry = LogEntry(at=at, by=by, action=Action.NOTE, note=note)
        return ledger.replace(replace(measure, log=(*measure.log, entry)))

    return change


def adding(ident: int, title: str, at: datetime = AT) -> Callable[[Ledger], Ledger]:
    fields = {"id": ident, "title": title, "owner": "区财政局", "deadline": date(2021, 6, 30)}
    return lambda ledger: add_measure(ledger, fields, "li", at)[0]


def deleting(ident: int) -> Callable[[Ledger], Ledger]:
    def change(ledger: Ledger) -> Ledger:
        kept = tuple(m for m in ledger.measures if m.id != ident)
        return replace(ledger, measures=kept)

    return change


def text_without(text: str, ident: int) -> str:
    """The text with a measure cut out, as a person would do it by hand."""
    return edit(text, deleting(ident))


def resolve(text: str, side: str) -> str:
    """What a person gets by keeping one side of every conflicted section."""
    kept: list[str] = []
    keep = {"ours": True, "theirs": False}
    state = None
    for line in text.splitlines(keepends=True):
        if line == MARK_OURS:
            state = "ours"
        elif line == MARK_SPLIT and state == "ours":
            state = "theirs"
        elif line == MARK_THEIRS and state == "theirs":
            state = None
        elif state is None or keep[side] == (state == "ours"):
            kept.append(line)
    assert state is None, "unbalanced conflict markers"
    return "".join(kept)


def merged(base: str, ours: str, theirs: str) -> Ledger:
    result = merge_texts(base, ours, theirs)
    assert result.clean, [c.describe() for c in result.conflicts]
    return parse_ledger(result.text, "merged")


class TestCleanMerges:
    def test_neighbouring_measures_changed_on_each_side(self) -> None:
        ours = edit(BASE, done(1))
        theirs = edit(BASE, setting(2, owner="区财政局"))
        result = merge_texts(BASE, ours, theirs)
        assert result.clean
        ledger = parse_ledger(result.text, "merged")
        assert ledger.get(1).status is Status.DONE
        assert ledger.get(1).done_on == date(2020, 12, 20)
        assert ledger.get(2).owner == "区财政局"
        # Our text, with theirs' change made in it: comments and layout kept.
        assert result.text == edit(ours, setting(2, owner="区财政局"))
        assert result.text.startswith("# 台账 kept in git\n")
        assert "\n# Measure 2 is led jointly.\n[[measures]]\nid = 2\n" in result.text
        assert 'owner = "区财政局"  # lead' in result.text

    def test_different_fields_of_one_measure(self) -> None:
        ours = edit(BASE, done(2))
        theirs = edit(BASE, setting(2, owner="区财政局", deadline=date(2021, 3, 31)))
        measure = merged(BASE, ours, theirs).get(2)
        assert (measure.status, measure.done_on) == (Status.DONE, date(2020, 12, 20))
        assert measure.owner == "区财政局"
        assert measure.deadline == date(2021, 3, 31)
        assert [entry.action for entry in measure.log] == [Action.DONE, Action.SET, Action.SET]

    def test_the_same_change_on_both_sides(self) -> None:
        ours = edit(BASE, setting(3, owner="区财政局", at=AT))
        theirs = edit(BASE, setting(3, owner="区财政局", at=AT))
        assert ours == theirs
        assert merge_texts(BASE, ours, theirs).text == ours

    def test_the_same_status_reached_on_both_sides_keeps_both_log_entries(self) -> None:
        ours = edit(BASE, done(3, at=AT))
        theirs = edit(BASE, done(3, at=LATER))
        measure = merged(BASE, ours, theirs).get(3)
        assert measure.status is Status.DONE
        assert [entry.at for entry in measure.log] == [AT, LATER]

    def test_a_change_undone_on_one_side_stays_undone(self) -> None:
        base = edit(BASE, done(1))
        ours = BASE  # `undo` took the done and its log entry back
        theirs = edit(base, setting(2, owner="区财政局"))
        ledger = merged(base, ours, theirs)
        assert ledger.get(1).status is Status.TODO
        assert ledger.get(1).log == ()
        assert ledger.get(2).owner == "区财政局"

    def test_a_measure_added_on_theirs_is_appended(self) -> None:
        ours = edit(BASE, done(3))
        theirs = edit(BASE, adding(4, "四"))
        result = merge_texts(BASE, ours, theirs)
        assert result.clean
        assert result.text.startswith(ours)
        ledger = parse_ledger(result.text, "merged")
        assert [m.id for m in ledger.measures] == [1, 2, 3, 4]
        assert ledger.get(4).title == "四"

    def test_measures_added_on_both_sides_with_their_own_ids(self) -> None:
        ours = edit(BASE, adding(4, "四"))
        theirs = edit(BASE, adding(5, "五"))
        ledger = merged(BASE, ours, theirs)
        assert [m.id for m in ledger.measures] == [1, 2, 3, 4, 5]

    def test_the_same_measure_added_on_both_sides(self) -> None:
        ours = edit(BASE, adding(4, "四"))
        assert merge_texts(BASE, ours, ours).text == ours

    def test_the_plan_header_merges_per_field(self) -> None:
        def plan(**values: Any) -> Callable[[Ledger], Ledger]:
            return lambda ledger: replace(ledger, plan=replace(ledger.plan, **values))

        ours = edit(BASE, plan(name="新方案")).replace("[plan]\n", "[plan]  # the plan\n")
        theirs = edit(BASE, plan(declared=4))
        result = merge_texts(BASE, ours, theirs)
        assert result.clean
        ledger = parse_ledger(result.text, "merged")
        assert (ledger.plan.name, ledger.plan.declared) == ("新方案", 4)
        assert "[plan]  # the plan\n" in result.text
        assert result.text.replace("declared = 4", "declared = 3") == ours

    def test_a_measure_deleted_on_one_side_and_left_alone_on_the_other(self) -> None:
        ours = edit(BASE, done(1))
        theirs = text_without(BASE, 2)
        result = merge_texts(BASE, ours, theirs)
        assert result.clean
        ledger = parse_ledger(result.text, "merged")
        assert [m.id for m in ledger.measures] == [1, 3]
        assert ledger.get(1).status is Status.DONE
        assert "Measure 2 is led jointly" not in result.text
        assert merged(BASE, theirs, ours) == ledger

    def test_no_common_ancestor(self) -> None:
        # Git passes an empty base when the file was added on both sides.
        ours = edit(BASE, done(1))
        assert merge_texts("", ours, ours).text == ours
        clash = merge_texts("", BASE, edit(BASE, setting(1, owner="区财政局")))
        assert [c.describe() for c in clash.conflicts] == [
            'measure 1, owner: ours "区政务服务局", theirs "区财政局" (added on both sides)'
        ]

    def test_a_byte_order_mark_on_ours_is_kept(self) -> None:
        ours = "\ufeff" + edit(BASE, done(1))
        result = merge_texts(BASE, ours, edit(BASE, done(2)))
        assert result.clean
        assert result.text.startswith("\ufeff# 台账")

    def test_a_layout_the_block_scan_cannot_follow(self) -> None:
        inline = (
            "# keep me\nmeasures = [\n"
            '  {id = 1, title = "一", deadline = 2020-12-31, status = "todo"},\n'
            '  {id = 2, title = "二", deadline = 2020-12-31, status = "todo"},\n]\n'
            '\n[plan]\nname = "p"\n'
        )
        ours = edit(inline, done(1))
        theirs = edit(inline, setting(2, owner="区财政局"))
        ledger = merged(inline, ours, theirs)
        assert ledger.get(1).status is Status.DONE
        assert ledger.get(2).owner == "区财政局"


class TestLogs:
    def test_notes_on_both_sides_are_all_kept_in_time_order(self) -> None:
        first, second, third = AT, AT + timedelta(minutes=5), AT + timedelta(minutes=10)
        ours = edit(edit(BASE, noting(2, "ours 1", first)), noting(2, "ours 2", third))
        theirs = edit(BASE, noting(2, "theirs", second, by="li"))
        log = merged(BASE, ours, theirs).get(2).log
        assert [entry.note for entry in log] == ["ours 1", "theirs", "ours 2"]

    def test_time_order_across_utc_offsets(self) -> None:
        utc_earlier = datetime(2020, 12, 20, 1, 0, tzinfo=UTC)  # 09:00 in +08:00
        ours = edit(BASE, noting(2, "ours", AT))  # 09:30 +08:00
        theirs = edit(BASE, noting(2, "theirs", utc_earlier))
        log = merged(BASE, ours, theirs).get(2).log
        assert [entry.note for entry in log] == ["theirs", "ours"]

    def test_identical_entries_are_kept_once(self) -> None:
        entry = LogEntry(at=AT, by="wang", action=Action.NOTE, note="同一条")
        assert merge_logs((), (entry,), (entry,)) == (entry,)

    def test_entries_at_the_same_moment_keep_ours_first(self) -> None:
        mine = LogEntry(at=AT, by="wang", action=Action.NOTE, note="ours")
        yours = LogEntry(at=AT, by="li", action=Action.NOTE, note="theirs")
        assert merge_logs((), (mine,), (yours,)) == (mine, yours)

    def test_a_log_changed_on_one_side_only_is_taken_as_it_is(self) -> None:
        # Out of time order (a clock set wrong, say): left so unless both sides added.
        late = LogEntry(at=LATER, by="wang", action=Action.NOTE, note="late")
        early = LogEntry(at=AT, by="li", action=Action.NOTE, note="early")
        new = LogEntry(at=AT, by="zhao", action=Action.NOTE, note="new")
        assert merge_logs((late, early), (late, early), (late, early, new)) == (late, early, new)
        assert merge_logs((late,), (late, early), (late, new)) == (early, new, late)

    def test_an_entry_removed_on_either_side_stays_removed(self) -> None:
        old = LogEntry(at=AT, by="wang", action=Action.NOTE, note="old")
        new = LogEntry(at=LATER, by="li", action=Action.NOTE, note="new")
        assert merge_logs((old,), (), (old, new)) == (new,)
        assert merge_logs((old,), (old, new), ()) == (new,)


class TestConflicts:
    def test_the_same_field_changed_to_different_values(self) -> None:
        ours = edit(edit(BASE, setting(2, owner="区财政局")), done(1))
        theirs = edit(edit(BASE, setting(2, owner="区发改委")), done(3))
        result = merge_texts(BASE, ours, theirs)
        assert not result.clean
        assert [c.describe() for c in result.conflicts] == [
            'measure 2, owner: ours "区财政局", theirs "区发改委" (was "区税务局")'
        ]
        assert (
            MARK_OURS + 'owner = "区财政局"  # lead\n'
            "=======\n"
            'owner = "区发改委"  # lead\n' + MARK_THEIRS
        ) in result.text
        with pytest.raises(InvalidLedger, match="invalid TOML"):
            parse_ledger(result.text, "merged")
        # Either side of the conflict, taken whole, keeps every clean change.
        for side, owner in (("ours", "区财政局"), ("theirs", "区发改委")):
            ledger = parse_ledger(resolve(result.text, side), side)
            assert ledger.get(2).owner == owner
            assert ledger.get(1).status is Status.DONE
            assert ledger.get(3).status is Status.DONE
            assert [entry.new for entry in ledger.get(2).log] == ["区财政局", "区发改委"]

    def test_status_and_done_on_conflict_as_one(self) -> None:
        ours = edit(BASE, done(2, on=date(2020, 12, 20)))
        theirs = edit(BASE, done(2, on=date(2020, 12, 18)))
        result = merge_texts(BASE, ours, theirs)
        assert [c.describe() for c in result.conflicts] == [
            "measure 2, status: ours done (done_on 2020-12-20), "
            "theirs done (done_on 2020-12-18) (was todo)"
        ]
        assert parse_ledger(resolve(result.text, "theirs"), "x").get(2).done_on == date(
            2020, 12, 18
        )

    def test_done_against_reopened_never_mixes_status_and_done_on(self) -> None:
        base = edit(BASE, done(2))

        def reopen(ledger: Ledger) -> Ledger:
            measure = replace(ledger.get(2), status=Status.DOING, done_on=None)
            return ledger.replace(measure)

        def redate(ledger: Ledger) -> Ledger:
            measure = replace(ledger.get(2), done_on=date(2020, 12, 19))
            return ledger.replace(measure)

        ours = edit(base, reopen)
        theirs = edit(base, redate)
        result = merge_texts(base, ours, theirs)
        assert [c.field for c in result.conflicts] == ["status"]
        for side in ("ours", "theirs"):
            measure = parse_ledger(resolve(result.text, side), side).get(2)
            assert (measure.status is Status.DONE) == (measure.done_on is not None)

    def test_one_section_per_record(self) -> None:
        # done_on lands after `source`, away from the status line: still one section.
        base = PLAN_HEADER + measure_block(1, extra='source = "原文"\n') + measure_block(2)

        def start(ledger: Ledger) -> Ledger:
            return ledger.replace(replace(ledger.get(1), status=Status.DOING))

        ours = edit(base, done(1))
        theirs = edit(edit(base, start), setting(1, owner="区财政局"))
        result = merge_texts(base, ours, theirs)
        assert [c.field for c in result.conflicts] == ["status"]
        assert result.text.count(MARK_OURS) == 1
        section = result.text.split(MARK_OURS)[1].split(MARK_THEIRS)[0]
        assert 'source = "原文"\ndone_on = 2020-12-20\n' in section
        for side, status in (("ours", Status.DONE), ("theirs", Status.DOING)):
            measure = parse_ledger(resolve(result.text, side), side).get(1)
            assert (measure.status, measure.owner) == (status, "区财政局")

    def test_sections_in_different_records_stay_apart(self) -> None:
        ours = edit(BASE, setting(1, owner="区财政局", title="甲"))
        theirs = edit(BASE, setting(1, owner="区发改委", title="乙"))
        ours, theirs = edit(ours, setting(2, owner="甲局")), edit(theirs, setting(2, owner="乙局"))
        result = merge_texts(BASE, ours, theirs)
        assert [(c.measure, c.field) for c in result.conflicts] == [
            (1, "title"),
            (1, "owner"),
            (2, "owner"),
        ]
        assert result.text.count(MARK_OURS) == 2
        assert MARK_OURS + 'title = "甲"\nowner = "区财政局"\n=======\n' in result.text

    def test_added_on_both_sides_with_different_content(self) -> None:
        ours = edit(BASE, adding(4, "四"))
        theirs = edit(BASE, adding(4, "肆"))
        result = merge_texts(BASE, ours, theirs)
        assert [c.describe() for c in result.conflicts] == [
            'measure 4, title: ours "四", theirs "肆" (added on both sides)'
        ]
        assert parse_ledger(resolve(result.text, "theirs"), "x").get(4).title == "肆"

    def test_deleted_on_one_side_and_changed_on_the_other(self) -> None:
        ours = edit(BASE, setting(2, owner="区财政局"))
        theirs = text_without(BASE, 2)
        result = merge_texts(BASE, ours, theirs)
        assert [c.describe() for c in result.conflicts] == [
            "measure 2, record: changed on ours (owner, log), deleted on theirs"
        ]
        assert [m.id for m in parse_ledger(resolve(result.text, "theirs"), "x").measures] == [1, 3]
        assert parse_ledger(resolve(result.text, "ours"), "x") == parse_ledger(ours, "ours")

        result = merge_texts(BASE, theirs, ours)
        assert [c.describe() for c in result.conflicts] == [
            "measure 2, record: deleted on ours, changed on theirs (owner, log)"
        ]
        assert parse_ledger(resolve(result.text, "ours"), "x") == parse_ledger(theirs, "theirs")
        assert parse_ledger(resolve(result.text, "theirs"), "x").get(2).owner == "区财政局"

    def test_the_plan_changed_differently(self) -> None:
        def declared(count: int) -> Callable[[Ledger], Ledger]:
            return lambda ledger: replace(ledger, plan=replace(ledger.plan, declared=count))

        result = merge_texts(BASE, edit(BASE, declared(4)), edit(BASE, declared(5)))
        assert [c.describe() for c in result.conflicts] == [
            "plan, declared: ours 4, theirs 5 (was 3)"
        ]
        assert MARK_OURS + "declared = 4\n=======\ndeclared = 5\n" + MARK_THEIRS in result.text

    def test_a_conflict_on_a_last_line_without_a_newline(self) -> None:
        base = BASE.rstrip("\n")
        assert base.endswith('status = "todo"')
        ours = base.removesuffix('"todo"') + '"doing"'
        theirs = base.removesuffix('"todo"') + '"blocked"'
        result = merge_texts(base, ours, theirs)
        assert result.text.endswith(
            MARK_OURS + 'status = "doing"\n=======\nstatus = "blocked"\n' + MARK_THEIRS
        )
        assert parse_ledger(resolve(result.text, "ours"), "x").get(3).status is Status.DOING


class TestInvalidInput:
    @pytest.mark.parametrize("side", ["base", "ours", "theirs"])
    def test_a_side_that_is_not_a_ledger(self, side: str) -> None:
        texts = {"base": BASE, "ours": BASE, "theirs": BASE}
        texts[side] = BASE.replace("id = 2", "id = = 2")
        with pytest.raises(InvalidLedger, match="invalid TOML"):
            merge_texts(texts["base"], texts["ours"], texts["theirs"])

    def test_a_measure_that_breaks_the_model(self) -> None:
        theirs = BASE.replace('status = "todo"', 'status = "finished"', 1)
        with pytest.raises(InvalidLedger, match="their version, measure 1"):
            merge_texts(BASE, BASE, theirs)


# Changes a side may make to a measure; two sides making the same one (other than
# a note) to the same measure would conflict, so the property below avoids that.
KINDS = ("done", "owner", "deadline", "note")


def _change(kind: str, ident: int, side: str, at: datetime) -> Callable[[Ledger], Ledger]:
    if kind == "done":
        return done(ident, on=date(2020, 12, 20), at=at)
    if kind == "owner":
        return setting(ident, at=at, owner=f"{side}局")
    if kind == "deadline":
        return setting(ident, at=at, deadline=date(2021, 1, 31))
    return noting(ident, f"{side} note", at, by=side)


@given(
    st.sets(st.tuples(st.sampled_from(KINDS), st.integers(1, 3))),
    st.sets(st.tuples(st.sampled_from(KINDS), st.integers(1, 3))),
)
@settings(max_examples=60, deadline=None)
def test_changes_that_do_not_collide_always_merge_cleanly(
    mine: set[tuple[str, int]], yours: set[tuple[str, int]]
) -> None:
    yours = {(k, i) for k, i in yours if k == "note" or (k, i) not in mine}
    # Each side's changes in increasing time; ours on even minutes, theirs on odd.
    ours_changes = [
        _change(kind, ident, "ours", AT + timedelta(minutes=2 * n))
        for n, (kind, ident) in enumerate(sorted(mine))
    ]
    theirs_changes = [
        _change(kind, ident, "theirs", AT + timedelta(minutes=2 * n + 1))
        for n, (kind, ident) in enumerate(sorted(yours))
    ]
    ours, theirs = BASE, BASE
    for change in ours_changes:
        ours = edit(ours, change)
    for change in theirs_changes:
        theirs = edit(theirs, change)
    expected = parse_ledger(BASE, "base")
    for change in [*ours_changes, *theirs_changes]:
        expected = change(expected)
    expected = replace(
        expected,
        measures=tuple(
            replace(m, log=tuple(sorted(m.log, key=lambda e: e.at))) for m in expected.measures
        ),
    )

    assert merged(BASE, ours, theirs) == expected
    assert merged(BASE, theirs, ours) == expected
