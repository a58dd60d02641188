"""Structs of the heads: what a head sees of one candidate, and one labelled sample of it.

A head never sees a `Candidate` or a `Diagnostic`: `engine.repair.headorder` reduces them to a
`CandidateView` (strings and numbers only), so the heads stay below the repair engine in the layer
graph and the gym's data file holds exactly what the head is fed at repair time.
"""

from __future__ import annotations

from typing import Literal

import msgspec


class Base(msgspec.Struct, frozen=True, kw_only=True):
    pass


# Where a candidate's edit lies relative to what rustc pointed at.
Site = Literal["primary", "span", "same-file", "other-file"]


class CandidateView(Base, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """One candidate for one target error, as the Action head sees it."""

    code: str  # the target's error code, or "" for a lint without one
    message: str  # the target's message
    expected: str = ""  # the expected/found types rustc stated, when it did
    found: str = ""
    source: str  # rustc, clippy, template
    family: str  # "op:borrow", "rustc:MaybeIncorrect", "add-mut", ...
    applicability: str
    prior: float  # the hand-set prior score, votes included
    prior_rank: int  # position in the prior order (0 = first)
    n_candidates: int
    n_edits: int
    n_files: int
    inserted: str  # the replacement texts, joined by "\x00"
    removed: str  # the bytes the edits replace, decoded, joined by "\x00"
    site: Site
    lm_delta_bits: float | None = None  # bits the edit adds to the code around it, when the LM ran
    # How many errors `cargo check` reported when this target was chosen (0: not known, as in samples
    # written before it was recorded), and how many of them share the target's code. One edit for one
    # name cannot leave a crate with 20 unresolved names clean; an edit that covers them all can.
    n_errors: int = 0
    n_same_code: int = 0
    # How many of those errors are unresolved names that the `use` items this candidate inserts bring
    # into scope (0: none, or not recorded): one lost `use a::{B, C, D}` breaks every name it bound,
    # and only an edit that answers all of them leaves no error behind.
    n_resolves: int = 0


class Sample(Base, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """One candidate validated in the gym: the view plus what the compiler and the original said."""

    version: int = 1
    split: str  # "dev" or "heldout"
    seed: int
    crate: str
    episode: str
    kind: str  # the mutation family
    candidate_id: str
    view: CandidateView
    compiles: bool  # the target error is gone and no error is new
    clean: bool  # cargo check reports no error at all
    exact: bool  # the edit restores the original bytes of the mutation
    errors_after: int
