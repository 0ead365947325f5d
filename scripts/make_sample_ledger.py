"""Make docs/examples/示例台账.toml: a sample plan with a month of real progress.

    python scripts/make_sample_ledger.py

16 measures of a (made-up) district plan issued on 2026-01-05, several units as
lead and partner, and the log of February 2026 as the offices would have
written it with the tool: starts, progress notes, one done and verified, one
blocked, one extended, one dropped, ongoing work. Built by the tool's own core
functions (domain/changes.py) and written as `measures` writes a new ledger,
then read back through the validator: the file always validates. Deterministic:
the same bytes on every run. The documents in README.md ("Documents to send")
are made from it as of 2026-03-02.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from measures.domain import changes  # noqa: E402
from measures.ledger.tomledit import new_document  # noqa: E402
from measures.model import validate  # noqa: E402
from measures.model.records import Ledger, Measure  # noqa: E402

TARGET = REPO / "docs" / "examples" / "示例台账.toml"
CST = timezone(timedelta(hours=8))
ISSUED = date(2026, 1, 5)
OFFICE = "duchashi"  # the supervision office's clerk, as `--by`

MARKET, AFFAIRS, TAX, DEVELOP, COMMERCE, HOUSING, JUSTICE, FINANCE = (
    "区市场监督管理局",
    "区政务服务局",
    "区税务局",
    "区发展和改革委员会",
    "区商务局",
    "区住房和城乡建设局",
    "区司法局",
    "区财政局",
)

# id, title, owner, partners, deadline, wording
MEASURES: list[tuple[int, str, str, tuple[str, ...], date | None, str]] = [
    (1, "推行企业开办“一网通办”", MARKET, (AFFAIRS, TAX), date(2026, 2, 28), "2026年2月底前"),
    (2, "企业登记全程电子化", MARKET, (AFFAIRS,), date(2026, 3, 10), ""),
    (
        3,
        "压缩工程建设项目审批时限至40个工作日",
        HOUSING,
        (AFFAIRS, DEVELOP),
        date(2026, 6, 30),
        "2026年6月底前",
    ),
    (4, "推行纳税人“非接触式”办税", TAX, (), date(2026, 2, 15), ""),
    (5, "增值税留抵退税“即申即退”", TAX, (FINANCE,), date(2026, 3, 12), ""),
    (6, "为新落户企业开辟绿色通道", COMMERCE, (DEVELOP,), None, "长期坚持"),
    (
        7,
        "建立重点项目包联服务机制",
        DEVELOP,
        (COMMERCE, HOUSING),
        date(2026, 4, 30),
        "2026年4月底前",
    ),
    (8, "清理规范涉企证明事项", JUSTICE, (AFFAIRS,), date(2026, 2, 20), ""),
    (9, "政务服务事项“跨省通办”", AFFAIRS, (MARKET, TAX), date(2026, 9, 30), "2026年第三季度"),
    (10, "建设“15分钟政务服务圈”", AFFAIRS, (HOUSING,), date(2026, 12, 31), "2026年年底前"),
    (11, "涉企行政检查“综合查一次”", JUSTICE, (MARKET,), date(2026, 6, 30), "上半年"),
    (12, "政府采购项目全流程电子化", FINANCE, (AFFAIRS,), date(2026, 5, 31), ""),
    (13, "开展惠企政策“免申即享”", DEVELOP, (FINANCE, TAX), date(2026, 3, 5), ""),
    (14, "建立营商环境投诉快速处置机制", AFFAIRS, (JUSTICE,), None, "常态化推进"),
    (15, "水电气报装“一件事”联办", HOUSING, (AFFAIRS, MARKET), date(2026, 3, 31), "2026年3月底前"),
    (16, "外资企业登记“单一窗口”试点", COMMERCE, (MARKET,), date(2026, 6, 30), ""),
]


def at(day: int, hour: int = 9, month: int = 2) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=CST)


def build() -> Ledger:
    plan = validate.plan(
        {"name": "某区2026年优化营商环境行动方案", "issued": ISSUED, "declared": 16}
    )
    ledger = Ledger(plan=plan)
    added = datetime(2026, 1, 6, 9, 0, tzinfo=CST)
    for ident, title, owner, partners, deadline, wording in MEASURES:
        fields: dict[str, object] = {"id": ident, "title": title, "owner": owner}
        if partners:
            fields["partners"] = partners
        if deadline is not None:
            fields["deadline"] = deadline
        if wording:
            fields["deadline_text"] = wording
        ledger, _ = changes.add_measure(ledger, fields, OFFICE, added, "录入任务分解表")

    def change(ident: int, made: Measure) -> None:
        nonlocal ledger
        assert made.id == ident
        ledger = ledger.replace(made)

    def m(ident: int) -> Measure:
        return ledger.get(ident)

    # February: the month's work, as the units reported it.
    change(1, changes.start(m(1), "wang", at(2), "已召开部署会，明确专班"))
    change(4, changes.start(m(4), "li", at(2)))
    change(2, changes.start(m(2), "wang", at(3)))
    change(3, changes.start(m(3), "zhang", at(4), "梳理审批事项清单"))
    change(6, changes.start(m(6), "zhao", at(5)))
    change(9, changes.start(m(9), "sun", at(6)))
    change(8, changes.start(m(8), "zhou", at(9)))
    change(4, changes.add_note(m(4), "电子税务局新增“非接触式”办税事项62项", "li", at(10)))
    change(1, changes.add_note(m(1), "平台完成联调，试运行中", "wang", at(12)))
    change(4, changes.mark_done(m(4), date(2026, 2, 13), "li", at(13), "已全面推行"))
    change(11, changes.start(m(11), "zhou", at(16)))
    change(8, changes.block(m(8), "市级证明事项清单尚未公布，待市司法局统一发布", "zhou", at(17)))
    change(
        3,
        changes.add_note(m(3), "已压缩至45个工作日，正与市级系统对接", "zhang", at(18)),
    )
    change(4, changes.verify(m(4), OFFICE, at(19), "佐证材料齐全，同意销号"))
    change(
        7,
        changes.drop(m(7), "并入市级重点项目服务专班，本方案不再单列", OFFICE, at(20)),
    )
    change(15, changes.start(m(15), "zhang", at(20)))
    change(
        2,
        changes.extend(m(2), date(2026, 4, 15), "市级登记系统升级，延期上线", "wang", at(23)),
    )
    change(13, changes.start(m(13), "qian", at(24), "已梳理第一批政策清单12项"))
    change(6, changes.add_note(m(6), "本月为5家新落户企业提供全程代办", "zhao", at(26)))
    change(9, changes.add_note(m(9), "已与3个省份签订通办合作协议", "sun", at(27)))
    change(12, changes.start(m(12), "feng", at(27)))
    change(16, changes.start(m(16), "zhao", at(27)))
    change(14, changes.start(m(14), "sun", at(28, month=1)))  # silent since: yellow by March
    return ledger


def main() -> None:
    ledger = build()
    header = (
        "# A sample ledger made by scripts/make_sample_ledger.py (a made-up plan, with the\n"
        '# log of February 2026). See README.md, "Documents to send".\n\n'
    )
    text = header + new_document(ledger)
    import tomllib

    assert validate.ledger(tomllib.loads(text)) == ledger, "the sample does not read back"
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(REPO)}: {len(ledger.measures)} measures")


if __name__ == "__main__":
    main()
