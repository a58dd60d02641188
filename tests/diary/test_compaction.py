"""Compaction under its size limit: open tasks kept, replay unchanged, and a crash between the
rename and the removal of old segments leaves a log that reads the same."""

from __future__ import annotations

import shutil
from pathlib import Path

from diary import schema
from diary.devlog import DevLog
from diary.replay import replay
from diary.verify import verify


def _fill(log: DevLog, n: int) -> str:
    open_intent = ""
    for k in range(n):
        t = log.append("intent", {"summary": f"task {k}"})
        p = {
            "summary": "apply",
            "op": "apply",
            "patch_id": f"p{k}",
            "files": ["a.rs"],
            "after": {"a.rs": f"h{k}"},
        }
        log.append("action", p, task=t)
        if k == 2:
            open_intent = t
            continue
        log.append("reflection", {"summary": "done", "outcome": "done"}, settles=t)
    return open_intent


def test_size_limit_is_kept_and_open_intents_survive(ram_path: Path) -> None:
    with DevLog.open(ram_path, segment_bytes=1500, max_bytes=6000) as log:
        keep = _fill(log, 120)  # compacts by itself as it grows
        # The floor is the checkpoint, which carries the undo stack (120 patches), plus the open task.
        cp = [e for e in log.entries() if e.payload.get("op") == "checkpoint"][-1]
        assert log.size_bytes() < 6000 + 1500 * 2 + len(schema.encode(cp))
        assert sum(p.stat().st_size for p in log.segment_files()) == log.size_bytes()
        ids = [e.id for e in log.entries()]
        assert keep in ids and [e.id for e in log.open_intents()] == [keep]
        st = replay(log.entries())
        assert st.checkpoint and len(st.applied) == 120 and st.tasks == 120 and st.settled == 119
        assert [t.intent.id for t in log.interrupted()] == [keep]
        assert log.interrupted(exclude_session=log.session) == []


def test_crash_between_rename_and_unlink_reads_the_same(ram_path: Path) -> None:
    d = ram_path / ".rusta" / "devlog"
    with DevLog.open(ram_path, segment_bytes=800) as log:
        _fill(log, 25)
        before = replay(log.entries())
        saved = ram_path / "saved"
        shutil.copytree(d, saved)
        rep = log.compact(1000)
        assert rep.dropped > 0 and len(rep.folded_segments) > 2
    # put back the old segments compaction removed, as if it died right after its rename
    for p in saved.glob("seg-*.log"):
        if not (d / p.name).exists():
            shutil.copy2(p, d / p.name)
    with DevLog.open(ram_path) as log:
        entries = list(log.entries())
        assert len({e.id for e in entries}) == len(entries)  # the kept copies are read once
        after = replay(entries)
        assert (after.applied, after.undone, after.tasks, after.settled, after.expected) == (
            before.applied,
            before.undone,
            before.tasks,
            before.settled,
            before.expected,
        )
        assert [t.intent for t in after.open_tasks] == [t.intent for t in before.open_tasks]
    v = verify(ram_path)
    assert v.ok and all(p.severity == "warning" for p in v.problems)
    with DevLog.open(ram_path) as log:  # the next compaction cleans the leftovers up
        log.compact(1000)
        assert replay(log.entries()).applied == before.applied
    assert not any(p.problem.startswith("duplicate") for p in verify(ram_path).problems)
