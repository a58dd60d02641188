"""Candidates from the compiler's own suggestions, of every applicability level. Pure.

`cargo fix` applies only MachineApplicable suggestions; Rusta tries all of them, because the sandbox,
not rustc's label, decides what is safe. Which spans form one suggestion is `engine.edits`' call.
Left out: a placeholder (`/* value */` never compiles), and rustc's "you can `clone` the value and
consume it" where the call is a statement that throws the result away (it compiles and keeps no
change; `engine.repair.rebind` keeps the result instead).
"""

from __future__ import annotations

from collections.abc import Callable

from engine.edits import edit_id, suggestions
from engine.repair.rebind import discards_consumed_result
from engine.repair.types import Candidate, Source
from toolbelt.types import Diagnostic

_PRIOR = {"MachineApplicable": 0.9, "MaybeIncorrect": 0.6, "Unspecified": 0.5, "HasPlaceholders": 0.2}


def suggestion_candidates(
    diag: Diagnostic, read: Callable[[str], bytes | None] | None = None
) -> list[Candidate]:
    code = diag.code_str or diag.message
    lost_clone = read is not None and discards_consumed_result(diag, read)
    source: Source = "clippy" if diag.tool == "clippy" else "rustc"
    return [
        Candidate(
            id=edit_id(s.edits),
            edits=s.edits,
            description=s.message,
            source=source,
            family=f"{source}:{s.applicability}",
            addresses=(code,),
            applicability=s.applicability,
            score=_PRIOR.get(s.applicability, 0.4),
        )
        for s in suggestions(diag)
        if not s.has_placeholder  # a placeholder like `/* value */` can never compile
        and not (lost_clone and all(e.replacement == ".clone()" for e in s.edits))
    ]
