"""The per-segment index cache: an open that uses it indexes exactly what a full scan indexes, and
any change to a segment (compaction, repair, an edit, a torn or foreign cache, kill -9 of the
writer or of a process writing caches) falls back to scanning that segment."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from diary import frames, indexcache, segments
from diary.devlog import DevLog
from diary.logindex import LogIndex
from diary.torture import kill_trial

REPO = Path(__file__).resolve().parents[2]


def _state(log: LogIndex) -> tuple:
    return (list(log._locs), dict(log._ids), list(log._intents), set(log._settled), sorted(log._problems))


def _scanned(root: Path) -> tuple:
    """The index a full scan builds: the caches moved aside while a read-only open (which never
    writes one) reads the log."""
    d = indexcache.index_dir(segments.log_dir(root))
    aside = d.with_name("index-aside")
    if d.exists():
        d.rename(aside)
    try:
        return _state(DevLog.open(root, readonly=True))
    finally:
        if aside.exists():
            aside.rename(d)


def _fill(root: Path, n: int, *, segment_bytes: int = 2000) -> None:
    with DevLog.open(root, session="fill", segment_bytes=segment_bytes) as log:
        for k in range(n):
            t = log.append("intent", {"summary": f"task {k}", "pad": "p" * (k % 7) * 40})
            log.append("action", {"summary": "run", "op": "run", "argv": ["cargo", "check"]}, task=t)
            if k % 3:
                log.append("reflection", {"summary": "done", "outcome": "done"}, settles=t)


def _caches(root: Path) -> list[Path]:
    return sorted(indexcache.index_dir(segments.log_dir(root)).glob("*.idx"))


def test_rotation_and_opens_write_caches_of_sealed_segments_and_reads_them_back(ram_path: Path) -> None:
    _fill(ram_path, 40)  # one session: each segment's cache is written as the writer leaves it
    segs = DevLog.open(ram_path, readonly=True).segment_files()
    assert len(segs) > 4
    assert [p.stem for p in _caches(ram_path)] == [s.stem for s in segs[:-1]]  # never the last one
    cached = DevLog.open(ram_path, readonly=True)
    assert _state(cached) == _scanned(ram_path)
    assert [e.id for e in cached.entries()] == list(cached._ids)
    shutil.rmtree(indexcache.index_dir(segments.log_dir(ram_path)))
    DevLog.open(ram_path, readonly=True)
    assert _caches(ram_path) == []  # a read-only open writes nothing
    DevLog.open(ram_path).close()  # a writable one writes what it scanned
    assert [p.stem for p in _caches(ram_path)] == [s.stem for s in segs[:-1]]
    assert _state(DevLog.open(ram_path, readonly=True)) == _scanned(ram_path)


def test_an_edited_segment_or_a_torn_or_foreign_cache_is_scanned_again(ram_path: Path) -> None:
    _fill(ram_path, 40)
    DevLog.open(ram_path).close()
    caches = _caches(ram_path)
    want = _scanned(ram_path)
    caches[0].write_bytes(caches[0].read_bytes()[:-9])  # torn by a crash while it was written
    caches[1].write_bytes(caches[2].read_bytes())  # another segment's cache under this name
    raw = bytearray(caches[3].read_bytes())
    raw[-3] ^= 0xFF
    caches[3].write_bytes(bytes(raw))
    assert _state(DevLog.open(ram_path, readonly=True)) == want
    seg = DevLog.open(ram_path, readonly=True).segment_files()[4]
    data = seg.read_bytes()
    seg.write_bytes(data)  # the same bytes, written again: a new mtime, so the cache is not trusted
    assert (
        indexcache.load(seg.parent, 5, os.stat(seg), frames.SegmentHeader(number=5, salt=data[16:24])) is None
    )
    assert _state(DevLog.open(ram_path, readonly=True)) == want


def test_a_flipped_bit_the_cache_cannot_see_is_found_by_the_read(ram_path: Path) -> None:
    _fill(ram_path, 40)
    DevLog.open(ram_path).close()
    seg = DevLog.open(ram_path, readonly=True).segment_files()[1]
    st = os.stat(seg)
    data = bytearray(seg.read_bytes())
    data[len(data) // 2] ^= 0x10  # a disk error: same inode, size and mtime
    seg.write_bytes(bytes(data))
    os.utime(seg, ns=(st.st_atime_ns, st.st_mtime_ns))
    log = DevLog.open(ram_path)
    assert log.recovery.damage == ()  # the open trusted the cache: it did not read this segment
    list(log.entries())  # the read checks the frame, finds it wrong and scans the segment
    assert [d.segment for d in log._report(repaired=False).damage] == [seg.name]
    assert not indexcache.cache_path(seg.parent, 2).exists()
    log.append("note", {"summary": "after the flip"})  # the append repairs it, under the lock
    again = DevLog.open(ram_path, readonly=True)
    assert again.recovery.damage == () and _state(again) == _scanned(ram_path)


def test_compaction_and_repair_leave_no_cache_that_is_used(ram_path: Path) -> None:
    with DevLog.open(ram_path, segment_bytes=1500, max_bytes=1 << 30) as log:
        for k in range(60):
            t = log.append("intent", {"summary": f"task {k}"})
            log.append("reflection", {"summary": "done", "outcome": "done"}, settles=t)
    DevLog.open(ram_path).close()
    n_before = len(_caches(ram_path))
    with DevLog.open(ram_path, segment_bytes=1500, max_bytes=1 << 30) as log:
        log.compact(3000)
    log = DevLog.open(ram_path)  # the sweep drops the caches of folded segments
    assert len(_caches(ram_path)) < n_before
    assert _state(log) == _scanned(ram_path)
    assert any(e.payload.get("op") == "checkpoint" for e in log.entries())


def test_kill9_of_writers_and_of_cache_writers_never_leaves_a_wrong_index(tmp_path: Path) -> None:
    rng = random.Random(17)
    for seed in range(10):  # writers rotate every few records; each recovery writes caches
        t = kill_trial(
            tmp_path, seed, delay_s=rng.uniform(0.02, 0.2), segment_bytes=4096, during_open=seed % 4 == 3
        )
        assert t.lost == () and t.verify_ok, t
        assert _state(DevLog.open(tmp_path, readonly=True)) == _scanned(tmp_path)
    assert len(_caches(tmp_path)) > 5
    # A process that only opens the log, over and over, after dropping its caches: it is killed while
    # it writes them. The next open must index exactly what a scan does.
    script = (
        "import shutil, sys\nfrom diary.devlog import DevLog\nfrom diary import indexcache, segments\n"
        "d = indexcache.index_dir(segments.log_dir(sys.argv[1]))\n"
        "print('ready', flush=True)\n"
        "while True:\n    shutil.rmtree(d, ignore_errors=True)\n    DevLog.open(sys.argv[1]).close()\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    for _ in range(6):
        child = subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE, env=env
        )
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.15))
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert child.returncode == -signal.SIGKILL
        log = DevLog.open(tmp_path)
        assert _state(log) == _scanned(tmp_path)
        leftovers = [p for p in indexcache.index_dir(log.dir).iterdir() if p.suffix != ".idx"]
        assert leftovers == []  # the open swept the temp files of the killed cache writer
    shutil.rmtree(tmp_path / ".rusta")


def test_the_append_that_rotates_writes_the_cache_without_reading_the_segment_again(
    ram_path: Path, monkeypatch
) -> None:
    """Two writers take turns, so each seals segments holding the other's records too: the sealing
    writer's cache comes from what it indexed (its refresh read the other's frames), and the append
    that rotates scans no byte of the sealed segment."""
    a = DevLog.open(ram_path, session="a", segment_bytes=4000)
    b = DevLog.open(ram_path, session="b", segment_bytes=4000)
    scanned: list[int] = []
    real = frames.scan_bodies

    def counting(header, data, *args):  # noqa: ANN001, ANN202 - frames.scan_bodies, counted
        scanned.append(len(data) - (args[0] if args else 0))
        return real(header, data, *args)

    monkeypatch.setattr(frames, "scan_bodies", counting)
    rotations = 0
    for k in range(120):
        log = (a, b)[k % 2]
        before = len(log.segment_files())
        scanned.clear()
        t = log.append("intent", {"summary": f"task {k}", "pad": "q" * (k % 5) * 60})
        if len(log.segment_files()) > before:
            rotations += 1
            assert sum(scanned) < 1500, scanned  # the other writer's two new frames, not the sealed segment
        log.append("reflection", {"summary": "done", "outcome": "done"}, settles=t)
    a.close()
    b.close()
    assert rotations > 5
    segs = DevLog.open(ram_path, readonly=True).segment_files()
    assert [p.stem for p in _caches(ram_path)] == [s.stem for s in segs[:-1]]
    assert _state(DevLog.open(ram_path, readonly=True)) == _scanned(ram_path)
