"""The memory's fold, store and words on scripted DevLog histories (real DevLogs in tmp_path).

The records are written in the shapes the real writers use (the patch path's apply/undo, the
repair's reflection, the loop's explain and reject notes); the CLI tests drive the writers
themselves on real crates.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diary.devlog import DevLog
from diary.payloads import payload_of
from diary.types import Entry
from engine.edits import Edit
from engine.memory import store
from engine.memory.errors import NoSuchItem
from engine.memory.fold import fold
from engine.memory.priors import PriorWeights, adjustment, arrange, retired
from engine.memory.types import Cursor, Memory, StyleFact, Voice
from engine.memory.words import show, stubbornness, study_line
from engine.repair.types import Candidate

HOUR = 3600.0


class Clock:
    def __init__(self) -> None:
        self.t = 1_796_000_000.0

    def __call__(self) -> float:
        self.t += 1.0
        return self.t


def applied(log: DevLog, pid: str, code: str, family: str, before: str = "h0", after: str = "h1") -> None:
    """What `rusta fix --yes` writes: the patch path's intent and apply, then the repair's reflection."""
    task = log.append("intent", {"summary": "repair", "goal": "repair"})
    log.append("action", {"summary": "tried", "op": "try", "family": family, "addresses": [code]}, task=task)
    i = log.append("intent", {"summary": f"apply {pid}", "via": "patching", "op": "apply", "patch_id": pid})
    log.append(
        "action",
        {
            "summary": "applied",
            "op": "apply",
            "patch_id": pid,
            "files": ["src/lib.rs"],
            "status": "done",
            "before": {"src/lib.rs": before},
            "after": {"src/lib.rs": after},
        },
        settles=i,
    )
    log.append(
        "reflection",
        {"summary": "applied", "outcome": "done", "patch_id": pid, "codes": [code], "families": [family]},
        settles=task,
    )


def moved(log: DevLog, op: str, pid: str, before: str, after: str) -> None:
    i = log.append("intent", {"summary": f"{op} {pid}", "via": "patching", "op": op, "patch_id": pid})
    log.append(
        "action",
        {
            "summary": op,
            "op": op,
            "patch_id": pid,
            "files": ["src/lib.rs"],
            "status": "done",
            "before": {"src/lib.rs": before},
            "after": {"src/lib.rs": after},
        },
        settles=i,
    )


def rejected(log: DevLog, code: str, family: str, reason: str) -> None:
    task = log.append("intent", {"summary": "repair", "goal": "repair"})
    log.append(
        "reflection",
        {
            "summary": "no",
            "outcome": "rejected",
            "by": "user",
            "reason": reason,
            "patch_id": "px",
            "codes": [code],
            "families": [family],
        },
        settles=task,
    )


def explained(log: DevLog, code: str, place: str, message: str) -> None:
    file, line = place.split(":")
    task = log.append("intent", {"summary": "explain", "step": "say"})
    log.append(
        "note",
        {
            "summary": "told",
            "step": "explain",
            "mode": "study",
            "count": 1,
            "explanations": [
                {"code": code, "message": message, "primary": {"file": file, "line": int(line)}}
            ],
        },
        task=task,
    )


def cand(family: str, text: str = "&") -> Candidate:
    return Candidate(
        id=family,
        edits=(Edit(file="src/lib.rs", start=1, end=1, replacement=text),),
        description=f"the {family} fix",
        source="template",
        family=family,
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "m"\nversion = "0.1.0"\nedition = "2021"\n')
    return tmp_path


def test_undo_redo_and_an_edit_afterwards_are_counted(root: Path) -> None:
    with DevLog.open(root, clock=Clock()) as log:
        applied(log, "p1", "E0382", "clone")
        moved(log, "undo", "p1", "h1", "h0")
        moved(log, "redo", "p1", "h0", "h1")
        applied(log, "p2", "E0382", "clone", before="EDITED", after="h2")  # the user changed p1's file
    p = next(p for p in store.sync(root).memory.prefs if p.family == "clone")
    assert (p.kept, p.undone, p.edited) == (2, 0, 1)
    assert [s.what for s in p.seen] == ["kept", "undone", "kept", "edited", "kept"]


def test_incremental_syncs_fold_to_the_same_memory_as_one(root: Path) -> None:
    clock = Clock()
    with DevLog.open(root, clock=clock) as log:
        applied(log, "p1", "E0382", "clone")
    first = store.sync(root)
    assert first.rebuilt and first.folded > 0
    with DevLog.open(root, clock=clock) as log:
        moved(log, "undo", "p1", "h1", "h0")
        rejected(log, "E0382", "clone", "hides the bug")
    second = store.sync(root)
    assert not second.rebuilt and second.folded == 4  # only what was written since (2 + 2 records)
    assert store.sync(root).folded == 0
    shutil.rmtree(root / ".rusta" / "memory")
    assert store.sync(root).memory == second.memory


def test_two_refusals_retire_a_family_and_forgetting_brings_it_back(root: Path) -> None:
    with DevLog.open(root, clock=Clock()) as log:
        applied(log, "p1", "E0382", "clone")
        moved(log, "undo", "p1", "h1", "h0")
        rejected(log, "E0382", "clone", "hides the bug")
    m = store.sync(root).memory
    cands = [cand("clone"), cand("borrow"), cand("move")]
    assert retired(m, "E0382", "clone") is not None and adjustment(m, "E0382", "clone") < 0
    order = arrange(cands, "E0382", m)
    assert [c.family for c in order] == ["borrow", "move", "clone"]
    assert "you rejected or undid this twice; here is why I still think so" in order[-1].description
    assert [c.family for c in arrange(cands, "E0499", m)] == ["clone", "borrow", "move"]  # per code
    store.forget(root, "pref:E0382:clone")
    m2 = store.load(root)
    assert m2 is not None and retired(m2, "E0382", "clone") is None
    assert [c.family for c in arrange(cands, "E0382", m2)] == ["clone", "borrow", "move"]
    shutil.rmtree(root / ".rusta" / "memory")
    assert store.sync(root).memory == m2  # the forgetting is in the DevLog


def test_forget_of_an_unknown_item_says_so_and_records_nothing(root: Path) -> None:
    with DevLog.open(root, clock=Clock()) as log:
        rejected(log, "E0382", "clone", "no")
    before = store.sync(root).memory
    with pytest.raises(
        NoSuchItem, match=r"remembers no item 'pref:E0382:clon'; did you mean pref:E0382:clone\?"
    ):
        store.forget(root, "pref:E0382:clon")
    assert store.sync(root).memory == before


def test_study_line_counts_meetings_not_reruns(root: Path) -> None:
    clock = Clock()
    with DevLog.open(root, clock=clock) as log:
        explained(log, "E0502", "src/lib.rs:40", "cannot borrow `v` as mutable")
        explained(log, "E0502", "src/lib.rs:40", "cannot borrow `v` as mutable")  # the same, asked twice
    m = store.sync(root).memory
    assert m.mistakes[0].count == 1
    now = clock.t
    assert study_line(m, "E0502", "src/lib.rs:40", "cannot borrow `v` as mutable", now) == ""
    said = study_line(m, "E0502", "src/main.rs:7", "cannot borrow `w` as mutable", now)
    assert said == "Second E0502 this week: the last one was at src/lib.rs:40."
    with DevLog.open(root, clock=clock) as log:
        explained(log, "E0502", "src/main.rs:7", "cannot borrow `w` as mutable")
    m = store.sync(root).memory
    assert study_line(m, "E0502", "src/lib.rs:40", "cannot borrow `v` as mutable", now) == (
        "Third E0502 this week: src/lib.rs:40 again."
    )
    assert (
        study_line(m, "E0502", "src/x.rs:1", "m", now + 30 * 24 * HOUR)
        == "Third E0502 in this repo: the last one was at src/main.rs:7."
    )


def test_the_voice_stays_within_bounds() -> None:
    assert stubbornness(Voice()) == 0.5
    assert stubbornness(Voice(argued=20, rusta_held=20)) == 0.8
    assert stubbornness(Voice(argued=20, conceded=20)) == 0.2
    assert 0.5 < stubbornness(Voice(argued=3, rusta_held=2, conceded=1)) < 0.8


def test_show_explains_each_item(root: Path) -> None:
    with DevLog.open(root, clock=Clock()) as log:
        rejected(log, "E0382", "clone", "hides the bug")
        rejected(log, "E0382", "clone", "still hides it")
    items = dict(show(store.sync(root).memory))
    said = items["pref:E0382:clone"]
    assert "rejected 2" in said and 'Your reason: "still hides it"' in said
    assert "Learned from 2 rejections on 2026-" in said and "retired: refused 2 times" in said


def test_a_memory_of_another_version_is_rebuilt(root: Path) -> None:
    with DevLog.open(root, clock=Clock()) as log:
        rejected(log, "E0382", "clone", "no")
    good = store.sync(root).memory
    path = store.memory_path(root)
    path.write_bytes(msgspec.json.encode(msgspec.structs.replace(good, version=99)))
    assert store.load(root) is None
    assert store.sync(root).memory == good
    assert fold(Memory(), []) == Memory(cursor=Cursor())


def test_the_repos_way_of_passing_an_error_on_moves_its_candidate_up() -> None:
    m = Memory(style=(StyleFact(name="error-handling", value="?", counts=(("?", 9), (".unwrap()", 1))),))
    w = PriorWeights(style_bonus=0.75)  # the mechanism; the shipped number is fitted (test_priors_fit)
    cands = [cand("unwrap", ".unwrap()"), cand("question", "?"), cand("expect", '.expect("present")')]
    assert [c.family for c in arrange(cands, "E0308", m, w=w)] == ["question", "unwrap", "expect"]
    assert [c.family for c in arrange(cands, "E0308", Memory(), w=w)] == ["unwrap", "question", "expect"]
    # a habit worth less than two places: three places behind, `?` stays behind
    far = [cand("unwrap", ".unwrap()"), cand("a"), cand("b"), cand("question", "?")]
    assert [c.family for c in arrange(far, "E0308", m, w=w)][-1] == "question"
    assert [c.family for c in arrange(cands, "E0308", m, w=PriorWeights(style_bonus=0.0))][0] == "unwrap"


@settings(max_examples=200, deadline=None)
@given(
    records=st.lists(
        st.tuples(
            st.sampled_from(["intent", "action", "validation", "reflection", "note"]),
            st.dictionaries(
                st.sampled_from(
                    [
                        "op",
                        "step",
                        "patch_id",
                        "after",
                        "before",
                        "codes",
                        "families",
                        "outcome",
                        "by",
                        "explanations",
                        "diagnostics",
                        "addresses",
                        "conceded",
                        "explanation",
                        "item",
                        "status",
                    ]
                ),
                st.sampled_from(
                    [
                        "apply",
                        "undo",
                        "redo",
                        "try",
                        "loop.do",
                        "reject",
                        "explain",
                        "memory.forget",
                        "done",
                        "rejected",
                        "user",
                        True,
                        False,
                        3,
                        None,
                        ["E0382"],
                        ["x", 1],
                        {"src/lib.rs": "h"},
                        {"src/lib.rs": 5},
                        [{"code": "E0382"}],
                        [3],
                        {"code": 1},
                    ]
                ),
                max_size=6,
            ),
        ),
        max_size=12,
    )
)
def test_any_old_record_folds_without_error_and_the_memory_round_trips(records: list) -> None:
    """Old logs may hold anything under any key; the fold never raises and what it makes saves and
    loads as the same memory."""
    entries = [
        (
            Entry(
                id=f"e{i}", ts=1.0 + i, session="s", kind=k, task="e0", version=1, payload=payload_of(k, d)
            ),
            Cursor(entry=f"e{i}", ts=1.0 + i, segment=1, offset=i),
        )
        for i, (k, d) in enumerate(records)
    ]
    m = fold(Memory(), entries)
    assert msgspec.json.decode(msgspec.json.encode(m), type=Memory) == m
