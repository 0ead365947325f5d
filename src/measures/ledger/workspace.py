"""A workspace: the plans an office follows, each a ledger file of its own, in one folder.

`--file` (or `$MEASURES_FILE`, or the `plans/` folder found upwards) may name a
folder: every `*.toml` file in it with a `[plan]` table is a plan, in file
order, each with its key (`[plan] key`, else the file's stem). One ledger file
is a workspace of one plan, so every command works on both. A plan that cannot
be read is kept here with its error: read commands report it by name and answer
from the others; a write to it is refused with that error.

`units.toml` beside the plans (not itself a plan) names the office's units and
their aliases; `domain/units.py` applies them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from measures.errors import BadValue, InvalidLedger, LedgerNotFound, MeasuresError, UnknownMeasure
from measures.i18n import _
from measures.ledger.store import find_ledger, read_ledger, read_regular

if TYPE_CHECKING:
    from datetime import datetime

    from measures.model.records import Ledger

UNITS_FILE = "units.toml"
SEPARATOR = ":"


@dataclass(frozen=True)
class PlanFile:
    """One plan of the workspace: its file, its key, and its ledger, or why it cannot be read."""

    path: Path
    key: str
    ledger: Ledger | None
    error: MeasuresError | None = None

    def readable(self) -> Ledger:
        """The ledger; the error that kept it from being read, if it was not."""
        if self.ledger is None:
            assert self.error is not None
            raise self.error
        return self.ledger


@dataclass(frozen=True)
class Unit:
    """A unit of `units.toml`: its canonical name and the other names it goes by."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Workspace:
    """The plans, in file order; `folder` is None for a single ledger file."""

    plans: tuple[PlanFile, ...]
    folder: Path | None = None
    units: tuple[Unit, ...] | None = None  # None: no units.toml
    units_path: Path | None = field(default=None)

    @property
    def several(self) -> bool:
        return len(self.plans) > 1

    @property
    def keys(self) -> list[str]:
        return [plan.key for plan in self.plans]

    @property
    def readable(self) -> list[PlanFile]:
        return [plan for plan in self.plans if plan.ledger is not None]

    @property
    def unreadable(self) -> list[PlanFile]:
        return [plan for plan in self.plans if plan.ledger is None]

    def plan(self, key: str) -> PlanFile:
        """The plan with this key; a BadValue naming the keys there are if none has it."""
        for plan in self.plans:
            if plan.key == key:
                return plan
        raise BadValue(
            _("no plan has the key {key}.").format(key=key),
            _("The plans are: {keys}.").format(keys=_(", ").join(self.keys)),
        )

    def narrowed(self, key: str | None) -> Workspace:
        """The workspace of the one plan `key` (None: the whole workspace)."""
        if key is None:
            return self
        return Workspace((self.plan(key),), self.folder, self.units, self.units_path)

    def only(self, command: str) -> PlanFile:
        """The one plan a command that works on one plan (add, import, …) goes to."""
        if self.several:
            raise BadValue(
                _("`{command}` works on one plan and this workspace has {count}.").format(
                    command=command, count=len(self.plans)
                ),
                _("Name it with --plan KEY: {keys}.").format(keys=_(", ").join(self.keys)),
            )
        return self.plans[0]

    def resolve(self, text: str, number: int | None, key: str | None) -> tuple[PlanFile, int]:
        """The plan and id `KEY:ID` or a bare id names (`number`, parsed by the caller).

        A bare id is taken when exactly one plan has it; otherwise the error lists
        the candidates.
        """
        assert number is not None
        if key is not None:
            plan = self.plan(key)
            return plan, number
        if not self.several:
            return self.plans[0], number
        having = [
            plan
            for plan in self.plans
            if plan.ledger is not None and any(m.id == number for m in plan.ledger.measures)
        ]
        if len(having) == 1:
            return having[0], number
        if not having:
            unread = self.unreadable
            if len(unread) == 1 and not self.readable:
                return unread[0], number
            hint = _("See the ids with `measures list`.")
            if unread:
                hint = _("{names} could not be read; write KEY:{id} to name its plan.").format(
                    names=_(", ").join(str(plan.path.name) for plan in unread), id=number
                )
            raise UnknownMeasure(_("no measure has id {id}.").format(id=text), hint)
        keys = [plan.key for plan in having]
        raise BadValue(
            _("{id} is in {plans}: write {choices}.").format(
                id=text,
                plans=_(" and ").join(keys),
                choices=_(" or ").join(f"{k}{SEPARATOR}{number}" for k in keys),
            )
        )


def split_ident(text: str) -> tuple[str | None, str]:
    """`yshj:3` as ("yshj", "3"); a bare id as (None, "3")."""
    key, separator, rest = text.strip().rpartition(SEPARATOR)
    if not separator:
        return None, text
    return key.strip(), rest


def find_workspace(explicit: str | None, environ: Mapping[str, str], cwd: Path) -> Workspace:
    """The workspace --file, $MEASURES_FILE or the nearest ledger or `plans/` folder names."""
    path = find_ledger(explicit, environ, cwd)
    if path.is_dir():
        return read_folder(path)
    return Workspace((PlanFile(path, _file_key(path), None),))


def read_single(workspace: Workspace) -> Workspace:
    """The single file's plan read (its errors raised, as every command gives them)."""
    if workspace.folder is not None or workspace.plans[0].ledger is not None:
        return workspace
    plan = workspace.plans[0]
    ledger = read_ledger(plan.path).ledger
    key = ledger.plan.key or plan.key
    return Workspace((PlanFile(plan.path, key, ledger),))


def read_folder(folder: Path) -> Workspace:
    """Every plan of the folder, in file order; a file that fails to read kept with its error."""
    plans: list[PlanFile] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.name == UNITS_FILE or path.name.startswith(".") or not path.is_file():
            continue
        try:
            ledger = read_ledger(path).ledger
        except MeasuresError as error:
            if not _may_be_plan(path):
                continue
            plans.append(PlanFile(path, _file_key(path), None, error))
            continue
        key = ledger.plan.key or _file_key(path)
        if key in seen:
            clash = InvalidLedger(
                _("{path}: the plan key {key} is already the key of {other}.").format(
                    path=path, key=key, other=seen[key].name
                ),
                _("Give one of them another `key` in its [plan] table."),
            )
            plans.append(PlanFile(path, f"{key}@{path.name}", None, clash))
            continue
        seen[key] = path
        plans.append(PlanFile(path, key, ledger))
    if not plans:
        raise LedgerNotFound(
            _("{folder}: no plan in this folder (no *.toml file with a [plan] table).").format(
                folder=folder
            ),
            _("Create one with `measures init {folder}/PLAN.toml --empty --name NAME`.").format(
                folder=folder
            ),
        )
    units_path = folder / UNITS_FILE
    units = read_units(units_path) if units_path.exists() else None
    return Workspace(tuple(plans), folder, units, units_path if units is not None else None)


def _file_key(path: Path) -> str:
    return path.stem


def _may_be_plan(path: Path) -> bool:
    """Whether a file that did not read as a ledger is meant as a plan: TOML with a [plan]
    table, or not TOML at all (a plan broken by hand)."""
    try:
        data = tomllib.loads(read_regular(path).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return True
    return "plan" in data


def read_units(path: Path) -> tuple[Unit, ...]:
    """The units of `units.toml`: `[[units]]` tables of `name` and `aliases`."""
    try:
        data = tomllib.loads(read_regular(path).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidLedger(
            _("{path}: cannot be read ({reason}).").format(path=path, reason=error)
        ) from None
    units: list[Unit] = []
    rows = data.get("units", [])
    unknown = set(data) - {"units"}
    if unknown or not isinstance(rows, list):
        raise InvalidLedger(
            _("{path}: only [[units]] tables belong in this file.").format(path=path),
            _('Write each unit as [[units]] with name = "…" and aliases = ["…"].'),
        )
    for number, row in enumerate(rows, start=1):
        name = row.get("name") if isinstance(row, dict) else None
        aliases = row.get("aliases", []) if isinstance(row, dict) else None
        if (
            not isinstance(name, str)
            or not name.strip()
            or not isinstance(aliases, list)
            or not all(isinstance(alias, str) for alias in aliases)
            or set(row) - {"name", "aliases"}
        ):
            raise InvalidLedger(
                _("{path}, unit {number}: a unit needs a name and a list of aliases.").format(
                    path=path, number=number
                ),
                _('Write each unit as [[units]] with name = "…" and aliases = ["…"].'),
            )
        units.append(Unit(name, tuple(aliases)))
    return tuple(units)


def undo_target(workspace: Workspace) -> Path:
    """The plan whose newest recorded change is the newest of the workspace, for `undo`.

    Each journal's newest change is dated by the log entries it added; when two
    plans' newest changes cannot be told apart that way (an import of many
    entries keeps counts, not times), the office names the plan with --plan.
    """

    from measures.ledger import journal

    if not workspace.several:
        return workspace.plans[0].path
    dated: list[tuple[datetime | None, PlanFile]] = []
    for plan in workspace.plans:
        where = journal.journal_path(plan.path)
        try:
            changes = journal.loads(read_regular(where).decode("utf-8"), str(where))
        except (OSError, UnicodeDecodeError, MeasuresError):
            continue
        if changes:
            dated.append((_newest_time(changes[-1].what), plan))
    if not dated:
        raise BadValue(
            _("nothing to undo in any plan of {folder}.").format(folder=workspace.folder),
            _("`measures undo` reverts changes this tool made and recorded."),
        )
    if len(dated) == 1:
        return dated[0][1].path
    times = [at for at, _plan in dated]
    if None not in times:
        newest = max(at for at in times if at is not None)
        having = [plan for at, plan in dated if at == newest]
        if len(having) == 1:
            return having[0].path
    raise BadValue(
        _("several plans have changes to undo and which is newest cannot be told."),
        _("Name the plan with --plan KEY: {keys}.").format(
            keys=_(", ").join(plan.key for _at, plan in dated)
        ),
    )


def _newest_time(what: object) -> datetime | None:
    """The newest `at` of the log entries a recorded change added, if it kept them."""
    from datetime import datetime

    entries = what.get("entries") if isinstance(what, dict) else None
    if not isinstance(entries, list) or not entries:
        return None
    try:
        return max(datetime.fromisoformat(entry[1]["at"]) for entry in entries)
    except (KeyError, TypeError, ValueError, IndexError):
        return None
