"""Property tests: whatever the model accepts, the file round-trips and edits stay local."""

from __future__ import annotations

import os
import shutil
import tempfile
import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from measures.domain.changes import mark_done, set_fields
from measures.ledger.journal import Edit, apply_edits
from measures.ledger.tomledit import apply_changes, apply_changes_spliced, new_document
from measures.model import validate
from measures.model.records import COMPLETE, Action, Ledger, LogEntry, Measure, Plan, Status

pytestmark = pytest.mark.slow

# Any text, Chinese, quotes, backslashes and control characters included.
texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
titles = texts.filter(lambda t: t.strip() != "")
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
# A deadline as plans word it, or any text that is not blank.
wordings = (
    st.sampled_from(["2020年年底前", "12月底前", "2026年第一季度", "上半年", "长期坚持"]) | titles
)
offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
moments = st.builds(
    lambda day, seconds, tz: (
        datetime.combine(day, datetime.min.time(), tz) + timedelta(seconds=seconds)
    ),
    dates,
    st.integers(min_value=0, max_value=86_399),
    offsets,
)
entries = st.builds(
    LogEntry,
    at=moments,
    by=texts,
    action=st.sampled_from(list(Action)),
    from_=st.none() | st.sampled_from(list(Status)),
    to=st.none() | st.sampled_from(list(Status)),
    note=st.none() | texts,
)


@st.composite
def measures(draw: st.DrawFn, ident: int) -> Measure:
    status = draw(st.sampled_from(list(Status)))
    return Measure(
        id=ident,
        title=draw(titles),
        title_en=draw(texts),
        owner=draw(texts),
        partners=tuple(draw(st.lists(texts, max_size=3))),
        # Dated, dated with a wording, or ongoing (no date, a wording).
        **draw(
            st.fixed_dictionaries({"deadline": dates})
            | st.fixed_dictionaries({"deadline": dates, "deadline_text": wordings})
            | st.fixed_dictionaries({"deadline": st.none(), "deadline_text": wordings})
        ),
        status=status,
        done_on=draw(dates) if status in COMPLETE else None,
        source=draw(texts),
        log=tuple(draw(st.lists(entries, max_size=3))),
    )


@st.composite
def ledgers(draw: st.DrawFn) -> Ledger:
    ids = draw(st.lists(st.integers(min_value=1, max_value=10**6), unique=True, max_size=6))
    plan = Plan(
        name=draw(titles),
        issued=draw(st.none() | dates),
        declared=draw(st.none() | st.integers(min_value=0, max_value=500)),
    )
    return Ledger(plan=plan, measures=tuple(draw(measures(ident)) for ident in ids))


def load(text: str) -> Ledger:
    return validate.ledger(tomllib.loads(text))


AT = datetime(2021, 1, 1, 8, 0, tzinfo=timezone(timedelta(hours=8)))

PROPERTY = settings(
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY
@given(ledgers())
def test_any_valid_ledger_survives_save_and_load(ledger: Ledger) -> None:
    assert load(new_document(ledger)) == ledger


@PROPERTY
@given(ledgers(), st.data())
def test_an_edit_reads_back_and_leaves_other_records_byte_for_byte(
    ledger: Ledger, data: st.DataObject
) -> None:
    if not ledger.measures:
        return
    text = new_document(ledger)
    target = data.draw(st.sampled_from(ledger.measures))
    values: dict[str, Any] = {
        "title": data.draw(titles),
        "owner": data.draw(texts),
        "deadline": data.draw(dates),
        "partners": tuple(data.draw(st.lists(texts, max_size=2))),
    }
    if data.draw(st.booleans()):
        values["deadline_text"] = data.draw(wordings)
    changed = set_fields(target, values, "li", AT, data.draw(st.none() | texts))
    if changed.status in {Status.TODO, Status.DOING, Status.BLOCKED}:
        changed = mark_done(changed, data.draw(dates), "li", AT)
    after = ledger.replace(changed)
    edited = apply_changes(text, ledger, after)
    assert load(edited) == after
    # The splices the edit reports put the old text back exactly (what undo relies on).
    again, splices = apply_changes_spliced(text, ledger, after)
    assert again == edited and splices is not None
    assert apply_edits(edited, tuple(Edit(*splice) for splice in splices)) == text
    for measure in ledger.measures:
        if measure.id != target.id:
            block = new_document(Ledger(plan=ledger.plan, measures=(measure,)))
            record = block[block.index("[[measures]]") :]
            assert record.rstrip("\n") in edited


# Commands that change the ledger; some will be refused for the measure's state,
# and a refused command writes nothing, so it is not counted for undo.
ids = st.integers(min_value=1, max_value=4).map(str)
notes = st.text(alphabet="进度说明abc 'x\"\\#[]", min_size=1, max_size=12)
commands = st.one_of(
    st.tuples(st.just("done"), ids),
    st.tuples(st.just("start"), ids),
    st.tuples(st.just("verify"), ids),
    st.tuples(st.just("reopen"), ids),
    st.tuples(st.just("block"), ids, st.just("--reason"), notes),
    st.tuples(st.just("drop"), ids, st.just("--reason"), notes),
    st.tuples(st.just("note"), ids, notes),
    st.tuples(st.just("set"), ids, st.just("--owner"), notes),
    st.tuples(st.just("extend"), ids, st.just("--to"), st.just("+30d"), st.just("--reason"), notes),
    st.tuples(
        st.just("add"),
        st.just("--title"),
        notes,
        st.just("--owner"),
        notes,
        st.just("--deadline"),
        st.just("2021-06-30"),
    ),
)


@settings(
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(commands, min_size=1, max_size=6))
def test_any_commands_then_as_many_undos_give_back_the_original_bytes(
    tmp_path: Path, script: list[tuple[str, ...]]
) -> None:
    from .conftest import SHIPPED, invoke

    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    path = folder / "measures.toml"
    shutil.copyfile(SHIPPED, path)
    original = path.read_bytes()
    written = 0
    for command in script:
        before = path.read_bytes()
        result = invoke(["--file", str(path), *command])
        assert result.exit_code in (0, 1), result.output
        if result.exit_code == 0:
            written += path.read_bytes() != before
        else:
            assert path.read_bytes() == before  # a refusal writes nothing
    for _ in range(written):
        result = invoke(["--file", str(path), "undo"])
        assert result.exit_code == 0, result.stderr
    assert path.read_bytes() == original
