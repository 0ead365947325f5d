"""The bulletin (通报) in Word: its numbers are report --format json's; A4, fonts, charts."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date
from pathlib import Path

import pytest

from measures.domain.bulletin import ledger_bulletin, rank
from measures.model import validate
from measures.render import charts

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


@pytest.fixture
def ledger_file(isolated: Path) -> Path:
    return sample(isolated)


def report_json(run: Run) -> dict:
    result = run("report", *AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_the_headline_has_the_numbers_of_the_json(
    run: Run, ledger_file: Path, isolated: Path
) -> None:
    data = report_json(run)
    assert run("--lang", "en", "report", *AS_OF, "--format", "docx", "-o", "b.docx").exit_code == 0
    text = text_of(document(isolated / "b.docx"))
    found = re.search(
        r"(\d+) measures in all: (\d+) complete, a completion rate of ([\d.]+)%, (\d+) overdue",
        text,
    )
    assert found is not None, text[:500]
    total, complete, rate, overdue = found.groups()
    assert int(total) == data["total"] and int(complete) == data["complete"]
    assert float(rate) == round(data["completion_rate"] * 100, 1)
    assert int(overdue) == len(data["overdue"])
    lights = data["lights"]
    assert (
        f"Lights: {lights['red']} red, {lights['yellow']} yellow, {lights['green']} green" in text
    )


def test_in_chinese(run: Run, ledger_file: Path, isolated: Path) -> None:
    data = report_json(run)
    result = run(
        "--lang", "zh", "report", *AS_OF, "--format", "docx", "--since", "2026-02-01",
        "-o", "通报.docx",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    doc = document(isolated / "通报.docx")
    text = text_of(doc)
    rate = f"{round(data['completion_rate'] * 100, 1):g}%"
    headline = (
        f"共{data['total']}项，已完成{data['complete']}项，完成率{rate}，"
        f"逾期{len(data['overdue'])}项"
    )
    assert headline in text
    assert "关于《某区2026年优化营商环境行动方案》落实情况的通报" in text
    ranked, late, held, completed = doc.tables
    # Ranked by completion rate: 区税务局 (1 of 2) first.
    assert ranked.rows[1].cells[1].text == "区税务局" and ranked.rows[1].cells[4].text == "50%"
    assert [row.cells[1].text for row in ranked.rows[1:]] == [row["owner"] for row in _ranked(data)]
    assert first_column(late) == [str(m["id"]) for m in data["overdue"]]
    assert first_column(held) == ["8", "2"]
    assert "市级证明事项清单尚未公布" in held.rows[1].cells[4].text
    assert "延期至2026年4月15日" in held.rows[2].cells[3].text
    assert first_column(completed) == ["4"]
    assert "2026年2月1日以来完成事项" in text
    check_page(doc)
    fonts = east_asian_fonts(doc)
    assert None not in fonts and {"仿宋_GB2312", "方正小标宋简体", "黑体"} <= fonts
    assert len(doc.inline_shapes) == (2 if charts.available() else 0)


def _ranked(data: dict) -> list[dict]:
    counted = [row for row in data["by_owner"] if row["owner"] not in data["uncounted_owners"]]
    return sorted(
        counted,
        key=lambda r: (-r["completion_rate"], -r["complete"], r["overdue"], r["owner"]),
    )


def test_since_leaves_out_what_was_completed_before(ledger_file: Path) -> None:
    ledger = validate.ledger(tomllib.loads(SAMPLE.read_text(encoding="utf-8")))
    day = date(2026, 3, 2)
    assert [m.id for m, _ in ledger_bulletin(ledger, day).completed] == [4]
    assert ledger_bulletin(ledger, day, date(2026, 2, 14)).completed == []
    bulletin = ledger_bulletin(ledger, day)
    assert bulletin.ranked == rank(bulletin.report.owners)


def test_without_the_chart_package_the_charts_are_said_missing(
    ledger_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    import docx

    from measures.render.docx_report import report_docx

    ledger = validate.ledger(tomllib.loads(SAMPLE.read_text(encoding="utf-8")))
    monkeypatch.setattr(charts, "available", lambda: False)
    doc = docx.Document(io.BytesIO(report_docx(ledger_bulletin(ledger, date(2026, 3, 2)))))
    assert len(doc.inline_shapes) == 0
    assert "resvg-py" in text_of(doc)


@pytest.mark.skipif(not charts.available(), reason="needs the optional package resvg-py")
def test_the_charts_are_png_images(ledger_file: Path) -> None:
    from measures.render.html import owners_chart

    ledger = validate.ledger(tomllib.loads(SAMPLE.read_text(encoding="utf-8")))
    png = charts.svg_png(owners_chart(ledger_bulletin(ledger, date(2026, 3, 2)).ranked))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--format", "docx"], "give --output FILE"),
        (["--format", "docx", "-o", "-"], "give --output FILE"),
        (["--format", "docx", "-o", "b.docx", "--overdue"], "--overdue"),
        (["--format", "docx", "-o", "b.docx", "--since", "2026-02-30"], "2026-02-30"),
    ],
)
def test_refused_and_nothing_written(
    run: Run, ledger_file: Path, isolated: Path, args: list[str], words: str
) -> None:
    result = run("report", *AS_OF, *args)
    assert result.exit_code == 1, result.output
    assert words in result.stderr
    assert not (isolated / "b.docx").exists()


@pytest.mark.slow
def test_the_bulletin_prints_in_chinese_through_libreoffice(
    run: Run, ledger_file: Path, isolated: Path
) -> None:
    args = ("--lang", "zh", "report", *AS_OF, "--format", "docx", "-o", "b.docx")
    assert run(*args).exit_code == 0
    compact = "".join(pdf_text(isolated / "b.docx").split())
    assert "区司法局" in compact and "落实情况的通报" in compact
    assert "清理规范涉企证明事项" in compact
