"""Candidates from the compiler's own suggestions, of every applicability level. Pure.

`cargo fix` applies only MachineApplicable suggestions; Rusta tries all of them, because the sandbox,
not rustc's label, decides what is safe. A help child whose spans all sit at one place offers
alternatives (one candidate each); otherwise its spans form one combined edit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic, Span

_PRIOR = {"MachineApplicable": 0.9, "MaybeIncorrect": 0.6, "Unspecified": 0.5, "HasPlaceholders": 0.2}


def _edit(span: Span) -> Edit:
    return Edit(
        file=span.file_name,
        start=span.byte_start,
        end=span.byte_end,
        replacement=span.suggested_replacement or "",
    )


def _cid(edits: Iterable[Edit]) -> str:
    h = hashlib.sha1()
    for e in sorted(edits, key=lambda e: (e.file, e.start, e.end, e.replacement)):
        h.update(f"{e.file}\0{e.start}\0{e.end}\0{e.replacement}\0".encode())
    return h.hexdigest()[:12]


def _in_crate(span: Span) -> bool:
    return not span.file_name.startswith("/") and ".cargo/registry" not in span.file_name


def _groups(child: Diagnostic) -> list[list[Span]]:
    spans = [s for s in child.spans if s.suggested_replacement is not None and _in_crate(s)]
    if not spans:
        return []
    places = {(s.file_name, s.byte_start, s.byte_end) for s in spans}
    if len(spans) > 1 and len(places) == 1:
        return [[s] for s in spans]
    return [spans]


def _walk(d: Diagnostic) -> Iterable[Diagnostic]:
    yield d
    for c in d.children:
        yield from _walk(c)


def suggestion_candidates(diag: Diagnostic) -> list[Candidate]:
    code = diag.code_str or diag.message
    out: list[Candidate] = []
    for child in _walk(diag):
        for group in _groups(child):
            edits = tuple(_edit(s) for s in group)
            applicability = group[0].suggestion_applicability or "Unspecified"
            if applicability == "HasPlaceholders" and any("/*" in e.replacement for e in edits):
                continue  # a placeholder like `/* value */` can never compile
            source = "clippy" if diag.tool == "clippy" else "rustc"
            out.append(
                Candidate(
                    id=_cid(edits),
                    edits=edits,
                    description=child.message,
                    source=source,
                    family=f"{source}:{applicability}",
                    addresses=(code,),
                    applicability=applicability,
                    score=_PRIOR.get(applicability, 0.4),
                )
            )
    return out
