"""Fold DevLog records into the memory: a pure function from (Memory, records) to Memory.

What each record teaches (the payloads are `diary.payloads` Structs, matched by type):
- a patch applied (PatchBody "apply") is kept until an undo of the same patch id says otherwise;
  its (code, family) pairs come from the repair's reflection (`families`, `codes`) or from the
  core loop's `loop.do` record (the explanation's code; rustc's suggestion gets the repair's family
  for it, "rustc:<applicability>", a template's "explain:<source>");
- an undo moves the patch's pairs from kept to undone (and takes back the mistake's resolution by
  them), a redo back;
- the next patch operation's `before` hashes differing from a patch's `after` hashes: the user
  edited the patched files afterwards (with no operation since, `edited_since` compares the files
  as they are at sync time);
- a repair reflection turned down `by` the user: rejected, with their reason;
- a core-loop reject: the user argued; Rusta held or conceded (the voice);
- codes in a task's stories, tried candidates and validations: mistakes met, once per task;
- a forget note: the item and its effect are gone, as of that record.
Being pure and incremental, folding the log in one go or in pieces gives the same memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, TypeVar

import msgspec
from msgspec import UNSET

from diary.payloads import (
    ActionBody,
    ExplainBody,
    ForgetBody,
    PatchBody,
    PayloadBase,
    ReflectionBody,
    RejectBody,
    TryBody,
    ValidationBody,
)
from diary.types import Entry
from engine.memory.types import Cursor, FamilyPref, Memory, Mistake, PatchMemo, Seen, Voice

T = TypeVar("T")

KEEP_SEEN = 20  # evidence kept per item, newest last
KEEP_PATCHES = 50
KEEP_PLACES = 5
SAME_MEETING_S = 600
KEEP_MARKS = 64


def occurrence_mark(code: str, message: str, file: str, spanned: Iterable[str]) -> str:
    """Who a diagnostic is, independent of when it was seen and of its line number: its code, rustc's
    words, its file and the source text of the lines it spans (blanks squeezed). Re-running a check on
    unchanged code, or after an edit elsewhere in the file moved the line, gives the same mark, so the
    memory does not count Rusta's own re-runs as the user making the mistake again; rewriting the
    spanned code into the same error gives a new one. "" when there is no code to identify."""
    text = "\n".join(" ".join(line.split()) for line in spanned)
    if not code or not text.strip():
        return ""
    return hashlib.sha1("\0".join((code, message, file, text)).encode()).hexdigest()[:16]


class _At(NamedTuple):
    """Where and when a piece of evidence was learned, when it is not one DevLog record's own."""

    id: str  # the DevLog record it belongs to
    ts: float


class _Folder:
    """The memory as mutable dicts while a batch of records is folded."""

    def __init__(self, m: Memory) -> None:
        self.m = m
        self.prefs = {(p.code, p.family): p for p in m.prefs}
        self.mistakes = {x.code: x for x in m.mistakes}
        self.voice = m.voice
        self.patches = {p.patch_id: p for p in m.patches}
        self.forgotten = list(m.forgotten)
        self.task_codes: dict[str, set[str]] = {}  # per task in this batch: codes already counted

    # --- preferences ---------------------------------------------------------------------------

    def pref(
        self,
        code: str,
        family: str,
        e: Entry | _At,
        what: str,
        note: str = "",
        refused: str = "",
        **delta: int,
    ) -> None:
        p = self.prefs.get((code, family)) or FamilyPref(code=code, family=family)
        changes: dict = {k: max(0, getattr(p, k) + v) for k, v in delta.items()}
        if refused:
            changes["refused_patches"] = (*(x for x in p.refused_patches if x != refused), refused)[
                -KEEP_SEEN:
            ]
        seen = (*p.seen, Seen(entry=e.id, ts=e.ts, what=what, note=note))[-KEEP_SEEN:]  # type: ignore[arg-type]
        reasons = (*p.reasons, note)[-KEEP_SEEN:] if what == "rejected" and note else p.reasons
        self.prefs[(code, family)] = msgspec.structs.replace(p, **changes, seen=seen, reasons=reasons)

    def patch_applied(self, e: Entry, b: PatchBody) -> None:
        pid = _of(b, "patch_id", "")
        self.check_edits(e, b)
        old = self.patches.pop(pid, None)
        memo = PatchMemo(patch_id=pid, pairs=old.pairs if old else (), after=_of(b, "after", {}), entry=e.id)
        self.patches[pid] = memo
        for code, fam in memo.pairs:
            self.pref(code, fam, e, "kept", kept=1)
        while len(self.patches) > KEEP_PATCHES:
            self.patches.pop(next(iter(self.patches)))

    def attribute(self, e: Entry, pid: str, pairs: list[tuple[str, str]]) -> None:
        """Name the (code, family) pairs of an applied patch (they arrive after its apply record)."""
        memo = self.patches.get(pid)
        if memo is None or not pairs:
            return
        new = [p for p in pairs if p not in memo.pairs]
        if memo.state == "applied":
            for code, fam in new:
                self.pref(code, fam, e, "kept", kept=1)
                self.resolved(code, fam)
        self.patches[pid] = msgspec.structs.replace(memo, pairs=(*memo.pairs, *new))

    def patch_moved(self, e: Entry, b: PatchBody, op: str) -> None:
        pid = _of(b, "patch_id", "")
        self.check_edits(e, b)
        memo = self.patches.get(pid)
        if memo is None:
            return
        if op == "undo" and memo.state == "applied":
            for code, fam in memo.pairs:
                self.pref(code, fam, e, "undone", refused=pid, kept=-1, undone=1)
                self.resolved(code, fam, -1)  # the mistake did not go away with it after all
            self.patches[pid] = msgspec.structs.replace(memo, state="undone", after={})
        elif op == "redo" and memo.state == "undone":
            for code, fam in memo.pairs:
                self.pref(code, fam, e, "kept", kept=1, undone=-1)
                self.resolved(code, fam)
            self.patches[pid] = msgspec.structs.replace(
                memo, state="applied", after=_of(b, "after", {}), entry=e.id
            )

    def check_edits(self, e: Entry, b: PatchBody) -> None:
        """A patch whose files were changed by hand before this operation was edited afterwards."""
        before: dict[str, Any] = _of(b, "before", {})
        for pid, memo in list(self.patches.items()):
            shared = [f for f in memo.after if f in before]
            if not shared:
                continue
            if any(before[f] != memo.after[f] for f in shared):
                for code, fam in memo.pairs:
                    self.pref(code, fam, e, "edited", edited=1)
            self.patches[pid] = msgspec.structs.replace(memo, after={})

    # --- mistakes ------------------------------------------------------------------------------

    def met(self, e: Entry, code: str, place: str = "", message: str = "", mark: str = "") -> None:
        """One sighting of `code`; a new meeting (count + 1) at most once per task, and never for a
        `mark` (see `occurrence_mark`) already counted: the same mistake seen again is not a repeat."""
        if not code:
            return
        task = e.task or e.id
        counted = self.task_codes.setdefault(task, set())
        x = self.mistakes.get(code) or Mistake(code=code)
        known = bool(mark) and any(m == mark for m, _ in x.marks)
        if code in counted or known:
            marks = x.marks if known or not mark else (*x.marks, (mark, x.count))[-KEEP_MARKS:]
            places = (*x.places, place)[-KEEP_PLACES:] if place and place not in x.places else x.places
            self.mistakes[code] = msgspec.structs.replace(x, places=places, marks=marks)
            return
        counted.add(code)
        if not mark and _same_meeting(x, e.ts, place, message):
            return
        self.mistakes[code] = msgspec.structs.replace(
            x,
            count=x.count + 1,
            places=(*x.places, place)[-KEEP_PLACES:] if place else x.places,
            messages=(*[m for m in x.messages if m != message], message)[-3:] if message else x.messages,
            seen=(*x.seen, Seen(entry=e.id, ts=e.ts, what="met", note=message))[-KEEP_SEEN:],
            marks=(*x.marks, (mark, x.count + 1))[-KEEP_MARKS:] if mark else x.marks,
        )

    def resolved(self, code: str, family: str, n: int = 1) -> None:
        """`n` more times the mistake went away with `family` (-1: a patch of it was undone)."""
        x = self.mistakes.get(code)
        if x is None:
            return
        by = dict(x.resolved)
        by[family] = by.get(family, 0) + n
        kept = tuple(sorted((k, v) for k, v in by.items() if v > 0))
        self.mistakes[code] = msgspec.structs.replace(x, resolved=kept)

    # --- forgetting ----------------------------------------------------------------------------

    def forget(self, key: str) -> None:
        kind, _, rest = key.partition(":")
        if kind == "pref":
            code, _, family = rest.partition(":")
            self.prefs.pop(("" if code == "-" else code, family), None)
            self.patches = {
                k: msgspec.structs.replace(p, pairs=tuple(x for x in p.pairs if x != (code, family)))
                for k, p in self.patches.items()
            }
        elif kind == "mistake":
            self.mistakes.pop(rest, None)
        elif key == "voice":
            self.voice = Voice()
        elif kind == "style" and key not in self.forgotten:
            self.forgotten.append(key)
        elif key == "all":
            self.prefs.clear()
            self.mistakes.clear()
            self.voice = Voice()
            self.patches.clear()

    def done(self, cursor: Cursor, n: int) -> Memory:
        return msgspec.structs.replace(
            self.m,
            cursor=cursor,
            records=self.m.records + n,
            prefs=tuple(sorted(self.prefs.values(), key=lambda p: (p.code, p.family))),
            mistakes=tuple(sorted(self.mistakes.values(), key=lambda x: (-x.count, x.code))),
            voice=self.voice,
            patches=tuple(self.patches.values()),
            forgotten=tuple(self.forgotten),
        )


def _of(b: PayloadBase, key: str, default: T) -> T:
    """The payload's value for `key` when it has the default's type (an old record may hold
    anything under a key), else the default."""
    if key in b.__struct_fields__ and getattr(b, key) is UNSET:
        return default  # a typed field never written (an odd old value sits in `extra`): not used
    v = b.get(key, default)
    return v if isinstance(v, type(default)) else default


def _strs(b: PayloadBase, key: str) -> list[str]:
    values: list[object] = _of(b, key, [])
    return [x for x in values if isinstance(x, str)]


def _same_meeting(x: Mistake, ts: float, place: str, message: str) -> bool:
    """The code seen again where it was last (`rusta explain` run twice on one error), or without a
    place (a repair's try) within `SAME_MEETING_S` of the last sighting: one meeting, not two."""
    if not x.seen:
        return False
    if place and x.places and x.places[-1] == place and x.messages and x.messages[-1] == message:
        return True
    return (not place or not x.places) and ts - x.seen[-1].ts < SAME_MEETING_S


def _pairs(codes: Iterable[str], families: Iterable[str]) -> list[tuple[str, str]]:
    """(code, family) per step: the lists run in parallel (one entry per step of the fix)."""
    cs, fs = list(codes), list(families)
    if len(cs) != len(fs):  # an older writer: every code with every family
        cs = list(dict.fromkeys(c for c in cs if c)) or [""]
        return [(c, f) for c in cs for f in dict.fromkeys(f for f in fs if f)]
    return list(dict.fromkeys((c or "", f) for c, f in zip(cs, fs, strict=True) if f))


def fold(m: Memory, records: Iterable[tuple[Entry, Cursor]]) -> Memory:
    """`m` with `records` (oldest first, each with the cursor just past it) folded in."""
    f = _Folder(m)
    n = 0
    cursor = m.cursor
    for e, cursor in records:  # noqa: B007 - the last cursor is the memory's
        n += 1
        _one(f, e)
    return f.done(cursor, n)


def edited_since(m: Memory, now: Mapping[str, str | None], when: float) -> Memory:
    """`m` with each applied patch whose files now hash (`now`) other than right after it counted
    as edited afterwards, learned `when` (the edit's time). Checked patches keep no hashes, so an
    edit counts once; a patch whose files are unchanged stays open for a later edit."""
    f = _Folder(m)
    for pid, memo in list(f.patches.items()):
        changed = [x for x in memo.after if x in now and now[x] != memo.after[x]]
        if memo.state != "applied" or not changed:
            continue
        at = _At(memo.entry or pid, when)
        for code, fam in memo.pairs:
            f.pref(code, fam, at, "edited", note=f"changed by hand: {', '.join(changed)}", edited=1)
        f.patches[pid] = msgspec.structs.replace(memo, after={})
    return f.done(m.cursor, 0)


def _one(f: _Folder, e: Entry) -> None:
    b = e.payload
    if isinstance(b, PatchBody) and _of(b, "status", "done") != "failed":
        if b.op == "apply":
            f.patch_applied(e, b)
        elif b.op in ("undo", "redo"):
            f.patch_moved(e, b, b.op)
    elif isinstance(b, ForgetBody):
        f.forget(b.item)
    elif isinstance(b, ReflectionBody):
        pairs = _pairs(_strs(b, "codes"), _strs(b, "families"))
        if b.get("outcome") == "done" and _of(b, "patch_id", ""):
            f.attribute(e, _of(b, "patch_id", ""), pairs)
        elif b.get("outcome") == "rejected" and b.get("by") == "user":
            for code, fam in pairs:
                f.pref(
                    code, fam, e, "rejected", _of(b, "reason", ""), refused=_of(b, "patch_id", ""), rejected=1
                )
    elif isinstance(b, ActionBody) and b.get("op") == "loop.do":
        brief: dict[str, Any] = _of(b, "explanation", {})
        code = str(brief.get("code") or "")
        raw = brief.get("patch")
        patch: dict[str, Any] = raw if isinstance(raw, dict) else {}
        src = patch.get("source") or "rustc"
        # rustc's suggestion carries the family the repair gives it, so both learn from one undo
        fam = (
            f"rustc:{patch.get('applicability')}"
            if src == "rustc" and patch.get("applicability")
            else f"explain:{src}"
        )
        f.attribute(e, _of(b, "patch_id", ""), [(code, fam)])
    elif isinstance(b, RejectBody):
        held = b.get("conceded") is False
        v = f.voice
        f.voice = msgspec.structs.replace(
            v,
            argued=v.argued + 1,
            rusta_held=v.rusta_held + held,
            conceded=v.conceded + (not held),
            seen=(*v.seen, Seen(entry=e.id, ts=e.ts, what="argued", note=_of(b, "reason", "")))[-KEEP_SEEN:],
        )
    elif isinstance(b, ExplainBody):
        explanations: list[object] = _of(b, "explanations", [])
        for s in explanations:
            if not isinstance(s, dict):
                continue
            at = s.get("primary")
            prim: dict[str, Any] = at if isinstance(at, dict) else {}
            place = f"{prim.get('file')}:{prim.get('line')}" if prim.get("file") else ""
            f.met(e, str(s.get("code") or ""), place, str(s.get("message") or ""), str(s.get("mark") or ""))
    elif isinstance(b, TryBody):
        for code in _strs(b, "addresses"):
            f.met(e, code)
    elif isinstance(b, ValidationBody):
        diagnostics: list[object] = _of(b, "diagnostics", [])
        for d in diagnostics:
            if isinstance(d, dict) and d.get("level") in ("error", "warning"):
                place = f"{d.get('file')}:{d.get('line')}" if d.get("file") else ""
                f.met(e, str(d.get("code") or ""), place, str(d.get("message") or ""))
