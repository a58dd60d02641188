"""Hypothesis stateful test of the DevLog against a plain list: append, crash, reopen, compact.

A crash is what kill -9 or power loss leaves: a prefix of a frame, or zeros, after the last whole
record. The model is the list of acknowledged ids; compaction may only drop settled records.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from diary import frames, schema
from diary.devlog import DevLog
from diary.replay import replay
from diary.types import Entry

SEG = 700


class DevLogMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        shm = Path("/dev/shm")
        self.root = Path(tempfile.mkdtemp(prefix="rusta-hyp-", dir=shm if shm.is_dir() else None))
        self.log = DevLog.open(self.root, session="hyp", segment_bytes=SEG)
        self.model: list[str] = []
        self.open: list[str] = []
        self.applied: list[str] = []
        self.undone: list[str] = []
        self.n = 0

    def teardown(self) -> None:
        self.log.close()
        shutil.rmtree(self.root, ignore_errors=True)

    @rule(pad=st.integers(0, 300))
    def intent(self, pad: int) -> None:
        eid = self.log.append("intent", {"summary": "task", "pad": "p" * pad})
        self.model.append(eid)
        self.open.append(eid)

    @precondition(lambda self: self.open)
    @rule(which=st.integers(0, 1000), op=st.sampled_from(["apply", "undo", "redo", "run"]))
    def action(self, which: int, op: str) -> None:
        task = self.open[which % len(self.open)]
        if op == "undo" and not self.applied or op == "redo" and not self.undone:
            op = "run"
        self.n += 1
        pid = {"apply": f"p{self.n}", "undo": self.applied[-1] if self.applied else "", "run": ""}.get(
            op, self.undone[-1] if self.undone else ""
        )
        if op == "apply":
            self.applied.append(pid)
            self.undone.clear()
        elif op == "undo":
            self.undone.append(self.applied.pop())
        elif op == "redo":
            self.applied.append(self.undone.pop())
        eid = self.log.append(
            "action", {"summary": op, "op": op, "patch_id": pid, "files": ["a.rs"]}, task=task
        )
        self.model.append(eid)

    @precondition(lambda self: self.open)
    @rule(which=st.integers(0, 1000))
    def settle(self, which: int) -> None:
        task = self.open.pop(which % len(self.open))
        self.model.append(self.log.append("reflection", {"summary": "done", "outcome": "done"}, settles=task))

    @rule(text=st.text(max_size=40))
    def note(self, text: str) -> None:
        self.model.append(self.log.append("note", {"summary": text}))

    @precondition(lambda self: self.model)
    @rule(cut=st.integers(1, 400), zeros=st.booleans())
    def crash(self, cut: int, zeros: bool) -> None:
        """Leave a torn append after the last whole record, as a killed writer would, then restart."""
        self.log.close()
        last = max(self.root.joinpath(".rusta", "devlog").glob("seg-*.log"))
        data = last.read_bytes()
        head = frames.decode_header(data)
        assert not isinstance(head, str)
        e = Entry(id="torn", ts=1.0, session="x", kind="note", version=1, payload={"summary": "never acked"})
        frame = frames.encode_frame(head, len(data), schema.encode(e))
        torn = bytes(min(cut, len(frame) - 1)) if zeros else frame[: min(cut, len(frame) - 1)]
        with open(last, "ab") as f:
            f.write(torn)
            os.fsync(f.fileno())
        self.log = DevLog.open(self.root, session="hyp", segment_bytes=SEG)
        assert len(self.log.recovery.damage) == 1 and self.log.recovery.damage[0].at_tail

    @rule()
    def reopen(self) -> None:
        self.log.close()
        self.log = DevLog.open(self.root, session="hyp", segment_bytes=SEG)
        assert self.log.recovery.clean

    @rule(limit=st.integers(0, 3000))
    def compact(self, limit: int) -> None:
        before = list(self.log.entries())
        last_seg = max((loc.segment for _, loc in self.log.locations()), default=0)
        in_last = {e.id for e, loc in self.log.locations() if loc.segment == last_seg}
        s0 = replay(before)
        self.log.compact(limit)
        after = list(self.log.entries())
        ids = [e.id for e in after]
        kept = [i for i in ids if i in set(self.model)]
        it = iter(self.model)
        assert all(any(k == m for m in it) for k in kept), "compaction reordered records"
        for i in self.open:
            assert i in ids, "compaction dropped an unsettled intent"
        assert in_last <= set(ids), "compaction touched the active segment"
        s1 = replay(after)
        assert (s1.applied, s1.undone, s1.tasks, s1.entries) == (s0.applied, s0.undone, s0.tasks, s0.entries)
        assert [t.intent for t in s1.open_tasks] == [t.intent for t in s0.open_tasks]
        self.model = ids

    @invariant()
    def matches_model(self) -> None:
        got = [e.id for e in self.log.entries()]
        assert got == self.model
        assert [e.id for e in self.log.open_intents()] == self.open
        st_ = replay(self.log.entries())
        assert [p.patch_id for p in st_.applied] == self.applied
        assert [p.patch_id for p in st_.undone] == self.undone


DevLogMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=30, deadline=None)
TestDevLogMachine = DevLogMachine.TestCase
