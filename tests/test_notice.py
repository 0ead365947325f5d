"""The reminder notice (督办通知单): exactly a unit's red and yellow measures,
as lead unit and as partner."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from measures.domain.lights import Light
from measures.domain.notice import build_notice, file_name, units, units_to_notify
from measures.errors import BadValue
from measures.model import validate
from measures.model.records import Ledger

from .conftest import Run
from .docx_helpers import (
    AS_OF,
    SAMPLE,
    check_page,
    document,
    east_asian_fonts,
    first_column,
    pdf_text,
    sample,
    text_of,
)

DAY = date(2026, 3, 2)


@pytest.fixture
def ledger_file(isolated: Path) -> Path:
    return sample(isolated)


def sample_ledger() -> Ledger:
    return validate.ledger(tomllib.loads(SAMPLE.read_text(encoding="utf-8")))


class TestTheCore:
    def test_lead_and_partner_apart_red_first(self) -> None:
        notice = build_notice(sample_ledger(), "区政务服务局", DAY)
        assert [(i.measure.id, i.light) for i in notice.led] == [
            (10, Light.YELLOW),
            (14, Light.YELLOW),
        ]
        # Most days late first.
        assert [(i.measure.id, i.days_late) for i in notice.partnered] == [(8, 10), (1, 2)]
        assert notice.partnered[0].progress.startswith("市级证明事项清单尚未公布")
        assert notice.reply_by == date(2026, 3, 9)

    def test_exactly_the_red_and_yellow_ones(self) -> None:
        ledger = sample_ledger()
        for unit in units(ledger):
            notice = build_notice(ledger, unit, DAY)
            from measures.domain.lights import light, rules_of

            rules = rules_of(ledger.plan)
            owed_led = {
                m.id
                for m in ledger.measures
                if m.owner == unit and light(m, DAY, rules) in (Light.RED, Light.YELLOW)
            }
            owed_partner = {
                m.id
                for m in ledger.measures
                if unit in m.partners
                and m.owner != unit
                and light(m, DAY, rules) in (Light.RED, Light.YELLOW)
            }
            assert {i.measure.id for i in notice.led} == owed_led, unit
            assert {i.measure.id for i in notice.partnered} == owed_partner, unit

    def test_units_to_notify_leave_out_those_that_owe_nothing(self) -> None:
        ledger = sample_ledger()
        notified = units_to_notify(ledger, DAY)
        assert "区政务服务局" in notified and "区财政局" in notified  # 13 as partner
        assert "区商务局" not in notified  # 6 green, 7 dropped, 16 green
        assert set(notified) < set(units(ledger))

    def test_an_unknown_unit_lists_the_units(self) -> None:
        with pytest.raises(BadValue) as caught:
            build_notice(sample_ledger(), "区教育局", DAY)
        assert "'区教育局'" in caught.value.message
        assert caught.value.hint is not None and "区政务服务局" in caught.value.hint

    def test_a_part_of_one_name_is_that_unit(self) -> None:
        assert build_notice(sample_ledger(), "政务服务", DAY).unit == "区政务服务局"
        with pytest.raises(BadValue):
            build_notice(sample_ledger(), "区", DAY)  # a part of every name

    def test_file_names(self) -> None:
        assert file_name("区税务局", "docx") == "区税务局.docx"
        assert file_name("a/b", "html") == "a_b.html"


class TestTheCommand:
    def test_the_word_notice(self, run: Run, ledger_file: Path, isolated: Path) -> None:
        result = run(
            "--lang", "zh", "notice", "区政务服务局", *AS_OF, "--reply-by", "2026-03-09",
            "--number", "督办〔2026〕第3号", "--from", "区委督查室", "--output", "n.docx",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
        doc = document(isolated / "n.docx")
        text = text_of(doc)
        for words in (
            "督办通知单",
            "督办〔2026〕第3号",
            "区委督查室",
            "区政务服务局：",
            "2026年3月9日前",
        ):
            assert words in text, words
        led, partnered, reply = doc.tables
        assert first_column(led) == ["10", "14"]
        assert first_column(partnered) == ["8", "1"]
        assert [row.cells[5].text for row in led.rows[1:]] == ["黄灯", "黄灯"]
        # As partner, the lead unit too: the light moves one column on.
        assert partnered.rows[0].cells[2].text == "牵头单位"
        owners = {m.id: m.owner for m in sample_ledger().measures}
        assert [row.cells[2].text for row in partnered.rows[1:]] == [owners[8], owners[1]]
        assert [row.cells[6].text for row in partnered.rows[1:]] == ["红灯", "红灯"]
        assert partnered.rows[1].cells[3].text == "2026年2月20日"
        assert partnered.rows[2].cells[3].text == "2026年2月底前"  # the wording
        assert "承办单位意见" in reply.rows[0].cells[0].text
        check_page(doc)
        fonts = east_asian_fonts(doc)
        assert None not in fonts and "仿宋_GB2312" in fonts and "方正小标宋简体" in fonts

    def test_in_english(self, run: Run, ledger_file: Path, isolated: Path) -> None:
        result = run("--lang", "en", "notice", "区税务局", *AS_OF, "-o", "t.docx")
        assert result.exit_code == 0, result.stderr
        doc = document(isolated / "t.docx")
        assert "Supervision notice" in text_of(doc)
        led, partnered, _reply = doc.tables
        assert first_column(led) == ["5"] and first_column(partnered) == ["1", "13"]
        assert "yellow" in led.rows[1].cells[5].text

    def test_markdown_and_html_on_stdout(self, run: Run, ledger_file: Path) -> None:
        markdown = run("--lang", "zh", "notice", "区司法局", *AS_OF, "--format", "markdown")
        assert markdown.exit_code == 0, markdown.stderr
        assert (
            "# 督办通知单" in markdown.stdout and "| 8 | 清理规范涉企证明事项 |" in markdown.stdout
        )
        html = run("notice", "区司法局", *AS_OF, "--format", "html").stdout
        assert html.startswith("<!DOCTYPE html>") and 'class="red"' in html

    def test_all_writes_one_file_per_unit_that_owes(
        self, run: Run, ledger_file: Path, isolated: Path
    ) -> None:
        result = run("notice", "--all", *AS_OF, "--output-dir", "out")
        assert result.exit_code == 0, result.stderr
        wanted = units_to_notify(sample_ledger(), DAY)
        assert sorted(p.name for p in (isolated / "out").iterdir()) == sorted(
            f"{unit}.docx" for unit in wanted
        )
        assert result.stdout.splitlines() == [str(Path("out") / f"{u}.docx") for u in wanted]

    @pytest.mark.parametrize(
        ("args", "words"),
        [
            (["区教育局", "-o", "x.docx"], "no unit is named '区教育局'"),
            (["区税务局"], "give --output FILE"),
            ([], "Name one unit"),
            (["区税务局", "--all", "--output-dir", "d"], "Name one unit"),
            (["--all"], "--output-dir"),
            (["区税务局", "--output-dir", "d"], "--output-dir goes with --all"),
            (["区税务局", "-o", "x.docx", "--reply-by", "2026-03-01"], "before the notice"),
        ],
    )
    def test_refused_and_nothing_written(
        self, run: Run, ledger_file: Path, isolated: Path, args: list[str], words: str
    ) -> None:
        result = run("notice", *args, *AS_OF)
        assert result.exit_code == 1
        assert words in result.stderr
        assert not (isolated / "x.docx").exists() and not (isolated / "d").exists()

    def test_the_unknown_unit_error_lists_the_units(self, run: Run, ledger_file: Path) -> None:
        result = run("notice", "Tax", "-o", "x.docx")
        assert "'Tax'" in result.stderr and "区税务局" in result.stderr


@pytest.mark.slow
def test_the_notice_prints_in_chinese_through_libreoffice(
    run: Run, ledger_file: Path, isolated: Path
) -> None:
    assert run("--lang", "zh", "notice", "区政务服务局", *AS_OF, "-o", "n.docx").exit_code == 0
    text = pdf_text(isolated / "n.docx")
    compact = "".join(text.split())
    # A title folds in its cell: its first line holds this much of it.
    assert "区政务服务局" in compact and "清理规范涉企证明" in compact and "督办通知单" in compact
