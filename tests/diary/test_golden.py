"""Golden DevLogs in tests/golden/ replay to their recorded results, forever.

If this fails after a change to diary/, the change broke old logs: keep the old decoder (add a new
schema version instead) rather than regenerating the goldens.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from diary import frames, schema
from diary.devlog import DevLog
from diary.replay import replay
from tests.golden.make_golden import HERE, MAKERS, describe, install

NAMES = sorted(MAKERS)


def _holds(want: Any, got: Any, where: str) -> None:
    """`got` says everything `want` recorded, the same way; fields added since are allowed."""
    if isinstance(want, dict):
        assert isinstance(got, dict), where
        for k, v in want.items():
            assert k in got, f"{where}.{k} is gone"
            _holds(v, got[k], f"{where}.{k}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{where}: {got!r} != {want!r}"
        for i, (w, g) in enumerate(zip(want, got, strict=True)):
            _holds(w, g, f"{where}[{i}]")
    else:
        assert got == want, f"{where}: {got!r} != recorded {want!r}"


@pytest.mark.parametrize("name", NAMES)
def test_golden_log_replays_to_recorded_result(name: str, tmp_path: Path) -> None:
    want = json.loads((HERE / f"{name}.expected.json").read_text())
    got = json.loads(json.dumps(describe(install(name, tmp_path / "r")), sort_keys=True))
    _holds(want, got, name)


def test_a_changed_result_is_caught(tmp_path: Path) -> None:
    want = json.loads((HERE / "loop_v1.expected.json").read_text())
    got = json.loads(json.dumps(describe(install("loop_v1", tmp_path / "r")), sort_keys=True))
    got["replay"]["applied"] = got["replay"]["applied"][:-1]
    with pytest.raises(AssertionError):
        _holds(want, got, "loop_v1")


@pytest.mark.parametrize("name", NAMES)
def test_frames_decode_and_reencode(name: str) -> None:
    """Every whole frame decodes: a v1 one into typed payloads without losing a key, a v2 one back
    to the same content."""
    whole = 0
    for seg in sorted((HERE / name / "devlog").glob("seg-*.log")):
        data = seg.read_bytes()
        head = frames.decode_header(data)
        assert not isinstance(head, str), seg
        for item in frames.scan(head, data):
            if not isinstance(item, frames.Frame):
                continue
            whole += 1
            e = schema.decode(item.body)
            assert e.version == int(name.rsplit("_v", 1)[1])
            if e.version == 1:  # read into typed payloads, a v1 record loses no key and no value
                assert msgspec.msgpack.decode(schema.encode_v1(e)) == msgspec.msgpack.decode(item.body)
            else:  # the same content (optional fields added since may change the map's header bytes)
                assert msgspec.msgpack.decode(schema.encode(e)) == msgspec.msgpack.decode(item.body)
                assert schema.decode(schema.encode(e)) == e
            assert (
                frames.encode_frame(head, item.offset, item.body)
                == data[item.offset : item.offset + item.size]
            )
            # and today's writer records the same entry in v2, which reads back the same
            assert schema.decode(schema.encode(e)).payload == e.payload
    assert whole > 5


def test_goldens_cover_damage_compaction_and_an_interrupted_task() -> None:
    loaded = {n: json.loads((HERE / f"{n}.expected.json").read_text()) for n in NAMES}
    assert loaded["damaged_v1"]["recovery"] and loaded["damaged_v1"]["verify_after"]
    assert loaded["compacted_v1"]["replay"]["checkpoint"]
    assert loaded["loop_v1"]["replay"]["open_tasks"] and loaded["loop_v1"]["repo"]["mismatches"] == []


def test_one_history_in_v1_and_v2_replays_and_is_remembered_alike(tmp_path: Path) -> None:
    from engine.memory import store

    got = {}
    for name in ("loop_v1", "loop_v2"):
        root = install(name, tmp_path / name)
        state = replay(DevLog.open(root, readonly=True).entries())
        m = store.sync(root).memory
        got[name] = (
            msgspec.to_builtins(msgspec.structs.replace(state, open_tasks=())),
            [(x.code, x.count, x.places) for x in m.mistakes],
            [(p.code, p.family, p.kept, p.undone, p.rejected, p.edited) for p in m.prefs],
            m.records,
        )
    assert got["loop_v1"][1:] == got["loop_v2"][1:] and got["loop_v1"][1]  # E0382 met, in both
    v1, v2 = got["loop_v1"][0], got["loop_v2"][0]
    for key in ("applied", "undone"):  # the same stacks; only the records' random ids differ
        assert [(r["patch_id"], r["files"], r["summary"]) for r in v1[key]] == [
            (r["patch_id"], r["files"], r["summary"]) for r in v2[key]
        ]
    assert v1["expected"] == v2["expected"] and v1["tasks"] == v2["tasks"] and v1["entries"] == v2["entries"]
