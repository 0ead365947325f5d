"""The ledger the project ships: the district plan of 2020-11-06."""

from __future__ import annotations

from datetime import date

from measures.ledger.store import read_ledger
from measures.model.records import Status

from .conftest import SHIPPED

NAMED = [
    "企业名称自主申报",
    "企业登记全程电子化",
    "企业开办网上受理时限压缩至0.5天",
    "为新招商落户企业开辟绿色通道",
    "对项目进行全方位对接",
    "企业纳税“非接触式”服务",
    "纳税人线上“一表申请”",
    "纳税人线上“一键报税”",
    "编制全流程“套餐式”服务事项目录",
    "关联事项“并联办理”",
    "市民服务大厅“24小时自助办理、365天不打烊”",
]


def test_the_plan_header() -> None:
    ledger = read_ledger(SHIPPED).ledger
    assert ledger.plan.name == "昆区关于聚焦企业群众关切创建营商环境“最佳实践”的行动方案"
    assert ledger.plan.issued == date(2020, 11, 6)
    assert ledger.plan.declared == 31


def test_31_measures_due_within_the_year_none_started() -> None:
    measures = read_ledger(SHIPPED).ledger.measures
    assert [m.id for m in measures] == list(range(1, 32))
    assert {m.deadline for m in measures} == {date(2020, 12, 31)}
    assert {m.status for m in measures} == {Status.TODO}
    assert all(not m.log for m in measures)


def test_the_named_measures_in_report_order() -> None:
    measures = read_ledger(SHIPPED).ledger.measures[:11]
    assert [m.title for m in measures] == NAMED
    for measure in measures:
        assert measure.owner.startswith("区"), measure.id
        assert measure.title_en and measure.source, measure.id
        # The report's own words, without pinyin brackets or garbling.
        assert "(" not in measure.source and "□" not in measure.source


def test_the_unpublished_measures_say_so() -> None:
    for measure in read_ledger(SHIPPED).ledger.measures[11:]:
        assert "报道未公布" in measure.title
        assert "not published" in measure.title_en
        assert measure.owner == ""
        assert measure.source == ""


def test_the_file_explains_how_owners_were_chosen() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert "names no lead unit" in text
    assert "by function" in text
