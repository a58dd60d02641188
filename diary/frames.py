"""The DevLog's byte format: segment headers and length-prefixed, checksummed frames. Pure functions.

A segment file is a 32-byte header followed by frames:

    header  = magic "RSTDVLG\\n" (8) | format u16 | reserved u16 | segment no u32 | salt (8)
              | reserved u32 | masked crc32c of the 28 bytes before it (4)
    frame   = frame magic D7 1A (2) | type u8 | flags u8 | body length u32 | masked crc (4) | body

All integers are little-endian. A frame's checksum covers the segment's salt and number, the
frame's own file offset, its first 8 header bytes and the body. Like SQLite's WAL salts this ties
a frame to one segment generation and one place: stale bytes from an older file, a frame copied
inside a note, or a block the disk wrote to the wrong offset never verify. Like LevelDB the CRC is
masked, and each frame is checked before anything in it is trusted. Unlike LevelDB's fixed 32 KiB
blocks, frames have a magic so a reader can resynchronise after damage in the middle of a segment
and keep every whole record that follows it.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass

from diary.crc import _MASK_DELTA, crc32c, extend, mask
from diary.crc import extend_bytes as crc_extend

SEGMENT_MAGIC = b"RSTDVLG\n"
FORMAT_VERSION = 1
SEGMENT_HEADER = struct.Struct("<8sHHI8sI")  # + crc u32
SEGMENT_HEADER_SIZE = SEGMENT_HEADER.size + 4  # 32
FRAME_MAGIC = b"\xd7\x1a"
FRAME_HEADER = struct.Struct("<2sBBII")
FRAME_HEADER_SIZE = FRAME_HEADER.size  # 12
_OFFSET = struct.Struct("<Q")
FRAME_FULL = 1  # the only frame type so far: one whole entry
MAX_BODY = 8 * 1024 * 1024
NEWER_FORMAT = "segment written in unknown format"


@dataclass(frozen=True, slots=True)
class SegmentHeader:
    number: int
    salt: bytes
    format: int = FORMAT_VERSION


@dataclass(frozen=True, slots=True)
class Frame:
    """One whole, verified frame: where it sits and the entry bytes it carries."""

    offset: int
    size: int  # header + body
    body: bytes


@dataclass(frozen=True, slots=True)
class Damage:
    """A byte range [start, end) of a segment that holds no whole verified frame."""

    start: int
    end: int
    reason: str
    at_tail: bool


def new_salt() -> bytes:
    return os.urandom(8)


def encode_header(h: SegmentHeader) -> bytes:
    raw = SEGMENT_HEADER.pack(SEGMENT_MAGIC, h.format, 0, h.number, h.salt, 0)
    return raw + struct.pack("<I", mask(crc32c(raw)))


def decode_header(data: bytes) -> SegmentHeader | str:
    """The header, or a reason it cannot be trusted."""
    if len(data) < SEGMENT_HEADER_SIZE:
        return f"segment header torn ({len(data)} of {SEGMENT_HEADER_SIZE} bytes)"
    raw = data[: SEGMENT_HEADER.size]
    magic, fmt, _reserved, number, salt, _r2 = SEGMENT_HEADER.unpack(raw)
    if magic != SEGMENT_MAGIC:
        return "not a DevLog segment (bad magic)"
    (stored,) = struct.unpack_from("<I", data, SEGMENT_HEADER.size)
    if stored != mask(crc32c(raw)):
        return "segment header checksum mismatch"
    if fmt != FORMAT_VERSION:
        return f"{NEWER_FORMAT} {fmt} (this Rusta reads {FORMAT_VERSION})"
    return SegmentHeader(number=number, salt=salt, format=fmt)


def salvage_header(data: bytes, number: int) -> tuple[SegmentHeader, Damage] | None:
    """A header whose own bytes are damaged, rebuilt from its salt and the file's number, if the
    frames after it verify with them (each frame's CRC covers both, so one verified frame proves
    them right). Returns it with the damage to report, or None when nothing can be trusted."""
    if len(data) < SEGMENT_HEADER_SIZE:
        return None
    h = SegmentHeader(number=number, salt=bytes(data[16:24]))
    for item in scan(h, data):
        if isinstance(item, Frame):
            why = f"{decode_header(data)}; its frames verify with its salt, so they were kept"
            return h, Damage(start=0, end=SEGMENT_HEADER_SIZE, reason=why, at_tail=False)
    return None


def _checksum(h: SegmentHeader, offset: int, head8: bytes, body: bytes | memoryview) -> int:
    c = extend(0, h.salt + struct.pack("<IQ", h.number, offset) + head8)
    return mask(extend(c, body))


def encode_frame(h: SegmentHeader, offset: int, body: bytes) -> bytes:
    """The frame for `body` when written at byte `offset` of segment `h`."""
    if len(body) > MAX_BODY:
        raise ValueError(f"frame body of {len(body)} bytes exceeds {MAX_BODY}")
    head8 = FRAME_MAGIC + struct.pack("<BBI", FRAME_FULL, 0, len(body))
    return head8 + struct.pack("<I", _checksum(h, offset, head8, body)) + body


def frame_at(h: SegmentHeader, data: bytes | memoryview, pos: int, base: int = 0) -> Frame | str:
    end = len(data)
    if end - pos < FRAME_HEADER_SIZE:
        return "torn frame header"
    magic, ftype, flags, length, stored = FRAME_HEADER.unpack_from(data, pos)
    if magic != FRAME_MAGIC:
        return "bad frame magic"
    if ftype != FRAME_FULL or flags != 0:
        return f"unknown frame type {ftype}/{flags}"
    if length > MAX_BODY:
        return f"frame length {length} over the limit"
    start = pos + FRAME_HEADER_SIZE
    if start + length > end:
        return f"torn frame body ({end - start} of {length} bytes)"
    body = bytes(data[start : start + length])
    if _checksum(h, base + pos, bytes(data[pos : pos + 8]), body) != stored:
        return "frame checksum mismatch"
    return Frame(offset=base + pos, size=FRAME_HEADER_SIZE + length, body=body)


def scan(
    h: SegmentHeader, data: bytes, start: int = SEGMENT_HEADER_SIZE, base: int = 0
) -> Iterator[Frame | Damage]:
    """Every whole frame from `start`, in order, with the damaged ranges between them.

    `data` holds the file from byte `base` on (so a tail can be scanned alone); all offsets in
    what is yielded are file offsets.
    After damage the scan looks for the next frame magic that begins a frame which verifies;
    everything before it is reported as one Damage. Damage reaching the end of `data` is the tail.
    """
    for item in scan_bodies(h, data, start, base):
        if isinstance(item, Damage):
            yield item
        else:
            yield Frame(offset=item[0], size=item[1], body=item[2])


def scan_bodies(
    h: SegmentHeader, data: bytes, start: int = SEGMENT_HEADER_SIZE, base: int = 0
) -> Iterator[tuple[int, int, bytes] | Damage]:
    """`scan` as (file offset, size, body) tuples: the one loop behind it, for opening a big log.

    A whole frame is checked inline (the same fields and checksum as `frame_at`, without a call or
    an object per frame: recovery of a 100 MB log is ~100k frames); anything that fails is handed
    to `frame_at`, which says why, and the resynchronisation is `scan`'s.
    """
    ext = crc_extend
    pre = ext(0, h.salt + struct.pack("<I", h.number))  # the checksum's fixed prefix, once
    pack_offset = _OFFSET.pack
    unpack = FRAME_HEADER.unpack_from
    pos = start
    end = len(data)
    while pos < end:
        if end - pos >= FRAME_HEADER_SIZE:
            magic, ftype, flags, length, stored = unpack(data, pos)
            body_at = pos + FRAME_HEADER_SIZE
            stop = body_at + length
            if (
                magic == FRAME_MAGIC
                and ftype == FRAME_FULL
                and not flags
                and length <= MAX_BODY
                and stop <= end
            ):
                body = data[body_at:stop]
                c = ext(ext(pre, pack_offset(base + pos) + data[pos : pos + 8]), body)
                if ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + _MASK_DELTA) & 0xFFFFFFFF == stored:  # mask(c)
                    yield base + pos, FRAME_HEADER_SIZE + length, body
                    pos = stop
                    continue
        got = frame_at(h, data, pos, base)
        # never a Frame: the inline check is frame_at's; kept so the two cannot drift apart
        if isinstance(got, Frame):
            yield got.offset, got.size, got.body
            pos += got.size
            continue
        reason = got
        nxt = data.find(FRAME_MAGIC, pos + 1)
        while nxt != -1 and not isinstance(frame_at(h, data, nxt, base), Frame):
            nxt = data.find(FRAME_MAGIC, nxt + 1)
        stop = end if nxt == -1 else nxt
        yield Damage(start=base + pos, end=base + stop, reason=reason, at_tail=nxt == -1)
        pos = stop
