"""Structs of the memory: what Rusta learned in one repo, each item with where she learned it.

On disk as `.rusta/memory/memory.json` (`MEMORY_VERSION`, unknown fields forbidden). Everything
but `style` is folded from the DevLog alone, so deleting the folder and syncing rebuilds it;
`style` is mined from the code and its config on every sync.
"""

from __future__ import annotations

from typing import Literal

import msgspec

MEMORY_VERSION = 1

Outcome = Literal["kept", "undone", "rejected", "edited"]


class Base(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    pass


class Seen(Base, frozen=True):
    """One piece of evidence: a DevLog record, when, and what it showed."""

    entry: str
    ts: float
    what: Outcome | Literal["met", "argued"]
    note: str = ""  # the user's reason for a rejection, the diagnostic for a mistake


class FamilyPref(Base, frozen=True):
    """How the user treated patches of one fix family for one code in this repo."""

    code: str  # "E0382", a lint name, or "" when the patch named none
    family: str  # "clone", "add-mut", "rustc:MachineApplicable", ...
    kept: int = 0
    undone: int = 0
    rejected: int = 0
    edited: int = 0  # the user changed the patched files before Rusta's next operation
    reasons: tuple[str, ...] = ()  # the user's words when rejecting, newest last
    refused_patches: tuple[str, ...] = ()  # ids of the exact patches undone or rejected (id = hash of diff)
    seen: tuple[Seen, ...] = ()

    @property
    def key(self) -> str:
        return f"pref:{self.code or '-'}:{self.family}"

    @property
    def refused(self) -> int:
        return self.undone + self.rejected


class Mistake(Base, frozen=True):
    """A code or lint the user met, how often (once per task), and how it went away."""

    code: str
    count: int = 0
    resolved: tuple[tuple[str, int], ...] = ()  # (fix family or "by hand", times)
    places: tuple[str, ...] = ()  # file:line of the last few, newest last
    messages: tuple[str, ...] = ()  # rustc's words, the last few
    seen: tuple[Seen, ...] = ()
    # (occurrence mark, the meeting it was counted in): the same diagnostic on the same code seen
    # again (`rusta explain` re-run, a line shifted by an edit elsewhere) is that meeting, not a new one
    marks: tuple[tuple[str, int], ...] = ()

    @property
    def key(self) -> str:
        return f"mistake:{self.code}"


class StyleFact(Base, frozen=True):
    """One habit of the repo's code, with the counts it rests on."""

    name: Literal[
        "string-from-str",
        "error-handling",
        "import-groups",
        "impl-trait",
        "self-type",
        "closure-style",
        "error-crate",
        "config",
    ]
    value: str  # ".to_owned()", "?", "grouped", "Self", "path", "anyhow", "rustfmt.toml: max_width = 80", ...
    counts: tuple[tuple[str, int], ...] = ()
    source: str = ""  # "12 files under src/"

    @property
    def key(self) -> str:
        return f"style:{self.name}"


class Voice(Base, frozen=True):
    """How often Rusta was right when the user argued (`--reject`), and the stubbornness it sets."""

    argued: int = 0
    rusta_held: int = 0  # she held with the compiler's evidence
    conceded: int = 0  # the user's evidence held
    seen: tuple[Seen, ...] = ()

    @property
    def key(self) -> str:
        return "voice"


class Cursor(Base, frozen=True):
    """Where the last sync stopped in the DevLog: the last record folded and its frame."""

    entry: str = ""
    ts: float = 0.0
    segment: int = 0
    offset: int = -1


class PatchMemo(Base, frozen=True):
    """A patch Rusta applied: what it fixed with which family, and the files' hashes after it."""

    patch_id: str
    pairs: tuple[tuple[str, str], ...] = ()  # (code, family)
    after: dict[str, str | None] = msgspec.field(default_factory=dict)  # cleared once checked
    state: Literal["applied", "undone"] = "applied"
    entry: str = ""  # the apply (or redo) record


class SyncReport(Base, frozen=True):
    folded: int  # records folded by this sync
    rebuilt: bool  # started from nothing (no memory yet, or a compaction dropped the cursor)
    memory: Memory


class Memory(Base, frozen=True):
    version: int = MEMORY_VERSION
    cursor: Cursor = Cursor()
    records: int = 0  # DevLog records folded so far
    prefs: tuple[FamilyPref, ...] = ()
    mistakes: tuple[Mistake, ...] = ()
    voice: Voice = Voice()
    style: tuple[StyleFact, ...] = ()
    forgotten: tuple[str, ...] = ()  # style keys the user forgot (from the DevLog's forget notes)
    patches: tuple[PatchMemo, ...] = ()  # the last patches applied, to credit their undo or edit
