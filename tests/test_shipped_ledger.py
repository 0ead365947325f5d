"""The ledger the project ships: the district plan of 2020-11-06, faithful to its source.

The source is a newspaper report, copied as it was kept into tests/files/seed.txt
(traditional characters, pinyin glosses in brackets, a few garbled characters):
every `source` in the ledger must be its words, and what the report does not give
(owners, the plan's numbering) must say it is inferred.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import openpyxl

from measures.domain.checks import Level, check_ledger
from measures.ledger.store import read_ledger
from measures.model.records import Status

from .conftest import REPO, SHIPPED, Run

SEED = Path(__file__).parent / "files" / "seed.txt"
# A pinyin gloss after a character, as the kept text has them: 區(qū), 內(nèi).
GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
# The conversions the report's sentence needs: its traditional characters, and its
# half-width punctuation as the ledger writes it (full width, as Chinese text does).
SIMPLIFIED = str.maketrans(
    {
        "個": "个", "兩": "两", "動": "动", "務": "务", "區": "区", "報": "报",
        "壓": "压", "實": "实", "將": "将", "對": "对", "廳": "厅", "戶": "户",
        "時": "时", "業": "业", "為": "为", "現": "现", "稅": "税", "稱": "称",
        "納": "纳", "綠": "绿", "網": "网", "線": "线", "編": "编", "縮": "缩",
        "聯": "联", "觸": "触", "記": "记", "請": "请", "辦": "办", "進": "进",
        "錄": "录", "鍵": "键", "開": "开", "關": "关", "電": "电", "項": "项",
        "審": "审", ",": "，", ";": "；",
    }
)  # fmt: skip
REPORTED = [1, 2, 3, 4, 5]
OWNERS = ["区市场监督管理局", "区商务局", "区税务局", "区政务服务局", "区政务服务局"]


def sentence() -> str:
    """The report's sentence that lists the commitments, glosses removed, in simplified."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    (line,) = [line for line in lines if line.startswith("按照兩")]
    text = GLOSS.sub("", line).translate(SIMPLIFIED)
    return text.split("……")[0]


def test_the_sentence_reads_as_simplified_chinese() -> None:
    text = sentence()
    assert text.startswith("按照两个《行动方案》，昆区将实行企业名称自主申报")
    # Every character of the sentence converted: none of the table's is left.
    traditional = {key for key in SIMPLIFIED if chr(key) not in "，；,;"}
    assert not [c for c in text if ord(c) in traditional]


def test_every_source_is_the_reports_words_and_no_two_share_one() -> None:
    measures = read_ledger(SHIPPED).ledger.measures
    sources = [m.source for m in measures if m.source]
    text = sentence()
    for source in sources:
        assert source in text, source
    assert len(set(sources)) == len(sources)


def test_one_measure_per_commitment_covers_the_whole_sentence() -> None:
    # The rule of the file's header: the sentence's semicolons separate its commitments,
    # each one measure, its parts (actions and their result) kept together.
    measures = read_ledger(SHIPPED).ledger.measures[:5]
    assert [m.id for m in measures] == REPORTED
    commitments = sentence().removeprefix("按照两个《行动方案》，昆区将").split("；")
    assert [m.source for m in measures] == commitments


def test_the_plan_header_and_its_provenance() -> None:
    plan = read_ledger(SHIPPED).ledger.plan
    assert plan.name == "昆区关于聚焦企业群众关切创建营商环境“最佳实践”的行动方案"
    assert plan.issued == date(2020, 11, 6)
    assert plan.declared == 31
    assert plan.district == "包头市昆都仑区"
    assert "张建芳、闫静、冯雪" in plan.source and "新闻报道" in plan.source
    assert "推定" in plan.notes and "两个《行动方案》" in plan.notes


def test_31_measures_due_within_the_year_none_started() -> None:
    measures = read_ledger(SHIPPED).ledger.measures
    assert [m.id for m in measures] == list(range(1, 32))
    assert {m.deadline for m in measures} == {date(2020, 12, 31)}
    assert {m.status for m in measures} == {Status.TODO}
    assert all(not m.log for m in measures)
    # The one deadline the report words, for the tax commitment as a whole.
    assert [(m.id, m.deadline_text) for m in measures if m.deadline_text] == [(3, "2020年年底前")]


def test_every_reported_owner_is_marked_inferred() -> None:
    measures = read_ledger(SHIPPED).ledger.measures
    assert [(m.owner, m.owner_basis) for m in measures[:5]] == [(o, "inferred") for o in OWNERS]
    assert all(m.title_en and m.source for m in measures[:5])


def test_the_placeholders_say_what_they_are() -> None:
    for measure in read_ledger(SHIPPED).ledger.measures[5:]:
        assert measure.title == "报道未公布的举措（占位）"
        assert "not published" in measure.title_en
        assert (measure.owner, measure.owner_basis, measure.source) == ("", "", "")


def test_the_file_states_its_rule_and_what_it_infers() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    header = text.split("[plan]")[0]
    assert "one measure per commitment" in header and "semicolon" in header
    assert "inferred" in header and "年内将实施" in header
    assert "not the plan's" in header


def test_the_packaged_plan_is_the_data_file() -> None:
    packaged = REPO / "src" / "measures" / "plans" / "kunqu-2020.toml"
    assert packaged.read_bytes() == SHIPPED.read_bytes()


def test_check_warns_of_each_inferred_owner(run: Run, ledger: Path) -> None:
    problems = check_ledger(ledger.read_bytes(), "measures.toml")
    inferred = [p for p in problems if " is inferred: " in p.message]
    assert {p.level for p in inferred} == {Level.WARNING}
    assert [p.where.split(",")[1].split("(")[0].strip() for p in inferred] == [
        f"measure {i}" for i in REPORTED
    ]
    out = run("--lang", "zh", "check").stdout
    assert out.count("系推定：来源未列明") == 5
    assert "第3条举措（第57行）：警告：牵头单位区税务局系推定" in out


def test_the_exported_sheet_marks_every_inferred_owner(
    run: Run, ledger: Path, isolated: Path
) -> None:
    for lang, mark in (("zh", "（推定）"), ("en", " (inferred)")):
        target = isolated / f"{lang}.xlsx"
        result = run("--lang", lang, "export", "--format", "xlsx", "-o", str(target))
        assert result.exit_code == 0, result.stderr
        sheet = openpyxl.load_workbook(target).worksheets[0]
        owner = [c.value for c in sheet[2]].index("牵头单位" if lang == "zh" else "owner")
        cells = [row[owner].value for row in sheet.iter_rows(min_row=3)]
        assert cells[:5] == [unit + mark for unit in OWNERS]
        assert cells[5:] == [None] * 26  # no owner: an empty cell, never a guess
        # Read back, the sheet changes nothing: the mark is the owner's basis.
        again = run("import", str(target))
        assert again.exit_code == 0, again.stderr
        assert ledger.read_bytes() == SHIPPED.read_bytes()
