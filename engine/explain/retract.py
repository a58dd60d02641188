"""A story's advice that the sandbox disproved is taken back: its `why` no longer gives it.

The general mistake (review I, i02): a lint story without a knowledge-base entry takes its `why`
from rustc's help ("Remove this `mut`.") and its `patch` from the help's edit. Where the crate also
has errors, that help can be wrong: `let mut b` is unused only while `fn try_acquire(&self)` is
(E0596); once the error's fix (`&mut self`) lands, removing the `mut` breaks the build. Validation
knows it (the option fails, "with the other errors fixed"), and pair mode says the lint is left
until the errors are fixed, but the story's `why` and `patch` (study mode, `--json`) still gave
the advice. A `why` that only restates a failed option's words is replaced by what the check
found. The story's `patch` stays (the app reads its honest states off it: a lint fix "not run", a
placeholder that "needs input"); the fixes shown are the checked ones. A warning whose fix would fight an error's
is held before any check (`after_errors`), its reason said once (`CASCADE`). Pure.
"""

from __future__ import annotations

import re

import msgspec

from engine.explain.joint import JOINT_FAILS
from engine.explain.types import Choice, Explanation, PatchOption
from toolbelt.types import Diagnostic


def _same_words(a: str, b: str) -> bool:
    return a.strip().rstrip(".").lower() == b.strip().rstrip(".").lower() != ""


def retracted(e: Explanation, failed: tuple[PatchOption, ...]) -> Explanation:
    """The story with advice that one of its `failed` options disproved taken back (see above)."""
    if not failed:
        return e
    why = e.why
    bad = next((o for o in failed if _same_words(o.name, e.why)), None)
    if bad is not None:
        reason = bad.fails_because.removesuffix(JOINT_FAILS)
        if bad.fails_because.endswith(JOINT_FAILS):
            why = (
                f"rustc's help, {bad.name}, holds only while the crate's errors stand: once they are"
                f" fixed, following it breaks the build ({reason}). Leave it until the errors are fixed."
            )
        else:
            why = f"rustc's help, {bad.name}, does not compile here ({reason or 'the check failed'})."
    if why == e.why:
        return e
    # the patch stays: the app's honest states ("not run", "needs input") are read off it
    return msgspec.structs.replace(e, why=why)


def held(e: Explanation) -> Explanation:
    """A warning story whose fixes wait until the crate's errors are fixed (`after_errors`):
    rustc's help in words as its `why` ("Remove this `mut`.") would give the very advice held back,
    so the why says it waits. The help's edit stays the story's `patch`: the app's honest states
    (a lint fix "not run" while a member is broken, a placeholder that "needs input") read it."""
    helps = [c.message for d in e.diagnostics for c in d.children if c.level == "help" and c.message]
    said = next((h for h in helps if _same_words(h, e.why)), None)
    why = (
        f"Rusta holds rustc's help ({said}) until the errors are fixed: this warning names what an"
        " error's fix touches, so it may change or vanish then."
        if said is not None
        else e.why
    )
    return msgspec.structs.replace(e, why=why)  # the patch stays, as in `retracted`


CASCADE = (
    "The crate does not compile yet, and this warning names what an error's fix touches (a mut that "
    "the fix needs looks unused until then); Rusta offers no fix for it until the errors are fixed."
)
_WORD = re.compile(r"[A-Za-z_]\w*")
_NOT_NAMES = frozenset({"mut", "let", "ref", "self", "fn", "pub", "use", "impl", "for", "in", "as"})


def error_words(errors: list[Diagnostic], stories: tuple[Explanation, ...]) -> set[str]:
    """Every name on the lines the compile errors point at, and in the lines their fixes write."""
    words: set[str] = set()
    for d in errors:
        for s in d.spans:
            for ln in s.text:
                words.update(_WORD.findall(ln.text))
    for e in stories:
        if e.level == "error":
            words.update(w for f in e.fixes for ln in f.shows for w in _WORD.findall(ln))
    return words - _NOT_NAMES


def after_errors(e: Explanation, near: set[str]) -> Explanation:
    """A warning story about a name that a compile error's lines or fixes also use: its fix may fight
    the error's (`unused_mut` on `players` while `players.iter()` needs `iter_mut()`), so no fix
    options until the errors are gone, and the reason said once."""
    if e.level != "warning" or not e.fixes:
        return e
    named: set[str] = set()
    for d in e.diagnostics:
        for s in d.spans:
            for ln in s.text:
                named.update(_WORD.findall(ln.text[max(0, ln.highlight_start - 1) : ln.highlight_end - 1]))
    if not (named - _NOT_NAMES) & near:
        return e
    wait = Choice(
        name="fix the errors first",
        how="This warning names what an error's fix touches, so it may change or vanish once the errors are fixed.",
        tradeoff="",
    )
    return held(msgspec.structs.replace(e, fixes=(), options=(wait,), facts=(*e.facts, CASCADE)))
