"""A validated copy of a large ledger, so that the next command need not parse its TOML.

Parsing TOML is the slowest part of reading a big ledger (about 3 s for 100,000
measures). After a ledger larger than `MIN_SIZE` has been read and validated, or
written, its records are kept as JSON in the hidden `.measures/` folder beside
it, under a hash of the file's exact bytes. The next read with the same bytes
validates that JSON instead (pydantic does it in compiled code, several times
faster); any other bytes, a different version of measures, or a damaged
snapshot, and the file is parsed again. The TOML file stays the only source of
truth: a snapshot is never read unless it matches it byte for byte.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from measures import __version__
from measures.model import Ledger

# Below this size the TOML parses in a few milliseconds: no snapshot.
MIN_SIZE = 256 * 1024


def _header(raw: bytes) -> bytes:
    key = hashlib.blake2b(raw, digest_size=20).hexdigest()
    return f"measures {__version__} snapshot {key}\n".encode()


def load(path: Path, raw: bytes) -> Ledger | None:
    """The ledger kept for exactly these bytes of `path`, or None."""
    if len(raw) < MIN_SIZE:
        return None
    from pydantic import ValidationError

    from measures.store import state_file

    try:
        kept = state_file(path, "snapshot").read_bytes()
    except OSError:
        return None
    header = _header(raw)
    if not kept.startswith(header):
        return None
    try:
        return Ledger.model_validate_json(kept[len(header) :])
    except ValidationError:
        return None  # damaged or from another model: parse the TOML instead


def save(path: Path, raw: bytes, ledger: Ledger) -> None:
    """Keep `ledger` as the validated reading of these bytes; silently skipped if it cannot."""
    if len(raw) < MIN_SIZE:
        return
    from measures.errors import MeasuresError
    from measures.store import ensure_state_folder, state_file, write_bytes

    try:
        ensure_state_folder(path)
        body = ledger.model_dump_json(by_alias=True).encode()
        write_bytes(state_file(path, "snapshot"), _header(raw) + body)
    except (MeasuresError, OSError):
        pass  # a read-only folder, a full disk: the next read parses the TOML
