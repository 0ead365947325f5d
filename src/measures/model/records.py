"""The ledger's records and the pure changes made to them.

Nothing here reads a file, the clock or the environment: callers pass `today`,
`now` and the user's name in.
"""

from __future__ import annotations

import contextlib
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from measures.errors import UnknownMeasure
from measures.i18n import _
from measures.model.status import (
    COMPLETE,
    DATE_FIELDS,
    OPEN,
    Action,
    Status,
    days_overdue,
    is_overdue,
)

# A TOML date, never a string that looks like one and never a date-time.
StrictDate = Annotated[date, Strict()]
StrictAware = Annotated[AwareDatetime, Strict()]
# Limits on text fields: generous for any real measure, and they keep a runaway
# value (a pasted document, a corrupted line) out of tables and reports.
MAX_TITLE = 500
MAX_TITLE_EN = MAX_TITLE * 2
MAX_NAME = 200  # owners and partners: names of units
MAX_TEXT = 10_000  # source words and notes


Title = Annotated[str, StringConstraints(max_length=MAX_TITLE, pattern=r"\S")]
TitleEn = Annotated[str, StringConstraints(max_length=MAX_TITLE_EN)]
Name = Annotated[str, StringConstraints(max_length=MAX_NAME)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]


FieldValue = StrictDate | str | tuple[str, ...]


class LogEntry(BaseModel):
    """One line of a measure's history, appended by the tool and never rewritten."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    at: StrictAware
    by: Name = ""
    action: Action
    from_: Status | None = Field(default=None, alias="from")
    to: Status | None = None
    note: Text | None = None
    # For `set` and `extend`: which field moved, and from what to what.
    field: str | None = None
    old: FieldValue | None = None
    new: FieldValue | None = None

    @field_validator("old", "new", mode="before")
    @classmethod
    def _value_of_its_field(cls, value: Any, info: ValidationInfo) -> Any:
        """A date for deadline and done_on, a list of text for partners, text for any other.

        Decided by the field, not by the value: JSON (the snapshot) writes a date
        as text, and a title may well read `2020-12-31`. A value handed on as text
        stays text: only JSON input itself would be read as a date. A value of
        the wrong kind is refused here rather than met later, when `--as-of` puts
        it back in its field.
        """
        if value is None:
            return None
        field = info.data.get("field")
        if field in DATE_FIELDS:
            if type(value) is date:
                return value
            if info.mode == "json" and isinstance(value, str):
                with contextlib.suppress(ValueError):
                    return date.fromisoformat(value)
            raise ValueError(
                _("must be a date such as 2020-12-31 for {field}, not {value}").format(
                    field=field, value=_shown(value)
                )
            )
        if field in LIST_FIELDS:
            if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
                return tuple(value)
            raise ValueError(
                _("must be a list of text for {field}, not {value}").format(
                    field=field, value=_shown(value)
                )
            )
        if not isinstance(value, str):
            if field is None:
                raise ValueError(_("must be text, not {value}").format(value=_shown(value)))
            raise ValueError(
                _("must be text for {field}, not {value}").format(field=field, value=_shown(value))
            )
        return value


def _shown(value: Any, limit: int = 60) -> str:
    """A value as it appears in an error: its repr, cut short so the error stays one line."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


# Logged fields whose old and new values are lists of text.
LIST_FIELDS = frozenset({"partners"})


class Measure(BaseModel):
    """One measure the plan promises."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[int, Strict(), Field(gt=0)]
    title: Title
    title_en: TitleEn = ""
    owner: Name = ""
    partners: tuple[Name, ...] = ()
    deadline: StrictDate
    status: Status
    done_on: StrictDate | None = None
    source: Text = ""
    log: tuple[LogEntry, ...] = ()

    @model_validator(mode="after")
    def _done_on_matches_status(self) -> Measure:
        if self.status in COMPLETE and self.done_on is None:
            raise ValueError(
                _("status is {status} but done_on is missing").format(
                    status=repr(self.status.value)
                )
            )
        if self.status not in COMPLETE and self.done_on is not None:
            raise ValueError(
                _(
                    "done_on is set but status is {status} "
                    "(done_on belongs only to done or verified measures)"
                ).format(status=repr(self.status.value))
            )
        return self

    def to_toml(self) -> dict[str, Any]:
        """The record as plain TOML values, leaving out what is empty or absent."""
        data: dict[str, Any] = _plain(self.model_dump(by_alias=True, exclude_none=True))
        for key in ("partners", "log"):
            if not data[key]:
                del data[key]
        return data


def _plain(value: Any) -> Any:
    """Enums as their strings and tuples as lists, as a TOML writer expects."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Title
    issued: StrictDate | None = None
    declared: Annotated[int, Strict(), Field(ge=0)] | None = None


class Ledger(BaseModel):
    """A plan and its measures, in file order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    plan: Plan
    measures: tuple[Measure, ...] = ()

    @model_validator(mode="after")
    def _ids_unique(self) -> Ledger:
        seen: set[int] = set()
        for measure in self.measures:
            if measure.id in seen:
                raise ValueError(
                    _("duplicate id {id}: every measure needs its own id").format(id=measure.id)
                )
            seen.add(measure.id)
        return self

    def get(self, measure_id: int) -> Measure:
        for measure in self.measures:
            if measure.id == measure_id:
                return measure
        raise UnknownMeasure(
            _("no measure has id {id}.").format(id=measure_id),
            _("See the ids with `measures list`."),
        )

    def replace(self, new: Measure) -> Ledger:
        """A ledger with the measure of the same id swapped for `new`."""
        self.get(new.id)
        measures = tuple(new if m.id == new.id else m for m in self.measures)
        return self.model_copy(update={"measures": measures})


__all__ = [
    "COMPLETE",
    "OPEN",
    "Action",
    "FieldValue",
    "Ledger",
    "LogEntry",
    "Measure",
    "Plan",
    "Status",
    "days_overdue",
    "is_overdue",
]
