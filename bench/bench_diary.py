"""DevLog bench: append throughput and latency with fsync, recovery of a 100 MB log, kill -9 trials.

`python -m bench diary`. Sizes can be cut for a quick look with RUSTA_BENCH_QUICK=1.
`make bench-long` sets RUSTA_BENCH_KILL_TRIALS (10,000): that many kill -9 trials with compaction
off and as many with it on, instead of the usual 300 and 100. Not part of CI.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import time
from pathlib import Path

from diary import frames, indexcache, schema, segments
from diary.devlog import SEGMENT_BYTES, DevLog
from diary.torture import kill_trial
from diary.types import Entry
from diary.verify import verify

QUICK = os.environ.get("RUSTA_BENCH_QUICK") == "1"


def _appends(root: Path, n: int, pad: int) -> dict:
    lat = []
    with DevLog.open(root, session="bench") as log:
        t0 = time.perf_counter()
        for k in range(n):
            a = time.perf_counter()
            log.append("note", {"summary": f"note {k}", "pad": "x" * pad})
            lat.append(time.perf_counter() - a)
        total = time.perf_counter() - t0
    lat.sort()
    return {
        "appends_per_s": round(n / total, 1),
        "p50_ms": round(1000 * lat[len(lat) // 2], 3),
        "p99_ms": round(1000 * lat[int(len(lat) * 0.99)], 3),
        "max_ms": round(1000 * lat[-1], 3),
    }


def _build_big_log(root: Path, total_bytes: int) -> int:
    """Write a log of `total_bytes` directly with the frame encoder (one fsync per segment)."""
    d = segments.log_dir(root)
    d.mkdir(parents=True)
    rng = random.Random(0)
    n = written = 0
    seg_no = 0
    while written < total_bytes:
        seg_no += 1
        h = frames.SegmentHeader(number=seg_no, salt=frames.new_salt())
        buf = bytearray(frames.encode_header(h))
        while len(buf) < SEGMENT_BYTES and written + len(buf) < total_bytes:
            n += 1
            kind = "intent" if n % 4 == 1 else "action"
            e = Entry(
                id=f"big-{n:08d}",
                ts=1.8e9 + n,
                session="big",
                kind=kind,
                task=f"big-{n - (n - 1) % 4:08d}",
                version=1,
                payload={"summary": f"record {n}", "pad": "y" * rng.randint(200, 1800)},
            )
            buf += frames.encode_frame(h, len(buf), schema.encode(e))
        segments.write_file_durably(d / segments.segment_name(seg_no), bytes(buf))
        written += len(buf)
    return n


def run() -> dict:
    rows: list[dict] = []
    notes: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="rusta-bench-diary-"))
    n_app = 50 if QUICK else 2000
    for pad in (100, 4000):
        r = _appends(base / f"app{pad}", n_app, pad)
        rows.append({"case": f"append x{n_app}, ~{pad + 120} B, disk", **r})
    shm = Path("/dev/shm")
    if shm.is_dir():
        with tempfile.TemporaryDirectory(dir=shm) as d:
            r = _appends(Path(d), n_app, 100)
        rows.append({"case": f"append x{n_app}, ~220 B, tmpfs", **r})

    size = (2 if QUICK else 100) * 1024 * 1024
    big = base / "big"
    t0 = time.perf_counter()
    n = _build_big_log(big, size)
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    log = DevLog.open(big, readonly=True)
    ro = time.perf_counter() - t0
    assert len(log) == n
    tail = log.segment_files()[-1]
    t0 = time.perf_counter()
    with DevLog.open(big) as log:  # the first writable open: scans everything, writes the index caches
        first = time.perf_counter() - t0
    recs = []
    for cached in (False, True):  # a crash's torn tail, recovered without and with the caches
        if not cached:
            shutil.rmtree(indexcache.index_dir(segments.log_dir(big)), ignore_errors=True)
        with open(tail, "ab") as f:
            f.write(b"\xd7\x1a\x01\x00" + bytes(700))
        t0 = time.perf_counter()
        log = DevLog.open(big)
        recs.append(time.perf_counter() - t0)
        assert len(log) == n and len(log.recovery.damage) == 1
        log.close()
    t0 = time.perf_counter()
    v = verify(big)
    ver = time.perf_counter() - t0
    assert v.ok
    mb = size / 1024 / 1024
    rows.append({"case": f"open {mb:.0f} MB, read-only, no index cache", "seconds": round(ro, 2)})
    rows.append(
        {"case": f"open {mb:.0f} MB, first writable open (writes index caches)", "seconds": round(first, 2)}
    )
    rows.append({"case": f"recover {mb:.0f} MB, torn tail, no index cache", "seconds": round(recs[0], 2)})
    rows.append({"case": f"recover {mb:.0f} MB, torn tail", "seconds": round(recs[1], 2)})
    rows.append({"case": f"verify {mb:.0f} MB", "seconds": round(ver, 2)})
    notes.append(
        f"big log: {n} records, built in {built:.1f} s by the frame encoder (one fsync per 4 MiB segment)"
    )
    notes.append("append: fsync of the segment on every record (tmpfs: fsync is free, shows the CPU cost)")
    notes.append(
        "recover: open with repair after a torn tail; sealed segments are indexed from their caches "
        "(written by an earlier open), the last one is scanned (CRC and decode of every frame) and its "
        "tail cut into quarantine; 'no index cache' scans every segment; verify never uses the caches"
    )

    long_run = int(os.environ.get("RUSTA_BENCH_KILL_TRIALS", "0") or 0)
    trials = long_run or (3 if QUICK else 300)
    rng = random.Random(42)
    for mode, kw in (("no compaction", {}), ("compaction on", {"max_bytes": 40000})):
        root = base / f"kill-{mode.split()[0]}"
        res = []
        t0 = time.perf_counter()
        count = trials if mode == "no compaction" or long_run else trials // 3
        for seed in range(count):
            res.append(
                kill_trial(
                    root,
                    seed,
                    delay_s=rng.uniform(0.0, 0.2),
                    segment_bytes=8192 if kw else 32768,
                    during_open=seed % 7 == 6,
                    **kw,
                )
            )
        rows.append(
            {
                "case": f"kill -9, {mode}",
                "trials": len(res),
                "acked": sum(t.acked for t in res),
                "lost": sum(len(t.lost) for t in res),
                "torn_tails_cut": sum(1 for t in res if t.cut_bytes),
                "verify_failures": sum(1 for t in res if not t.verify_ok),
                "seconds": round(time.perf_counter() - t0, 1),
            }
        )
    notes.append("lost must be 0: every id the writer printed after append returned was found after recovery")
    notes.append(f"CRC32C: {__import__('diary.crc', fromlist=['x']).IMPLEMENTATION}")
    return {"title": "DevLog (diary)", "rows": rows, "notes": notes}
