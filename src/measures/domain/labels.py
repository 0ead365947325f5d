"""How a measure's title, status, dates and days are shown in the chosen language.

Every table, report and message goes through these, so that the choice is made
in one place: under Chinese a measure shows its `title`, statuses their office
names (未启动, 推进中, …) and dates `2020年12月31日`; under English `title_en`
(or `title` where there is none), the status values and ISO dates. Files meant
for other programs (JSON, CSV, spreadsheets) do not use these: they keep the
values as stored.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import TYPE_CHECKING

from measures.i18n import N_, _, language, ngettext
from measures.model.status import Action, Status

if TYPE_CHECKING:
    from measures.model.records import Measure

# The words of the offices, fixed: they are shown, and also accepted where a
# status is typed (`list --status 推进中`), so they live here rather than in the
# message catalogue, where a translator could change one and break the other.
# The owner of the measures that name none, in a report's groups; shown translated.
UNASSIGNED = N_("(unassigned)")

CHINESE_STATUS = {
    Status.TODO: "未启动",
    Status.DOING: "推进中",
    Status.BLOCKED: "受阻",
    Status.DONE: "已完成",
    Status.VERIFIED: "已销号",
    Status.DROPPED: "已取消",
}
CHINESE_OVERDUE = "逾期"
CHINESE_ACTION = {
    Action.ADD: "新增",
    Action.START: "启动",
    Action.BLOCK: "受阻",
    Action.DONE: "完成",
    Action.VERIFY: "销号",
    Action.DROP: "取消",
    Action.REOPEN: "重启",
    Action.EXTEND: "延期",
    Action.NOTE: "备注",
    Action.SET: "修改",
}


def display_title(measure: Measure) -> str:
    """The title to show: `title` in Chinese; in English `title_en`, else `title`."""
    if language() == "zh":
        return measure.title
    return measure.title_en or measure.title


def status_label(status: Status) -> str:
    """`doing`, or in Chinese 推进中."""
    return CHINESE_STATUS[status] if language() == "zh" else status.value


def overdue_label() -> str:
    """The word for a measure past its deadline, as a status: `overdue`, 逾期."""
    return CHINESE_OVERDUE if language() == "zh" else "overdue"


def status_list(statuses: Collection[Status]) -> str:
    """Statuses named in a sentence: `todo, doing or blocked`, 未启动、推进中或受阻."""
    names = [status_label(s) for s in Status if s in statuses]
    if len(names) == 1:
        return names[0]
    return _("{first} or {last}").format(first=_(", ").join(names[:-1]), last=names[-1])


def parse_status(text: str) -> Status | None:
    """The status `text` names, as its value (`doing`) or its Chinese name (推进中)."""
    value = text.strip()
    for status, chinese in CHINESE_STATUS.items():
        if value in (status.value, chinese):
            return status
    return None


def action_label(action: Action) -> str:
    """A log entry's action: `extend`, or in Chinese 延期."""
    return CHINESE_ACTION[action] if language() == "zh" else action.value


def format_date(day: date) -> str:
    """`2020-12-31`, or in Chinese `2020年12月31日`."""
    if language() == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def deadline_label(measure: Measure) -> str:
    """A measure's deadline as shown: in Chinese its wording (2020年年底前) where it has
    one, else the date (2020年12月31日); in English the ISO date, the wording after it in
    parentheses (`2020-12-31 (2020年年底前)`), or the wording alone for an ongoing measure."""
    deadline, text = measure.deadline, measure.deadline_text
    if deadline is None:
        return text
    if language() == "zh":
        return text or format_date(deadline)
    return f"{deadline.isoformat()} ({text})" if text else deadline.isoformat()


def format_time(moment: datetime) -> str:
    """A log entry's time: `2020-12-20T09:30:00+08:00`, or `2020年12月20日 09:30:00+08:00`."""
    if language() == "zh":
        return f"{format_date(moment.date())} {moment.isoformat().partition('T')[2]}"
    return moment.isoformat()


# How an inferred owner is marked, by language: fixed words (not the catalogue's),
# because `import` reads them back off a sheet, in either language.
INFERRED_MARKS = {"zh": "（推定）", "en": " (inferred)"}
INFERRED = "inferred"


def marked_owner(owner: str, basis: str, lang: str) -> str:
    """`区税务局`, or for an owner the ledger infers `区税务局（推定）` / `区税务局 (inferred)`.

    The one form of an owner wherever it is shown: tables, reports, exports.
    """
    if owner and basis == INFERRED:
        return owner + INFERRED_MARKS["zh" if lang == "zh" else "en"]
    return owner


def unmarked_owner(text: str) -> tuple[str, bool]:
    """An owner as a sheet shows it, read back: (`区税务局`, True) for `区税务局（推定）`."""
    stripped = text.strip()
    for mark in (*INFERRED_MARKS.values(), "(推定)", "(inferred)"):
        if stripped.endswith(mark.strip()) and len(stripped) > len(mark.strip()):
            return stripped[: -len(mark.strip())].rstrip(), True
    return text, False


def owner_text(measure: Measure) -> str:
    """A measure's owner as shown in the chosen language, marked if inferred; "" if none."""
    return marked_owner(measure.owner, measure.owner_basis, language())


def owner_label(owner: str, basis: str = "") -> str:
    """An owner as a report groups it: the name (marked if inferred), or "no owner"."""
    if owner == UNASSIGNED:
        return _(UNASSIGNED)
    return marked_owner(owner, basis, language())


def days_label(count: int) -> str:
    """A number of days, short, for a table cell: `12 d`, or in Chinese `12天`."""
    return _("{count} d").format(count=count)


def days_text(count: int) -> str:
    """A number of days in a sentence: `1 day`, `14 days`, or in Chinese `14天`."""
    return ngettext("{count} day", "{count} days", count).format(count=count)
