"""A validated copy of the ledger, so that the next command need not parse it again.

Parsing and validating TOML is the slowest part of reading a big ledger (about
4 s for 100,000 measures), and importing the validator is most of the start-up
of a small one. After a ledger has been read and validated, or written, its
records are kept as JSON in the user's cache folder (`$XDG_CACHE_HOME/measures`,
else `~/.cache/measures`), one file per ledger path, under a header naming the
version of measures, a fingerprint of the model that validated them and a hash
of the ledger's exact bytes. The next read of the same bytes by the same model
uses that JSON instead: the full command line validates it with pydantic in
compiled code, and the quick path (`quick.py`) reads it as plain records without
importing pydantic at all. Any other bytes, version or model, or a damaged
copy, and the TOML is parsed again; the TOML file stays the only source of
truth.

A snapshot is a cache: nothing else refers to it, deleting it (or the whole
folder) loses nothing, and when it cannot be written (no home folder, a full
disk) the commands simply parse the TOML. Reading a ledger never writes beside
it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from stat import S_ISREG
from typing import TYPE_CHECKING, Any, Union

from measures import __version__

try:  # the BLAKE2 module itself: `hashlib` would load OpenSSL too, a few ms for nothing
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

if TYPE_CHECKING:
    from mmap import mmap

    from measures.model.records import Ledger

CACHE_VARIABLE = "XDG_CACHE_HOME"
# The modules whose source decides what a valid ledger is, and how it is kept.
_MODEL_SOURCES = ("model/records.py", "model/status.py", "ledger/snapshot.py")
_fingerprint: str | None = None


# Paths are strings joined with os.path here, not pathlib: the quick path does
# without importing pathlib.
Place = str | os.PathLike[str]
# The ledger's bytes, read or mapped: all that is done with them is a hash.
Bytes = Union[bytes, "mmap"]


def cache_folder(environ: Mapping[str, str] = os.environ) -> str | None:
    """`$XDG_CACHE_HOME/measures`, else `~/.cache/measures`; None without either."""
    base = environ.get(CACHE_VARIABLE)
    if base and os.path.isabs(base):  # noqa: PTH117
        return os.path.join(base, "measures")  # noqa: PTH118
    home = environ.get("HOME")
    return os.path.join(home, ".cache", "measures") if home else None  # noqa: PTH118


def snapshot_file(path: Place, environ: Mapping[str, str] = os.environ) -> str | None:
    """Where the snapshot of the ledger at `path` is kept: named by its absolute path."""
    folder = cache_folder(environ)
    if folder is None:
        return None
    where = os.path.realpath(path).encode("utf-8", "surrogateescape")
    name = f"{blake2b(where, digest_size=16).hexdigest()}.json"
    return os.path.join(folder, name)  # noqa: PTH118


def model_fingerprint() -> str:
    """A hash of the model's source: a snapshot made by other validation rules is never used."""
    global _fingerprint
    if _fingerprint is None:
        digest = blake2b(digest_size=8)
        package = os.path.dirname(os.path.dirname(__file__))  # noqa: PTH120
        for name in _MODEL_SOURCES:
            with open(os.path.join(package, *name.split("/")), "rb") as source:  # noqa: PTH118, PTH123
                digest.update(source.read())
        _fingerprint = digest.hexdigest()
    return _fingerprint


def _header(raw: Bytes) -> bytes:
    key = blake2b(raw, digest_size=20).hexdigest()
    return f"measures {__version__} model {model_fingerprint()} ledger {key}\n".encode()


def _kept_body(path: Place, raw: Bytes) -> bytes | None:
    """The JSON kept for exactly these bytes of `path`, or None."""
    target = snapshot_file(path)
    if target is None:
        return None
    header = _header(raw)
    try:
        # Only a regular file is read: a link (to /dev/zero, say) is not followed,
        # and a FIFO is not waited on. A snapshot is about the ledger's size.
        descriptor = os.open(target, _READ_FLAGS)
    except OSError:
        return None
    try:
        with os.fdopen(descriptor, "rb") as kept:
            status = os.fstat(descriptor)
            if not S_ISREG(status.st_mode) or status.st_size > _size_limit(len(raw)):
                return None
            if kept.readline(len(header) + 1) != header:
                return None
            return kept.read()
    except OSError:
        return None


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _size_limit(ledger_size: int) -> int:
    """The largest snapshot kept for a ledger of `ledger_size` bytes; any bigger is not one."""
    return 4 * ledger_size + (1 << 20)


def load(path: Place, raw: bytes) -> Ledger | None:
    """The ledger kept for exactly these bytes of `path`, validated by pydantic; or None."""
    body = _kept_body(path, raw)
    if body is None:
        return None
    from pydantic import ValidationError

    from measures.model.records import Ledger

    try:
        return Ledger.model_validate_json(body)
    except (ValidationError, RecursionError):
        return None  # damaged: parse the TOML instead


def load_plain(path: Place, raw: Bytes) -> dict[str, Any] | None:
    """The ledger kept for exactly these bytes of `path`, as the JSON pydantic wrote; or None.

    `raw` may be the file mapped into memory: only its hash is taken.
    """
    body = _kept_body(path, raw)
    if body is None:
        return None
    import json

    # Decoded here so that the bytes can go before the parse: a big ledger's
    # snapshot is not held twice over while its records are built.
    try:
        text = body.decode("utf-8")
        del body
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def save(path: Place, raw: bytes, ledger: Ledger) -> None:
    """Keep `ledger` as the validated reading of these bytes; silently skipped if it cannot."""
    target = snapshot_file(path)
    if target is None:
        return
    import tempfile

    # Fields at their defaults are left out: a fifth smaller, and quicker to read.
    data = _header(raw) + ledger.model_dump_json(by_alias=True, exclude_defaults=True).encode()
    # A cache needs no fsync: a copy torn by a crash fails its JSON, or its header.
    folder = os.path.dirname(target)  # noqa: PTH120
    try:
        os.makedirs(folder, exist_ok=True)  # noqa: PTH103
        descriptor, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)  # noqa: PTH105
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)  # noqa: PTH108
