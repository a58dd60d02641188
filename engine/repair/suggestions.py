"""Candidates from the compiler's own suggestions, of every applicability level. Pure.

`cargo fix` applies only MachineApplicable suggestions; Rusta tries all of them, because the sandbox,
not rustc's label, decides what is safe. Which spans form one suggestion is `engine.edits`' call.
Left out: a placeholder (`/* value */` never compiles), and rustc's "you can `clone` the value and
consume it" where the call is a statement that throws the result away (it compiles and keeps no
change; `engine.repair.rebind` keeps the result instead), and rustc's `dyn Trait` -> `Self` outside
that trait's definition and its impls, where `Self` is some other type (`Box<Self>` in a registry's
method is a box of the registry).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from engine.edits import edit_id, suggestions
from engine.repair.rebind import discards_consumed_result
from engine.repair.sender_drop import with_sender_drops
from engine.repair.types import Candidate, Edit, Source
from toolbelt.types import Diagnostic

_PRIOR = {"MachineApplicable": 0.9, "MaybeIncorrect": 0.6, "Unspecified": 0.5, "HasPlaceholders": 0.2}


def suggestion_candidates(
    diag: Diagnostic, read: Callable[[str], bytes | None] | None = None
) -> list[Candidate]:
    code = diag.code_str or diag.message
    lost_clone = read is not None and discards_consumed_result(diag, read)
    source: Source = "clippy" if diag.tool == "clippy" else "rustc"
    found = [
        Candidate(
            id=edit_id(edits := _without_borrow_copied(s.edits, read)),
            edits=edits,
            description=titled(s.message, s.edits),
            source=source,
            family=f"{source}:{s.applicability}",
            addresses=(code,),
            applicability=s.applicability,
            score=_PRIOR.get(s.applicability, 0.4),
        )
        for s in suggestions(diag)
        if not s.has_placeholder  # a placeholder like `/* value */` can never compile
        and not (lost_clone and all(e.replacement == ".clone()" for e in s.edits))
        and not (read is not None and any(_self_for_other_trait(e, read) for e in s.edits))
    ]
    return with_sender_drops(found, diag, read)  # a cloned sender's original is dropped after its loop


_COPIES = re.compile(r"\)\.(?:to_string|to_owned|to_vec)\(\)")


def _without_borrow_copied(
    edits: tuple[Edit, ...], read: Callable[[str], bytes | None] | None
) -> tuple[Edit, ...]:
    """rustc's conversion wraps a borrow to copy it: `(&msg).to_string()`. The `&` only makes the
    method autoref what it would autoref anyway, so the copy is written of the value itself,
    `msg.to_string()` (the same text: a method of `&T` reaches `T`'s own)."""
    if len(edits) != 2 or read is None:
        return edits
    open_, close = sorted(edits, key=lambda e: e.start)
    if (
        open_.file != close.file
        or open_.replacement != "("
        or open_.start != open_.end
        or close.start != close.end
    ):
        return edits
    source = read(open_.file)
    if source is None or not _COPIES.fullmatch(close.replacement) or close.start > len(source):
        return edits
    inner = source[open_.start : close.start]
    if not inner.startswith(b"&") or inner.startswith(b"&&") or inner[1:].lstrip().startswith(b"mut "):
        return edits
    body = inner[1:].decode("utf-8", "replace")
    if not body.replace(".", "").replace("_", "").isalnum():
        return edits  # only a plain place (`msg`, `self.name`): `&a + b` would change its meaning
    return (
        Edit(file=open_.file, start=open_.start, end=close.start, replacement=body + close.replacement[1:]),
    )


# rustc's help sentences that stop where its rendering shows the code ("replace it with", "change
# this to", clippy's "try"): cut there, a fix's title reads as a sentence cut in half
_DANGLING = re.compile(r"(?:\b(?:with|to|as|by|using|use|try|this)|:)\s*$", re.IGNORECASE)


def titled(message: str, edits: tuple[Edit, ...]) -> str:
    """rustc's help as a fix's title, finished with the code its edit writes where the sentence stops
    before that code ("replace it with `*sum += x`"); a longer edit is named by where it goes."""
    if not _DANGLING.search(message):
        return message
    written = [e.replacement.strip() for e in edits if e.replacement.strip()]
    code = written[0] if len(written) == 1 else ""  # pieces around kept code are no code on their own
    head = message.rstrip(" :")
    if code and "\n" not in code and len(code) <= 60:
        return f"{head} `{code}`"
    # "try adding this" names the code it points at: the patch replaces the word, not follows it
    head = re.sub(r"\s+(?:this|these)$", "", head, flags=re.IGNORECASE)
    return f"{head} the code in the patch below"


_DYN = re.compile(r"dyn\s+(?:[\w:]+::)?(\w+)")


def _self_for_other_trait(edit: Edit, read: Callable[[str], bytes | None]) -> bool:
    """`dyn Trait` replaced by `Self` where `Self` is not a type implementing `Trait`: the edit is
    outside `trait Trait { .. }` and every `impl .. Trait for ..` (the syntax layer says which item
    encloses it)."""
    source = read(edit.file)
    if edit.replacement.strip() != "Self" or source is None or edit.end > len(source):
        return False
    m = _DYN.match(source[edit.start : edit.end].decode("utf-8", "replace").strip())
    if m is None:
        return False
    from engine.syntax.tree import enclosing

    around = enclosing(source, edit.start, max(edit.end, edit.start + 1), ("trait_item", "impl_item"))
    if around is None:
        return True
    head = source[around[1].start : edit.start].split(b"{", 1)[0].decode("utf-8", "replace")
    trait = re.escape(m.group(1))
    return re.search(rf"\btrait\s+{trait}\b|\bimpl\b.*\b{trait}\b(?:<[^>]*>)?\s+for\b", head) is None
