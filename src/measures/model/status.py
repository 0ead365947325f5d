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
    def deadline(self) -> date | None: ...


def is_overdue(measure: Scheduled, today: date) -> bool:
    """Open and past its deadline; an ongoing measure (no deadline) never is."""
    deadline = measure.deadline
    return deadline is not None and measure.status in OPEN and deadline < today


def days_overdue(measure: Scheduled, today: date) -> int:
    deadline = measure.deadline
    if deadline is None or not is_overdue(measure, today):
        return 0
    return (today - deadline).days
