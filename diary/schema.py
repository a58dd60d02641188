"""On-disk schema of DevLog entries: one msgpack map per frame, tagged with its version in "v".

Every version ever written keeps its wire Struct and its upgrade to `Entry` here, forever, so old
logs stay readable. A new version adds a Struct and a tag; it never changes an old one. The golden
logs under tests/golden/ fail the suite if an old version stops decoding to the same entries.

Version 1 (the first): id, ts, session, kind, task, settles, repo_state, payload (a free dict).
Version 2: the same, with `payload` a member of the `diary.payloads.Payload` union, tagged in
"type" and validated at decode. A v1 payload is read into the same Structs by `payload_of`.
"""

from __future__ import annotations

from typing import Any

import msgspec

from diary.payloads import Payload, payload_of
from diary.types import Entry, EntryKind

CURRENT_VERSION = 2


class WireV1(msgspec.Struct, tag_field="v", tag=1, frozen=True, kw_only=True, forbid_unknown_fields=True):
    id: str
    ts: float
    session: str
    kind: EntryKind
    task: str | None = None
    settles: str | None = None
    repo_state: dict[str, Any] = msgspec.field(default_factory=dict)
    payload: dict[str, Any] = msgspec.field(default_factory=dict)


class WireV2(msgspec.Struct, tag_field="v", tag=2, frozen=True, kw_only=True, forbid_unknown_fields=True):
    id: str
    ts: float
    session: str
    kind: EntryKind
    task: str | None = None
    settles: str | None = None
    repo_state: dict[str, Any] = msgspec.field(default_factory=dict)
    payload: Payload


Wire = WireV1 | WireV2

_encoder = msgspec.msgpack.Encoder()
_decoder: msgspec.msgpack.Decoder[Wire] = msgspec.msgpack.Decoder(Wire)


class SchemaError(ValueError):
    """A verified frame whose body is not an entry of any known version."""


def upgrade(w: Wire) -> Entry:
    """The current `Entry` for a wire record of any version."""
    if isinstance(w, WireV1):
        return Entry(
            id=w.id,
            ts=w.ts,
            session=w.session,
            kind=w.kind,
            task=w.task,
            settles=w.settles,
            version=1,
            repo_state=w.repo_state,
            payload=payload_of(w.kind, w.payload),
        )
    if isinstance(w, WireV2):
        return Entry(
            id=w.id,
            ts=w.ts,
            session=w.session,
            kind=w.kind,
            task=w.task,
            settles=w.settles,
            version=2,
            repo_state=w.repo_state,
            payload=w.payload,
        )
    raise SchemaError(f"no upgrade for {type(w).__name__}")


def encode(e: Entry) -> bytes:
    """The frame body of `e`, in the current version. A dict payload is typed first, strictly: a
    writer whose value does not fit its field is told so (msgspec.ValidationError, a ValueError)."""
    return _encoder.encode(
        WireV2(
            id=e.id,
            ts=e.ts,
            session=e.session,
            kind=e.kind,
            task=e.task,
            settles=e.settles,
            repo_state=e.repo_state,
            payload=payload_of(e.kind, e.payload, strict=True),
        )
    )


def encode_v1(e: Entry) -> bytes:
    """The frame body of `e` as version 1 wrote it (the golden logs check old bytes still match)."""
    from diary.payloads import as_dict

    return _encoder.encode(
        WireV1(
            id=e.id,
            ts=e.ts,
            session=e.session,
            kind=e.kind,
            task=e.task,
            settles=e.settles,
            repo_state=e.repo_state,
            payload=as_dict(e.payload),
        )
    )


def decode(body: bytes) -> Entry:
    try:
        return upgrade(_decoder.decode(body))
    except msgspec.DecodeError as e:
        raise SchemaError(str(e)) from e


def index_fields(body: bytes) -> tuple[str, str, str | None]:
    """(id, kind, settles) of a frame body, refusing exactly what `decode` refuses, without building
    the Entry: all that opening a log needs of each of its ~100k records."""
    try:
        w = _decoder.decode(body)
        if isinstance(w, WireV1):
            upgrade(w)  # a v1 payload is converted on read: one that cannot be is refused by decode too
    except msgspec.DecodeError as e:
        raise SchemaError(str(e)) from e
    return w.id, w.kind, w.settles
