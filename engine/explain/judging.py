"""An option's verdict from the check with its edit in, against the crate's own errors. Pure.

Split from `engine.explain.validation`, which runs the checks: here only the reading of their
reports (the rules are that module's docstring).
"""

from __future__ import annotations

import re
from collections import Counter

from engine.explain import blame, joint
from engine.explain.joint import Key
from engine.explain.joint import counted as _counted
from engine.explain.joint import key as _key
from engine.explain.types import Explanation, PatchOption, Validation
from engine.repair.targets import phase
from toolbelt.diag_identity import distinct, trim_paths
from toolbelt.types import CheckReport, Diagnostic


def reason_words(d: Diagnostic) -> str:
    """One line in the compiler's words: code, message, and its primary label when it says more."""
    p = d.primary
    label = " ".join((p.label or "").split()) if p else ""
    where = f" at {p.file_name}:{p.line_start}" if p else ""
    head = f"{d.code_str + ' ' if d.code_str else ''}{trim_paths(d.message)}"
    return head + (f" ({label})" if label and label not in d.message else "") + where


_NO_METHOD = re.compile(r"no method named `(?P<m>\w+)` found for (?:\w+ )?`(?P<t>[^`]+)`")


def moved_receiver_words(d: Diagnostic) -> str:
    """An E0599 "no method named `m` found for `T`" the edit caused on a line it did not write, in a
    crate that type-checked without it (the story is a borrow error): the call is the program's own
    and resolved before the edit, so the edit changed the type it is made on. rustc's label there guesses from the method's name alone (`Option<String>` "is not an
    iterator" for `.cloned()`, which Option has, for `Option<&T>`), so quoting it as the reason is
    the mistake this answers; the sentence says what the edit did to the receiver instead. Other
    errors keep rustc's words (`reason_words`)."""
    m = _NO_METHOD.search(d.message) if d.code_str == "E0599" else None
    if m is None:
        return reason_words(d)
    p = d.primary
    where = f" at {p.file_name}:{p.line_start}" if p else ""
    return (
        f"{d.code_str} {trim_paths(d.message)}{where}: the edit changes the type `.{m['m']}()` is called on "
        f"there to `{m['t']}`, and the call compiled on the type it had before the edit"
    )


Verdict = tuple[Validation, str, "tuple[str, int] | None"]

_QUOTED = re.compile(r"`([^`]+)`")


def _side(patch: str, sign: str) -> str:
    return " ".join(
        ln[1:] for ln in patch.splitlines() if ln.startswith(sign) and not ln.startswith(sign * 3)
    )


def _generic_types(text: str) -> set[str]:
    """Every `Name<..>` written in `text`, its arguments balanced, nested ones too."""
    out: set[str] = set()
    for m in re.finditer(r"\b[A-Z]\w*<", text):
        depth = 0
        for k in range(m.end() - 1, len(text)):
            if text[k] == ">" and text[k - 1] == "-":
                continue  # the arrow of `Fn(u32) -> u32`
            depth += {"<": 1, ">": -1}.get(text[k], 0)
            if depth == 0:
                out.add(text[m.start() : k + 1])
                break
    return out


def _names_written_type(d: Diagnostic, wrote: tuple[str, str]) -> bool:
    """A new error that quotes a type the edit itself wrote (`found `Vec<Result<u16, E>>`` after an
    annotation became that type, `&Option<u32>` items summed after a turbofish became
    `Vec<Option<u32>>`): the mismatch moved to where the new type is used, so the edit is no fix,
    wherever that error is. An error that names none of the edit's new types is one rustc hid
    behind the story's ("uncovers")."""
    added, removed = wrote
    new = _generic_types(added) - _generic_types(removed)
    texts = [d.message, *(s.label or "" for s in d.spans), *(c.message for c in d.children)]
    return any(t in q for x in texts for q in _QUOTED.findall(x) for t in new)


def at(d: Diagnostic) -> tuple[str, int] | None:
    return (d.primary.file_name, d.primary.line_start) if d.primary else None


def judge(
    e: Explanation, o: PatchOption, before: Counter[Key], after: CheckReport, base: CheckReport | None = None
) -> Verdict:
    """Pure: the verdict and, when it fails, why: the new error that disqualified it, in the
    compiler's words, or that the story's own error stays; and where that new error is. With the
    baseline's report (`base`), errors are compared by place (`engine.explain.blame`)."""
    if after.status in ("timeout", "error", "failed"):
        return "not-checked", "", None
    if base is not None:
        stays, new = blame.compare(e, o.patch, base, after)
        if blame.story_stays(e, stays):
            return "fails", "the error stays" + (f": {reason_words(stays[0])}" if stays else ""), None
    else:
        now = _counted(after)
        targets = {_key(d) for d in e.diagnostics}
        if not any(now[k] < before[k] for k in targets):
            stay = next((d for d in distinct(after.diagnostics) if _key(d) in targets), None)
            return "fails", "the error stays" + (f": {reason_words(stay)}" if stay else ""), None
        extra = now - before
        new = [d for d in distinct(after.diagnostics) if _key(d) in extra and d.level.startswith("error")]
    target_phase = min((phase(d) for d in e.diagnostics), default=0)
    wrote = joint.new_lines(o.patch)
    wrote_text = _side(o.patch, "+"), _side(o.patch, "-")

    def on_edit(d: Diagnostic) -> bool:
        p = d.primary
        return p is not None and any(
            n in wrote.get(p.file_name, ()) for n in range(p.line_start, p.line_end + 1)
        )

    for d in new:
        if on_edit(d) or _names_written_type(d, wrote_text):
            return "fails", reason_words(d), at(d)
        if phase(d) <= target_phase and target_phase >= joint.BORROWCK:
            # the story is a borrow error, so the crate type-checked without the edit: a type error
            # away from the edit's lines is one the edit caused there
            return "fails", moved_receiver_words(d), at(d)
    # a resolve or type error stops rustc short in its body: a new one away from the edit is one the
    # story's error hid (or the same mistake made elsewhere), not a flaw of this edit. A syntax error
    # (no code) is not judged so: after one, the parser's recovery decides what rustc says next
    early = [d for d in new if phase(d) <= target_phase]
    coded = all(d.code_str for d in (*e.diagnostics, *early))
    if early:
        return ("uncovers" if coded else "fails"), reason_words(early[0]), at(early[0])
    return "compiles", "", None
