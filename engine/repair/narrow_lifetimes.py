"""E0106 on a fn with several reference inputs: rustc's named lifetime, written only on the inputs the
result borrows from.

The general mistake this answers: rustc's "consider introducing a named lifetime parameter" ties the
one lifetime to every reference input (`<'a>(user: &'a C, d: &'a C, key: &'a str) -> &'a str`). It
compiles, and it over-constrains callers: every input must now outlive the result, so a caller that
builds `key` as a temporary and returns the result no longer compiles. The narrowest fix is rustc's
own edits minus those on inputs the returned value never borrows from (`engine.syntax.
borrow_sources`, read from the body), which stay elided. Cargo validates it like any candidate;
`engine.explain.narrower` ranks it above rustc's when both compile.
"""

from __future__ import annotations

from engine.edits import edit_id, suggestions
from engine.repair.template_kit import Reader
from engine.repair.types import Candidate
from engine.syntax.borrow_sources import borrowed_params
from toolbelt.types import Diagnostic

FAMILY = "narrow-lifetime"


def _param_of(source: bytes, at: int) -> str | None:
    """The parameter whose type holds byte `at` (`self` for a `&self`), None outside the parameters."""
    from engine.syntax.tree import ancestors, node_at, node_text

    for a in ancestors(node_at(source, at, at + 1)):
        if a.type == "self_parameter":
            return "self"
        if a.type == "parameter":
            pat = a.child_by_field_name("pattern")
            return node_text(pat) if pat is not None and pat.type == "identifier" else None
        if a.type in ("function_item", "block", "type_parameters"):
            return None
    return None


def narrow_lifetimes(d: Diagnostic, read: Reader) -> list[Candidate]:
    if d.code_str != "E0106":
        return []
    out: list[Candidate] = []
    for s in suggestions(d):
        files = {e.file for e in s.edits}
        if len(files) != 1 or not any("'" in e.replacement for e in s.edits):
            continue
        source = read(next(iter(files)))
        if source is None or any(e.end > len(source) for e in s.edits):
            continue
        fn_at = min(e.start for e in s.edits)
        borrowed = borrowed_params(source, fn_at)
        if not borrowed:
            continue
        tied = {e: _param_of(source, e.start) for e in s.edits}
        loose = sorted({p for p in tied.values() if p is not None and p not in borrowed})
        kept = tuple(e for e, p in tied.items() if p is None or p in borrowed)
        if not loose or not any(p in borrowed for p in tied.values()):
            continue  # rustc already ties only what the result borrows, or nothing would be tied
        names = ", ".join(f"`{p}`" for p in borrowed)
        elided = ", ".join(f"`{p}`" for p in loose)
        out.append(
            Candidate(
                id=edit_id(kept),
                edits=kept,
                description=(
                    f"Name the lifetime only on {names}, which the result borrows from;"
                    f" {elided} {'stays' if len(loose) == 1 else 'stay'} elided"
                ),
                source="template",
                family=FAMILY,
                addresses=("E0106",),
                score=0.65,
            )
        )
    return out
