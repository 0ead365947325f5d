"""The plain-text block editor (ledger/blockedit.py) against tomlkit's, byte for byte.

blockedit either makes exactly the text that tomledit's tomlkit edit makes of
the same block, or declines (None) and leaves the block to tomlkit. Hypothesis
draws measures, writes each as a block in one of many layouts (comments, blank
lines, odd spacing, quoted keys, literal and multi-line strings, arrays over
several lines, a log inline or as tables) and changes it as the commands do and
in ways they do not; the two editors must agree. The common cases must not be
declined: every command's edit of the blocks of the shipped ledger and of a
generated one, and any plain layout in the property test.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from measures.domain import changes
from measures.errors import BadValue, Conflict
from measures.ledger import blockedit, tomledit
from measures.model import validate
from measures.model.headers import record_starts
from measures.model.records import (
    COMPLETE,
    OPEN,
    Action,
    Evidence,
    FieldValue,
    LogEntry,
    Measure,
    Status,
)

from .conftest import SHIPPED, generated_ledger, run_python

AT = datetime(2026, 7, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))
DAY = date(2026, 7, 1)
SHA = "0123456789abcdef" * 4


def by_tomlkit(body: str, before: Measure, after: Measure) -> str | None:
    """What tomledit's tomlkit edit makes of the block; None where it gives up."""
    try:
        return tomledit._edit_block_with_tomlkit(body, before, after)
    except Exception:  # _LayoutNotFollowed, or tomlkit's own error: no text either way
        return None


def by_text(body: str, before: Measure, after: Measure) -> str | None:
    """What blockedit makes of it, from the values tomledit hands over."""
    return blockedit.edit_block(
        body, before.to_toml(), tomledit._writable(after.to_toml()), tomledit._PLACE_AFTER
    )


def blocks(text: str) -> list[str]:
    """The bodies of a ledger's blocks, as tomledit cuts them."""
    starts = record_starts(text)
    ends = [*starts[1:], len(text)]
    return [tomledit._split_trailing(text[a:b])[0] for a, b in zip(starts, ends, strict=True)]


def measure_of(body: str) -> Measure:
    return validate.measure(tomllib.loads(body)["measures"][0])


def agree(body: str, before: Measure, after: Measure) -> str | None:
    """blockedit's text, after checking it is tomlkit's (or that blockedit declined)."""
    fast = by_text(body, before, after)
    slow = by_tomlkit(body, before, after)
    if slow is None:
        assert fast is None, "blockedit wrote a block tomlkit could not"
    elif fast is not None:
        assert fast == slow
    return fast


# The commands' edits, each of a measure as it stands (None where it does not apply).
COMMANDS: dict[str, Callable[[Measure], Measure | None]] = {
    "done": lambda m: changes.mark_done(m, DAY, "wang", AT, "已上线") if m.status in OPEN else None,
    "done, no note": lambda m: changes.mark_done(m, DAY, "wang", AT) if m.status in OPEN else None,
    "start": lambda m: changes.start(m, "li", AT) if m.status is Status.TODO else None,
    "note": lambda m: changes.add_note(m, '进展："一网通办"\n第二行\\备注', "zhang", AT),
    "block": lambda m: (
        changes.block(m, "资金未到位", "wang", AT, on=date(2026, 6, 30))
        if m.status in (Status.TODO, Status.DOING)
        else None
    ),
    "drop": lambda m: changes.drop(m, "任务调整", "wang", AT) if m.status in OPEN else None,
    "reopen": lambda m: changes.reopen(m, "wang", AT) if m.status not in OPEN else None,
    "verify": lambda m: (
        changes.verify(
            m,
            "chen",
            AT,
            evidence=(Evidence(path="佐证/1.pdf", sha256=SHA), Evidence(url="https://x.cn/1")),
        )
        if m.status is Status.DONE
        else None
    ),
    "extend": lambda m: (
        changes.extend(m, m.deadline + timedelta(days=90), "经批准延期", "wang", AT)
        if m.status in OPEN and m.deadline is not None
        else None
    ),
    "set title": lambda m: changes.set_fields(m, {"title": "改过的标题"}, "wang", AT),
    "set title_en": lambda m: changes.set_fields(m, {"title_en": "A new title"}, "wang", AT),
    "set owner": lambda m: changes.set_fields(m, {"owner": "区财政局"}, "wang", AT),
    "set partners": lambda m: changes.set_fields(
        m, {"partners": ("区财政局", "区税务局")}, "wang", AT
    ),
    "clear partners": lambda m: (
        changes.set_fields(m, {"partners": ()}, "wang", AT) if m.partners else None
    ),
    "set deadline": lambda m: changes.set_fields(m, {"deadline": date(2027, 3, 31)}, "wang", AT),
    "set deadline_text": lambda m: changes.set_fields(
        m, {"deadline_text": "2027年一季度"}, "wang", AT
    ),
    "set source": lambda m: changes.set_fields(m, {"source": "《方案》第3条"}, "wang", AT),
}


@pytest.mark.parametrize(
    "text",
    [SHIPPED.read_text(encoding="utf-8"), generated_ledger(120)],
    ids=["shipped", "generated"],
)
def test_the_commands_edits_of_real_blocks_are_made_as_text(text: str) -> None:
    made: dict[str, int] = dict.fromkeys(COMMANDS, 0)
    for body in blocks(text):
        before = measure_of(body)
        for name, command in COMMANDS.items():
            after = command(before)
            if after is None:
                continue
            fast = agree(body, before, after)
            assert fast is not None, f"{name} on measure {before.id} was declined"
            made[name] += 1
    # Every command was made on some block (the shipped measures are all todo, unshared).
    missing = {name for name, count in made.items() if not count}
    assert missing <= {"verify", "reopen", "clear partners"}, made
    if "generated for benchmarks" in text:
        assert not missing, made


def test_the_values_are_written_as_tomlkit_writes_them() -> None:
    import tomlkit

    values: list[Any] = [
        "",
        'quote " backslash \\ newline \n tab \t cr \r',
        "".join(chr(code) for code in range(0x20)) + "\x7f\x1b",
        "中文，“引号”、『括号』\u2028\u0085\ufeff😀",
        "'single' '''triple''' \"\"\"",
        0,
        123456,
        date(2020, 12, 31),
        datetime(2020, 12, 20, 9, 30, tzinfo=UTC),
        datetime(2020, 12, 20, 9, 30, 5, 120, tzinfo=timezone(timedelta(hours=-3, minutes=-30))),
        datetime(2020, 12, 20, 9, 30),
        [],
        ["a"],
        ["区财政局", 'x"y', "a\\b"],
        [date(2020, 1, 1), date(2021, 2, 3)],
    ]
    for value in values:
        assert blockedit.render(value) == tomlkit.item(value).as_string(), value


def test_keys_set_gained_and_lost_go_where_tomlkit_puts_them() -> None:
    body = (
        "[[measures]]\n"
        "id = 7   # 编号\n"
        "  title = '原标题'   # 单引号\n"
        'partners = ["区税务局"]\n'
        "deadline = 2020-12-31\n"
        'status="todo"\n'
        "# 说明\n"
        "\n"
        "[[measures.log]]\n"
        'at = 2020-11-10T09:00:00+08:00\naction = "add"\nto = "todo"\n'
    )
    before = measure_of(body)
    values: dict[str, FieldValue] = {
        "owner": "区财政局",
        "deadline_text": "年底前",
        "title": "新",
        "partners": (),
    }
    after = changes.set_fields(changes.mark_done(before, DAY, "wang", AT), values, "wang", AT)
    fast = agree(body, before, after)
    assert fast is not None
    # A value replaced keeps its line's indent, spacing and comment; a key lost takes
    # its line; a wording goes after its date; a key with no neighbour to follow goes
    # after the last line above the log, here a comment.
    assert fast.splitlines()[:10] == [
        "[[measures]]",
        "id = 7   # 编号",
        '  title = "新"   # 单引号',
        "deadline = 2020-12-31",
        'deadline_text = "年底前"',
        'status="done"',
        "# 说明",
        'owner = "区财政局"',
        "done_on = 2026-07-01",
        "",
    ]
    tables = fast.split("\n\n[[measures.log]]\n")
    assert len(tables) == 1 + 1 + 5  # the measure's lines; the add; the done and four sets
    assert tables[1] == 'at = 2020-11-10T09:00:00+08:00\naction = "add"\nto = "todo"'


@pytest.mark.parametrize("above", ["\n", "# 完成日期\n"])
def test_a_first_log_table_after_a_key_removed(above: str) -> None:
    """The log's blank line is not doubled where the line above the key removed is blank."""
    body = (
        '[[measures]]\nid = 1\ntitle = "一"\ndeadline = 2020-12-31\nstatus = "done"\n'
        f"{above}done_on = 2020-12-01\n"
    )
    before = measure_of(body)
    fast = agree(body, before, changes.reopen(before, "wang", AT))
    assert fast == (
        '[[measures]]\nid = 1\ntitle = "一"\ndeadline = 2020-12-31\nstatus = "todo"\n'
        + ("\n" if above == "\n" else f"{above}\n")
        + '[[measures.log]]\nat = 2026-07-01T09:30:00+08:00\nby = "wang"\naction = "reopen"\n'
        'from = "done"\nto = "todo"\nfield = "done_on"\nold = 2020-12-01\n'
    )


def test_a_decline_is_left_to_tomlkit() -> None:
    """A block with a multi-line string is declined; the write still goes through tomlkit."""
    text = (
        '[plan]\nname = "方案"\n\n[[measures]]\nid = 1\ntitle = "一"\n'
        'source = """\n多行\n[[measures]]\n"""\ndeadline = 2020-12-31\nstatus = "todo"\n'
    )
    old = validate.ledger(tomllib.loads(text))
    new = old.replace(changes.mark_done(old.measures[0], DAY, "wang", AT))
    body = blocks(text)[0]
    assert by_text(body, old.measures[0], new.measures[0]) is None
    edited = tomledit.apply_changes(text, old, new)
    assert validate.ledger(tomllib.loads(edited)) == new
    assert 'source = """\n多行\n[[measures]]\n"""\n' in edited


def test_a_done_on_the_shipped_ledger_does_not_import_tomlkit(ledger: Path) -> None:
    for ident in ("1", "2"):  # the first without a snapshot of the bytes, the second with one
        modules = ledger.parent / f"modules-{ident}.txt"
        probe = ledger.parent / "probe.py"
        probe.write_text(
            "import sys\n"
            f"sys.argv = ['measures', 'done', {ident!r}]\n"
            "from measures.launcher import main\n"
            "try:\n"
            "    main()\n"
            "finally:\n"
            f"    open({str(modules)!r}, 'w').write(repr(sorted(sys.modules)))\n",
            encoding="utf-8",
        )
        result = run_python([str(probe)], cwd=ledger.parent)
        assert result.returncode == 0, result.stderr
        imported = modules.read_text(encoding="utf-8")
        assert "'measures.ledger.blockedit'" in imported  # the write went through it
        assert "tomlkit" not in imported
    done = validate.ledger(tomllib.loads(ledger.read_text(encoding="utf-8")))
    assert [m.status for m in done.measures[:2]] == [Status.DONE, Status.DONE]


# --- the property test -------------------------------------------------------------

TRICKY = st.sampled_from(
    [
        *('"', "\\", "\n", "\t", "'", "'''", '"""', "#", "[[measures]]", "\r\n", "\x7f", "\x1b"),
        *("\x00", "中文", "区税务局", "“引号”", "\u2028", "\ufeff", "😀", " ", "="),
    ]
)
texts = st.lists(
    TRICKY | st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6),
    max_size=4,
).map("".join)
titles = texts.map(lambda text: text if text.strip() else f"{text}举措")
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
offsets = st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(-timedelta(hours=5))]) | (
    st.integers(min_value=-12 * 60, max_value=14 * 60).map(
        lambda minutes: timezone(timedelta(minutes=minutes))
    )
)
moments = st.builds(
    lambda day, seconds, micro, tz: (
        datetime.combine(day, datetime.min.time(), tz)
        + timedelta(seconds=seconds, microseconds=micro)
    ),
    dates,
    st.integers(min_value=0, max_value=86_399),
    st.sampled_from([0, 0, 0, 500_000, 123]),
    offsets,
)
# An offset with seconds (local mean time) too: tomledit writes such a time in UTC.
odd_moments = moments | st.builds(
    lambda moment: moment.replace(tzinfo=timezone(timedelta(minutes=-44, seconds=-30))), moments
)
evidence = st.lists(
    st.builds(Evidence, path=st.sampled_from(["佐证/1.pdf", 'a b/"x".pdf']), sha256=st.just(SHA))
    | st.builds(Evidence, url=st.sampled_from(["https://x.cn/1?a=b&c", "http://例子.cn/'"])),
    max_size=3,
)


@st.composite
def entries(draw: st.DrawFn, at: st.SearchStrategy[datetime] = moments) -> LogEntry:
    field = draw(st.none() | st.sampled_from(["deadline", "done_on", "partners", "title", "owner"]))
    if field in ("deadline", "done_on"):
        values: st.SearchStrategy[Any] = st.none() | dates
    elif field == "partners":
        values = st.lists(texts, max_size=3).map(tuple)
    else:
        values = st.none() | texts
    return LogEntry(
        at=draw(at),
        by=draw(texts),
        action=draw(st.sampled_from(list(Action))),
        from_=draw(st.none() | st.sampled_from(list(Status))),
        to=draw(st.none() | st.sampled_from(list(Status))),
        note=draw(st.none() | texts),
        field=field,
        old=draw(values) if field else None,
        new=draw(values) if field else None,
        on=draw(st.none() | dates),
        evidence=draw(st.none() | evidence.map(tuple)),
    )


@st.composite
def measures(draw: st.DrawFn) -> Measure:
    status = draw(st.sampled_from(list(Status)))
    deadline = draw(
        st.fixed_dictionaries({"deadline": dates})
        | st.fixed_dictionaries({"deadline": dates, "deadline_text": titles})
        | st.fixed_dictionaries({"deadline": st.none(), "deadline_text": titles})
    )
    return Measure(
        id=draw(st.integers(min_value=1, max_value=10**6)),
        title=draw(titles),
        title_en=draw(texts),
        owner=draw(texts),
        partners=tuple(draw(st.lists(texts, max_size=3))),
        **deadline,
        status=status,
        done_on=draw(dates) if status in COMPLETE else None,
        source=draw(texts),
        log=tuple(draw(st.lists(entries(), max_size=3))),
        owner_basis=draw(st.sampled_from(["", "inferred"])),
    )


@dataclass
class Writer:
    """Writes TOML values in drawn styles; `plain` while it keeps to the common layout."""

    draw: st.DrawFn
    varied: bool  # whether to draw odd styles too, not only common ones
    rare: bool  # and the styles blockedit declines (a multi-line string), now and then
    plain: bool = True

    def pick(self, *options: str, odd: tuple[str, ...] = (), rare: tuple[str, ...] = ()) -> str:
        """One of `options`, or when so drawn one of `odd` or `rare`."""
        pool = options
        if self.varied:
            pool = options + odd
        if self.rare and rare and self.draw(st.integers(min_value=0, max_value=4)) == 0:
            pool = rare
        choice = self.draw(st.sampled_from(pool))
        if choice in odd or choice in rare:
            self.plain = False
        return choice

    def string(self, text: str) -> str:
        literal_ok = not any(c == "'" or (ord(c) < 0x20 and c != "\t") or c == "\x7f" for c in text)
        multi_ok = literal_ok or all(c == "\n" or c == "\t" or c >= " " for c in text)
        style = self.pick(
            "tomlkit", "json", odd=("unicode", "literal"), rare=("multi", "multi literal")
        )
        if style == "literal" and literal_ok:
            return f"'{text}'"
        if style == "multi literal" and literal_ok and multi_ok and "\r" not in text:
            return f"'''\n{text}'''"
        if style == "multi":
            escaped = "".join(_escape(c, keep="\n\t") for c in text)
            return f'"""\n{escaped}"""'
        if style == "unicode":
            return '"' + "".join(_escape(c, wide=True) for c in text) + '"'
        if style == "json":
            return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
        rendered = blockedit.render(text)
        assert rendered is not None
        return rendered

    def value(self, value: Any) -> str:
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, datetime):
            text = value.isoformat()
            if self.draw(st.booleans()):
                text = text.replace("+00:00", "Z")
            if self.pick("T", rare=(" ",)) == " ":
                text = text.replace("T", " ")
            return text
        if isinstance(value, (date, int)):
            return value.isoformat() if isinstance(value, date) else str(value)
        if isinstance(value, list):
            items = [self.value(item) for item in value]
            layout = self.pick("tight", "spaced", odd=("trailing comma", "lines"))
            if layout == "lines":
                rows = "".join(
                    f"  {item},{self.draw(st.sampled_from(['', '  # 注']))}\n" for item in items
                )
                return f"[\n{rows}]"
            inner = (", " if layout != "tight" else ",").join(items)
            if layout == "trailing comma" and items:
                inner += ","
            return f"[ {inner} ]" if layout == "spaced" else f"[{inner}]"
        if isinstance(value, dict):
            pairs = ", ".join(f"{key} = {self.value(item)}" for key, item in value.items())
            return f"{{{pairs}}}" if self.draw(st.booleans()) else f"{{ {pairs} }}"
        raise AssertionError(value)

    def key(self, name: str) -> str:
        quoting = self.pick("bare", odd=('"', "'"))
        return name if quoting == "bare" else f"{quoting}{name}{quoting}"

    def line(self, name: str, value: Any) -> str:
        indent = self.pick("", odd=("  ", "\t"))
        sep = self.pick(" = ", odd=("=", "  =  ", "\t= "))
        after = self.draw(st.sampled_from(["", "", "   ", "  # 注释", "\t# c [x]"]))
        return f"{indent}{self.key(name)}{sep}{self.value(value)}{after}\n"

    def trivia(self) -> str:
        return self.draw(
            st.sampled_from(["", "", "", "\n", "# 注释\n", "  # x = 1\n", "\n\n", "\t\n"])
        )


def _escape(char: str, keep: str = "", wide: bool = False) -> str:
    if char in keep:
        return char
    if char in '"\\' or ord(char) < 0x20 or char == "\x7f":
        return f"\\u{ord(char):04x}" if not wide or char in "\x7f" else f"\\U{ord(char):08x}"
    return f"\\U{ord(char):08x}" if wide and ord(char) > 0x7F and ord(char) % 3 == 0 else char


@st.composite
def written(draw: st.DrawFn) -> tuple[str, bool]:
    """A measure's block in a drawn layout, and whether that layout is a common one."""
    measure = draw(measures())
    mode = draw(st.sampled_from(["plain", "varied", "varied", "rare"]))
    writer = Writer(draw, varied=mode != "plain", rare=mode == "rare")
    values = measure.to_toml()
    log = values.pop("log", [])
    keys = list(draw(st.permutations(list(values))))
    header = writer.pick("[[measures]]", rare=('[["measures"]]', "[[ measures ]]"))
    parts = [header, draw(st.sampled_from(["", "  # 举措", "   ", "\t# x\t"])), "\n"]
    # Keys at their defaults, which the record leaves out and a hand may write anyway.
    empty = {"partners": [], "deadline_text": "", "owner_basis": "", "title_en": ""}
    keys += [key for key in empty if key not in values and writer.pick("", odd=("write",))]
    for key in keys:
        parts += [writer.trivia(), writer.line(key, values.get(key, empty.get(key)))]
    if log:
        if writer.pick("tables", rare=("inline",)) == "inline":
            parts.append(writer.line("log", log))
        else:
            for entry in log:
                parts += [writer.pick("\n", odd=("", "\n\n", "# 记录\n")), "[[measures.log]]"]
                parts += [draw(st.sampled_from(["", "  # 条目"])), "\n"]
                for key, value in entry.items():
                    parts += [writer.trivia(), writer.line(key, value)]
    parts.append(draw(st.sampled_from(["", "\n# 下一条\n", "\n\n"])))
    return "".join(parts), writer.plain


@st.composite
def edits(draw: st.DrawFn, before: Measure) -> tuple[Measure, bool]:
    """`before` changed by one to three edits, and whether each was a command's."""
    after = before
    common = True
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        at = draw(st.just(AT) | moments)
        kind = draw(
            st.sampled_from(
                [
                    *("done", "start", "note", "block", "reopen", "extend", "set", "verify"),
                    *("replace", "entry"),
                ]
            )
        )
        try:
            if kind == "done" and after.status in OPEN:
                after = changes.mark_done(
                    after, draw(dates), draw(texts), at, draw(st.none() | texts)
                )
            elif kind == "start" and after.status is Status.TODO:
                after = changes.start(after, draw(texts), at, draw(st.none() | texts))
            elif kind == "note":
                after = changes.add_note(
                    after, draw(titles), draw(texts), at, draw(st.none() | dates)
                )
            elif kind == "block" and after.status in (Status.TODO, Status.DOING):
                after = changes.block(after, draw(titles), draw(texts), at)
            elif kind == "reopen" and after.status not in OPEN:
                after = changes.reopen(after, draw(texts), at)
            elif kind == "extend" and after.status in OPEN and after.deadline is not None:
                days = draw(st.integers(min_value=1, max_value=400))
                after = changes.extend(
                    after, after.deadline + timedelta(days), draw(titles), "w", at
                )
            elif kind == "verify" and after.status is Status.DONE:
                proof = tuple(draw(evidence))
                after = changes.verify(after, draw(texts), at, evidence=proof)
            elif kind == "set":
                name = draw(st.sampled_from(changes.SETTABLE))
                value: Any = {
                    "deadline": dates,
                    "partners": st.lists(texts, max_size=3).map(tuple),
                    "owner_basis": st.sampled_from(["", "inferred"]),
                    "title": titles,
                }.get(name, texts)
                after = changes.set_fields(after, {name: draw(value)}, draw(texts), at)
            elif kind == "replace":
                common = False
                name = draw(st.sampled_from(["title", "title_en", "owner", "source", "partners"]))
                new: Any = draw(
                    st.lists(texts, max_size=3).map(tuple) if name == "partners" else texts
                )
                after = replace(after, **{name: new})
            elif kind == "entry":
                common = False
                after = replace(after, log=(*after.log, draw(entries(odd_moments))))
        except (BadValue, Conflict):
            continue
    if after == before:  # no edit drawn applied: a note always does
        after = changes.add_note(after, draw(titles), "zhao", AT)
    return after, common


@settings(
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(written(), st.data())
def test_blockedit_makes_tomlkits_bytes_or_declines(
    block: tuple[str, bool], data: st.DataObject
) -> None:
    text, plain = block
    try:
        before = measure_of(text)
    except (ValueError, KeyError):  # a drawn value the model refuses (a note too long, say)
        assume(False)
        raise
    body = tomledit._split_trailing(text)[0]
    after, common = data.draw(edits(before))
    fast = agree(body, before, after)
    event("declined" if fast is None else "made as text")
    if plain and common:
        assert fast is not None, "a plain block, edited by a command, was declined"
