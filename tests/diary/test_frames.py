"""CRC32C and the frame format: known vectors, the C and pure-Python CRCs agree, a frame verifies
only in its own segment and at its own offset."""

from __future__ import annotations

import random
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from diary import crc, frames


def test_crc32c_known_vectors() -> None:
    # RFC 3720 (iSCSI) B.4 and the common check value
    assert crc.crc32c(b"123456789") == 0xE3069283
    assert crc.crc32c(bytes(32)) == 0x8A9136AA
    assert crc.crc32c(b"\xff" * 32) == 0x62A8AB43
    assert crc.crc32c(bytes(range(32))) == 0x46DD794E
    assert crc.extend_py(0, b"123456789") == 0xE3069283


@given(st.binary(max_size=2000), st.integers(0, 0xFFFFFFFF))
def test_pure_python_crc_matches_the_one_in_use(data: bytes, seed: int) -> None:
    assert crc.extend_py(seed, data) == crc.extend(seed, data)
    assert crc.unmask(crc.mask(seed)) == seed


def test_frame_verifies_only_where_it_was_written() -> None:
    h = frames.SegmentHeader(number=3, salt=b"saltsalt")
    body = b"\x81\xa1v\x01" + bytes(random.Random(1).randbytes(100))
    hdr = frames.encode_header(h)
    fr = frames.encode_frame(h, len(hdr), body)
    good = list(frames.scan(h, hdr + fr))
    assert good == [frames.Frame(offset=32, size=len(fr), body=body)]
    # the same frame bytes one frame later, in another segment, or under another salt are damage
    moved = list(frames.scan(h, hdr + fr + fr))
    assert isinstance(moved[1], frames.Damage) and moved[1].at_tail
    other = frames.SegmentHeader(number=4, salt=b"saltsalt")
    assert isinstance(next(frames.scan(other, frames.encode_header(other) + fr)), frames.Damage)
    resalted = frames.SegmentHeader(number=3, salt=b"SALTSALT")
    assert isinstance(next(frames.scan(resalted, frames.encode_header(resalted) + fr)), frames.Damage)


def test_scan_resynchronises_after_damage_in_the_middle() -> None:
    h = frames.SegmentHeader(number=1, salt=b"12345678")
    out = bytearray(frames.encode_header(h))
    offs = []
    for k in range(4):
        offs.append(len(out))
        out += frames.encode_frame(h, len(out), f"body {k}".encode() * 10)
    out[offs[1] + 3] ^= 0x40  # the second frame's flags byte
    items = list(frames.scan(h, bytes(out)))
    assert [type(i).__name__ for i in items] == ["Frame", "Damage", "Frame", "Frame"]
    dmg = items[1]
    assert isinstance(dmg, frames.Damage) and (dmg.start, dmg.end, dmg.at_tail) == (offs[1], offs[2], False)


def _reference_scan(h: frames.SegmentHeader, data: bytes) -> list:
    """The scan as the format defines it: `frame_at` at each place, resynchronising on the magic."""
    out: list = []
    pos = frames.SEGMENT_HEADER_SIZE
    while pos < len(data):
        got = frames.frame_at(h, data, pos)
        if isinstance(got, frames.Frame):
            out.append(got)
            pos += got.size
            continue
        nxt = data.find(frames.FRAME_MAGIC, pos + 1)
        while nxt != -1 and not isinstance(frames.frame_at(h, data, nxt), frames.Frame):
            nxt = data.find(frames.FRAME_MAGIC, nxt + 1)
        stop = len(data) if nxt == -1 else nxt
        out.append(frames.Damage(start=pos, end=stop, reason=got, at_tail=nxt == -1))
        pos = stop
    return out


@given(
    st.lists(st.binary(max_size=300), min_size=1, max_size=8),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=4),
    st.integers(0, 400),
)
def test_inline_frame_check_agrees_with_frame_at(bodies: list[bytes], flips: list, cut: int) -> None:
    """The fast scan checks frames inline; on any damage (flipped bytes, a torn tail) it must find
    exactly the frames and damaged ranges that `frame_at`, applied frame by frame, finds."""
    h = frames.SegmentHeader(number=7, salt=b"s4lt5alt")
    out = bytearray(frames.encode_header(h))
    for b in bodies:
        out += frames.encode_frame(h, len(out), b)
    for at, bit in flips:
        out[frames.SEGMENT_HEADER_SIZE + at % (len(out) - frames.SEGMENT_HEADER_SIZE)] ^= bit
    data = bytes(out[: max(frames.SEGMENT_HEADER_SIZE, len(out) - cut)])
    assert list(frames.scan(h, data)) == _reference_scan(h, data)
    if not flips and not cut:
        assert [f.body for f in frames.scan(h, data)] == bodies


def test_header_damage_and_version_are_reported() -> None:
    hdr = bytearray(frames.encode_header(frames.SegmentHeader(number=1, salt=b"x" * 8)))
    assert isinstance(frames.decode_header(bytes(hdr)), frames.SegmentHeader)
    assert "torn" in str(frames.decode_header(bytes(hdr[:10])))
    hdr[20] ^= 1
    assert frames.decode_header(bytes(hdr)) == "segment header checksum mismatch"


def test_diary_imports_no_ml_or_ui() -> None:
    code = (
        "import sys, diary.devlog, diary.replay, diary.verify, diary.export, diary.compaction, diary.records, "
        "rusta_tui.cli.diary; print(sorted(m for m in ('jax','flax','textual','toolbelt.cargo_run') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
