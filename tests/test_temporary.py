"""The temporary file a write renames over its target, and who a write is by."""

from __future__ import annotations

import getpass
import os
import stat
from pathlib import Path

import pytest

from measures import writes
from measures.ledger import temporary


def test_a_temporary_file_is_new_private_and_beside_its_target(tmp_path: Path) -> None:
    descriptor, name = temporary.make_temporary(str(tmp_path), ".measures.toml.", ".tmp")
    os.write(descriptor, b"x")
    os.close(descriptor)
    made = Path(name)
    assert made.parent == tmp_path and made.name.startswith(".measures.toml.")
    assert made.suffix == ".tmp" and made.read_bytes() == b"x"
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    again, other = temporary.make_temporary(str(tmp_path), ".measures.toml.", ".tmp")
    os.close(again)
    assert other != name


def test_a_name_taken_is_never_opened_and_another_is_tried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a000000000000.tmp").write_bytes(b"kept")
    draws = iter([bytes(6), bytes(6), b"\x01" * 6])
    monkeypatch.setattr(os, "urandom", lambda size: next(draws))
    descriptor, name = temporary.make_temporary(str(tmp_path), "a", ".tmp")
    os.close(descriptor)
    assert name.endswith("a010101010101.tmp")
    assert (tmp_path / "a000000000000.tmp").read_bytes() == b"kept"


def test_no_name_at_all_is_an_os_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a000000000000.tmp").write_bytes(b"")
    monkeypatch.setattr(os, "urandom", lambda size: bytes(size))
    with pytest.raises(FileExistsError):
        temporary.make_temporary(str(tmp_path), "a", ".tmp")
    with pytest.raises(OSError):
        temporary.make_temporary(str(tmp_path / "missing"), "a", ".tmp")


@pytest.mark.parametrize(
    "environ",
    [{"LOGNAME": "wang", "USER": "li"}, {"USER": "li"}, {"LNAME": "zhao"}, {"USERNAME": "liu"}, {}],
)
def test_the_login_is_the_one_getpass_finds(
    environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environ.items():
        monkeypatch.setenv(variable, value)
    assert writes.login() == getpass.getuser()
