"""Which of a patch's new compile errors it only uncovers: rustc runs its later passes once the earlier pass.

The mistake it answers: rustc checks a crate pass by pass (name resolution, type checking, the
privacy pass, borrow checking), and an error of an earlier pass stops it before a later pass reports
anything. A patch that fixes the last type error (a private `fn new` made `pub`) lets the privacy
pass report a struct literal with private fields elsewhere, which was in the code all along; counted
against the broken crate's errors it read as "the patch adds 1 compile error" and `--apply` refused
the necessary first step. A new error is uncovered when its pass comes after the pass of an error
the patch fixed and no line of its span is one the patch wrote; an error on a written line is the
patch's own, whatever its pass.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from engine.edits import Rewrite
from toolbelt.types import Diagnostic

# Name resolution's codes: an unresolved path stops rustc before it type-checks the bodies.
RESOLVE = {"E0432", "E0433", "E0412", "E0425", "E0422", "E0423", "E0531", "E0405", "E0407", "E0583"}
# rustc_privacy's codes, checked after type checking (E0624 and E0616, private methods and field
# reads, are type checking's own and stay in its pass).
PRIVACY = {"E0451"}
# The borrow checker's own codes (rustc_borrowck). Not every E05xx: E0599 (no method) and E0560 (no
# field) are type errors that hide borrow errors.
BORROW = {
    "E0373", "E0381", "E0382", "E0384", "E0499", "E0500", "E0501", "E0502", "E0503", "E0505",
    "E0506", "E0507", "E0508", "E0509", "E0510", "E0515", "E0521", "E0524", "E0594", "E0596",
    "E0597", "E0626", "E0712", "E0713", "E0716",
}  # fmt: skip


def pass_of(code: str) -> int | None:
    """The rank of the rustc pass that reports an error code: resolve 0, type check 1, privacy 2,
    borrow check 3; None for a code-less error or a lint, whose pass the code does not tell."""
    if code in RESOLVE:
        return 0
    if code in PRIVACY:
        return 2
    if code in BORROW:
        return 3
    if len(code) == 5 and code[0] == "E" and code[1:].isdigit():
        return 1
    return None


def uncovered(d: Diagnostic, fixed_codes: Iterable[str], changes: Mapping[str, Rewrite]) -> bool:
    """Whether new error `d` is one rustc hid behind the errors the patch fixed (`fixed_codes`): a
    later pass than one of them, and on no line the patch wrote (`changes`, by file)."""
    return hidden_behind(d, fixed_codes, {f: r.written for f, r in changes.items()})


def hidden_behind(d: Diagnostic, fixed_codes: Iterable[str], written: Mapping[str, Collection[int]]) -> bool:
    """`uncovered` from the lines a patch wrote (`written`, by file, as the explain check reads them
    off the diff): the same rule for `--apply`'s guard and for the fix line of pair, study and
    `--json`, so no surface calls an error the patch "brings" that another calls hidden."""
    mine = pass_of(d.code_str or "")
    earlier = [k for c in fixed_codes if (k := pass_of(c)) is not None]
    if mine is None or not earlier or mine <= min(earlier) or d.primary is None:
        return False
    p = d.primary
    lines = next((w for f, w in written.items() if p.file_name == f or p.file_name.endswith("/" + f)), None)
    return lines is None or not any(
        n in lines for n in range(p.line_start, max(p.line_end, p.line_start) + 1)
    )
