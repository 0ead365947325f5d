"""The vocabulary of a measure's life: its statuses, the actions logged, and lateness.

Kept apart from the records and their pydantic validators; `measures.model.records`
re-exports all of it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Protocol


class Status(StrEnum):
    TODO = "todo"
    DOING = "doing"
    BLOCKED = "blocked"
    DONE = "done"
    VERIFIED = "verified"
    DROPPED = "dropped"


OPEN = frozenset({Status.TODO, Status.DOING, Status.BLOCKED})
COMPLETE = frozenset({Status.DONE, Status.VERIFIED})


class Action(StrEnum):
    ADD = "add"
    START = "start"
    BLOCK = "block"
    DONE = "done"
    VERIFY = "verify"
    DROP = "drop"
    REOPEN = "reopen"
    EXTEND = "extend"
    NOTE = "note"
    SET = "set"


# Logged fields whose old and new values are dates; every other field's are text.
DATE_FIELDS = frozenset({"deadline", "done_on"})


class Scheduled(Protocol):
    """What lateness needs of a measure."""

    @property
    def status(self) -> Status: ...
    @property
    def deadline(self) -> date: ...


def is_overdue(measure: Scheduled, today: date) -> bool:
    return measure.status in OPEN and measure.deadline < today


def days_overdue(measure: Scheduled, today: date) -> int:
    return (today - measure.deadline).days if is_overdue(measure, today) else 0
