"""A measure's fields by the names an office reads: 标题, 牵头单位, 完成时限, 完成日期 …

The ledger's keys (`title`, `owner`, `done_on`) are English, and stay so in the
file; the Chinese interface names a field by its office name wherever it says
which field moved or is wrong, as the command line's help already does (`--owner
TEXT 牵头单位`). Fixed here, not in the message catalogue, as the status names
are (`domain/labels.py`): they are words of the office, not of a translator.
"""

from __future__ import annotations

from measures.i18n import language

CHINESE_FIELD = {
    "id": "编号",
    "title": "标题",
    "title_en": "英文标题",
    "owner": "牵头单位",
    "partners": "配合单位",
    "deadline": "完成时限",
    "deadline_text": "完成时限原文",
    "status": "状态",
    "done_on": "完成日期",
    "source": "方案原文",
    "progress": "进展情况",
    "log": "日志",
    "name": "方案名称",
    "issued": "印发日期",
    "declared": "举措条数",
    "at": "时间",
    "by": "操作人",
    "action": "操作",
    "from": "原状态",
    "to": "新状态",
    "note": "备注",
    "field": "字段",
    "old": "原值",
    "new": "新值",
    "owner_basis": "牵头单位依据",
    "district": "所属地区",
    "notes": "说明",
}


def field_label(name: str) -> str:
    """`owner`, or in Chinese 牵头单位; a name it does not know, as it is."""
    if language() == "zh":
        return CHINESE_FIELD.get(name, name)
    return name
