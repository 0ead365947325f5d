"""The labels (statuses, dates, titles) and the messages and errors, in both languages."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from measures.domain.labels import (
    CHINESE_STATUS,
    display_title,
    format_date,
    format_time,
    parse_status,
    status_label,
)
from measures.i18n import _, ngettext, set_language
from measures.model import validate
from measures.model.records import Status

from .conftest import Run


class TestLabels:
    def test_english_is_the_message_itself_and_plurals_follow_the_count(self) -> None:
        assert _("a message nobody wrote") == "a message nobody wrote"
        assert ngettext("{count} day", "{count} days", 1) == "{count} day"
        assert ngettext("{count} day", "{count} days", 2) == "{count} days"
        set_language("zh")
        assert ngettext("{count} day", "{count} days", 1) == "{count}天"
        assert ngettext("{count} day", "{count} days", 2) == "{count}天"
        assert _("a message nobody wrote") == "a message nobody wrote"

    def test_the_offices_status_names(self) -> None:
        assert CHINESE_STATUS == {
            Status.TODO: "未启动",
            Status.DOING: "推进中",
            Status.BLOCKED: "受阻",
            Status.DONE: "已完成",
            Status.VERIFIED: "已销号",
            Status.DROPPED: "已取消",
        }
        set_language("zh")
        assert [status_label(s) for s in Status] == list(CHINESE_STATUS.values())
        set_language("en")
        assert [status_label(s) for s in Status] == [s.value for s in Status]

    def test_a_status_is_typed_by_value_or_chinese_name(self) -> None:
        assert parse_status("推进中") is Status.DOING
        assert parse_status(" doing ") is Status.DOING
        assert parse_status("已销号") is Status.VERIFIED
        assert parse_status("finished") is None

    def test_dates(self) -> None:
        assert format_date(date(2020, 12, 31)) == "2020-12-31"
        set_language("zh")
        assert format_date(date(2020, 12, 31)) == "2020年12月31日"
        assert format_date(date(2021, 3, 1)) == "2021年3月1日"
        moment = datetime(2020, 12, 20, 9, 30, tzinfo=timezone(timedelta(hours=8)))
        assert format_time(moment) == "2020年12月20日 09:30:00+08:00"

    def test_titles(self) -> None:
        both = validate.measure(
            {"id": 1, "title": "企业名称自主申报", "title_en": "Self-declared names",
             "deadline": date(2020, 12, 31), "status": "todo"}
        )  # fmt: skip
        chinese_only = replace(both, title_en="")
        assert display_title(both) == "Self-declared names"
        assert display_title(chinese_only) == "企业名称自主申报"
        set_language("zh")
        assert display_title(both) == display_title(chinese_only) == "企业名称自主申报"


class TestMessages:
    """In-process, with --lang zh: what the commands say on stderr."""

    def test_status_typed_in_chinese(self, run: Run, ledger: Path) -> None:
        assert run("start", "5").exit_code == 0
        chosen = json.loads(run("list", "--status", "推进中", "--format", "json").stdout)
        assert [m["id"] for m in chosen] == [5]
        result = run("--lang", "zh", "list", "--status", "进行中")
        assert result.exit_code == 2
        assert (
            "错误：'--status' 的值无效：'进行中' 不是有效的状态；"
            "可用的状态：未启动、推进中、受阻、已完成、已销号或已取消。" in result.stderr
        )

    def test_messages(self, run: Run, ledger: Path) -> None:
        done = run("--lang", "zh", "done", "3", "7", "--on", "2020-12-20")
        assert done.stderr == "已标记完成，完成日期2020年12月20日：第3、7条。\n"
        undone = run("--lang", "zh", "undo")
        assert undone.stderr == (
            "已撤销：完成第3条（未启动 → 已完成，完成于2020年12月20日）；"
            "完成第7条（未启动 → 已完成，完成于2020年12月20日）。还可撤销更早的修改0次。\n"
        )

    def test_errors(self, run: Run, ledger: Path) -> None:
        unknown = run("--lang", "zh", "show", "99")
        assert unknown.exit_code == 1
        assert unknown.stderr == "错误：没有编号为99的举措。\n用 `measures list` 查看编号。\n"
        refused = run("--lang", "zh", "verify", "3")
        assert refused.exit_code == 1
        assert refused.stderr == (
            f"错误：{ledger}：第3条举措的状态为未启动；只有状态为已完成的举措才能销号。\n"
            "只有牵头单位已报完成的举措才能销号；请先标记完成。\n"
        )
        bad_date = run("--lang", "zh", "done", "3", "--on", "2020-02-30")
        assert bad_date.stderr == "错误：--on '2020-02-30' 是不存在的日期。\n"
