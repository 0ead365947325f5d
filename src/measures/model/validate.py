"""The validators of the ledger's records: pydantic models of TOML and of user input.

Each pydantic model here checks one record (`Measure`, `LogEntry`, `Plan`,
`Ledger`) with the precise error locations and messages the commands report;
the functions below validate data and hand back the records everyone else uses,
the frozen dataclasses of `measures.model.records`. Nothing outside the model
layer uses the pydantic models themselves.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from datetime import date
from typing import Annotated, Any, Literal

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

from measures.i18n import _
from measures.model import records
from measures.model.records import (
    LIST_FIELDS,
    MAX_DEADLINE_TEXT,
    MAX_NAME,
    MAX_TEXT,
    MAX_TITLE,
    MAX_TITLE_EN,
)
from measures.model.status import COMPLETE, DATE_FIELDS, Action, Status

# A TOML date, never a string that looks like one and never a date-time.
StrictDate = Annotated[date, Strict()]
StrictAware = Annotated[AwareDatetime, Strict()]
Title = Annotated[str, StringConstraints(max_length=MAX_TITLE, pattern=r"\S")]
TitleEn = Annotated[str, StringConstraints(max_length=MAX_TITLE_EN)]
Name = Annotated[str, StringConstraints(max_length=MAX_NAME)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
DeadlineText = Annotated[str, StringConstraints(max_length=MAX_DEADLINE_TEXT)]
# A plan's key in a workspace: letters, digits, `_` and `-`, no colon (it ends `KEY:ID`).
PlanKey = Annotated[str, StringConstraints(max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]


_FieldValue = StrictDate | str | tuple[str, ...]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Url = Annotated[str, StringConstraints(max_length=MAX_TEXT, pattern=r"^https?://\S+$")]
EvidencePath = Annotated[str, StringConstraints(max_length=MAX_TEXT, pattern=r"\S")]


class Evidence(BaseModel):
    """A file the sign-off rests on, by its path and hash, or a URL: one or the other."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: EvidencePath | None = None
    sha256: Sha256 | None = None
    url: Url | None = None

    @model_validator(mode="after")
    def _file_or_url(self) -> Evidence:
        if self.url is not None:
            if self.path is not None or self.sha256 is not None:
                raise ValueError(_("evidence is a file (path and sha256) or a url, not both"))
        elif self.path is None or self.sha256 is None:
            raise ValueError(_("evidence needs a path and its sha256, or a url"))
        elif self.path.startswith("/") or ".." in self.path.split("/"):
            raise ValueError(
                _("evidence path {path} must be inside the ledger's folder").format(
                    path=repr(self.path)
                )
            )
        return self


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
    old: _FieldValue | None = None
    new: _FieldValue | None = None
    on: StrictDate | None = None
    evidence: tuple[Evidence, ...] | None = None

    @field_validator("on", mode="before")
    @classmethod
    def _on_from_json(cls, value: Any, info: ValidationInfo) -> Any:
        """A day read back from JSON (the journal) is text: a date again here."""
        if info.mode == "json" and isinstance(value, str):
            with contextlib.suppress(ValueError):
                return date.fromisoformat(value)
        return value

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


class Measure(BaseModel):
    """One measure the plan promises."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[int, Strict(), Field(gt=0)]
    title: Title
    title_en: TitleEn = ""
    owner: Name = ""
    partners: tuple[Name, ...] = ()
    # Required, as a date or None: absent only beside a wording (see `_ongoing`).
    deadline: StrictDate | None
    deadline_text: DeadlineText = ""
    status: Status
    done_on: StrictDate | None = None
    source: Text = ""
    log: tuple[LogEntry, ...] = ()
    owner_basis: Literal["", "inferred"] = ""

    @model_validator(mode="before")
    @classmethod
    def _ongoing(cls, data: Any) -> Any:
        """A measure worded `deadline_text = "长期坚持"` and no deadline is ongoing: deadline None.

        Without a wording a missing deadline stays missing, refused as before.
        """
        if isinstance(data, dict) and "deadline" not in data and data.get("deadline_text"):
            return {**data, "deadline": None}
        return data

    @model_validator(mode="after")
    def _dated_or_worded_and_done_on_matches_status(self) -> Measure:
        # One validator for both rules: it runs for each of 100,000 measures.
        if self.deadline is None and not self.deadline_text.strip():
            raise ValueError(
                _(
                    "deadline is missing: give a date, or for ongoing work a wording "
                    'such as deadline_text = "长期坚持"'
                )
            )
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


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Title
    issued: StrictDate | None = None
    declared: Annotated[int, Strict(), Field(ge=0)] | None = None
    report_every: Literal["month", "week"] | Annotated[int, Strict(), Field(gt=0)] | None = None
    require_evidence: Annotated[bool, Strict()] | None = None
    key: PlanKey | None = None
    district: Name = ""
    source: Text = ""
    notes: Text = ""
    # Traffic lights: yellow when due within yellow_days, or silent for stale_days.
    yellow_days: Annotated[int, Strict(), Field(ge=0, le=3650)] | None = None
    stale_days: Annotated[int, Strict(), Field(ge=1, le=3650)] | None = None


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


# The validated models as the records: a model's fields are the record's, by the same names.


def _entry_fields(model: LogEntry) -> dict[str, Any]:
    """The entry's fields for its record, its evidence as records too."""
    fields = model.__dict__
    if fields["evidence"] is not None:
        evidence = tuple(records.Evidence(**item.__dict__) for item in fields["evidence"])
        fields = {**fields, "evidence": evidence}
    return fields


def _entry(model: LogEntry) -> records.LogEntry:
    return records.LogEntry(**_entry_fields(model))


def _measure(
    model: Measure,
    make: Callable[..., records.Measure] = records.Measure,
    make_entry: Callable[..., records.LogEntry] = records.LogEntry,
) -> records.Measure:
    fields = dict(model.__dict__)
    fields["log"] = tuple([make_entry(**_entry_fields(entry)) for entry in model.log])
    return make(**fields)


def _plan(model: Plan) -> records.Plan:
    return records.Plan(**model.__dict__)


def _raw(data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` with any record in it (a log entry, the plan) as the dictionary it is read from."""
    raw = {}
    for key, value in data.items():
        if isinstance(value, records.Record):
            value = records.as_dict(value)
        elif isinstance(value, (tuple, list)) and any(
            isinstance(item, records.Record) for item in value
        ):
            value = [
                records.as_dict(item) if isinstance(item, records.Record) else item
                for item in value
            ]
        raw[key] = value
    return raw


def entry(**fields: Any) -> records.LogEntry:
    """The log entry of these fields (by their Python names: `from_`); ValidationError if bad."""
    if fields.get("evidence"):  # records.Evidence, as the dictionaries they are read from
        fields = _raw(fields)
    return _entry(LogEntry(**fields))


def entry_json(text: str | bytes) -> records.LogEntry:
    """The log entry of this JSON, a date field's old and new read back as dates."""
    return _entry(LogEntry.model_validate_json(text))


def measure(data: Mapping[str, Any]) -> records.Measure:
    """The measure `data` describes (by the ledger's names); ValidationError if it breaks a rule."""
    return _measure(Measure.model_validate(_raw(data)))


def plan(data: Any) -> records.Plan:
    """The plan `data` describes; ValidationError if it breaks a rule."""
    return _plan(Plan.model_validate(_raw(data) if isinstance(data, Mapping) else data))


def ledger(data: Any) -> records.Ledger:
    """The ledger `data` (a TOML document) describes; ValidationError if it breaks a rule."""
    model = Ledger.model_validate(data)
    # Built by `maker`: the values are the validator's, and there may be 100,000 of them.
    make, make_entry = records.maker(records.Measure), records.maker(records.LogEntry)
    with records.without_cycle_collection():
        measures = tuple([_measure(measure, make, make_entry) for measure in model.measures])
    return records.Ledger(plan=_plan(model.plan), measures=measures)
