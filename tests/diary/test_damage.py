"""Truncation and a bit flip at every byte offset of a small log: recovery never crashes and never
returns an entry that was not written exactly so."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest

from diary import crc, frames
from diary.devlog import DevLog
from diary.errors import NewerFormat
from diary.types import Entry
from diary.verify import verify


def _small_log(root: Path) -> list[Entry]:
    with DevLog.open(root, session="dmg") as log:
        a = log.append("intent", {"summary": "fix E0382"})
        log.append(
            "action", {"summary": "apply", "op": "apply", "patch_id": "p1", "files": ["src/lib.rs"]}, task=a
        )
        log.append("validation", {"summary": "cargo check is green", "tool": "check", "ok": True}, task=a)
        log.append("reflection", {"summary": "done", "outcome": "done"}, settles=a)
        log.append("note", {"summary": "ü ✓ " + "x" * 40})
        return list(log.entries())


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, list[Entry], list[int]]:
    root = tmp_path_factory.mktemp("orig")
    entries = _small_log(root)
    seg = DevLog.open(root, readonly=True).segment_files()
    assert len(seg) == 1
    data = seg[0].read_bytes()
    head = frames.decode_header(data)
    assert not isinstance(head, str)
    ends = [f.offset + f.size for f in frames.scan(head, data) if isinstance(f, frames.Frame)]
    return data, entries, ends


def _recover(tmp: Path, data: bytes) -> tuple[list[Entry], list[Entry]]:
    d = tmp / ".rusta" / "devlog"
    if d.exists():
        shutil.rmtree(tmp / ".rusta")
    d.mkdir(parents=True)
    (d / "seg-00000001.log").write_bytes(data)
    seen_ro = list(DevLog.open(tmp, readonly=True).entries())
    with DevLog.open(tmp) as log:
        repaired = list(log.entries())
        # the log must take new records after any damage
        log.append("note", {"summary": "after recovery"})
    rep = verify(tmp)
    assert rep.ok and not rep.damage, rep
    return seen_ro, repaired


def _is_subsequence(got: list[Entry], of: list[Entry]) -> bool:
    it = iter(of)
    return all(any(g == o for o in it) for g in got)


def test_truncation_at_every_offset(ram_path: Path, original: tuple[bytes, list[Entry], list[int]]) -> None:
    data, entries, ends = original
    for cut in range(len(data) + 1):
        ro, fixed = _recover(ram_path, data[:cut])
        whole = sum(1 for e in ends if e <= cut)
        assert ro == entries[:whole], cut
        assert fixed == entries[:whole], cut


def test_bit_flip_at_every_offset(ram_path: Path, original: tuple[bytes, list[Entry], list[int]]) -> None:
    data, entries, _ = original
    lost_most = 0
    for pos in range(len(data)):
        bad = bytearray(data)
        bad[pos] ^= 1 << (pos % 8)
        ro, fixed = _recover(ram_path, bytes(bad))
        assert _is_subsequence(ro, entries), pos
        assert fixed == ro, pos
        if not 16 <= pos < 24:  # one flipped bit costs at most the frame it hit...
            assert len(fixed) >= len(entries) - 1, pos
        if pos < frames.SEGMENT_HEADER_SIZE and not 16 <= pos < 24:  # ...and none for the header
            assert fixed == entries, pos
        lost_most = max(lost_most, len(entries) - len(fixed))
    assert lost_most == len(entries)  # a flip in the salt leaves nothing in the segment verifiable


def test_damage_is_quarantined_and_reported(
    tmp_path: Path, original: tuple[bytes, list[Entry], list[int]]
) -> None:
    data, entries, ends = original
    bad = bytearray(data)
    bad[ends[1] + 20] ^= 0xFF  # inside the third frame
    d = tmp_path / ".rusta" / "devlog"
    d.mkdir(parents=True)
    (d / "seg-00000001.log").write_bytes(bytes(bad) + b"\xd7\x1a torn")
    rep = verify(tmp_path)
    assert [(x.start, x.end, x.at_tail) for x in rep.damage] == [
        (ends[1], ends[2], False),
        (len(data), len(data) + 7, True),
    ]
    with DevLog.open(tmp_path) as log:
        assert [x.action for x in log.recovery.damage] == ["rewritten", "rewritten"]
        kept = [Path(x.quarantined or "").read_bytes() for x in log.recovery.damage]
        assert kept == [bytes(bad[ends[1] : ends[2]]), b"\xd7\x1a torn"]
        assert list(log.entries()) == entries[:2] + entries[3:]
    assert verify(tmp_path).ok


def test_a_newer_format_is_refused_not_repaired(tmp_path: Path) -> None:
    with DevLog.open(tmp_path) as log:
        log.append("note", {"summary": "from the future"})
    seg = tmp_path / ".rusta" / "devlog" / "seg-00000001.log"
    data = bytearray(seg.read_bytes())
    head = frames.SEGMENT_HEADER.pack(frames.SEGMENT_MAGIC, 9, 0, 1, bytes(data[16:24]), 0)
    data[:32] = head + struct.pack("<I", crc.mask(crc.crc32c(head)))
    seg.write_bytes(bytes(data))
    with pytest.raises(NewerFormat):
        DevLog.open(tmp_path)
    assert seg.read_bytes() == bytes(data)  # untouched
