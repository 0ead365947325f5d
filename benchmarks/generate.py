"""Deterministic ledgers of N measures, and the same measures as Taskwarrior tasks.

    python benchmarks/generate.py 10000 /tmp/m10k.toml --tasks /tmp/m10k.json
    python benchmarks/generate.py --from data/measures.toml --tasks /tmp/m31.json

The same N and seed always give the same bytes. A ledger looks like one an
office keeps: Chinese titles of varied length, about fifty lead units, deadlines
spread over 2020-2027, every status (with `done_on` where the status needs it),
a history log on about a quarter of the measures, a header comment and a few
inline comments. Statuses are drawn against a fixed day (REFERENCE_DAY), not the
clock, so the file does not change from one day to the next.

The Taskwarrior JSON (one task a measure, for `task import`) maps the owner to
`project` (so `task summary` groups by lead unit, as `measures report` does),
the deadline to `due`, done/verified to `completed` with `end`, dropped to
`deleted`, doing to a started task, blocked to the tag `blocked`, and each log
note to an annotation.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tomllib
import uuid
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

SEED = 20201106
ISSUED = date(2020, 1, 6)
REFERENCE_DAY = date(2026, 6, 30)
FIRST_DEADLINE = date(2020, 1, 1)
LAST_DEADLINE = date(2027, 12, 31)
CHINA = timezone(timedelta(hours=8))
TASK_NAMESPACE = uuid.UUID("6f1c2a4e-9b7d-4d3a-8e52-1f0a5c9d7e21")

OWNERS = (
    "区发展和改革委员会",
    "区教育局",
    "区科学技术局",
    "区工业和信息化局",
    "区公安分局",
    "区民政局",
    "区司法局",
    "区财政局",
    "区人力资源和社会保障局",
    "区自然资源分局",
    "区生态环境分局",
    "区住房和城乡建设局",
    "区交通运输局",
    "区水务局",
    "区农牧局",
    "区商务局",
    "区文化旅游体育局",
    "区卫生健康委员会",
    "区退役军人事务局",
    "区应急管理局",
    "区审计局",
    "区国有资产监督管理局",
    "区市场监督管理局",
    "区统计局",
    "区医疗保障局",
    "区城市管理综合执法局",
    "区政务服务局",
    "区税务局",
    "区信访局",
    "区机关事务服务中心",
    "区融媒体中心",
    "区投资促进中心",
    "区大数据中心",
    "区住房公积金管理中心",
    "区不动产登记中心",
    "区人民法院",
    "区人民检察院",
    "区总工会",
    "团区委",
    "区妇联",
    "区工商联",
    "区残联",
    "区消防救援大队",
    "区供电分公司",
    "区自来水公司",
    "区燃气公司",
    "区委组织部",
    "区委宣传部",
    "区委政法委",
    "区委编办",
    "各街道办事处",
)

VERBS = (
    "推行",
    "实行",
    "推进",
    "深化",
    "优化",
    "建立",
    "完善",
    "压缩",
    "开展",
    "落实",
    "加快",
    "健全",
    "探索",
    "提升",
    "规范",
    "简化",
    "推广",
    "试点",
)
SUBJECTS = (
    "企业名称自主申报",
    "企业开办“一网通办”",
    "工程建设项目审批",
    "不动产登记",
    "纳税申报",
    "跨境贸易便利化",
    "获得电力",
    "用水用气报装",
    "政府采购",
    "招标投标",
    "中小企业融资服务",
    "知识产权保护",
    "“双随机、一公开”监管",
    "政务服务“好差评”",
    "“证照分离”改革",
    "证明事项告知承诺制",
    "容缺受理",
    "帮办代办服务",
    "信用监管",
    "24小时自助服务区",
    "电子证照应用",
    "企业注销便利化",
    "涉企收费清单管理",
    "惠企政策兑现",
    "重点项目包联服务",
    "退税办理",
    "社保医保经办",
    "公积金业务",
    "人才引进服务",
    "营商环境投诉处理",
)
QUALIFIERS = (
    "全流程电子化",
    "办理时限压缩至{n}个工作日",
    "实现“最多跑一次”",
    "覆盖全区{n}个街道",
    "在全区范围内推广",
    "并建立长效机制",
    "形成可复制可推广的经验",
    "纳入年度目标考核",
    "申请材料精简{n}0%以上",
    "实现“不见面审批”",
    "做到“一窗受理、集成服务”",
    "由{n}个环节减至2个",
    "建立首问负责制",
    "按季度通报进展",
)
TRANSLATIONS = (
    "Streamline approvals",
    "One-stop online service",
    "Shorter processing times",
    "Electronic registration",
    "Credit-based supervision",
    "Faster tax refunds",
    "Better services for small firms",
)
PEOPLE = ("wang", "li", "zhang", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu")
NOTES = (
    "已完成系统部署",
    "材料已报区政府",
    "等待上级部门批复",
    "经费尚未到位",
    "已召开推进会",
    "试运行中",
    "牵头单位调整",
    "已上线运行",
    "按计划推进",
    "需配合单位提供数据",
)


def title_for(rng: random.Random) -> str:
    """A title of one to three clauses: from about six to about sixty characters."""
    clauses = rng.choices((1, 2, 3), weights=(5, 4, 1))[0]
    parts = [rng.choice(VERBS) + rng.choice(SUBJECTS)]
    for _ in range(clauses - 1):
        parts.append(rng.choice(QUALIFIERS).format(n=rng.randint(2, 9)))
    return "，".join(parts)


def status_for(rng: random.Random, deadline: date) -> str:
    """Long-past deadlines are mostly closed; future ones mostly still open."""
    if deadline < REFERENCE_DAY - timedelta(days=365):
        weights = (8, 4, 2, 30, 50, 6)
    elif deadline < REFERENCE_DAY:
        weights = (20, 20, 5, 30, 20, 5)
    else:
        weights = (55, 30, 5, 6, 2, 2)
    statuses = ("todo", "doing", "blocked", "done", "verified", "dropped")
    return rng.choices(statuses, weights=weights)[0]


def history(
    rng: random.Random, status: str, deadline: date, done_on: date | None
) -> list[dict[str, Any]]:
    """A plausible log that ends in `status`, oldest entry first."""
    day = min(deadline, done_on or REFERENCE_DAY, REFERENCE_DAY)
    day -= timedelta(days=rng.randint(60, 300))
    last = datetime.combine(day, time(0, 0), CHINA)
    entries: list[dict[str, Any]] = []

    def add(action: str, **fields: Any) -> None:
        nonlocal day, last
        day += timedelta(days=rng.randint(1, 40))
        if done_on is not None and day > done_on:
            day = done_on
        at = datetime.combine(day, time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))), CHINA)
        last = max(at, last + timedelta(minutes=30))  # oldest first, as the tool appends
        entries.append({"at": last, "by": rng.choice(PEOPLE), "action": action, **fields})

    if status != "todo":
        add("start", **{"from": "todo", "to": "doing"})
    for _ in range(rng.choices((0, 1, 2), weights=(5, 3, 1))[0]):
        add("note", note=rng.choice(NOTES))
    if rng.random() < 0.15:
        add(
            "extend",
            field="deadline",
            old=deadline - timedelta(days=rng.choice((30, 60, 90))),
            new=deadline,
            note=f"经批准延期至{deadline.year}年{deadline.month}月{deadline.day}日",
        )
    if status == "blocked":
        add("block", **{"from": "doing", "to": "blocked", "note": rng.choice(NOTES)})
    elif status in ("done", "verified"):
        add("done", **{"from": "doing", "to": "done", "note": rng.choice(NOTES)})
        if status == "verified":
            add("verify", **{"from": "done", "to": "verified"})
    elif status == "dropped":
        add("drop", **{"from": "doing", "to": "dropped", "note": "任务调整，不再实施"})
    return entries


def measures(n: int, seed: int = SEED) -> list[dict[str, Any]]:
    """N measure records as plain data, in the order of the file."""
    rng = random.Random(seed)
    span = (LAST_DEADLINE - FIRST_DEADLINE).days
    records = []
    for number in range(1, n + 1):
        deadline = FIRST_DEADLINE + timedelta(days=rng.randint(0, span))
        # Most deadlines fall at the end of a month or a quarter, as plans set them.
        if rng.random() < 0.7:
            month_end = date(deadline.year, deadline.month, 28) + timedelta(days=4)
            deadline = month_end - timedelta(days=month_end.day)
        status = status_for(rng, deadline)
        owner = "" if rng.random() < 0.02 else rng.choice(OWNERS)
        record: dict[str, Any] = {"id": number, "title": title_for(rng)}
        if rng.random() < 0.3:
            record["title_en"] = rng.choice(TRANSLATIONS)
        record["owner"] = owner
        if rng.random() < 0.4:
            record["partners"] = rng.sample(OWNERS, rng.randint(1, 3))
        record["deadline"] = deadline
        record["status"] = status
        done_on = None
        if status in ("done", "verified"):
            done_on = deadline + timedelta(days=rng.randint(-120, 45))
            done_on = min(max(done_on, ISSUED), REFERENCE_DAY)
            record["done_on"] = done_on
        if rng.random() < 0.5:
            record["source"] = f"《行动方案》第{rng.randint(1, 12)}部分第{rng.randint(1, 40)}条"
        share = 0.25 if status != "todo" else 0.05
        if rng.random() < share:
            record["log"] = history(rng, status, deadline, done_on)
        records.append(record)
    return records


def _value(value: Any) -> str:
    if isinstance(value, str):
        # A JSON string is a valid TOML basic string for text without DEL.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return str(value)


INLINE_COMMENTS = {
    "owner": "   # assigned by function",
    "deadline": "  # as set by the plan",
    "status": "  # reported at the monthly meeting",
}


def ledger_text(n: int, seed: int = SEED) -> str:
    """The TOML text of a ledger of N generated measures."""
    rng = random.Random(seed + 1)  # comments are placed apart from the records' draws
    lines = [
        "# 台账: 某市优化营商环境行动方案 (generated for benchmarks)",
        "#",
        f"# {n} measures made by benchmarks/generate.py with seed {seed}; the titles,",
        "# owners, deadlines and statuses are invented but shaped like a real ledger.",
        "",
        "[plan]",
        'name = "某市关于持续优化营商环境的行动方案"',
        f"issued = {ISSUED.isoformat()}",
        f"declared = {n}",
    ]
    for record in measures(n, seed):
        if record["id"] % 1000 == 1 and record["id"] > 1:
            lines += ["", f"# —— 第{record['id'] // 1000 + 1}批 ——"]
        lines += ["", "[[measures]]"]
        for key, value in record.items():
            if key == "log":
                continue
            comment = INLINE_COMMENTS.get(key, "") if rng.random() < 0.01 else ""
            lines.append(f"{key} = {_value(value)}{comment}")
        for entry in record.get("log", ()):
            lines += ["", "[[measures.log]]"]
            lines += [f"{key} = {_value(value)}" for key, value in entry.items()]
    return "\n".join(lines) + "\n"


def _task_time(value: date | datetime) -> str:
    """A Taskwarrior timestamp; a date becomes midnight UTC, so it shows as the same day."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0, 0), UTC)
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def task_uuid(measure_id: int) -> str:
    """The Taskwarrior uuid of a measure: the same id gives the same uuid."""
    return str(uuid.uuid5(TASK_NAMESPACE, str(measure_id)))


def ledger_to_tasks(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The measures of a parsed ledger (tomllib's output) as Taskwarrior import records."""
    issued = data.get("plan", {}).get("issued") or date(2020, 1, 1)
    tasks = []
    for record in data.get("measures", []):
        status = record["status"]
        task: dict[str, Any] = {
            "uuid": task_uuid(record["id"]),
            "description": record["title"],
            "entry": _task_time(issued),
            "due": _task_time(record["deadline"]),
            "status": "pending",
        }
        if record.get("owner"):
            task["project"] = record["owner"]
        if status in ("done", "verified"):
            task["status"] = "completed"
            task["end"] = _task_time(record["done_on"])
        elif status == "dropped":
            task["status"] = "deleted"
            task["end"] = _task_time(record["deadline"])
        elif status == "doing":
            task["start"] = _task_time(min(record["deadline"] - timedelta(days=30), REFERENCE_DAY))
        elif status == "blocked":
            task["tags"] = ["blocked"]
        annotations = [
            {"entry": _task_time(entry["at"]), "description": entry["note"]}
            for entry in record.get("log", ())
            if entry.get("note")
        ]
        if annotations:
            task["annotations"] = annotations
        tasks.append(task)
    return tasks


def tasks_json(tasks: list[dict[str, Any]]) -> str:
    return json.dumps(tasks, ensure_ascii=False, indent=1) + "\n"


def check(text: str) -> None:
    """Refuse a ledger the current `measures` model would not accept."""
    try:
        from measures.model.parse import parse_ledger
    except ImportError:
        print("measures is not installed here: the ledger was not validated", file=sys.stderr)
        return
    parse_ledger(text, "generated ledger")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, help="how many measures")
    parser.add_argument("out", nargs="?", type=Path, help="the ledger to write (TOML)")
    parser.add_argument("--tasks", type=Path, help="also write the measures as Taskwarrior JSON")
    parser.add_argument(
        "--from",
        dest="source",
        type=Path,
        help="write --tasks from this existing ledger instead of generating one",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--no-check", action="store_true", help="skip validating the ledger with measures"
    )
    args = parser.parse_args(argv)
    if args.source is not None:
        if args.tasks is None or args.n is not None:
            parser.error("--from LEDGER takes --tasks OUT.json and no N")
        data = tomllib.loads(args.source.read_text(encoding="utf-8"))
        args.tasks.write_text(tasks_json(ledger_to_tasks(data)), encoding="utf-8")
        return 0
    if args.n is None or args.out is None or args.n < 1:
        parser.error("give N (at least 1) and OUT.toml, or --from LEDGER --tasks OUT.json")
    text = ledger_text(args.n, args.seed)
    if not args.no_check:
        check(text)
    args.out.write_text(text, encoding="utf-8")
    if args.tasks is not None:
        data = tomllib.loads(text)
        args.tasks.write_text(tasks_json(ledger_to_tasks(data)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
