"""The DevLog: Rusta's append-only, crash-proof diary of every intent, action, validation and reflection.

Records are msgspec entries in checksummed frames (`diary.frames`) spread over numbered segment
files under `ROOT/.rusta/devlog/`. `append` returns only once the frame is fsynced. Opening the log
recovers it: a torn tail left by a crash is cut back to the last whole record, damage in the middle
is cut out, and every damaged byte is first kept in `quarantine/` and reported in `log.recovery`.

Writers serialise on an flock held only for the few milliseconds of one append, so two Rusta
processes never interleave frames; readers take no lock at all and see only whole, verified frames.

Use (payload conventions in `diary.replay`, builders in `diary.records`):

    log = DevLog.open(root)                       # once per process; DevLog.open(root, readonly=True) to read
    t = log.append("intent", {"summary": "fix E0382 in src/lib.rs"})      # before acting
    log.append("action", {"summary": "cargo check", "op": "run", "argv": [...]}, task=t)
    log.append("reflection", {"summary": "fixed", "outcome": "done"}, settles=t)   # closes the task
    for i in log.interrupted(exclude_session=log.session): print(i.intent.summary, i.advice)
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec

from diary import frames, schema, segments
from diary.errors import DiaryIOError, EntryNotFound, EntryTooLarge, InvalidEntry, NewerFormat
from diary.payloads import PayloadBase, payload_of
from diary.rustadir import ensure_rusta_dir
from diary.segments import SegmentState, StaleSegment
from diary.types import KINDS, DamageReport, Entry, EntryKind, Interrupted, Location, RecoveryReport

SEGMENT_BYTES = 4 * 1024 * 1024  # rotate to a new segment past this size
MAX_BYTES = 256 * 1024 * 1024  # compact when the whole log grows past this


def new_session_id() -> str:
    return f"s{os.getpid()}-{secrets.token_hex(3)}"


class DevLog:
    """One repo's diary. Use `DevLog.open(root)`. Safe across processes (flock) and between threads
    sharing one instance (an RLock guards the index); readers never take the file lock."""

    def __init__(
        self,
        root: str | Path,
        *,
        session: str | None = None,
        readonly: bool = False,
        segment_bytes: int = SEGMENT_BYTES,
        max_bytes: int = MAX_BYTES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.root = Path(root)
        self.dir = segments.log_dir(root)
        self.session = session or new_session_id()
        self.readonly = readonly
        self.segment_bytes = segment_bytes
        self.max_bytes = max_bytes
        self.clock = clock  # injectable so golden logs can be made with fixed times
        self.recovery = RecoveryReport()
        self._segs: dict[int, SegmentState] = {}
        self._locs: list[Location] = []
        self._ids: dict[str, int] = {}
        self._intents: dict[str, None] = {}  # ordered set of intent ids
        self._settled: set[str] = set()
        self._problems: list[tuple[int, int, str]] = []  # (segment, offset, why) of undecodable frames
        self._wfd: int | None = None
        self._wseg: int | None = None
        self._closed = False
        self._compact_floor = 0
        self._mutex = threading.RLock()

    # --- opening and recovery -------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        root: str | Path,
        session: str | None = None,
        *,
        readonly: bool = False,
        segment_bytes: int = SEGMENT_BYTES,
        max_bytes: int = MAX_BYTES,
        clock: Callable[[], float] = time.time,
    ) -> DevLog:
        """Open (creating if needed) the diary of `root` and recover it.

        Repair needs the writer lock; if another process is appending right now, damage is left for
        the first append (which repairs under the lock) and reported meanwhile. `readonly` never
        creates, repairs or writes anything.
        """
        log = cls(
            root,
            session=session,
            readonly=readonly,
            segment_bytes=segment_bytes,
            max_bytes=max_bytes,
            clock=clock,
        )
        if readonly:
            log.refresh()
            log.recovery = log._report(repaired=False)
            return log
        try:
            ensure_rusta_dir(log.dir.parent.parent)
            log.dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise segments.io_error("creating", log.dir, e) from e
        with segments.writer_lock(log.dir, blocking=False) as got:
            if got:
                log.recovery = log._repair()
            else:
                log.refresh()
                log.recovery = log._report(repaired=False)
        return log

    def _report(self, *, repaired: bool, done: tuple[DamageReport, ...] = ()) -> RecoveryReport:
        pending = tuple(
            DamageReport(segment=s.path.name, start=d.start, end=d.end, reason=d.reason, at_tail=d.at_tail)
            for s in self._segs.values()
            for d in s.damage
        )
        return RecoveryReport(
            damage=done + pending, entries=len(self._locs), segments=len(self._segs), repaired=repaired
        )

    def _repair(self) -> RecoveryReport:
        """Under the writer lock: scan, then cut every damaged range out, keeping its bytes aside."""
        from diary.recovery import repair

        return repair(self)

    def _reset_index(self) -> None:
        self._close_writer()
        self._segs.clear()
        self._locs.clear()
        self._ids.clear()
        self._intents.clear()
        self._settled.clear()
        self._problems.clear()

    # --- reading --------------------------------------------------------------------------------

    @staticmethod
    def _read(path: Path, start: int = 0) -> bytes:
        with open(path, "rb") as f:
            if start:
                f.seek(start)
            return f.read()

    def refresh(self) -> None:
        """Catch up with frames other processes appended (and segments they created or compacted)."""
        with self._mutex:
            self._refresh()

    def _refresh(self) -> None:
        on_disk = segments.list_segments(self.dir)
        known = self._segs
        for n, path in on_disk:
            try:
                ino = os.stat(path).st_ino
            except FileNotFoundError:
                continue
            seg = known.get(n)
            if seg is not None and seg.inode != ino:  # replaced by compaction or repair elsewhere
                self._reset_index()
                return self._refresh()
            if seg is None:
                seg = known[n] = SegmentState(n, path)
                seg.inode = ino
            self._scan(seg, is_last=n == on_disk[-1][0])
        gone = set(known) - {n for n, _ in on_disk}
        if gone:
            self._reset_index()
            return self._refresh()
        return None

    def _scan(self, seg: SegmentState, *, is_last: bool) -> None:
        try:
            if seg.header is None:
                data = self._read(seg.path)
                got = frames.decode_header(data)
                if isinstance(got, str) and got.startswith(frames.NEWER_FORMAT):
                    raise NewerFormat(
                        f"{seg.path.name} was written by a newer Rusta ({got}); upgrade Rusta to read this diary"
                    )
                if isinstance(got, str):
                    saved = frames.salvage_header(data, seg.number)
                    if saved is None:
                        seg.damage = [frames.Damage(start=0, end=len(data), reason=got, at_tail=True)]
                        return
                    got, seg.damage = saved[0], [saved[1]]  # repair writes a fresh header
                seg.header = got
                seg.end = frames.SEGMENT_HEADER_SIZE
                data = data[seg.end :]
            else:
                data = self._read(seg.path, seg.end)
        except FileNotFoundError:
            return
        except OSError as e:
            raise segments.io_error("reading", seg.path, e) from e
        base = seg.end
        seg.damage = [d for d in seg.damage if d.end <= base]  # damage before `base` is not scanned again
        index, segno = self._index, seg.number
        for item in frames.scan_bodies(seg.header, data, 0, base):
            if isinstance(item, frames.Damage):
                seg.damage.append(item)
                seg.end = item.end
            else:
                index(segno, *item)
                seg.end = item[0] + item[1]
        if seg.damage and seg.damage[-1].at_tail and is_last:
            seg.end = seg.damage[-1].start  # may be a write in progress: read it again next time

    def _index(self, segno: int, offset: int, size: int, body: bytes) -> None:
        try:
            eid, kind, settles = schema.index_fields(body)
        except schema.SchemaError as err:
            self._problems.append((segno, offset, str(err)))
            return
        if eid in self._ids:  # a copy left by a compaction that crashed before removing the old one
            return
        self._ids[eid] = len(self._locs)
        self._locs.append(Location(segment=segno, offset=offset, size=size))
        if kind == "intent":
            self._intents[eid] = None
        if settles:
            self._settled.add(settles)

    def _body_at(self, loc: Location, cache: dict[int, bytes] | None = None) -> bytes:
        """The verified body of the frame at `loc`; StaleSegment if the file changed since it was indexed
        (compaction or repair by another process): the frame is checked again, never trusted blindly."""
        seg = self._segs.get(loc.segment)
        if seg is None or seg.header is None:
            raise StaleSegment
        data = cache.get(loc.segment) if cache is not None else None
        base = 0
        if data is None:
            try:
                with open(seg.path, "rb") as f:
                    if os.fstat(f.fileno()).st_ino != seg.inode:
                        raise StaleSegment
                    if cache is None:
                        f.seek(loc.offset)
                        data, base = f.read(loc.size), loc.offset
                    else:
                        data = f.read()
                        cache.clear()
                        cache[loc.segment] = data
            except FileNotFoundError as e:
                raise StaleSegment from e
        got = frames.frame_at(seg.header, data, loc.offset - base, base)
        if isinstance(got, str):
            raise StaleSegment
        return got.body

    def entries(self) -> Iterator[Entry]:
        """Every entry, oldest first, as of now (catches up with other writers first)."""
        for e, _loc in self._walk():
            yield e

    def _walk(self, after: tuple[int, int] | None = None) -> Iterator[tuple[Entry, Location]]:
        yielded: set[str] = set()
        for _attempt in range(5):
            with self._mutex:
                self.refresh()
                locs = [x for x in self._locs if after is None or (x.segment, x.offset) > after]
            cache: dict[int, bytes] = {}
            try:
                for loc in locs:
                    e = schema.decode(self._body_at(loc, cache))
                    if e.id not in yielded:
                        yielded.add(e.id)
                        yield e, loc
                return
            except StaleSegment:
                with self._mutex:
                    self._reset_index()
        raise DiaryIOError(
            "the diary kept changing while it was read (another process compacting?); try again"
        )

    def locations(self) -> list[tuple[Entry, Location]]:
        return list(self._walk())

    def locate(self, eid: str) -> Location | None:
        """Where the record `eid` lies now (None when it is not in the log, or was compacted away)."""
        with self._mutex:
            self.refresh()
            i = self._ids.get(eid)
            return None if i is None else self._locs[i]

    def since(self, segment: int, offset: int) -> Iterator[tuple[Entry, Location]]:
        """The records whose frames lie after (segment, offset), oldest first; only those are read
        and decoded, so a reader that keeps its place (the memory's sync) pays for new records only."""
        return self._walk((segment, offset))

    def get(self, eid: str) -> Entry:
        """The entry with id `eid`, or with `eid` as the only matching id prefix."""
        self.refresh()
        i = self._ids.get(eid)
        if i is None:
            hits = [k for k in self._ids if k.startswith(eid)] if eid else []
            if len(hits) != 1:
                what = (
                    "no entry in the diary matches" if not hits else f"{len(hits)} entries in the diary match"
                )
                raise EntryNotFound(f"{what} id {eid!r}; `rusta diary list` shows the ids")
            i = self._ids[hits[0]]
        try:
            return schema.decode(self._body_at(self._locs[i]))
        except StaleSegment:
            self._reset_index()
            return self.get(eid)

    def __contains__(self, eid: str) -> bool:
        return eid in self._ids

    def __len__(self) -> int:
        return len(self._locs)

    def open_intents(self) -> list[Entry]:
        """Intents nothing settled yet: tasks Rusta started and never finished (or is doing now)."""
        with self._mutex:
            self.refresh()
            want = {i for i in self._intents if i not in self._settled}
        return [e for e in self.entries() if e.id in want]

    def segment_files(self) -> list[Path]:
        return [s.path for s in sorted(self._segs.values(), key=lambda s: s.number)]

    def size_bytes(self) -> int:
        return sum(s.end for s in self._segs.values())

    # --- writing --------------------------------------------------------------------------------

    def append(
        self,
        kind: EntryKind,
        payload: dict[str, Any] | PayloadBase,
        *,
        task: str | None = None,
        settles: str | None = None,
        repo_state: dict[str, Any] | None = None,
    ) -> str:
        """Record one entry; returns its id only once the frame is on disk (fsync).

        `task` defaults to the intent's own id for an intent, and to the settled entry's task when
        `settles` is given. Raises DiaryFull when the disk refuses the write (nothing recorded).
        """
        if self.readonly or self._closed:
            raise InvalidEntry("this diary was opened read-only or is closed; it cannot record")
        if kind not in KINDS:
            raise InvalidEntry(f"unknown entry kind {kind!r}; use one of {', '.join(KINDS)}")
        if not isinstance(payload, PayloadBase) and (
            not isinstance(payload, dict) or not all(isinstance(k, str) for k in payload)
        ):
            raise InvalidEntry("the payload must be a typed payload or a dict with string keys")
        try:
            typed = payload_of(kind, payload, strict=True)
        except msgspec.ValidationError as e:
            raise InvalidEntry(f"the payload does not fit a {kind} record: {e}") from e
        ts = self.clock()
        with self._mutex, segments.writer_lock(self.dir):
            self.refresh()
            if any(s.damage or s.header is None for s in self._segs.values()):
                rep = self._repair()  # a crash left damage (or open could not take the lock)
                old = self.recovery.damage if self.recovery.repaired else ()
                self.recovery = msgspec.structs.replace(rep, damage=old + rep.damage)
            if settles is not None and settles not in self._ids:
                raise InvalidEntry(f"entry {settles!r} to settle is not in the diary")
            eid = self._new_id(ts)
            if task is None:
                task = eid if kind == "intent" else (self.get(settles).task if settles else None)
            entry = Entry(
                id=eid,
                ts=ts,
                session=self.session,
                kind=kind,
                task=task,
                settles=settles,
                version=schema.CURRENT_VERSION,
                repo_state=dict(repo_state or {}),
                payload=typed,
            )
            try:
                body = schema.encode(entry)
                schema.decode(body)
            except (TypeError, ValueError) as e:
                raise InvalidEntry(f"the payload cannot be recorded: {e}") from e
            if len(body) > frames.MAX_BODY:
                raise EntryTooLarge(f"entry of {len(body)} bytes is over the {frames.MAX_BODY}-byte limit")
            self._write(body)
        if self.size_bytes() > max(self.max_bytes, self._compact_floor + self.segment_bytes):
            from diary.compaction import compact

            rep = compact(self, self.max_bytes // 2)
            self._compact_floor = rep.bytes_after  # open tasks may keep it big; do not retry every append
        return eid

    def compact(self, target_bytes: int | None = None) -> Any:
        """Fold old segments until the log fits `target_bytes` (default: half of `max_bytes`)."""
        from diary.compaction import compact

        return compact(self, self.max_bytes // 2 if target_bytes is None else target_bytes)

    def interrupted(self, *, exclude_session: str | None = None) -> list[Interrupted]:
        """Open intents of other sessions (this one's are in progress), each with what to do about it."""
        from diary.replay import interrupted_tasks

        return interrupted_tasks(list(self.entries()), exclude_session=exclude_session)

    def _new_id(self, ts: float) -> str:
        stamp = time.strftime("%y%m%d-%H%M%S", time.gmtime(ts))
        while True:
            eid = f"{stamp}-{secrets.token_hex(3)}"
            if eid not in self._ids:
                return eid

    def _writable(self, need: int) -> SegmentState:
        """The segment to append to: the last one, or a new one when it is full (rotation)."""
        last = max(self._segs) if self._segs else None
        if last is not None:
            seg = self._segs[last]
            if seg.header is not None and (
                seg.end == frames.SEGMENT_HEADER_SIZE or seg.end + need <= self.segment_bytes
            ):
                return seg
        n = (last or 0) + 1
        seg = SegmentState(n, self.dir / segments.segment_name(n))
        seg.header = frames.SegmentHeader(number=n, salt=frames.new_salt())
        head = frames.encode_header(seg.header)
        try:
            fd = os.open(seg.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                segments.write_all(fd, head)
                segments.fsync_fd(fd)
            finally:
                os.close(fd)
            segments.fsync_dir(self.dir)
        except OSError as e:
            seg.path.unlink(missing_ok=True)
            raise segments.io_error("creating segment", seg.path, e) from e
        seg.inode = os.stat(seg.path).st_ino
        seg.end = len(head)
        self._segs[n] = seg
        return seg

    def _write(self, body: bytes) -> None:
        seg = self._writable(frames.FRAME_HEADER_SIZE + len(body))
        assert seg.header is not None
        if self._wseg != seg.number:
            self._close_writer()
            try:
                self._wfd = os.open(seg.path, os.O_WRONLY)
            except OSError as e:
                raise segments.io_error("opening", seg.path, e) from e
            self._wseg = seg.number
        fd = self._wfd
        assert fd is not None
        offset = seg.end
        frame = frames.encode_frame(seg.header, offset, body)
        try:
            os.lseek(fd, offset, os.SEEK_SET)
            segments.write_all(fd, frame)
            segments.fsync_fd(fd)
        except OSError as e:
            self._undo_partial(fd, offset)
            raise segments.io_error("appending to", seg.path, e) from e
        self._index(seg.number, offset, len(frame), body)
        seg.end = offset + len(frame)

    def _undo_partial(self, fd: int, offset: int) -> None:
        """Cut a half-written frame so the log stays whole; recovery would cut it anyway."""
        try:
            os.ftruncate(fd, offset)
            segments.fsync_fd(fd)
        except OSError:
            self._close_writer()

    def _close_writer(self) -> None:
        if self._wfd is not None:
            try:
                os.close(self._wfd)
            except OSError as e:
                raise DiaryIOError(f"closing the diary segment failed: {e}") from e
            self._wfd = None
            self._wseg = None

    def close(self) -> None:
        self._close_writer()
        self._closed = True

    def __del__(self) -> None:
        # A caller that drops the log without close() must not leak the segment's descriptor.
        fd = getattr(self, "_wfd", None)
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> DevLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
