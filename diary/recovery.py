"""Recovery of the DevLog after a crash or media damage: cut damage out, keep it aside, report it.

This is what SQLite and LevelDB do on open, made stricter in one way: nothing is ever deleted.
The damaged bytes of every range cut out are kept in `devlog/quarantine/` and named in the report,
so a person can look at them; only whole, verified frames stay in the log.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import msgspec

from diary import frames, indexcache, segments
from diary.types import DamageReport, RecoveryReport

if TYPE_CHECKING:
    from diary.devlog import DevLog


def repair(log: DevLog) -> RecoveryReport:
    """Under the writer lock: scan, then cut every damaged range out, keeping its bytes aside.

    A lone torn tail is truncated in place; damage anywhere else makes the segment be written
    again from its whole frames (atomic rename). A segment whose header cannot be trusted is
    removed. Every damaged byte goes to quarantine/ first, and the report says where.
    """
    log.refresh()
    _sweep_tmp(log.dir)
    done: list[DamageReport] = []
    rebuilt = False
    for seg in list(log._segs.values()):
        if not seg.damage and seg.header is not None:
            continue
        data = log._read(seg.path)
        if seg.header is None:  # header torn or bad: nothing in it can be verified
            q = segments.quarantine(log.dir, seg.path.name, 0, data) if data else None
            _unlink(seg.path)
            why = seg.damage[0].reason if seg.damage else "segment header unreadable"
            done.append(_done(seg, 0, len(data), why, True, q, "removed"))
            rebuilt = True
            continue
        tail_only = len(seg.damage) == 1 and seg.damage[0].at_tail
        for d in seg.damage:
            q = segments.quarantine(log.dir, seg.path.name, d.start, data[d.start : d.end])
            action: Literal["truncated", "rewritten"] = "truncated" if tail_only else "rewritten"
            done.append(_done(seg, d.start, d.end, d.reason, d.at_tail, q, action))
        if tail_only:
            _truncate(seg.path, seg.damage[0].start)
            seg.end = seg.damage[0].start
            seg.damage = []
        else:
            _rewrite(seg, data)
            rebuilt = True
    if rebuilt:
        log._reset_index()
        log.refresh()
    if done:
        _remember(log.dir, done)
    indexcache.sweep(log.dir, set(log._segs))
    return log._report(repaired=bool(done), done=tuple(done))


REPAIRS = "REPAIRS.jsonl"


def _remember(d: Path, done: list[DamageReport]) -> None:
    """Append what was cut to quarantine/REPAIRS.jsonl, so the damage stays on record after the
    process that repaired it is gone (`rusta diary verify` lists it)."""
    line = b"".join(msgspec.json.encode({"at": time.time(), **msgspec.to_builtins(r)}) + b"\n" for r in done)
    path = d / "quarantine" / REPAIRS
    try:
        path.parent.mkdir(exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            segments.write_all(fd, line)
            segments.fsync_fd(fd)
        finally:
            os.close(fd)
    except OSError as e:
        raise segments.io_error("recording the repair in", path, e) from e


def past_repairs(root: str | Path) -> list[dict]:
    """Every repair ever made to this diary, oldest first (read-only)."""
    path = segments.log_dir(root) / "quarantine" / REPAIRS
    try:
        lines = path.read_bytes().splitlines()
    except FileNotFoundError:
        return []
    out = []
    for ln in lines:
        try:
            out.append(msgspec.json.decode(ln))
        except msgspec.DecodeError:
            continue  # a torn last line of this side file is harmless
    return out


def _sweep_tmp(d: Path) -> None:
    """Remove the temporary files of a rewrite or compaction that a crash interrupted. Under the
    writer lock nobody else is writing one, so any that exist are leftovers."""
    for folder in (d, d / "quarantine"):
        for pattern in ("*.tmp", f".*{segments.TMP_MARK}*"):  # old writers' names, and replace_file's
            for p in folder.glob(pattern):
                p.unlink(missing_ok=True)


def _done(
    seg: segments.SegmentState,
    start: int,
    end: int,
    reason: str,
    at_tail: bool,
    q: Path | None,
    action: Literal["truncated", "rewritten", "removed"],
) -> DamageReport:
    return DamageReport(
        segment=seg.path.name,
        start=start,
        end=end,
        reason=reason,
        at_tail=at_tail,
        quarantined=str(q) if q else None,
        action=action,
    )


def _truncate(path: Path, size: int) -> None:
    try:
        fd = os.open(path, os.O_WRONLY)
        try:
            os.ftruncate(fd, size)
            segments.fsync_fd(fd)
        finally:
            os.close(fd)
    except OSError as e:
        raise segments.io_error("truncating", path, e) from e


def _unlink(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
        segments.fsync_dir(path.parent)
    except OSError as e:
        raise segments.io_error("removing", path, e) from e


def _rewrite(seg: segments.SegmentState, data: bytes) -> None:
    """Write the segment again from its whole frames only (frames are re-sealed at new offsets)."""
    assert seg.header is not None
    out = bytearray(frames.encode_header(seg.header))
    for item in frames.scan(seg.header, data):
        if isinstance(item, frames.Frame):
            out += frames.encode_frame(seg.header, len(out), item.body)
    segments.write_file_durably(seg.path, bytes(out))
