"""Compaction: keep the DevLog under a size limit without ever dropping an unsettled intent.

The oldest sealed segments are folded into one: a checkpoint note carrying the replayed state
(undo/redo stacks, expected file hashes) followed by every record of every still-open task, in
their original frames' bytes. The new segment takes the number of the newest folded one and
replaces it by an atomic rename; only then are the older ones removed. A crash between the two
leaves copies of kept records in the old segments, which readers skip by id, and a checkpoint
whose state already covers what came before it, so replay gives the same answer either way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from diary import frames, schema, segments
from diary.payloads import payload_of
from diary.replay import replay, state_json
from diary.types import Base, Entry

if TYPE_CHECKING:
    from diary.devlog import DevLog


class CompactReport(Base, frozen=True):
    folded_segments: tuple[str, ...] = ()
    dropped: int = 0
    kept: int = 0
    bytes_before: int = 0
    bytes_after: int = 0
    checkpoint: str | None = None


def compact(log: DevLog, target_bytes: int) -> CompactReport:
    """Fold the oldest sealed segments until the log fits in `target_bytes` (or nothing sealed is left)."""
    with log._mutex, segments.writer_lock(log.dir):
        log.refresh()
        if any(s.damage or s.header is None for s in log._segs.values()):
            log._repair()
        return _compact_locked(log, target_bytes)


def _compact_locked(log: DevLog, target_bytes: int) -> CompactReport:
    segs = sorted(log._segs.values(), key=lambda s: s.number)
    before = log.size_bytes()
    if len(segs) < 2 or before <= target_bytes:
        return CompactReport(bytes_before=before, bytes_after=before)
    sealed = segs[:-1]  # the last segment is the one being appended to
    fold = []
    size = before
    for s in sealed:
        fold.append(s)
        size -= s.end
        if size <= target_bytes:
            break
    numbers = {s.number for s in fold}
    pairs = log.locations()
    bodies = _bodies(log, numbers)
    folded = [(e, loc) for e, loc in pairs if loc.segment in numbers]
    state = replay(e for e, loc in pairs if loc.segment in numbers)
    open_ids = {i for i in log._intents if i not in log._settled}
    keep = [(e, loc) for e, loc in folded if e.task in open_ids or e.id in open_ids]
    keep = [(e, loc) for e, loc in keep if not _is_checkpoint(e)]
    dropped = sum(1 for e, _ in folded if not _is_checkpoint(e)) - len(keep)
    if dropped == 0:
        return CompactReport(bytes_before=before, bytes_after=before)  # only open tasks: nothing to gain
    state = msgspec.structs.replace(state, open_tasks=(), settled=0)
    last = fold[-1]
    assert last.header is not None
    header = frames.SegmentHeader(number=last.number, salt=frames.new_salt())
    now = log.clock()
    checkpoint = Entry(
        id=log._new_id(now),
        ts=now,
        session=log.session,
        kind="note",
        task=None,
        settles=None,
        version=schema.CURRENT_VERSION,
        payload=payload_of(  # what schema.encode would type it as, typed here where the Entry is made
            "note",
            {
                "summary": f"Compacted {dropped} settled records from {len(fold)} old segments; "
                f"kept {len(keep)} records of open tasks.",
                "op": "checkpoint",
                "dropped": dropped,
                "kept": [e.id for e, _ in keep],
                "state": state_json(state),
            },
            strict=True,
        ),
    )
    out = bytearray(frames.encode_header(header))
    out += frames.encode_frame(header, len(out), schema.encode(checkpoint))
    for _e, loc in keep:
        out += frames.encode_frame(
            header,
            len(out),
            bodies[loc.segment][loc.offset + frames.FRAME_HEADER_SIZE : loc.offset + loc.size],
        )
    segments.write_file_durably(last.path, bytes(out))
    for s in fold[:-1]:
        s.path.unlink(missing_ok=True)
    segments.fsync_dir(log.dir)
    log._reset_index()
    log.refresh()
    return CompactReport(
        folded_segments=tuple(s.path.name for s in fold),
        dropped=dropped,
        kept=len(keep),
        bytes_before=before,
        bytes_after=log.size_bytes(),
        checkpoint=checkpoint.id,
    )


def _is_checkpoint(e: Entry) -> bool:
    return e.kind == "note" and e.payload.get("op") == "checkpoint"


def _bodies(log: DevLog, numbers: set[int]) -> dict[int, bytes]:
    return {n: log._read(log._segs[n].path) for n in numbers}
