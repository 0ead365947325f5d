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
    from pydantic import ValidationError

    from measures.model import validate

    body = text.removeprefix("\ufeff")
    if not body.strip():
        raise InvalidLedger(
            _("{path}: the file is empty.").format(path=name),
            _("Start it with a [plan] table, or delete it and run `measures init`."),
        )
    data = parse_toml(body, name)
    try:
        return validate.ledger(data)
    except ValidationError as error:
        raise InvalidLedger(
            describe_invalid(error, data, body, name), _(_RESTORE_HINT).format(path=name)
        ) from None
    except RecursionError:
        raise _too_deep(name) from None


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
