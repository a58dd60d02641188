"""Where a story's patch stands, in words that tell the truth: ready, placeholder, green, red, not run,
cancelled, applied.

The patch path gives a verdict (green or red). Two of its reds are not the patch's fault, and the
app and `rusta review` say so: a cancelled validation, and a lint fix that adds no error while
other errors keep the crate from compiling (nothing could run, so nothing was judged). A rustc
suggestion with placeholders (`for <item> in &prices`) is not ready at all: it needs the user's
input before it can compile. Pure functions, no Textual.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from engine.explain.types import Explanation
    from engine.patching.types import Validation

PatchStatus = Literal["ready", "placeholder", "green", "red", "not_run", "cancelled", "applied"]

NOT_RUN = "Not run: the crate does not compile yet. Fix its errors, then validate this again."
# A stopped step leaves the code as it was: each sentence says so and names the key that starts it again.
VALIDATION_CANCELLED = "Validation cancelled; your code is unchanged, and v validates the fix again."
SEARCH_CANCELLED = "Fix search cancelled; your code is unchanged, and f searches again."
FIX_CANCELLED = "Fix cancelled before it landed; your code is unchanged, and f searches again."


def none_chosen(n: int) -> str:
    if n <= 1:  # one fix shown (or a partial fix's one patch), and Esc kept the code
        return "The fix was not applied; your code is unchanged, and f offers it again."
    return f"None of the {n} green fixes chosen; your code is unchanged, and f offers them again."


_PLACEHOLDER = re.compile(r"<[a-z][a-z_ ]*>")


def placeholders(expl: Explanation) -> tuple[str, ...]:
    """The placeholders (`<item>`) in a HasPlaceholders patch's added lines; empty for any other patch."""
    patch = expl.patch
    if patch is None or patch.applicability != "HasPlaceholders":
        return ()
    added = [ln[1:] for ln in patch.diff.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    found = dict.fromkeys(m.group(0) for ln in added for m in _PLACEHOLDER.finditer(ln))
    return tuple(found) or ("a placeholder",)


def placeholder_sentence(expl: Explanation) -> str:
    names = ", ".join(f"`{p}`" if p.startswith("<") else p for p in placeholders(expl))
    return f"Needs your input: rustc's suggestion has {names} to fill in, so it cannot compile as written."


def judge(validation: Validation, level: str) -> tuple[PatchStatus, str]:
    """The status and sentence of a finished validation of a patch for a diagnostic at `level`."""
    if validation.verdict == "green":
        return "green", validation.reason
    lint = not level.startswith("error")
    blocked = (
        validation.check_status == "diagnostics"
        and validation.errors_after > 0
        and not validation.new_errors
        and validation.errors_before is not None
        and validation.errors_after >= validation.errors_before
    )
    if lint and blocked:
        return "not_run", NOT_RUN
    return "red", validation.reason
