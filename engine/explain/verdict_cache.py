"""Explain's verdict cache: each option's answer (and each joint or set check's), on disk, keyed by
the bytes of the files the edits touch, the edits' ids and the story's errors, so a second run over
unchanged files costs no cargo run. A cache is a hint: an unreadable or older entry is a miss.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import msgspec

from engine.edits import Edit
from engine.explain.joint import Key
from engine.explain.joint import key as _key
from engine.explain.types import Explanation, PatchOption, Validation
from toolbelt.atomic_file import replace_file
from toolbelt.paths import writable_cache_dir
from toolbelt.types import CheckTool

# 2: warning stories are judged on their warning; 3: errors left after the edit; 4: counted per error;
# 5: a failed verdict keeps the compiler's reason; 6: "type-checks" while earlier-phase errors remain;
# 7: "uncovers" an error the story's error hid; 8: where it fails, joint verdicts keep the errors left
# and the companions' lines, a lint's fix waits on every error left; 9: the other errors it clears;
# 11: errors the edit brought are counted apart from those left, a type error left at the story's
# place or on the edit's lines fails it; 12: the first error left or brought, the fix finished in steps;
# 13: the steps looked for only when no one-step fix compiles (`chained` says they were); 14: a step
# never answers the story's own error family again; 15: a kind of fix with no one-step fix compiling
# is finished in steps too, and a let line two steps insert at one place is kept once; 16: a step may
# answer several callers' errors at once, and a written collection type follows owned items (#14); 17: a
# finished fix drops a lifetime its steps left naming nothing, and carries its own title (#14); 18: an
# error the baseline had on a line the edit rewrote, left there as it was, is not new (blame.compare);
# 19: a finished fix carries the other ways out of its last step's error (Finished.others); 20: an
# E0599 the edit caused on a line it did not write says the edit changed the receiver's type; 21: a
# story's other error left as it was is a remaining error, not one the edit failed (blame); 24: a new
# error that quotes a type the edit wrote fails it (the error moved), wherever it is; 25: the errors
# rustc hid behind the story's (hidden_new); 26: an error left on the edit's own code (left_in_edit);
# 27: hidden_new for "uncovers" verdicts too, and a step never goes back to an earlier pass (chain)
# 28: a chain step worded like a fix offered alone but for another place is taken (a19's t.title)
# 29: a struct literal's next step may be an existing constructor covering its fields (h08's new)
CACHE_VERSION = 29


class CachedVerdict(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    version: int
    validated: Validation
    check_s: float
    errors_left: int = 0  # errors the crate already had that are still there
    errors_new: int = 0  # errors that appear only with the edit in
    reason: str = ""  # why it fails, in the compiler's words
    # "type-checks": the earlier-phase errors left with the edit in (what the joint check must fix)
    hiding: tuple[Key, ...] = ()
    # "fails": (file, line) of the new error, where another story's fix may meet this one
    fails_at: tuple[str, int] | None = None
    # the crate's other errors (not the story's) that are gone with the edit in: a story whose
    # errors are all among them follows from this one
    cleared: tuple[Key, ...] = ()
    first_error: str = ""  # "compiles" with errors left or brought: the first of them, in short words
    # of the `errors_new`, those rustc hid behind the story's error (`engine.patching.uncovered`), in
    # short words: a later pass, on no line the edit wrote
    hidden_new: tuple[str, ...] = ()
    # an error the crate had that stays on the code the edit wrote (`engine.explain.dead_ends`)
    left_in_edit: str = ""
    finished: Finished | None = None  # the fix carried on through the errors it reveals
    chained: bool = False  # whether `finished` was looked for (it is only when no one-step fix compiles)


class Finished(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A fix finished in steps (`engine.explain.chain`): its edits on the original files, its diff,
    each later step in words, who suggested them, and the verdict of its last check."""

    edits: tuple[Edit, ...]
    patch: str
    steps: tuple[str, ...]
    source: str
    applicability: str
    verdict: CachedVerdict
    name: str = ""  # the title when a later step's edit is all the patch keeps (chain.Chain.name)
    family: str = ""  # the repair family of its last step (chain.Chain.family)
    # the same first step finished by each other way out of the last step's error (`Clone` and a
    # clone beside `Copy` beside a borrowed return), each checked
    others: tuple[Finished, ...] = ()


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(CachedVerdict)


def tool(e: Explanation) -> CheckTool:
    return "clippy" if (e.code or "").startswith("clippy::") else "check"


def cache_key(root: Path, e: Explanation, o: PatchOption, others: tuple[PatchOption, ...] = ()) -> str:
    """The option's verdict; with `others`, its joint verdict with those companions."""
    ids = "\0".join(c.id for c in others)
    h = hashlib.sha256(f"v{CACHE_VERSION}\0{root.resolve()}\0{tool(e)}\0{o.id}\0{ids}\0".encode())
    for rel in sorted({ed.file for ed in (*o.edits, *(ed for c in others for ed in c.edits))}):
        try:
            h.update(rel.encode() + b"\0" + hashlib.sha256((root / rel).read_bytes()).digest())
        except OSError:
            h.update(rel.encode() + b"\0missing")
    for k in sorted({_key(d) for d in e.diagnostics}):
        h.update("\0".join(k).encode())
    return h.hexdigest()


def cache_path(key: str) -> Path:
    return writable_cache_dir() / "explain-validation" / key[:2] / f"{key}.json"


def cached(key: str) -> CachedVerdict | None:
    try:
        v = _decoder.decode(cache_path(key).read_bytes())
    except (OSError, msgspec.DecodeError):
        return None
    return v if v.version == CACHE_VERSION else None


def remember(key: str, verdict: CachedVerdict) -> None:
    path = cache_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, _encoder.encode(verdict), durable=False)  # a cache: a hint, not a record
    except OSError:
        pass  # a read-only cache only costs the next run a cargo check
