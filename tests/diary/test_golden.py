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
def test_v1_frames_decode_and_reencode_byte_for_byte(name: str) -> None:
    """The v1 decoder reads every whole frame into typed payloads without losing a key."""
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
            assert e.version == 1
            # read into typed payloads, a v1 record loses no key and no value
            assert msgspec.msgpack.decode(schema.encode_v1(e)) == msgspec.msgpack.decode(item.body)
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
