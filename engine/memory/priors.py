"""What the memory changes in the repair's order: priors per (code, family) and the repo's style.

The prior of a family for a code is the log odds of the user keeping rather than refusing it in this
repo, with imagined keeps and refusals added (`keep_prior`, `refuse_prior`), an edit afterwards
counting `edit_weight` of a refusal, bounded to +-`max_adj`. `arrange` moves each candidate by
`pull` places per unit of it. A family refused `refusals` times (and kept less often) goes last, and
says so when it is proposed anyway; the very patch the user refused (same change, same code: the
evidence has not changed) is not proposed again at all. The repo's habit for passing an error on
(`?`, `.expect(`, `.unwrap()`) moves a candidate that writes it `style_bonus` places.

These numbers are data (`weights/priors.json`), fitted by `engine.memory.fit` on the gym's dev
episodes with simulated keep/undo histories and reported on the held-out crates; `PriorWeights()`'s
defaults are the hand-set rules the fit started from, used only when no fitted file is shipped.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Callable
from pathlib import Path

import msgspec

from engine.edits import EditError, diff_of_edits, edit_id
from engine.memory.render import Reader, render, str_to_string  # noqa: F401 - str_to_string: callers
from engine.memory.types import FamilyPref, Memory
from engine.repair.types import Candidate
from toolbelt.types import Diagnostic

WEIGHTS = Path(__file__).parent / "weights" / "priors.json"


class PriorWeights(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The priors' numbers; the defaults are the hand-set rules, used only without a fitted file."""

    version: int = 1
    keep_prior: float = 1.0  # imagined keeps of every family
    refuse_prior: float = 1.0  # imagined refusals
    edit_weight: float = 0.5  # an edit afterwards, as a share of a refusal
    max_adj: float = 2.0  # the largest adjustment either way
    pull: float = 1.5  # list places per unit of adjustment
    refusals: int = 2  # undos plus rejections that retire a family for a code
    style_bonus: float = 0.75  # list places for the repo's way of passing an error on


@functools.cache
def shipped() -> PriorWeights:
    """The fitted weights, loaded once; the hand-set defaults when none are shipped."""
    try:
        return msgspec.json.decode(WEIGHTS.read_bytes(), type=PriorWeights)
    except (OSError, msgspec.DecodeError):
        return PriorWeights()


def pref_of(m: Memory, code: str, family: str) -> FamilyPref | None:
    return next((p for p in m.prefs if p.code == code and p.family == family), None)


def adjustment(m: Memory, code: str, family: str, w: PriorWeights | None = None) -> float:
    """The score adjustment the memory gives `family` for `code` (0.0 when it knows nothing)."""
    w = w or shipped()
    p = pref_of(m, code, family)
    if p is None:
        return 0.0
    bad = p.refused + w.edit_weight * p.edited
    odds = math.log((p.kept + w.keep_prior) / (bad + w.refuse_prior)) - math.log(
        w.keep_prior / w.refuse_prior
    )
    return max(-w.max_adj, min(w.max_adj, odds))


def retired(m: Memory, code: str, family: str, w: PriorWeights | None = None) -> FamilyPref | None:
    """The preference that retires `family` for `code`: refused `refusals` times, kept less often."""
    w = w or shipped()
    p = pref_of(m, code, family)
    return p if p is not None and p.refused >= w.refusals and p.refused > p.kept else None


def refusal_words(p: FamilyPref) -> str:
    if p.rejected and p.undone:
        return f"rejected or undid this {_times(p.refused)}"
    return f"{'rejected' if p.rejected else 'undid'} this {_times(p.refused)}"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


_HANDLING = {"?": "?", ".expect(": ".expect(", ".unwrap()": ".unwrap()"}


PatchIds = Callable[[Candidate], "str | None | tuple[str | None, ...]"]


def _refused_again(m: Memory, code: str, c: Candidate, patch_id: PatchIds, w: PriorWeights) -> bool:
    """`c`'s patch (or its twin in other words: the same fix rendered in the repo's style, or the
    original of a rendering) is one the user already refused."""
    gone = retired(m, code, c.family, w)
    if gone is None or not gone.refused_patches:
        return False
    ids = patch_id(c)
    return any(i in gone.refused_patches for i in (ids if isinstance(ids, tuple) else (ids,)) if i)


def candidate_patch_id(c: Candidate, root: str | Path) -> str | None:
    """The id `rusta fix` gives the patch of `c` alone on the crate as it is (a first step): the
    hash of its diff, as `Patch.new` computes it. None when its files cannot be read or it is empty."""
    try:
        files = {e.file: (Path(root) / e.file).read_bytes() for e in c.edits}
        diff = diff_of_edits(files, c.edits)
    except (OSError, EditError):
        return None
    return "p-" + hashlib.sha256(diff.encode("utf-8", "surrogateescape")).hexdigest()[:12] if diff else None


def style_bonus(c: Candidate, m: Memory, w: PriorWeights | None = None) -> float:
    """+`style_bonus` for a candidate that passes an error on the way the repo does (`?`, `.expect(`,
    `.unwrap()`), minus it for one that uses another of the three; 0 when the repo has no habit
    or the candidate handles no error."""
    bonus = (w or shipped()).style_bonus
    habit = next((s.value for s in m.style if s.name == "error-handling"), None)
    if habit is None:
        return 0.0
    text = "".join(e.replacement for e in c.edits)
    used = [k for k, mark in _HANDLING.items() if (text.rstrip().endswith("?") if k == "?" else mark in text)]
    if not used:
        return 0.0
    return bonus if habit in used else -bonus


def arrange(
    cands: list[Candidate],
    code: str,
    m: Memory | None,
    patch_id: PatchIds | None = None,
    w: PriorWeights | None = None,
) -> list[Candidate]:
    """`cands` (in the ranking's order) reordered by the memory: priors first, retired families
    last. A retired family's candidate whose patch is one the user already refused (`patch_id`
    gives a candidate's, when it can be known) is not proposed at all: the evidence has not changed.
    Without a memory, `cands` as they are."""
    if m is None or not cands:
        return cands
    w = w or shipped()
    if patch_id is not None:
        cands = [c for c in cands if not _refused_again(m, code, c, patch_id, w)]
    others = sum(1 for c in cands if retired(m, code, c.family, w) is None)
    keyed = []
    for pos, c in enumerate(cands):
        gone = retired(m, code, c.family, w)
        if gone is not None:
            why = (
                f"it is tried only after the {others} other candidate(s) for {code or 'this error'}"
                if others
                else f"it is the only candidate Rusta has for {code or 'this error'} here"
            )
            c = msgspec.structs.replace(
                c,
                description=f"{c.description} (you {refusal_words(gone)}; here is why I still think so: {why}, and it compiles)",
            )
        shift = w.pull * adjustment(m, code, c.family, w) + style_bonus(c, m, w)
        keyed.append((gone is not None, pos - shift, pos, c))
    keyed.sort(key=lambda k: k[:3])
    return [k[3] for k in keyed]


def spellings(
    cands: list[Candidate], target: Diagnostic, root: str | Path, read: Reader | None = None
) -> list[tuple[Candidate, Candidate | None]]:
    """Each of `cands` written in the repo's style, paired with its original when the rendering
    changed it (else None): one fix in two spellings, the rendering to try first and the original
    to fall back on when the rendering does not compile. `rusta fix` tries both in that order;
    `rusta explain` shows the rendering and validates the original only when it fails. `read`
    gives the files as the caller sees them (a scratch copy, after earlier steps); without it,
    `root`'s."""
    m = current(root)
    if m is None or not m.style:
        return [(c, None) for c in cands]
    base = Path(root)
    reader = read or (lambda rel: _read(base / rel))
    out: list[tuple[Candidate, Candidate | None]] = []
    for c in cands:
        r = render(c, m.style, target, reader, root)
        out.append((r, c) if r is not c else (c, None))
    return out


def for_repair(
    cands: list[Candidate], target: Diagnostic, root: str | Path, read: Reader | None = None
) -> list[Candidate]:
    """The repair's hook: `cands` for `target` ordered by what the memory of the crate at `root`
    says, each candidate a habit of the repo applies to also offered in the repo's style, just
    before the original (which stays, in case the rendering does not compile; `spellings`)."""
    m = current(root)
    if m is None:
        return cands
    twins: dict[str, Candidate] = {}  # a rendering and its original: one fix in two spellings
    if m.style:
        styled: list[Candidate] = []
        for r, c in spellings(cands, target, root, read):
            if c is not None:
                r = msgspec.structs.replace(r, id=f"{c.id}+style")
                twins[r.id], twins[c.id] = c, r
                styled.append(r)
            styled.append(c if c is not None else r)
        first: dict[str, Candidate] = {}  # a rendering another template already wrote is tried once, first
        for c in styled:
            first.setdefault(edit_id(c.edits), c)
        cands = list(first.values())

    def ids(c: Candidate) -> tuple[str | None, ...]:
        twin = twins.get(c.id)
        return (candidate_patch_id(c, root), candidate_patch_id(twin, root) if twin else None)

    return arrange(cands, target.code_str or "", m, ids)


def _read(p: Path) -> bytes | None:
    try:
        return p.read_bytes()
    except OSError:
        return None


_cache: dict[Path, tuple[tuple, Memory]] = {}


def current(root: str | Path) -> Memory | None:
    """The crate's memory, folded up to its DevLog's last record without writing anything; None
    when it cannot be read (a memory that fails never stops a repair). Cached until the DevLog
    or the saved memory changes."""
    from diary.segments import log_dir
    from engine.memory.errors import MemoryStoreError
    from engine.memory.store import load, memory_path, sync

    root = Path(root).resolve()
    d = log_dir(root)
    try:
        sig: tuple[object, ...] = (
            tuple(sorted((p.name, p.stat().st_size) for p in d.glob("seg-*.log"))) if d.is_dir() else ()
        )
        sig += (memory_path(root).exists(),)
    except OSError:
        sig = ()
    hit = _cache.get(root)
    if hit is not None and hit[0] == sig:
        return hit[1]
    try:
        m = sync(root, save_it=False).memory  # read only: a repair leaves the crate's files alone
    except MemoryStoreError:
        try:
            return load(root)
        except MemoryStoreError:
            return None
    _cache[root] = (sig, m)
    return m
