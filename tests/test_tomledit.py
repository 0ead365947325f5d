from __future__ import annotations

import difflib
import tomllib
from dataclasses import replace
from datetime import UTC, date, datetime

from measures.domain.changes import mark_done
from measures.ledger.tomledit import apply_changes
from measures.model import validate
from measures.model.records import Ledger, Status

AT = datetime(2020, 12, 20, 9, 30, tzinfo=UTC)

COMMENTED = """# 台账 header comment

[plan]
name = '测试方案'   # single quotes stay single
issued = 2020-11-06

[[measures]]
id = 1
title = "一"
deadline = 2020-12-31
status = "todo"

# This comment introduces measure 2.
[[measures]]
id = 2   # the plan's own numbering
title = "二"
owner = "区税务局"
deadline = 2020-12-31
status = "todo"     # inline comment
"""


def load(text: str) -> Ledger:
    return validate.ledger(tomllib.loads(text))


def done(ledger: Ledger, ident: int) -> Ledger:
    return ledger.replace(mark_done(ledger.get(ident), date(2020, 12, 20), "wang", AT, "上线"))


def test_only_the_changed_record_moves() -> None:
    old = load(COMMENTED)
    text = apply_changes(COMMENTED, old, done(old, 1))
    assert load(text) == done(old, 1)
    before, after = COMMENTED.splitlines(), text.splitlines()
    diff = list(difflib.unified_diff(before, after, lineterm="", n=0))[2:]
    removed = [line[1:] for line in diff if line.startswith("-")]
    added = [line[1:] for line in diff if line.startswith("+")]
    assert removed == ['status = "todo"']
    assert added[:2] == ['status = "done"', "done_on = 2020-12-20"]
    # The comment that introduces measure 2 stays directly above it.
    index = after.index("# This comment introduces measure 2.")
    assert after[index + 1] == "[[measures]]"
    assert after[index + 2] == "id = 2   # the plan's own numbering"


def test_comments_inside_the_changed_record_survive() -> None:
    old = load(COMMENTED)
    text = apply_changes(COMMENTED, old, done(old, 2))
    assert 'status = "done"     # inline comment' in text
    assert "id = 2   # the plan's own numbering" in text
    assert "name = '测试方案'   # single quotes stay single" in text
    assert text.startswith("# 台账 header comment\n")
    assert load(text) == done(old, 2)


def test_a_log_entry_is_appended_after_earlier_ones() -> None:
    old = load(COMMENTED)
    once = done(old, 2)
    text = apply_changes(COMMENTED, old, once)
    reopened = once.replace(replace(once.get(2), status=Status.TODO, done_on=None))
    twice = done(reopened, 2)
    text2 = apply_changes(text, once, twice)
    assert load(text2) == twice
    assert text2.count("[[measures.log]]") == 2
    assert "done_on" in text2


def test_an_inline_array_falls_back_to_the_whole_document() -> None:
    inline = (
        "# keep me\nmeasures = [\n"
        '  {id = 1, title = "一", deadline = 2020-12-31, status = "todo"},\n]\n'
        '\n[plan]\nname = "p"\n'
    )
    old = load(inline)
    new = done(old, 1)
    text = apply_changes(inline, old, new)
    assert load(text) == new
    assert "# keep me" in text


def test_appended_measures_go_at_the_end() -> None:
    old = load(COMMENTED)
    extra = replace(old.get(1), id=3, title="三")
    new = replace(old, measures=(*old.measures, extra))
    text = apply_changes(COMMENTED, old, new)
    assert text.startswith(COMMENTED)
    assert load(text) == new


def test_the_plan_is_edited_in_place() -> None:
    from measures.ledger.tomledit import edit_plan

    old = load(COMMENTED)
    plan = replace(old.plan, name="新方案", declared=2)
    text = edit_plan(COMMENTED, old.plan, plan)
    assert load(text) == replace(old, plan=plan)
    assert "name = '新方案'   # single quotes stay single" not in text  # the value changed...
    assert "   # single quotes stay single" in text  # ...its comment did not
    after = text.split("[[measures]]", 1)[1]
    assert after == COMMENTED.split("[[measures]]", 1)[1]
    assert edit_plan(text, plan, replace(old.plan, declared=None)).count("declared") == 0


def test_the_plan_below_the_measures() -> None:
    from measures.ledger.tomledit import edit_plan

    inline = (
        "# keep me\nmeasures = [\n"
        '  {id = 1, title = "一", deadline = 2020-12-31, status = "todo"},\n]\n'
        '\n[plan]\nname = "p"\n'
    )
    old = load(inline)
    plan = replace(old.plan, declared=1)
    text = edit_plan(inline, old.plan, plan)
    assert load(text).plan == plan
    assert text.startswith("# keep me\n")


def test_removing_a_measure_takes_its_introducing_comment_along() -> None:
    from measures.ledger.tomledit import remove_measures

    old = load(COMMENTED)
    text = remove_measures(COMMENTED, old, [2])
    assert load(text) == replace(old, measures=old.measures[:1])
    assert "introduces measure 2" not in text
    assert text == COMMENTED.split("\n# This comment")[0]


def test_removing_the_first_measure_keeps_the_next_ones_comment() -> None:
    from measures.ledger.tomledit import remove_measures

    old = load(COMMENTED)
    text = remove_measures(COMMENTED, old, [1])
    assert load(text) == replace(old, measures=old.measures[1:])
    assert "issued = 2020-11-06\n\n# This comment introduces measure 2.\n[[measures]]\n" in text


def test_removing_from_an_inline_array() -> None:
    from measures.ledger.tomledit import remove_measures

    inline = (
        "# keep me\nmeasures = [\n"
        '  {id = 1, title = "一", deadline = 2020-12-31, status = "todo"},\n'
        '  {id = 2, title = "二", deadline = 2020-12-31, status = "todo"},\n]\n'
        '\n[plan]\nname = "p"\n'
    )
    old = load(inline)
    text = remove_measures(inline, old, [1])
    assert [m.id for m in load(text).measures] == [2]
    assert "# keep me" in text


def test_an_appended_measure_keeps_its_log_as_tables_and_can_be_edited() -> None:
    from measures.domain.changes import add_measure, start

    old = load(COMMENTED)
    added, measure = add_measure(old, {"title": "三", "deadline": date(2021, 1, 31)}, "li", AT)
    text = apply_changes(COMMENTED, old, added)
    assert text.startswith(COMMENTED)
    assert "[[measures.log]]" in text and "log = [" not in text
    started = added.replace(start(measure, "li", AT))
    text2 = apply_changes(text, added, started)
    assert load(text2) == started
    assert text2.count("[[measures.log]]") == 2


def test_a_log_written_as_an_inline_array_grows_inline() -> None:
    from measures.domain.changes import start

    inline_log = COMMENTED + 'log = [\n    { at = 2020-12-01T08:00:00Z, action = "note" },\n]\n'
    old = load(inline_log)
    new = old.replace(start(old.get(2), "li", AT))
    text = apply_changes(inline_log, old, new)
    assert load(text) == new
    assert "[[measures.log]]" not in text and text.count("{") == 2


def test_a_new_document_leaves_out_the_plan_keys_at_their_defaults() -> None:
    from measures.ledger.tomledit import new_document
    from measures.model.records import Ledger, Plan

    text = new_document(Ledger(plan=Plan(name="方案")))
    assert text == '[plan]\nname = "方案"\n'
    given = new_document(Ledger(plan=Plan(name="方案", district="包头市昆都仑区")))
    assert 'district = "包头市昆都仑区"' in given and "source" not in given
