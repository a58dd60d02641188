"""What study mode leaves out of a story because it would say a thing twice or off the point: the
invariant when the why already says it, the facts line that counts the story's diagnostics (their
list follows), and a reference about a type the story never meets (the Book's Vectors chapter in a
`HashMap` story)."""

from __future__ import annotations

import re

from engine.explain import notes
from engine.explain.evidence import sentences
from engine.explain.types import Explanation, Reference

_WORD = re.compile(r"`[^`]+`|[A-Za-z]{4,}")
_COMMON = {"that", "this", "with", "from", "have", "must", "only", "when", "into", "than", "they", "their"}
STATED = 0.6  # the share of the invariant's words the why must carry for the invariant to go
_COUNTED = re.compile(r"^rustc traces \d+ diagnostics to this root cause\.$")
# a reference about one type: kept only when the story's text names that type
_ABOUT = {
    re.compile(r"\bVectors\b"): re.compile(r"\bVec\b|\bvec!", re.I),
    re.compile(r"\bHash Maps?\b"): re.compile(r"\bHashMap\b", re.I),
    re.compile(r"\bStrings?\b"): re.compile(r"\bString\b|&str\b|\bstr\b", re.I),
}
_STD_ITEM = re.compile(r"^std::(?:\w+::)*(\w+)$")


def _stem(w: str) -> str:
    return w.lower() if w.startswith("`") else w.lower()[:5]


def states_invariant(invariant: str, why: str, share: float = STATED) -> bool:
    """The why carries most of the invariant's words (stems of 4+ letters, code spans whole)."""
    inv = {_stem(w) for w in _WORD.findall(invariant) if w.lower() not in _COMMON}
    if not inv:
        return True
    said = {_stem(w) for w in _WORD.findall(why)}
    return len(inv & said) >= share * len(inv)


HEADLINE = 0.5  # the share of a one-sentence passage's words the story must carry for it to go
# the error index's stock words for what happened, which say nothing about this error
_STOCK = {"attem", "made", "used", "been", "occur", "error", "indic", "compi", "varia", "value", "item"}


def passage_restates(e: Explanation) -> bool:
    """The `--explain` passage is the error index's one-sentence headline ("A borrowed value was
    moved out.") and the story already says it: most of its words are in rustc's own text, the
    title, the invariant or the why. Quoting it would be the third telling of rustc's headline; a
    passage of several sentences explains, and stays."""
    if len(sentences(" ".join(e.explain_text.split()))) != 1:
        return False
    said = "\n".join([e.title, e.invariant, e.why, e.summary, *notes.rustc_texts(e.diagnostics)])
    return states_invariant(e.explain_text, said + "\n" + " ".join(_STOCK), share=HEADLINE)


def facts_beside_list(facts: list[str], listed: bool) -> list[str]:
    """The facts, less the count of the story's diagnostics when their list is shown."""
    return [f for f in facts if not (listed and _COUNTED.match(f))]


def _story_text(e: Explanation) -> str:
    parts = [e.message, e.summary, e.why, *e.facts, *notes.rustc_texts(e.diagnostics)]
    parts += [f"{o.name} {o.how} {o.tradeoff}" for o in e.options]
    parts += [ln for f in e.fixes for ln in f.patch.splitlines() if ln.startswith(("+", "-"))]
    return "\n".join(parts)


def relevant(e: Explanation, *, passage_shown: bool) -> list[Reference]:
    """The story's references that are about it: one on a type needs the type in the story; the
    `rustc --explain` command goes when its passage is quoted above."""
    text = _story_text(e)
    out = []
    for r in e.references:
        if passage_shown and r.target == f"rustc --explain {e.code}":
            continue
        if any(t.search(r.title) and not need.search(text) for t, need in _ABOUT.items()):
            continue
        if (m := _STD_ITEM.match(r.title)) and not re.search(rf"\b{m.group(1)}\b", text, re.I):
            continue
        out.append(r)
    return out


def references_line(refs: list[Reference]) -> str:
    """All references in one line: `References: title (target); ...`."""
    return "References: " + "; ".join(
        r.target if r.title == r.target else f"{r.title} ({r.target})" for r in refs
    )
