"""The typed payloads of DevLog records: one tagged Struct per kind of record.

Schema v2 stores a payload as one member of the `Payload` union, tagged in "type"; v1 stored a
free dict. `payload_of` reads either into the right Struct (chosen by the entry's kind and its
"op" or loop "step"), so the memory and every new reader match on types instead of guessing keys.
Keys a kind does not name (a free-form note's, an old writer's) are kept in `extra`, never lost.

Each payload also reads like the dict it replaced (`p.get("op")`, `p["files"]`, `p.items()`):
the readers written against v1 keep working, and `as_dict` gives back exactly the keys a writer
recorded. Optional fields default to UNSET so that a key never written is never invented.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar, TypeVar

import msgspec
from msgspec import UNSET, UnsetType

_SKIP = ("type", "extra")


class PayloadBase(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, tag_field="type"):
    """Common base: a one-line summary, and the keys this kind does not name."""

    summary: str | UnsetType = UNSET
    extra: dict[str, Any] = msgspec.field(default_factory=dict)

    tag_name: ClassVar[str] = ""

    # --- the v1 dict view ------------------------------------------------------------------------

    def get(self, key: str, default: Any = None) -> Any:
        attr = _RENAMED.get((type(self), key), key)
        if attr in self.__struct_fields__ and attr not in _SKIP:
            v = getattr(self, attr)
            if v is not UNSET:
                return _plain(msgspec.to_builtins(v))
        return _plain(self.extra[key]) if key in self.extra else default

    def __getitem__(self, key: str) -> Any:
        missing = object()
        v = self.get(key, missing)
        if v is missing:
            raise KeyError(key)
        return v

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key, _ABSENT) is not _ABSENT

    def keys(self) -> list[str]:
        return list(as_dict(self))

    def items(self) -> list[tuple[str, Any]]:
        return list(as_dict(self).items())

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())


_ABSENT = object()


def _plain(v: Any) -> Any:
    """JSON-shaped builtins: tuples become lists, as a v1 dict held them."""
    if isinstance(v, tuple | list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


Str = str | UnsetType
Int = int | UnsetType
Strs = tuple[str, ...] | UnsetType
Hashes = dict[str, str | None] | UnsetType


class IntentBody(PayloadBase, tag="intent", frozen=True):
    """Written before acting. A patch-path intent (`via` "patching") names its op and patch."""

    goal: Str = UNSET
    mode: Str = UNSET
    codes: Strs = UNSET
    step: Str = UNSET
    via: Str = UNSET
    op: Str = UNSET
    patch_id: Str = UNSET
    files: Strs = UNSET
    done_summary: Str = UNSET
    reverts: str | None | UnsetType = UNSET
    explanation: Str = UNSET
    diff: Str = UNSET
    diff_truncated: bool | UnsetType = UNSET
    addresses: tuple[dict[str, Any], ...] | UnsetType = UNSET  # DiagnosticRef as JSON
    source: Str = UNSET
    families: Strs = UNSET  # the fix families a patch was built from


class RunBody(PayloadBase, tag="run", frozen=True):
    op: str
    argv: Strs = UNSET
    cwd: Str = UNSET
    outcome: Str = UNSET
    returncode: int | None | UnsetType = UNSET
    duration_s: float | UnsetType = UNSET


class PatchBody(PayloadBase, tag="patch", frozen=True):
    """An apply, undo or redo as it landed (or, with status "failed", did not)."""

    op: str  # apply | undo | redo
    patch_id: Str = UNSET
    files: Strs = UNSET
    before: Hashes = UNSET
    after: Hashes = UNSET
    snapshot: Str = UNSET
    snapshot_before: Str = UNSET
    snapshot_after: Str = UNSET
    status: Str = UNSET
    reverts: str | None | UnsetType = UNSET
    explanation: Str = UNSET
    recovered: bool | UnsetType = UNSET
    step: Str = UNSET


class SnapshotBody(PayloadBase, tag="snapshot", frozen=True):
    op: str
    for_: Str = msgspec.field(default=UNSET, name="for")
    patch_id: Str = UNSET
    files: Strs = UNSET
    snapshot_before: Str = UNSET
    snapshot_after: Str = UNSET


class TryBody(PayloadBase, tag="try", frozen=True):
    """One repair candidate run through the sandbox: what the heads and the memory learn from."""

    op: str
    candidate: Str = UNSET
    family: Str = UNSET
    source: Str = UNSET
    addresses: Strs = UNSET
    edits: tuple[dict[str, Any], ...] | UnsetType = UNSET
    verdict: Str = UNSET
    check: Str = UNSET
    tests: Str = UNSET
    errors_after: Int = UNSET
    seconds: float | UnsetType = UNSET
    failing_tests: Strs = UNSET
    preexisting_failures: Strs = UNSET


class ActionBody(PayloadBase, tag="action", frozen=True):
    """Any other action: the core loop's `loop.do`/`loop.undo`, a tool's own op."""

    op: Str = UNSET
    step: Str = UNSET
    patch_id: Str = UNSET


class ValidationBody(PayloadBase, tag="validation", frozen=True):
    tool: Str = UNSET
    ok: bool | UnsetType = UNSET
    status: Str = UNSET
    errors: int | None | UnsetType = UNSET
    warnings: int | None | UnsetType = UNSET
    diagnostics: tuple[dict[str, Any], ...] | UnsetType = UNSET
    failed_tests: Strs = UNSET
    verdict: Str = UNSET
    reason: Str = UNSET
    patch_id: Str = UNSET
    written_ok: bool | UnsetType = UNSET
    step: Str = UNSET
    proofs: tuple[dict[str, Any], ...] | UnsetType = UNSET  # engine.patching.types.Proof as dicts


class ExplainBody(PayloadBase, tag="explain", frozen=True):
    """The core loop's Explain step: the stories told, in which mode."""

    step: str
    author: Str = UNSET
    mode: Str = UNSET
    count: Int = UNSET
    explanations: tuple[dict[str, Any], ...] | UnsetType = UNSET


class RejectBody(PayloadBase, tag="reject", frozen=True):
    """The user argued with a suggestion; `conceded` says whether Rusta gave way."""

    step: str
    author: Str = UNSET
    reason: Str = UNSET
    conceded: bool | UnsetType = UNSET
    answer: Str = UNSET
    evidence: tuple[dict[str, Any], ...] | UnsetType = UNSET
    outcome: Str = UNSET
    why: Str = UNSET
    code: str | None | UnsetType = UNSET


class ReflectionBody(PayloadBase, tag="reflection", frozen=True):
    """What was decided. A repair's reflection names the patch, its codes and fix families."""

    outcome: Str = UNSET
    why: Str = UNSET
    step: Str = UNSET
    patch_id: Str = UNSET
    codes: Strs = UNSET
    families: Strs = UNSET
    by: Str = UNSET  # "user" when the user turned the proposal down (not a dry run or a red sandbox)
    reason: Str = UNSET  # the user's words for it


class NoteBody(PayloadBase, tag="note", frozen=True):
    text: Str = UNSET
    author: Str = UNSET
    via: Str = UNSET
    step: Str = UNSET


class ForgetBody(PayloadBase, tag="forget", frozen=True):
    """The user told Rusta to forget one memory item (`rusta memory forget`); the memory is rebuilt
    from the DevLog, so the forgetting is recorded there too."""

    op: str  # "memory.forget"
    item: str  # the item's key, e.g. "pref:E0382:clone"


class CheckpointBody(PayloadBase, tag="checkpoint", frozen=True):
    """Compaction's note: the replay state of everything it folded away."""

    op: str
    state: dict[str, Any] | UnsetType = UNSET
    dropped: Int = UNSET
    kept: Strs = UNSET


Payload = (
    IntentBody
    | RunBody
    | PatchBody
    | SnapshotBody
    | TryBody
    | ActionBody
    | ValidationBody
    | ExplainBody
    | RejectBody
    | ReflectionBody
    | NoteBody
    | ForgetBody
    | CheckpointBody
)

_RENAMED: dict[tuple[type, str], str] = {(SnapshotBody, "for"): "for_"}
P = TypeVar("P", bound=PayloadBase)


def body_type(kind: str, d: dict[str, Any]) -> type[Payload]:
    """The Struct a record of `kind` with these keys is read into."""
    op, step = d.get("op"), d.get("step")
    op = op if isinstance(op, str) else None  # an old record's odd value is kept, not matched on
    step = step if isinstance(step, str) else None
    if kind == "intent":
        return IntentBody
    if kind == "action":
        by_op: dict[str | None, type[Payload]] = {
            "run": RunBody,
            "apply": PatchBody,
            "undo": PatchBody,
            "redo": PatchBody,
            "snapshot": SnapshotBody,
            "try": TryBody,
        }
        return by_op.get(op, ActionBody)
    if kind == "validation":
        return ValidationBody
    if step == "reject":
        return RejectBody
    if kind == "reflection":
        return ReflectionBody
    if op == "checkpoint":
        return CheckpointBody
    if op == "memory.forget":
        return ForgetBody
    if step == "explain":
        return ExplainBody
    return NoteBody


def _names(cls: type[PayloadBase]) -> dict[str, str]:
    """Wire key -> attribute name of the typed fields of `cls`."""
    info = msgspec.structs.fields(cls)
    return {f.encode_name: f.name for f in info if f.name not in _SKIP}


def payload_of(kind: str, d: dict[str, Any] | Payload, *, strict: bool = False) -> Payload:
    """`d` as its typed payload. A key whose value does not fit its field goes to `extra` (old
    logs are read, never refused), unless `strict`, when it raises msgspec.ValidationError."""
    if isinstance(d, PayloadBase):
        return d
    cls = body_type(kind, d)
    if strict:
        return _fit(cls, d, strict=True)
    try:
        return _fit(cls, d)
    except msgspec.ValidationError:  # a required field is missing or odd: the kind's plain Struct
        return _fit(_PLAIN.get(kind, NoteBody), d)


_PLAIN: dict[str, type[Payload]] = {
    "intent": IntentBody,
    "action": ActionBody,
    "validation": ValidationBody,
    "reflection": ReflectionBody,
}


def _fit(cls: type[P], d: dict[str, Any], *, strict: bool = False) -> P:
    names = _names(cls)
    known = {k: v for k, v in d.items() if k in names}
    extra = {k: v for k, v in d.items() if k not in names}
    try:
        return msgspec.convert({**known, "extra": extra}, cls)
    except msgspec.ValidationError:
        if strict:
            raise
    fitted: dict[str, Any] = {}
    required = {f.encode_name for f in msgspec.structs.fields(cls) if f.required}
    for k, v in sorted(known.items(), key=lambda kv: kv[0] not in required):  # required ones first
        try:
            msgspec.convert({**fitted, k: v}, cls)
            fitted[k] = v
        except msgspec.ValidationError:
            extra[k] = v
    return msgspec.convert({**fitted, "extra": extra}, cls)


def as_dict(p: PayloadBase | dict[str, Any]) -> dict[str, Any]:
    """The payload as the flat dict its writer recorded (no tag, extras in place)."""
    if isinstance(p, dict):
        return dict(p)
    out = _plain(msgspec.to_builtins(p))
    out.pop("type", None)
    extra = out.pop("extra", {})
    return {**out, **extra}


def tag_of(p: PayloadBase | dict[str, Any]) -> str:
    """The union tag of a payload ("patch", "try", ...); "" for an untyped dict."""
    return str(type(p).__struct_config__.tag) if isinstance(p, PayloadBase) else ""
