"""Typed DevLog payloads: each record is read into its Struct, old keys survive, bad writers are told."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diary import schema
from diary.devlog import DevLog
from diary.errors import InvalidEntry
from diary.payloads import (
    CheckpointBody,
    ExplainBody,
    IntentBody,
    NoteBody,
    PatchBody,
    Payload,
    ReflectionBody,
    RejectBody,
    RunBody,
    SnapshotBody,
    TryBody,
    ValidationBody,
    as_dict,
    payload_of,
)

CASES = [
    (
        "intent",
        {"summary": "apply p1", "via": "patching", "op": "apply", "patch_id": "p1", "reverts": None},
        IntentBody,
    ),
    (
        "action",
        {"summary": "cargo check", "op": "run", "argv": ["cargo", "check"], "returncode": 101},
        RunBody,
    ),
    ("action", {"summary": "applied", "op": "apply", "patch_id": "p1", "files": ["src/lib.rs"]}, PatchBody),
    ("action", {"summary": "undid", "op": "undo", "patch_id": "p1", "after": {"a.rs": None}}, PatchBody),
    ("action", {"summary": "snap", "op": "snapshot", "for": "apply", "patch_id": "p1"}, SnapshotBody),
    ("action", {"summary": "tried", "op": "try", "family": "clone", "addresses": ["E0382"]}, TryBody),
    ("validation", {"summary": "green", "tool": "check", "ok": True, "errors": 0}, ValidationBody),
    ("note", {"summary": "told", "step": "explain", "mode": "pair", "count": 2}, ExplainBody),
    ("note", {"summary": "argued", "step": "reject", "reason": "no", "conceded": False}, RejectBody),
    (
        "reflection",
        {"summary": "conceded", "step": "reject", "outcome": "rejected", "conceded": True},
        RejectBody,
    ),
    ("reflection", {"summary": "done", "outcome": "done", "families": ["clone"]}, ReflectionBody),
    ("note", {"summary": "hi", "text": "hi", "author": "user", "pad": "xx"}, NoteBody),
    ("note", {"summary": "cp", "op": "checkpoint", "state": {}, "kept": ["a"], "dropped": 3}, CheckpointBody),
]


@pytest.mark.parametrize(("kind", "d", "cls"), CASES)
def test_each_record_reads_into_its_struct_and_back_to_the_same_keys(kind: str, d: dict, cls: type) -> None:
    p = payload_of(kind, d)
    assert type(p) is cls
    assert as_dict(p) == d  # nothing invented, nothing lost (unknown keys kept in `extra`)
    assert {k: p.get(k) for k in d} == d and all(k in p for k in d)
    assert p.get("never-written", "absent") == "absent"


def test_v2_records_validate_at_decode_and_keep_their_type(tmp_path: Path) -> None:
    with DevLog.open(tmp_path) as log:
        a = log.append(
            "action", {"summary": "tried", "op": "try", "family": "clone", "verdict": "apply-safe"}
        )
        b = log.append("note", NoteBody(summary="typed", text="typed", author="rusta"))
    with DevLog.open(tmp_path, readonly=True) as log:
        got = log.get(a)
        assert got.version == schema.CURRENT_VERSION == 2
        assert isinstance(got.payload, TryBody) and got.payload.family == "clone"
        assert log.get(b).payload == NoteBody(summary="typed", text="typed", author="rusta")


def test_a_writer_whose_value_does_not_fit_is_refused_with_a_sentence(tmp_path: Path) -> None:
    with DevLog.open(tmp_path) as log, pytest.raises(InvalidEntry, match="does not fit a validation record"):
        log.append("validation", {"summary": "x", "ok": "yes"})


def test_a_v1_value_that_does_not_fit_is_kept_not_refused() -> None:
    v1 = msgspec.msgpack.encode(
        {
            "v": 1,
            "id": "e1",
            "ts": 1.0,
            "session": "s",
            "kind": "validation",
            "payload": {"ok": "yes", "tool": "check"},
        }
    )
    e = schema.decode(v1)
    assert isinstance(e.payload, ValidationBody) and e.payload.tool == "check"
    assert e.payload.get("ok") == "yes" and as_dict(e.payload) == {"ok": "yes", "tool": "check"}


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
_keys = st.sampled_from(
    [
        "summary",
        "op",
        "step",
        "patch_id",
        "files",
        "ok",
        "errors",
        "outcome",
        "type",
        "extra",
        "for",
        "by",
        "x",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(["intent", "action", "validation", "reflection", "note"]),
    d=st.dictionaries(_keys | st.text(max_size=6), _json, max_size=6),
)
def test_any_v1_dict_reads_back_as_written(kind: str, d: dict) -> None:
    """Whatever a v1 writer recorded, the typed payload gives back every key and value, and a v2
    record of it decodes to the same payload."""
    p = payload_of(kind, d)
    assert as_dict(p) == d
    assert all(p.get(k, "absent") == v for k, v in d.items())
    v2 = msgspec.msgpack.decode(msgspec.msgpack.encode(p), type=Payload)
    assert v2 == p


def test_an_odd_v1_value_beside_a_required_field_keeps_the_rest_typed() -> None:
    p = payload_of("action", {"summary": "s", "op": "apply", "files": 3, "patch_id": "p1"})
    assert isinstance(p, PatchBody) and p.summary == "s" and p.patch_id == "p1" and p.extra == {"files": 3}
    q = payload_of("note", {"summary": "half a forget", "op": "memory.forget"})  # its item is missing
    assert isinstance(q, NoteBody) and as_dict(q) == {"summary": "half a forget", "op": "memory.forget"}


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(["intent", "action", "validation", "reflection", "note", "bogus"]),
    d=st.dictionaries(_keys | st.text(max_size=6), _json, max_size=4),
    version=st.sampled_from([1, 2, 3]),
    settles=st.none() | st.text(max_size=4),
)
def test_index_fields_refuse_exactly_what_decode_refuses(kind: str, d: dict, version: int, settles) -> None:
    """Opening a log reads only (id, kind, settles) of each record; a body decode would refuse must
    be refused there too, or the index would list an entry that cannot be read."""
    raw = {"v": version, "id": "e1", "ts": 1.0, "session": "s", "kind": kind, "settles": settles}
    raw["payload"] = d if version != 2 else {"type": kind, **d}
    body = msgspec.msgpack.encode(raw)
    try:
        e = schema.decode(body)
    except schema.SchemaError:
        with pytest.raises(schema.SchemaError):
            schema.index_fields(body)
        return
    assert schema.index_fields(body) == (e.id, e.kind, e.settles)
