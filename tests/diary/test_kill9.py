"""kill -9 of a real writer process at random moments: every acknowledged record survives recovery.

The writer (`diary.torture`) prints an id only after `append` returned; its frames reach the disk
in several write(2) calls, so many kills land mid-frame, mid-rotation or mid-compaction. The
bench (`python -m bench diary`) runs hundreds of these; CI runs a few dozen.
"""

from __future__ import annotations

import random
from pathlib import Path

from diary.devlog import DevLog
from diary.torture import kill_trial


def test_kill9_loses_no_acknowledged_record(tmp_path: Path) -> None:
    rng = random.Random(20261126)
    trials = [
        kill_trial(
            tmp_path, seed, delay_s=rng.uniform(0.0, 0.15), segment_bytes=16384, during_open=seed % 6 == 5
        )
        for seed in range(24)
    ]
    assert sum(1 for t in trials if t.acked) >= 8, (
        "the writer must have been killed mid-work, not before it began"
    )
    for t in trials:
        assert t.lost == (), t
        assert t.verify_ok, t


def test_kill9_during_compaction_keeps_open_intents(tmp_path: Path) -> None:
    rng = random.Random(7)
    trials = [
        kill_trial(tmp_path, seed, delay_s=rng.uniform(0.0, 0.2), segment_bytes=6000, max_bytes=30000)
        for seed in range(14)
    ]
    assert sum(1 for t in trials if t.acked) >= 5
    for t in trials:
        assert t.lost == (), t
        assert t.verify_ok, t
    log = DevLog.open(tmp_path, readonly=True)
    assert any(e.payload.get("op") == "checkpoint" for e in log.entries()), "compaction never ran"
