"""The validator without pydantic: the same records as pydantic's, or None, never another.

Set against the pydantic models on well-formed data (it must take it, and make
the same records) and on data nearly valid (a wrong type, a string for a date,
a naive time, text too long, a key missing or unknown): whatever it returns,
pydantic accepts and returns the same.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import toml_rs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from measures.domain import changes
from measures.errors import BadValue
from measures.ledger import tomledit
from measures.model import validate, wellformed
from measures.model.parse import parse_ledger
from measures.model.records import (
    MAX_DEADLINE_TEXT,
    MAX_NAME,
    MAX_TEXT,
    MAX_TITLE,
    MAX_TITLE_EN,
    Action,
    Evidence,
    Ledger,
    Measure,
    Plan,
    Status,
    as_dict,
)
from tests.conftest import REPO, SHIPPED

LEDGERS = [
    SHIPPED,
    REPO / "docs" / "examples" / "示例台账.toml",
    REPO / "src" / "measures" / "plans" / "kunqu-2020.toml",
]

# Every shape the ledger format has, in one file: a log with each kind of entry,
# evidence of both kinds, an ongoing measure, an inline measure, a plan with all its keys.
_EVERY_SHAPE = """\
[plan]
name = "测试方案"
issued = 2020-11-06
declared = 4
report_every = "month"
require_evidence = true
key = "test-1_a"
district = "包头市昆都仑区"
source = "新闻报道"
notes = "说明"
yellow_days = 0
stale_days = 3650

[[measures]]
id = 1
title = "一"
title_en = "One"
owner = "区政务服务局"
partners = ["甲", "乙"]
deadline = 2021-03-31
deadline_text = "2021年一季度"
status = "verified"
done_on = 2021-03-01
source = "原文"
owner_basis = "inferred"

[[measures.log]]
at = 2020-11-10T09:00:00+08:00
by = "wang"
action = "start"
from = "todo"
to = "doing"

[[measures.log]]
at = 2020-12-01T09:00:00.123456-05:30
action = "extend"
field = "deadline"
old = 2020-12-31
new = 2021-03-31
note = "延期"
on = 2020-11-30

[[measures.log]]
at = 2020-12-02T09:00:00Z
action = "set"
field = "partners"
old = []
new = ["甲", "乙"]

[[measures.log]]
at = 2020-12-03T09:00:00+00:00
action = "set"
field = "title"
old = "2020-12-31"
new = "一"

[[measures.log]]
at = 2021-03-01T10:00:00+08:00
action = "done"
from = "doing"
to = "done"

[[measures.log]]
at = 2021-03-02T10:00:00+08:00
action = "verify"
from = "done"
to = "verified"
evidence = [
  {path = "佐证/1.pdf", sha256 = "{SHA}"},
  {url = "https://example.org/公告?id=1"},
]

[[measures]]
id = 2
title = "二"
deadline_text = "长期坚持"
status = "doing"

[[measures]]
id = 3
title = "三"
deadline = 2020-06-30
status = "dropped"
log = [{at = 2020-06-01T08:00:00+08:00, action = "drop", from = "todo", to = "dropped"}]

[[measures]]
id = 4
title = "四"
deadline = 2020-06-30
status = "done"
done_on = 2020-06-01
""".replace("{SHA}", "0123456789abcdef" * 4)


def _sample_ledgers() -> list[tuple[str, str]]:
    found = [(path.name, path.read_text(encoding="utf-8")) for path in LEDGERS]
    return [*found, ("every shape", _EVERY_SHAPE)]


def _validate_entry(fields: dict[str, Any]) -> Any:
    return validate.entry(**fields)


def _wellformed_entry(fields: dict[str, Any]) -> Any:
    return wellformed.entry(**fields)


def _pydantic(kind: str, data: Any) -> Any:
    """What the pydantic validator makes of `data`, or None where it refuses it.

    A ValidationError, or for text that is not Unicode at times a UnicodeEncodeError
    as pydantic writes its message: both ValueErrors, as the callers catch them.
    """
    check = {
        "measure": validate.measure,
        "plan": validate.plan,
        "ledger": validate.ledger,
        "entry": _validate_entry,
    }[kind]
    try:
        return check(data)
    except ValueError:
        return None


def _fast(kind: str, data: Any) -> Any:
    check = {
        "measure": wellformed.measure,
        "plan": wellformed.plan,
        "ledger": wellformed.ledger,
        "entry": _wellformed_entry,
    }
    return check[kind](data)


def assert_agrees(kind: str, data: Any, case: str = "") -> Any:
    """The fast record, asserted None or the same as pydantic's (equal, and of the same types)."""
    fast = _fast(kind, data)
    if fast is not None:
        slow = _pydantic(kind, data)
        assert slow is not None, f"pydantic refuses what the fast validator took: {case} {data!r}"
        assert fast == slow, case
        # The same kinds of value too (a tuple, not a list; a Status; a bool, not 1).
        assert repr(fast) == repr(slow), case
    return fast


@pytest.mark.parametrize(("name", "text"), _sample_ledgers(), ids=[n for n, _ in _sample_ledgers()])
@pytest.mark.parametrize("loads", [tomllib.loads, toml_rs.loads], ids=["tomllib", "toml_rs"])
def test_the_sample_ledgers_validate_fast_to_pydantics_records(
    name: str, text: str, loads: Any
) -> None:
    data = loads(text.removeprefix("\ufeff"))
    fast = assert_agrees("ledger", data)
    assert fast is not None, name
    assert fast == validate.ledger(data)
    # And each part alone, as the write checks validate them.
    assert assert_agrees("plan", data["plan"]) == fast.plan
    for table, record in zip(data.get("measures", []), fast.measures, strict=True):
        assert assert_agrees("measure", table) == record


def test_a_ledger_of_every_shape_is_read_fast_with_all_of_it() -> None:
    ledger = wellformed.ledger(tomllib.loads(_EVERY_SHAPE))
    assert ledger is not None
    assert ledger.plan.key == "test-1_a" and ledger.plan.require_evidence is True
    first, ongoing = ledger.measures[0], ledger.measures[1]
    assert first.log[1].old == date(2020, 12, 31) and first.log[1].on == date(2020, 11, 30)
    assert first.log[2].old == () and first.log[2].new == ("甲", "乙")
    assert first.log[3].old == "2020-12-31"  # text, for a field of text
    assert first.log[5].evidence is not None and len(first.log[5].evidence) == 2
    assert ongoing.deadline is None and ongoing.deadline_text == "长期坚持"


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"title": "\x1c"}, None),  # blank to Python, not to pydantic: left to pydantic
        ({"id": 1 << 70}, None),  # an integer beyond 64 bits
        ({"partners": ("甲",)}, ("甲",)),
    ],
)
def test_a_rare_valid_form_may_be_left_to_pydantic(changes: dict[str, Any], fragment: Any) -> None:
    data = {"id": 1, "title": "一", "deadline": date(2020, 12, 31), "status": "todo", **changes}
    fast = assert_agrees("measure", data)
    assert validate.measure(data) is not None
    if fragment is None:
        assert fast is None
    else:
        assert fast is not None and fast.partners == fragment


def test_parse_ledger_still_reads_what_only_pydantic_takes() -> None:
    text = (
        '[plan]\nname = "p"\n\n[[measures]]\n'
        'id = 1\ntitle = "\\u001c"\ndeadline = 2020-12-31\nstatus = "todo"\n'
    )
    ledger = parse_ledger(text, "measures.toml")
    assert ledger.measures[0].title == "\x1c"


def test_reading_and_writing_a_valid_ledger_imports_no_pydantic(tmp_path: Path) -> None:
    """A fresh process reads the shipped ledger and writes a change: pydantic stays unloaded."""
    script = f"""
import dataclasses, sys
from measures.domain import changes
from measures.errors import BadValue
from measures.ledger import tomledit
from measures.model.parse import parse_ledger

text = open({str(SHIPPED)!r}, encoding="utf-8").read()
ledger = parse_ledger(text, "measures.toml")
assert len(ledger.measures) == 31
print("read", "pydantic" in sys.modules)
changed = ledger.replace(dataclasses.replace(ledger.measures[0], owner="区发展和改革委员会"))
added = dataclasses.replace(ledger.measures[1], id=32)
changed = dataclasses.replace(changed, measures=(*changed.measures, added))
new_text = tomledit.apply_changes(text, ledger, changed)
assert parse_ledger(new_text, "measures.toml") == changed
tomledit.edit_plan(new_text, changed.plan, dataclasses.replace(changed.plan, declared=32))
tomledit.remove_measures(new_text, changed, [32])
print("write", "pydantic" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split("\n")[:2] == ["read False", "write False"], done.stderr


def test_a_first_list_imports_no_pydantic(ledger: Path) -> None:
    """`list` on bytes with no snapshot yet (the test's cache is empty): read and validated
    on the quick path, with neither typer nor pydantic imported."""
    probe = (
        "import sys\n"
        "from measures.launcher import main\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    found = ['pydantic' in sys.modules, 'typer' in sys.modules]\n"
        "    print('imported:', *found, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "-f", str(ledger), "list", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert len(json.loads(done.stdout)) == 31
    assert done.stderr.splitlines()[-1] == "imported: False False"


def test_a_refused_write_check_still_refuses() -> None:
    """A block that does not read back as intended is still refused, fast or not."""
    ledger = parse_ledger(_EVERY_SHAPE, "measures.toml")
    table = tomllib.loads(_EVERY_SHAPE)["measures"][0]
    assert tomledit._measure_of(table) == ledger.measures[0]
    with pytest.raises(ValidationError):
        tomledit._measure_of({**table, "status": "finished"})
    with pytest.raises(ValidationError):
        tomledit._plan_of({"name": " "})


# Data made to be valid, every key right or left out; then nearly valid data, the
# same with a key or two set to a value wrong by one rule (or right in a form
# seldom seen), set to a value of any kind, deleted, or added.

AWARE = datetime(2020, 12, 20, 9, 30, tzinfo=timezone(timedelta(hours=8)))
NAIVE = datetime(2020, 12, 20, 9, 30)
SHA = "0123456789abcdef" * 4
offsets = st.sampled_from(
    [
        UTC,
        timezone(timedelta(hours=8)),
        timezone(timedelta(hours=-5, minutes=-30)),
        timezone(timedelta(hours=23, minutes=59)),
        timezone(timedelta(seconds=30)),  # not in TOML, yet aware
    ]
)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
moments = st.builds(
    lambda day, seconds, micro, zone: (
        datetime.combine(day, time(), zone) + timedelta(seconds=seconds, microseconds=micro)
    ),
    days,
    st.integers(0, 86_399),
    st.integers(0, 999_999),
    offsets,
)
# Text as TOML holds it: any character, space, quotes and control characters too.
letters = st.characters(codec="utf-8", exclude_categories=["Cs"])
texts = st.text(alphabet=letters, max_size=12) | st.sampled_from(
    ["", " ", "\u3000", "\x1c", "\n", "企业", "2020-12-31", "todo", "inferred"]
)
# Not blank by any account: a character that is no space to Python nor to pydantic.
titles = st.builds(
    lambda before, word, after: before + word + after,
    st.sampled_from(["", " ", "\u3000"]),
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Zs", "Cc"]),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(["", " ", "\n", "\x1c"]),
)
statuses = st.sampled_from([status.value for status in Status])
evidence_items = st.fixed_dictionaries(
    {
        "path": st.sampled_from(["佐证/1.pdf", "a b/c.pdf", "a/..b", "..a/b", "\x1ca"]),
        "sha256": st.just(SHA),
    }
) | st.fixed_dictionaries(
    {"url": st.sampled_from(["https://example.org/x", "http://a", "https://例子.中国/公告"])}
)
FIELD_NAMES = ["deadline", "done_on", "partners", "title", "owner", "status", "出处"]


@st.composite
def entries(draw: st.DrawFn) -> dict[str, Any]:
    """A log entry's TOML table, a field's old and new of the kind that field takes."""
    entry: dict[str, Any] = {
        "at": draw(moments),
        "action": draw(st.sampled_from([action.value for action in Action])),
    }
    if draw(st.booleans()):
        entry["by"] = draw(st.sampled_from(["wang", "王", ""]))
    if draw(st.booleans()):
        entry["from"] = draw(statuses)
    if draw(st.booleans()):
        entry["to"] = draw(statuses)
    if draw(st.booleans()):
        entry["note"] = draw(texts)
    if draw(st.booleans()):
        field = draw(st.sampled_from(FIELD_NAMES) | st.none())
        if field is not None:
            entry["field"] = field
        value = (
            days
            if field in ("deadline", "done_on")
            else st.lists(texts, max_size=3) | st.lists(texts, max_size=2).map(tuple)
            if field == "partners"
            else texts
        )
        for key in ("old", "new"):
            if draw(st.booleans()):
                entry[key] = draw(value)
    if draw(st.booleans()):
        entry["on"] = draw(days)
    if draw(st.booleans()):
        entry["evidence"] = draw(st.lists(evidence_items, max_size=2))
    return entry


@st.composite
def measures(draw: st.DrawFn) -> dict[str, Any]:
    """A measure's TOML table as a ledger holds one, its optional keys drawn or left out."""
    status = draw(statuses)
    data: dict[str, Any] = {"id": draw(st.integers(1, 10**6)), "title": draw(titles)}
    if draw(st.booleans()):
        data["deadline"] = draw(days)
        if draw(st.booleans()):
            data["deadline_text"] = draw(st.sampled_from(["2020年年底前", "上半年", ""]))
    else:
        data["deadline_text"] = draw(st.sampled_from(["长期坚持", "常态化", " 长期 "]))
    data["status"] = status
    if status in ("done", "verified"):
        data["done_on"] = draw(days)
    for key, value in (
        ("title_en", texts),
        ("owner", texts),
        ("partners", st.lists(texts, max_size=3)),
        ("source", texts),
        ("owner_basis", st.sampled_from(["", "inferred"])),
        ("log", st.lists(entries(), max_size=3)),
    ):
        if draw(st.booleans()):
            data[key] = draw(value)
    return data


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    """A plan's TOML table, its optional keys drawn or left out."""
    data: dict[str, Any] = {"name": draw(titles)}
    for key, value in (
        ("issued", days),
        ("declared", st.integers(0, 10**6)),
        ("report_every", st.sampled_from(["month", "week"]) | st.integers(1, 400)),
        ("require_evidence", st.booleans()),
        ("key", st.from_regex(r"[A-Za-z0-9_-]{1,40}", fullmatch=True)),
        ("district", texts),
        ("source", texts),
        ("notes", texts),
        ("yellow_days", st.integers(0, 3650)),
        ("stale_days", st.integers(1, 3650)),
    ):
        if draw(st.booleans()):
            data[key] = draw(value)
    return data


def long_texts(limit: int) -> list[str]:
    """Text at the limit and one past it: ASCII, Chinese, beyond the BMP, and space."""
    return [char * (limit + extra) for char in "a字😀 " for extra in (0, 1)]


# Values of any kind, the kinds a TOML parser gives and some it does not.
odd = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([1 << 63, (1 << 63) - 1, 1 << 70, 3650, 3651, -(1 << 63)]),
    st.floats(allow_nan=False, max_value=1e6, min_value=-1e6),
    st.just(float("nan")),
    texts,
    st.sampled_from(["\ud800", "a\udcff", "\x1c\x1d", "\u00a0"]),  # not Unicode; blank or not
    days,
    st.sampled_from([NAIVE, AWARE, datetime(2020, 12, 31), time(9, 30)]),
    st.lists(texts, max_size=3),
    st.lists(st.integers(), max_size=2),
    st.just(("甲", "乙")),
    st.dictionaries(st.sampled_from(["a", "id", "at", "path"]), st.integers(), max_size=2),
    st.sampled_from([*Status, *Action]),  # the enums themselves, not their text
    st.sampled_from([s.value for s in Status] + [a.value for a in Action]),
    st.sampled_from(["Done", "month", "week", "day", "Month"]),
)
SURROGATES = ["\ud800", "a\udcff字"]
NEAR_DATES = ["2020-12-31", NAIVE, AWARE, datetime(2020, 12, 31), 20201231, time(9, 30)]
NEAR_EVIDENCE: list[Any] = [
    {"path": "/etc/passwd", "sha256": SHA},
    {"path": "a/../b", "sha256": SHA},
    {"path": "..", "sha256": SHA},
    {"path": " ", "sha256": SHA},
    {"path": "\x1c", "sha256": SHA},
    {"path": "", "sha256": SHA},
    {"path": "a"},
    {"sha256": SHA},
    {"path": "a", "sha256": SHA.upper()},
    {"path": "a", "sha256": SHA[:-1]},
    {"path": "a", "sha256": SHA + "\n"},
    {"path": "a", "sha256": SHA + "0"},
    {"path": "a", "sha256": "０" + SHA[1:]},
    {"path": "a", "sha256": 1},
    {"path": 1, "sha256": SHA},
    {"url": "ftp://example.org"},
    {"url": "https://"},
    {"url": "http:/a"},
    {"url": "https://a b"},
    {"url": "https://a\n"},
    {"url": "https://a\u3000"},
    {"url": "https://a\x1c"},
    {"url": "https://\u00a0"},
    {"url": "HTTPS://a"},
    {"url": " https://a"},
    {"url": "https://a", "path": "a"},
    {"url": "https://a", "sha256": SHA},
    {"url": None, "path": "a", "sha256": SHA},
    {"url": None},
    {"url": "https://" + "a" * (MAX_TEXT - 8)},
    {"url": "https://" + "a" * (MAX_TEXT - 7)},
    {"path": "a" * MAX_TEXT, "sha256": SHA},
    {"path": "a" * (MAX_TEXT + 1), "sha256": SHA},
    {"path": "a\ud800", "sha256": SHA},
    {"url": "https://a\ud800"},
    {"path": "a", "sha256": SHA, "note": "x"},
    {},
    "https://a",
]
# For each key, values wrong by one rule, or right in a form seldom seen.
NEAR: dict[str, list[Any]] = {
    "id": [0, -1, True, 1.0, "1", 1 << 63, 1 << 70, (1 << 63) - 1, None],
    "title": ["", " ", "\u3000", "\t", "\x1c", None, *SURROGATES, *long_texts(MAX_TITLE)],
    "title_en": [None, *SURROGATES, *long_texts(MAX_TITLE_EN)],
    "owner": [None, *SURROGATES, *long_texts(MAX_NAME)],
    "partners": [
        *[[text] for text in long_texts(MAX_NAME) + SURROGATES],
        ("甲",),
        ["甲", 1],
        "甲",
        [None],
        [["甲"]],
        None,
        [],
    ],
    "deadline": [*NEAR_DATES, None],
    "deadline_text": ["", " ", "\u3000", None, *SURROGATES, *long_texts(MAX_DEADLINE_TEXT)],
    "status": ["Done", "finished", "", None, Status.DONE, "done", "todo", "dropped", 1],
    "done_on": [*NEAR_DATES, None, date(2020, 1, 1)],
    "source": [None, *SURROGATES, *long_texts(MAX_TEXT)],
    "owner_basis": ["Inferred", " ", None, "inferred ", "inferred", ""],
    "log": [None, {}, "x", [None], [{}], ({"at": AWARE, "action": "note"},), []],
    "name": ["", " ", "\x1c", None, *SURROGATES, *long_texts(MAX_TITLE)],
    "issued": [*NEAR_DATES, None],
    "declared": [-1, 0, True, 1.5, "31", 1 << 63, None],
    "report_every": [0, -1, 1, True, "day", "Month", 1 << 63, 7.0, None, "week"],
    "require_evidence": [1, 0, "true", None, False],
    "key": ["", "a:b", "a b", "a\n", "é", "a" * 40, "a" * 41, "-", "_", None, 1, "a\ud800"],
    "district": [None, *SURROGATES, *long_texts(MAX_NAME)],
    "notes": [None, *SURROGATES, *long_texts(MAX_TEXT)],
    "yellow_days": [-1, 0, 3650, 3651, True, 1.0, None],
    "stale_days": [0, 1, 3650, 3651, False, "30", None],
    "at": [NAIVE, "2020-12-20T09:30:00+08:00", date(2020, 12, 20), AWARE, None, time(9, 30)],
    "action": ["Add", "", "done ", None, "finish", Action.NOTE, "verify"],
    "by": [None, *SURROGATES, *long_texts(MAX_NAME)],
    "from": ["Todo", "", "doing", None, Status.TODO, 1],
    "from_": ["todo", "doing", None],  # the Python name, which the model also takes
    "to": ["Todo", "", "doing", None, 1],
    "note": [None, *SURROGATES, *long_texts(MAX_TEXT)],
    "field": ["deadline", "done_on", "partners", "title", None, 3, "\ud800"],
    "old": [date(2020, 1, 1), "2020-01-01", ["甲"], ("甲",), [1], [], "x", None, NAIVE, 3],
    "new": [date(2020, 1, 1), ["甲", "\ud800"], "\ud800", ["甲", None], "x", None, AWARE],
    "on": [*NEAR_DATES, None],
    "evidence": [*([item] for item in NEAR_EVIDENCE), None, [], {}, "x", ({"url": "https://a"},)],
}
MEASURE_KEYS = [
    "id", "title", "title_en", "owner", "partners", "deadline", "deadline_text",
    "status", "done_on", "source", "owner_basis", "log",
]  # fmt: skip
ENTRY_KEYS = [
    "at", "by", "action", "from", "from_", "to", "note", "field", "old", "new", "on", "evidence",
]  # fmt: skip
PLAN_KEYS = [
    "name", "issued", "declared", "report_every", "require_evidence", "key", "district",
    "source", "notes", "yellow_days", "stale_days",
]  # fmt: skip
EXTRA_KEYS = st.sampled_from(["titel", "measure", "id ", "Title", "plan", "measures", "from_"])


@st.composite
def mutated(draw: st.DrawFn, table: dict[str, Any], key: str, keys: list[str]) -> dict[str, Any]:
    """`table` with `key` set to a near or odd value, or deleted; perhaps another key too.

    A key `field/old` sets the field an entry logs and its old value together.
    """
    data = dict(table)
    for _ in range(draw(st.sampled_from([1, 1, 1, 2]))):
        choice = draw(st.sampled_from(["near", "near", "near", "odd", "delete", "extra"]))
        if "/" in key:
            field, value = key.split("/")
            data[field] = draw(st.sampled_from(FIELD_NAMES))
            data[value] = draw(st.sampled_from(NEAR[value]) | odd)
        elif choice == "near":
            data[key] = draw(st.sampled_from(NEAR[key]))
        elif choice == "odd":
            data[key] = draw(odd)
        elif choice == "delete":
            data.pop(key, None)
        else:
            data[draw(EXTRA_KEYS)] = draw(odd)
        key = draw(st.sampled_from(keys))  # the second change, if any: of any key
    return data


@st.composite
def nearly_valid_measures(draw: st.DrawFn, key: str | None = None) -> dict[str, Any]:
    """A measure with `key` wrong (an entry's key for one of its log entries), or any key."""
    data = draw(measures())
    if key is None:
        key = draw(st.sampled_from(MEASURE_KEYS + ENTRY_KEYS))
    if key in MEASURE_KEYS:
        return draw(mutated(data, key, MEASURE_KEYS))
    log = list(data.get("log") or [draw(entries())])
    index = draw(st.integers(0, len(log) - 1))
    log[index] = draw(mutated(log[index], key, ENTRY_KEYS))
    return {**data, "log": log}


def _every_near_change(
    base: dict[str, Any], keys: list[str]
) -> list[tuple[str, Any, dict[str, Any]]]:
    """`base` with each of its keys set to each near value in turn, or deleted."""
    changed = []
    for key in keys:
        changed.append((key, "deleted", {k: v for k, v in base.items() if k != key}))
        changed += [(key, value, {**base, key: value}) for value in NEAR[key]]
    return changed


_EVERY_SHAPE_DATA = tomllib.loads(_EVERY_SHAPE)


def test_each_near_value_of_each_key_is_refused_fast_or_agrees() -> None:
    """Every near value of the tables above, one key at a time: the rules one by one."""
    plan, tables = _EVERY_SHAPE_DATA["plan"], _EVERY_SHAPE_DATA["measures"]
    taken = refused = 0
    cases = [("plan", change) for change in _every_near_change(plan, PLAN_KEYS)]
    for table in tables:
        cases += [("measure", change) for change in _every_near_change(table, MEASURE_KEYS)]
        for index, entry in enumerate(table.get("log", [])):
            for key, value, changed in _every_near_change(entry, ENTRY_KEYS):
                log = [*table["log"][:index], changed, *table["log"][index + 1 :]]
                cases.append(("measure", (f"log.{key}", value, {**table, "log": log})))
            for field in FIELD_NAMES:  # each field with each kind of old and new value
                for value in NEAR["old"] + NEAR["new"]:
                    changed = {**entry, "field": field, "new": value}
                    log = [*table["log"][:index], changed, *table["log"][index + 1 :]]
                    cases.append(("measure", (f"log.{field}", value, {**table, "log": log})))
    for kind, (key, value, data) in cases:
        fast = assert_agrees(kind, data, f"{key} = {value!r}")
        taken += fast is not None
        refused += _pydantic(kind, data) is None
    # Both kinds were met: the fast validator took many, pydantic refused many.
    assert taken > 200 and refused > 200, (taken, refused)


DIFFERENTIAL = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
# Each key is set wrong in a test of its own: a rule of one key is met often enough.
NEAR_DIFFERENTIAL = settings(DIFFERENTIAL, max_examples=60)


@DIFFERENTIAL
@given(measures())
def test_a_well_formed_measure_is_validated_fast_to_pydantics_record(data: dict[str, Any]) -> None:
    assert_agrees("measure", data)
    assert _fast("measure", data) is not None, data  # what is plainly valid is taken


@pytest.mark.parametrize("key", MEASURE_KEYS + ENTRY_KEYS + ["field/old", "field/new"])
@NEAR_DIFFERENTIAL
@given(data=st.data())
def test_a_nearly_valid_measure_is_refused_fast_or_agrees(key: str, data: st.DataObject) -> None:
    assert_agrees("measure", data.draw(nearly_valid_measures(key)))


@DIFFERENTIAL
@given(plans())
def test_a_well_formed_plan_is_validated_fast_to_pydantics_record(data: dict[str, Any]) -> None:
    assert_agrees("plan", data)
    assert _fast("plan", data) is not None, data


@pytest.mark.parametrize("key", PLAN_KEYS)
@NEAR_DIFFERENTIAL
@given(data=st.data())
def test_a_nearly_valid_plan_is_refused_fast_or_agrees(key: str, data: st.DataObject) -> None:
    assert_agrees("plan", data.draw(plans().flatmap(lambda plan: mutated(plan, key, PLAN_KEYS))))


@DIFFERENTIAL
@given(
    plans(),
    st.lists(measures() | nearly_valid_measures(), max_size=4),
    st.sampled_from(["none", "duplicate", "extra", "no plan", "tuple", "odd measures"]),
)
def test_a_ledger_is_refused_fast_or_agrees(
    plan: dict[str, Any], items: list[dict[str, Any]], twist: str
) -> None:
    data: dict[str, Any] = {"plan": plan, "measures": items}
    if twist == "duplicate" and items:
        data["measures"] = [*items, dict(items[0])]
    elif twist == "extra":
        data["measure"] = []
    elif twist == "no plan":
        del data["plan"]
    elif twist == "tuple":
        data["measures"] = tuple(items)
    elif twist == "odd measures":
        data["measures"] = {"1": items}
    assert_agrees("ledger", data)


def _python_fields(table: dict[str, Any]) -> dict[str, Any]:
    """A log entry's TOML table by the Python names a write gives `validate.entry`:
    `from_`, the enums' members, `records.Evidence`. A value not of its kind is kept."""
    fields: dict[str, Any] = {}
    for key, value in table.items():
        if key == "action" and value in [a.value for a in Action]:
            value = Action(value)
        elif key in ("from", "to") and value in [s.value for s in Status]:
            value = Status(value)
        elif (
            key == "evidence"
            and isinstance(value, list)
            and all(
                isinstance(item, dict) and item.keys() <= {"path", "sha256", "url"}
                for item in value
            )
        ):
            value = tuple(Evidence(**item) for item in value)
        fields["from_" if key == "from" else key] = value
    return fields


@DIFFERENTIAL
@given(entries())
def test_a_well_formed_entry_a_write_makes_is_checked_fast_to_pydantics(
    table: dict[str, Any],
) -> None:
    """What a write builds (`changes._entry`), checked without pydantic: the same record."""
    fields = _python_fields(table)
    assert_agrees("entry", fields)
    if _pydantic("entry", fields) is not None:
        assert _fast("entry", fields) is not None, fields


@pytest.mark.parametrize("key", [*ENTRY_KEYS, "field/old", "field/new"])
@NEAR_DIFFERENTIAL
@given(data=st.data())
def test_a_nearly_valid_entry_a_write_makes_is_refused_fast_or_agrees(
    key: str, data: st.DataObject
) -> None:
    table = data.draw(entries().flatmap(lambda entry: mutated(entry, key, ENTRY_KEYS)))
    assert_agrees("entry", _python_fields(table))


@DIFFERENTIAL
@given(entries(), st.sampled_from(["as written", "at", "on", "new", "odd"]))
def test_an_entry_the_journal_recorded_is_read_fast_to_pydantics(
    table: dict[str, Any], twist: str
) -> None:
    """What `undo` reads back of the journal (`history._entry_words`): the same record,
    and what is not in the form a write records is left to pydantic or agrees."""
    written = _pydantic("entry", _python_fields(table))
    if written is None:
        return
    data = json.loads(json.dumps(as_dict(written, json=True, exclude_none=True)))
    if twist == "at":
        data["at"] = data["at"].replace("T", " ")
    elif twist == "on":
        data["on"] = "20201220"
    elif twist == "new":
        data["new"] = "2020-1-1"
    elif twist == "odd":
        data["by"] = 3
    fast = wellformed.entry_json(data)
    offset = written.at.utcoffset()
    if twist == "as written" and not (offset and offset.seconds % 60):  # as TOML and `now` write
        assert fast == written and repr(fast) == repr(written)
    if fast is not None:
        assert fast == validate.entry_json(json.dumps(data))


def test_a_write_checks_its_entry_without_pydantic() -> None:
    at = datetime(2026, 12, 2, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    made = changes._entry(
        at=at, by="王", action=Action.DONE, from_=Status.DOING, to=Status.DONE,
        note="已完成", field="done_on", new=date(2026, 12, 1),
    )  # fmt: skip
    assert made == wellformed.entry(
        at=at, by="王", action=Action.DONE, from_=Status.DOING, to=Status.DONE,
        note="已完成", field="done_on", new=date(2026, 12, 1),
    )  # fmt: skip
    assert made == validate.entry(
        at=at, by="王", action=Action.DONE, from_=Status.DOING, to=Status.DONE,
        note="已完成", field="done_on", new=date(2026, 12, 1),
    )  # fmt: skip
    # What only the model can judge is left to it, and it says what is wrong.
    assert wellformed.entry(at=at, action=Action.NOTE, note="x" * 100_000) is None
    with pytest.raises(BadValue, match="note"):
        changes._entry(at=at, action=Action.NOTE, note="x" * 100_000)


def test_the_records_are_the_record_types() -> None:
    ledger = wellformed.ledger(tomllib.loads(_EVERY_SHAPE))
    assert type(ledger) is Ledger and type(ledger.plan) is Plan
    assert all(type(measure) is Measure for measure in ledger.measures)
