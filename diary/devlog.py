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
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from diary import frames, indexcache, schema, segments
from diary.errors import DiaryIOError, EntryTooLarge, InvalidEntry
from diary.logindex import MAX_BYTES, SEGMENT_BYTES, LogIndex, new_session_id
from diary.payloads import Payload, PayloadBase, payload_of
from diary.rustadir import ensure_rusta_dir
from diary.segments import SegmentState
from diary.types import KINDS, Entry, EntryKind, Interrupted, RecoveryReport

__all__ = ["MAX_BYTES", "SEGMENT_BYTES", "DevLog", "new_session_id"]


class DevLog(LogIndex):
    """One repo's diary. Use `DevLog.open(root)`. Safe across processes (flock) and between threads
    sharing one instance (an RLock guards the index); readers never take the file lock."""

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

    def _repair(self) -> RecoveryReport:
        """Under the writer lock: scan, then cut every damaged range out, keeping its bytes aside."""
        from diary.recovery import repair

        return repair(self)

    # --- writing --------------------------------------------------------------------------------

    def append(
        self,
        kind: EntryKind,
        payload: dict[str, Any] | Payload,
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

            compacted = compact(self, self.max_bytes // 2)
            self._compact_floor = (
                compacted.bytes_after
            )  # open tasks may keep it big; do not retry every append
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
            if seg.header is not None and not seg.damage:  # sealed now: the next open reads its cache
                indexcache.save_sealed(self.dir, seg)
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
        seg.records = []  # every frame of it is this writer's: the cache at its sealing comes from these
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
        self._index(seg, offset, len(frame), body)
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
