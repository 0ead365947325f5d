"""The SHA-256 of a ledger's bytes: what binds a snapshot and an undo journal to them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from mmap import mmap

# Below this size the SHA-256 built into Python is taken, which loads in a
# tenth of the time of OpenSSL's (about 2 ms at start-up); above it OpenSSL's,
# several times faster on a big ledger's bytes.
_OPENSSL_FROM = 1 << 20

# Read or mapped (the quick path maps a ledger rather than read it).
Data = Union[bytes, memoryview, "mmap"]


def sha256_hex(data: Data) -> str:
    if len(data) >= _OPENSSL_FROM:
        import hashlib

        return hashlib.sha256(data).hexdigest()
    try:
        from _sha256 import sha256  # type: ignore[import-not-found, unused-ignore]  # Python 3.11
    except ImportError:  # pragma: no cover - 3.12 on
        try:
            from _sha2 import sha256  # type: ignore[import-not-found, unused-ignore]
        except ImportError:
            from hashlib import sha256
    hexdigest: str = sha256(data).hexdigest()
    return hexdigest
