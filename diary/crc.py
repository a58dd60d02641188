"""CRC32C (Castagnoli), the checksum of every DevLog frame, plus LevelDB's masking.

CRC32C is what LevelDB, RocksDB, ext4 and iSCSI use: better error detection than zlib's CRC32 on
short records and a hardware instruction on x86 and ARM. `google-crc32c` supplies the C version
when installed; the table-driven pure-Python version below is the fallback and the reference the
tests compare it with.
"""

from __future__ import annotations

_POLY = 0x82F63B78  # reflected Castagnoli polynomial


def _make_table() -> tuple[int, ...]:
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ _POLY if c & 1 else c >> 1
        table.append(c)
    return tuple(table)


_TABLE = _make_table()


def extend_py(crc: int, data: bytes | bytearray | memoryview) -> int:
    """Continue a CRC32C over `data` (table-driven, one byte at a time)."""
    c = crc ^ 0xFFFFFFFF
    table = _TABLE
    for b in bytes(data):
        c = table[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


try:  # the C implementation, when the optional dependency is present
    import google_crc32c as _g

    def extend(crc: int, data: bytes | bytearray | memoryview) -> int:
        return int(_g.extend(crc, bytes(data)))

    try:  # bytes only, no wrapper: for the scan's hot loop
        from google_crc32c._crc32c import extend as extend_bytes
    except ImportError:  # google-crc32c's own pure-Python fallback
        extend_bytes = extend

    IMPLEMENTATION = f"google-crc32c ({_g.implementation})"
except ImportError:  # pragma: no cover - depends on the environment
    extend = extend_py
    extend_bytes = extend_py
    IMPLEMENTATION = "pure python"


def crc32c(data: bytes | bytearray | memoryview) -> int:
    return extend(0, data)


_MASK_DELTA = 0xA282EAD8


def mask(crc: int) -> int:
    """LevelDB's mask: a CRC of data that itself holds CRCs should not be the CRC of the raw bytes."""
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + _MASK_DELTA) & 0xFFFFFFFF


def unmask(masked: int) -> int:
    rot = (masked - _MASK_DELTA) & 0xFFFFFFFF
    return ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF
