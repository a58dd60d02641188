"""The DevLog's reading side: an index of where each whole, verified record lies, and reading them.

The index is built by scanning the segment files (`diary.frames.scan_bodies`), or for a sealed
segment from its index cache (`diary.indexcache`), and caught up with other writers by `refresh`;
every read checks its frame again, so a file changed underneath (by a
compaction or repair in another process) is noticed and the index rebuilt. `diary.devlog.DevLog`
adds opening with recovery, and appending.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from diary import frames, indexcache, schema, segments
from diary.errors import DiaryIOError, EntryNotFound, NewerFormat
from diary.segments import SegmentState, StaleSegment
from diary.types import DamageReport, Entry, Location, RecoveryReport

SEGMENT_BYTES = 4 * 1024 * 1024  # rotate to a new segment past this size
MAX_BYTES = 256 * 1024 * 1024  # compact when the whole log grows past this


def new_session_id() -> str:
    return f"s{os.getpid()}-{secrets.token_hex(3)}"


class LogIndex:
    """Where every record of one repo's DevLog lies, kept up to date with the files; `DevLog` adds
    opening with recovery and appending. An RLock guards the index; readers never take the file lock."""

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
        self._distrust: set[int] = set()  # segments whose index cache a read found wrong: scanned instead

    def _report(self, *, repaired: bool, done: tuple[DamageReport, ...] = ()) -> RecoveryReport:
        pending = tuple(
            DamageReport(segment=s.path.name, start=d.start, end=d.end, reason=d.reason, at_tail=d.at_tail)
            for s in self._segs.values()
            for d in s.damage
        )
        return RecoveryReport(
            damage=done + pending, entries=len(self._locs), segments=len(self._segs), repaired=repaired
        )

    def _reset_index(self) -> None:
        self._close_writer()
        self._segs.clear()
        self._locs.clear()
        self._ids.clear()
        self._intents.clear()
        self._settled.clear()
        self._problems.clear()

    def _close_writer(self) -> None:
        """A reader holds no segment open for writing; `DevLog` closes its descriptor here."""

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
        sealed = not is_last and seg.number not in self._distrust
        try:
            if seg.header is None:
                with open(seg.path, "rb") as f:
                    st = os.fstat(f.fileno())  # before reading: the cache's key is the file that was read
                    seg.inode = st.st_ino
                    if sealed and self._from_cache(seg, st, f.read(frames.SEGMENT_HEADER_SIZE)):
                        return
                    f.seek(0)
                    data = f.read()
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
                seg.records, seg.problems = [], []
                keep = sealed and not self.readonly and not seg.damage and len(data) == st.st_size
                data = data[seg.end :]
            else:
                keep = False
                data = self._read(seg.path, seg.end)
        except FileNotFoundError:
            return
        except OSError as e:
            raise segments.io_error("reading", seg.path, e) from e
        base = seg.end
        seg.damage = [d for d in seg.damage if d.end <= base]  # damage before `base` is not scanned again
        index = self._index
        for item in frames.scan_bodies(seg.header, data, 0, base):
            if isinstance(item, frames.Damage):
                seg.damage.append(item)
                seg.end = item.end
            else:
                index(seg, *item)
                seg.end = item[0] + item[1]
        if seg.damage and seg.damage[-1].at_tail and is_last:
            seg.end = seg.damage[-1].start  # may be a write in progress: read it again next time
        if is_last:
            return  # its records stay gathered: the writer that seals it writes its cache from them
        if keep and not seg.damage and seg.records is not None:
            indexcache.save(self.dir, seg.number, st, seg.header, seg.records, seg.problems)
        seg.records, seg.problems = None, []  # sealed: no writer appends to it, nothing to gather

    def _from_cache(self, seg: SegmentState, st: os.stat_result, head: bytes) -> bool:
        """Index a sealed segment from its cache, if it has one made from this very file."""
        got = frames.decode_header(head)
        if isinstance(got, str):
            return False
        ix = indexcache.load(self.dir, seg.number, st, got)
        if ix is None:
            return False
        seg.header, seg.end, seg.damage = got, ix.size, []
        segno, ids, locs, intents, settled = seg.number, self._ids, self._locs, self._intents, self._settled
        for offset, size, eid, kind, settles in ix.records:  # what `_index` does, without a decode
            if eid in ids:
                continue
            ids[eid] = len(locs)
            locs.append(Location(segment=segno, offset=offset, size=size))
            if kind == "intent":
                intents[eid] = None
            if settles:
                settled.add(settles)
        self._problems.extend((segno, offset, why) for offset, why in ix.problems)
        return True

    def _index(self, seg: SegmentState, offset: int, size: int, body: bytes) -> None:
        """Index one verified frame of `seg`, and keep what its index cache will say of it."""
        segno = seg.number
        try:
            eid, kind, settles = schema.index_fields(body)
        except schema.SchemaError as err:
            self._problems.append((segno, offset, str(err)))
            if seg.records is not None:
                seg.problems.append((offset, str(err)))
            return
        if seg.records is not None:
            seg.records.append((offset, size, eid, kind, settles))
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
            self._distrust.add(loc.segment)  # damaged, or swapped by a compaction: scan it from now on
            if not self.readonly:
                indexcache.forget(self.dir, loc.segment)
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
