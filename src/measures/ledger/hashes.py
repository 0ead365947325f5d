"""The SHA-256 of a ledger's bytes: what binds a snapshot and an undo journal to them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from mmap import mmap

# Below this size the SHA-256 built into Python is taken, which loads in a
# tenth of the time of OpenSSL's (about 2 ms at start-up); above it OpenSSL's,
# several times faster on a big ledger's bytes.
_OPENSSL_FROM = 1 << 20

# Read or mapped (the quick path maps a ledger rather than read it).
Data = Union[bytes, memoryview, "mmap"]


def sha256_hex(data: Data | list[bytes | memoryview]) -> str:
    """The SHA-256 of the bytes, or of the bytes in pieces, one after the other."""
    pieces: Sequence[Data] = data if isinstance(data, list) else (data,)
    if sum(len(piece) for piece in pieces) >= _OPENSSL_FROM:
        import hashlib

        digest = hashlib.sha256()
        for piece in pieces:
            digest.update(piece)
        return digest.hexdigest()
    try:
        from _sha256 import sha256  # type: ignore[import-not-found, unused-ignore]  # Python 3.11
    except ImportError:  # pragma: no cover - 3.12 on
        try:
            from _sha2 import sha256  # type: ignore[import-not-found, unused-ignore]
        except ImportError:
            from hashlib import sha256
    builtin = sha256()
    for piece in pieces:
        builtin.update(piece)
    hexdigest: str = builtin.hexdigest()
    return hexdigest
