"""A ledger's TOML text read and validated into a Ledger; every failure an InvalidLedger."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from measures.errors import InvalidLedger
from measures.i18n import N_, _
from measures.model.problems import TOO_LONG_NUMBER, describe_invalid
from measures.model.tomlerrors import toml_error_text

if TYPE_CHECKING:
    from measures.model.records import Ledger

_RESTORE_HINT = N_("Fix it by hand, or get the last good copy back with `git checkout -- {path}`.")


def parse_ledger(text: str, name: str) -> Ledger:
    body = text.removeprefix("\ufeff")
    if not body.strip():
        raise InvalidLedger(
            _("{path}: the file is empty.").format(path=name),
            _("Start it with a [plan] table, or delete it and run `measures init`."),
        )
    compiled = compiled_ledger(body)
    if compiled is not None:
        return compiled
    # Only a ledger in error, or of an unusual form, comes this far: pydantic says what is wrong.
    from pydantic import ValidationError

    from measures.model import validate

    data = parse_toml(body, name)
    try:
        return validate.ledger(data)
    except ValidationError as error:
        raise InvalidLedger(
            describe_invalid(error, data, body, name), _(_RESTORE_HINT).format(path=name)
        ) from None
    except RecursionError:
        raise _too_deep(name) from None


# Integers beyond this many bits may have more than the 4,300 digits Python's
# int() takes, which tomllib refuses: such a file is left to tomllib.
_LONG_INTEGER_BITS = 14_000


def compiled_ledger(body: str) -> Ledger | None:
    """The ledger as toml-rs (a compiled parser) reads it and the model validates it; or None.

    Well-formed data, the usual kind, is validated without pydantic
    (`wellformed.py`, the same records); only what that is not sure of goes
    to the pydantic models.

    Its values are tomllib's exactly (the same types: dates, times with their
    offsets, integers, arrays of tables) on every text both accept, and it reads
    a big ledger ten times faster. Anything it refuses, and anything the model
    refuses after it, is None: the caller then reads the text with tomllib, so
    that a file in error gets the same precise message as before. So does a
    file whose integers tomllib could not take, the one kind of text found that
    toml-rs reads and tomllib refuses and the model could still accept (deep
    nesting is the other, and the model takes no nested value).
    """
    read = _compiled(body)
    if read is None:
        return None
    data, ledger = read
    if ledger is None:
        from pydantic import ValidationError

        from measures.model import validate

        try:
            ledger = validate.ledger(data)
        except (ValueError, TypeError, RecursionError, ValidationError):
            return None
    return None if _too_long(ledger) else ledger


def well_formed_data(body: str) -> dict[str, Any] | None:
    """The TOML data of a ledger that is valid as it stands, read as `compiled_ledger`
    reads it, where `wellformed.py` takes all of it; None for any other text (one in
    error, or of a form only pydantic judges), which the caller reads as before."""
    read = _compiled(body)
    if read is None or read[1] is None or _too_long(read[1]):
        return None
    return read[0]


def _compiled(body: str) -> tuple[dict[str, Any], Ledger | None] | None:
    """toml-rs's data of the text, and its ledger if `wellformed.py` takes it; None if
    toml-rs refuses the text (or is missing)."""
    try:
        import toml_rs
    except ImportError:  # pragma: no cover - a dependency; without it, tomllib alone
        return None
    from measures.model import wellformed

    try:
        # TOML 1.0, as tomllib reads it: 1.1 (its default) takes more than tomllib does.
        data = toml_rs.loads(body, toml_version="1.0.0")
    except (ValueError, TypeError, RecursionError):
        return None  # toml_rs.TOMLDecodeError is a ValueError
    return data, wellformed.ledger(data)


def _too_long(ledger: Ledger) -> bool:
    """Whether a number of the ledger may have more digits than tomllib takes."""
    plan = ledger.plan
    numbers = [plan.declared or 0, plan.report_every if type(plan.report_every) is int else 0]
    numbers += [measure.id for measure in ledger.measures]
    return max(numbers).bit_length() > _LONG_INTEGER_BITS


def parse_toml(body: str, name: str) -> dict[str, Any]:
    """The TOML of a ledger's text; InvalidLedger for any text tomllib refuses or cannot take."""
    import tomllib

    try:
        return tomllib.loads(body)
    except tomllib.TOMLDecodeError as error:
        raise InvalidLedger(
            _("{path}: invalid TOML: {error}.").format(path=name, error=toml_error_text(error)),
            _(_RESTORE_HINT).format(path=name),
        ) from None
    except RecursionError:
        raise _too_deep(name) from None
    except ValueError:  # an integer of more than 4,300 digits: Python will not convert it
        raise InvalidLedger(
            _("{path}: invalid TOML: {error}.").format(path=name, error=_(TOO_LONG_NUMBER)),
            _(_RESTORE_HINT).format(path=name),
        ) from None


def _too_deep(name: str) -> InvalidLedger:
    return InvalidLedger(
        _("{path}: invalid ledger: arrays or tables are nested too deep to read.").format(
            path=name
        ),
        _(_RESTORE_HINT).format(path=name),
    )
