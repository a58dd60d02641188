"""The DevLog's per-segment index cache: what a full scan of a sealed segment found, kept beside it.

A sealed segment (any but the last) is never appended to again, so the (offset, size, id, kind,
settles) of its records can be kept in `devlog/index/seg-N.idx` and opening a long log reads those
instead of every frame: recovery after a crash scans only the segment a writer was appending to.

A cache is a hint, never the truth. It is used only when the segment file is the very file it was
made from: the same inode, size and mtime (taken before the scan read it) and the same random salt
in its header (a compaction or repair writes a new file with a new salt). The cache file carries
its own CRC32C, so a torn or lost write (kill -9, power loss: it is written without fsync) reads as
no cache and the segment is scanned again. Every read of a record still checks its frame; a frame
that fails there makes the reader distrust that segment's cache and scan it (`LogIndex._body_at`).
What a cache cannot see is a disk flipping bits inside a sealed segment without touching its mtime:
that is found by the read of the record, and by `rusta diary verify`, which never uses the cache.
"""

from __future__ import annotations

import contextlib
import os
import struct
from pathlib import Path

import msgspec

from diary import frames, segments
from diary.crc import crc32c
from toolbelt.atomic_file import replace_file

MAGIC = b"RSTDIDX1"
VERSION = 1
_CRC = struct.Struct("<I")

# (file offset, frame size, id, kind, settles) of every verified frame, in file order
Record = tuple[int, int, str, str, "str | None"]


class SegmentIndex(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    version: int
    number: int
    inode: int
    size: int
    mtime_ns: int
    salt: bytes
    records: tuple[tuple[int, int, str, str, str | None], ...]
    problems: tuple[tuple[int, str], ...] = ()  # (offset, why) of verified frames that are no entry


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(SegmentIndex)


def index_dir(log_dir: Path) -> Path:
    return log_dir / "index"


def cache_path(log_dir: Path, number: int) -> Path:
    return index_dir(log_dir) / f"seg-{number:08d}.idx"


def encode(ix: SegmentIndex) -> bytes:
    body = _encoder.encode(ix)
    return MAGIC + _CRC.pack(crc32c(body)) + body


def decode(data: bytes) -> SegmentIndex | None:
    """The cache in `data`, or None when it is torn, damaged or of another version."""
    head = len(MAGIC) + _CRC.size
    if len(data) < head or data[: len(MAGIC)] != MAGIC:
        return None
    body = data[head:]
    if _CRC.unpack_from(data, len(MAGIC))[0] != crc32c(body):
        return None
    try:
        ix = _decoder.decode(body)
    except msgspec.DecodeError:
        return None
    return ix if ix.version == VERSION else None


def load(log_dir: Path, number: int, st: os.stat_result, header: frames.SegmentHeader) -> SegmentIndex | None:
    """The cache of segment `number` if it was made from exactly this file (`st`, `header`)."""
    try:
        with open(cache_path(log_dir, number), "rb") as f:
            ix = decode(f.read())
    except OSError:
        return None  # no cache (or an unreadable one): the segment is scanned
    if ix is None or ix.number != number or ix.salt != header.salt:
        return None
    if (ix.inode, ix.size, ix.mtime_ns) != (st.st_ino, st.st_size, st.st_mtime_ns):
        return None
    return ix


def save(
    log_dir: Path,
    number: int,
    st: os.stat_result,
    header: frames.SegmentHeader,
    records: list[Record],
    problems: list[tuple[int, str]],
) -> None:
    """Keep what a whole, undamaged scan of a sealed segment found. Best effort: a cache that cannot
    be written (disk full, read-only folder) only means the next open scans this segment again."""
    ix = SegmentIndex(
        version=VERSION,
        number=number,
        inode=st.st_ino,
        size=st.st_size,
        mtime_ns=st.st_mtime_ns,
        salt=header.salt,
        records=tuple(records),
        problems=tuple(problems),
    )
    path = cache_path(log_dir, number)
    with contextlib.suppress(OSError):  # a hint only; the log itself is untouched either way
        path.parent.mkdir(exist_ok=True)
        replace_file(path, encode(ix), mode=0o644, durable=False)


def save_sealed(log_dir: Path, seg: segments.SegmentState) -> None:
    """Keep the cache of a segment a writer just sealed (rotated away from), so that a crash later
    in a long session finds it. Its records are the ones the writer gathered while it indexed every
    frame from the header on (scanned at open or refresh, then its own appends, each verified or
    fsynced): the file is not read again. Only a whole, undamaged segment that is still the file
    the writer indexed, to the byte, gets one."""
    if seg.records is None or seg.damage or seg.header is None:
        return
    records, problems, seg.records, seg.problems = seg.records, seg.problems, None, []
    try:
        st = os.stat(seg.path)
    except OSError:
        return
    if st.st_ino != seg.inode or st.st_size != seg.end:
        return
    save(log_dir, seg.number, st, seg.header, records, problems)


def forget(log_dir: Path, number: int) -> None:
    """Remove segment `number`'s cache (it was found wrong); best effort, as `save`."""
    with contextlib.suppress(OSError):
        cache_path(log_dir, number).unlink(missing_ok=True)


def sweep(log_dir: Path, live: set[int]) -> None:
    """Under the writer lock: remove caches of segments that no longer exist, and temp files a
    killed writer of a cache left."""
    d = index_dir(log_dir)
    try:
        names = os.listdir(d)
    except FileNotFoundError:
        return
    for name in names:
        m = segments.SEGMENT_RE.match(name.replace(".idx", ".log")) if name.endswith(".idx") else None
        if m is None or int(m.group(1)) not in live:  # temp files (TMP_MARK) never end in .idx
            with contextlib.suppress(FileNotFoundError):
                (d / name).unlink()
