"""Root-cause strategies: pure functions that follow a diagnostic's spans, labels and notes to where
the problem starts (the move before the use, the declaration that fixed the expected type, the bound
that demands a trait, the borrow still alive).

Each strategy returns a `Found` or None; `locate` falls back to rustc's primary span and says so.
KB entries pick a strategy by name (kb/FORMAT.md lists them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from engine.explain.rootsyntax import source_root
from engine.explain.types import Location
from engine.facts.parse import facts_of
from engine.facts.types import Origin
from toolbelt.diagnostics import in_user_crate, user_site
from toolbelt.types import Diagnostic, Span

PRIMARY_REASON = "rustc's primary span is the root cause here"


class Found(NamedTuple):
    span: Span
    reason: str
    label: str | None = None  # the span's label, or the message of the note that carries it


def to_location(span: Span, label: str | None = None) -> Location:
    s = user_site(span)
    return Location(
        file=s.file_name, line=s.line_start, column=s.column_start, label=label or span.label or s.label
    )


def primary_span(diag: Diagnostic) -> Span | None:
    """rustc's primary span, walked back to user code; a child's primary when the top has none."""
    span = diag.primary
    if span is None:
        for child in diag.children:
            if child.primary is not None:
                span = child.primary
                break
    return user_site(span) if span is not None else None


def _all_spans(diag: Diagnostic) -> Iterator[tuple[Span, str]]:
    """Top-level spans first, then each child's spans; with the text that describes each span."""
    for s in diag.spans:
        yield s, s.label or ""
    for child in diag.children:
        for s in child.spans:
            yield s, (s.label or "") + " " + child.message


def _label_match(
    diag: Diagnostic, patterns: tuple[str, ...], *, top_only: bool = False, skip_primary: bool = True
) -> Found | None:
    """The first span (top-level non-primary spans first, then children) whose label matches a pattern."""
    regexes = [re.compile(p) for p in patterns]
    for rx in regexes:
        for s, text in _all_spans(diag):
            if top_only and s not in diag.spans:
                continue
            if skip_primary and s in diag.spans and s.is_primary:
                continue
            if not in_user_crate(user_site(s).file_name):
                continue
            if rx.search(text):
                label = (s.label or text).strip()
                return Found(s, f'rustc labels this span: "{label}"', label)
    return None


def _moved_at(diag: Diagnostic) -> Found | None:
    f = _label_match(
        diag,
        (
            r"value moved here",
            r"moved due to (this|the) ",
            r"value moved into closure here",
            r"\bmoved here\b",
        ),
    )
    if f is not None:
        return Found(f.span, f"the value is moved here, before the use rustc reports ({f.reason})", f.label)
    return None


def _borrowed_at(diag: Diagnostic) -> Found | None:
    f = _label_match(
        diag,
        (
            r"(immutable|mutable|first mutable|first) borrow occurs here",
            r"borrow of `[^`]+` occurs here",
            r"borrow occurs here",
            r"`[^`]+` is borrowed here",
        ),
    )
    if f is not None:
        return Found(
            f.span, f"this borrow is still alive when the conflicting access happens ({f.reason})", f.label
        )
    return None


def _borrow_used_at(diag: Diagnostic) -> Found | None:
    f = _label_match(diag, (r"later used here", r"later used by call", r"borrow later", r"used here"))
    if f is not None:
        return Found(f.span, f"this later use keeps the borrow alive ({f.reason})", f.label)
    return None


def _dropped_at(diag: Diagnostic) -> Found | None:
    return _label_match(diag, (r"dropped here while still borrowed", r"dropped here"))


def _temporary_at(diag: Diagnostic) -> Found | None:
    """E0515/E0716: the temporary rustc labels "temporary value created here", the value the returned
    (or kept) reference points into; where rustc's primary span returns it is only the symptom."""
    f = _label_match(diag, (r"temporary value created here",))
    if f is not None:
        return Found(
            f.span,
            f"the reference points into this temporary, which the function drops ({f.reason})",
            f.label,
        )
    return None


def _static_required_at(diag: Diagnostic) -> Found | None:
    """The call whose argument must be `'static` (rustc: "argument requires that `x` is borrowed for
    `'static`"): a `thread::spawn` or another API that keeps its argument past every local scope."""
    f = _label_match(diag, (r"requires that `[^`]+` is borrowed for `'static`", r"borrowed for `'static`"))
    if f is not None:
        return Found(
            f.span,
            f"this call keeps its argument for `'static`, past every local scope ({f.reason})",
            f.label,
        )
    return None


def _static_item(diag: Diagnostic) -> Found | None:
    """The `static` item rustc says cannot be written to or borrowed as mutable: its declaration,
    where its type (an atomic, a lock) or the design (state passed explicitly) changes."""
    f = _label_match(diag, (r"this `static` cannot be",))
    if f is not None:
        return Found(f.span, f"a `static` item is immutable; its declaration decides ({f.reason})", f.label)
    return None


# rustc's "expected `u32`, found `Result<_, _>`": the value is wrapped, the expectation is not
_FOUND_WRAPPER = re.compile(
    r"expected (?:type )?`(?!(?:std::\w+::)?(?:Result|Option)\b)[^`]+`,?\s*found (?:enum )?"
    r"`(?:(?:std|core)::\w+::)?(Result|Option)<"
)


def _unhandled_wrapper(diag: Diagnostic) -> Found | None:
    """The expression that gives a `Result`/`Option` where its content is expected: the annotation
    (rustc's "expected due to this") states the type the code wants, and the wrapper is the mistake."""
    prim = primary_span(diag)
    said = [prim.label or ""] if prim is not None else []
    said += [c.message for c in diag.children]
    m = next((m for t in said if (m := _FOUND_WRAPPER.search(t))), None)
    if m is None or prim is None:
        return None
    how = "a `match`, `.expect(..)`, or `?` in a function that returns one"
    reason = (
        f"this expression gives a `{m.group(1)}` where its content is expected; the expected type is right, "
        f"and the `{m.group(1)}` must be handled here ({how})"
    )
    return Found(prim, reason, prim.label)


def _expected_due_to(diag: Diagnostic) -> Found | None:
    if (wrapped := _unhandled_wrapper(diag)) is not None:
        return wrapped
    f = _label_match(
        diag,
        (
            r"expected due to this",
            r"because of return type",
            r"expected due to the type of",
            r"expected .* because of",
            r"this is found to be of type",
            r"expected because of this",
        ),
    )
    if f is not None:
        return Found(f.span, f"this is where the expected type comes from ({f.reason})", f.label)
    # never the callee's "function defined here": a signature states what it expects and is not the
    # mistake; an argument that does not fit is placed by `rootsyntax` (the argument, its binding)
    return None


def _mutable_binding(diag: Diagnostic) -> Found | None:
    for child in diag.children:
        if re.search(
            r"consider (changing this to be|making this binding|making this) mutable|to be mutable",
            child.message,
        ):
            for s in child.spans:
                if in_user_crate(user_site(s).file_name):
                    return Found(
                        s,
                        f'{"this borrow is shared" if _shared_borrow(s) else "this binding is not `mut`"}; rustc\'s help: "{child.message}"',
                        _unmut(s, child.message),
                    )
    return _declared_at(diag)


def _snippet(span: Span) -> str:
    """The source text a span highlights (its first line), "" when rustc sent none."""
    if not span.text:
        return ""
    t = span.text[0]
    code = t.text[t.highlight_start - 1 : t.highlight_end - 1].strip()
    if not code:  # an insertion point ("mut " goes here): the name that starts there
        m = re.match(r"\s*(\w+)", t.text[t.highlight_start - 1 :])
        code = m.group(1) if m else ""
    return code


def _shared_borrow(span: Span) -> str:
    """The fact behind a `mut ` that rustc inserts right after a `&`: the place is reached through a
    shared borrow, not a binding without `mut` (the general mistake: `&self` or `&xs` where the code
    writes through it). A `&self` receiver is named as such, without saying `&mut self` helps: that is
    for the check to say (a closure over `self` while the field changes fails with E0500, a trait's
    signature may not be ours to change). "" when the insertion does not follow a `&`."""
    if not span.text or (span.suggested_replacement or "").strip() != "mut":
        return ""
    t = span.text[0]
    if t.highlight_start != t.highlight_end or not t.text[: t.highlight_start - 1].endswith("&"):
        return ""
    m = re.match(r"\s*((?:\w+\.)*\w+)\s*([,)]?)", t.text[t.highlight_start - 1 :])
    if m is None:
        return "a shared `&` borrow"
    if m.group(1) == "self" and m.group(2):
        return "the `&self` receiver, a shared `&` reference, which only reads"
    return f"`&{m.group(1)}` is a shared `&` borrow"


def _unmut(span: Span, help_text: str = "") -> str | None:
    """The fact behind rustc's "consider making this binding mutable": the binding it points at is
    declared without `mut` (or, where the help's replacement writes `&mut`, it is a shared reference). A label states a cause; rustc's help is advice, not a cause."""
    name = _snippet(span)
    shared = _shared_borrow(span)
    if shared:
        return shared
    if "&mut" in (span.suggested_replacement or "") or "mutable reference" in help_text:
        return f"`{name}` is a shared `&` reference" if name and " " not in name else "a shared `&` reference"
    return f"`{name}` is declared without `mut`" if name and " " not in name else "declared without `mut`"


def _fact_label(diag: Diagnostic, found: Found) -> str | None:
    """The label a root cause is shown with, never rustc's help text: a help child's message
    ("consider further restricting type parameter `T`") is a suggestion, and printed as a cause it
    reads as one. Such a label becomes the code the help points at, which is a fact."""
    advice = {c.message for c in diag.children if c.level == "help"}
    if found.label is None or found.label not in advice:
        return found.label
    named = re.search(r"`([^`]+)`", found.label)  # the item the help names ("type parameter `T`")
    code = (named.group(1) if named else "") or _snippet(found.span)
    return f"`{code}`, where rustc's help points" if code else "where rustc's help points"


def _declared_at(diag: Diagnostic) -> Found | None:
    f = _label_match(
        diag,
        (
            r"first assignment to",
            r"binding `[^`]+` declared here",
            r"declared here",
            r"defined here",
            r"help: consider changing this to be mutable",
        ),
    )
    if f is not None:
        return Found(f.span, f"the declaration decides this ({f.reason})", f.label)
    for child in diag.children:
        if "mutable" in child.message:
            for s in child.spans:
                if in_user_crate(user_site(s).file_name):
                    return Found(
                        s,
                        f'rustc\'s help points at the {"shared borrow" if _shared_borrow(s) else "declaration"}: "{child.message}"',
                        _unmut(s, child.message),
                    )
    return None


def _trait_bound_at(diag: Diagnostic) -> Found | None:
    f = _label_match(
        diag, (r"required by this bound", r"required by a bound in\b", r"required by an implicit")
    )
    if f is not None:
        return Found(f.span, f"this bound is what demands the trait ({f.reason})", f.label)
    f = _label_match(diag, (r"required by a bound introduced by this call",))
    if f is not None:
        return Found(f.span, f"this call introduces the bound that demands the trait ({f.reason})", f.label)
    return None


def _definition_at(diag: Diagnostic) -> Found | None:
    return _label_match(
        diag, (r"not found for this", r"defined here", r"declared here", r"`[^`]+` defined here")
    )


def _first_note(diag: Diagnostic) -> Found | None:
    """The first child note/help with a span in the user's code; its primary span when it has one
    (E0038's note marks "...because method `m` references `Self`" as primary, the trait as context)."""
    for child in diag.children:
        spans = [s for s in child.spans if in_user_crate(user_site(s).file_name)]
        if not spans:
            continue
        s = next((s for s in spans if s.is_primary), spans[0])
        return Found(
            s,
            f'rustc\'s {child.level} points here: "{(s.label or child.message).strip()}"',
            s.label or child.message,
        )
    return None


def _closure_signature_at(diag: Diagnostic) -> Found | None:
    """E0631: the closure whose written signature differs from the one the bound expects."""
    f = _label_match(diag, (r"found signature defined here",))
    if f is not None:
        return Found(f.span, "this closure's signature is the one the bound rejects", f.label)
    return None


def _closure_kind_cause(diag: Diagnostic) -> Found | None:
    """E0525: the line of the closure's body that decides its kind, which rustc labels "closure is
    `FnOnce` because it moves the variable `x` out of its environment" (or "`FnMut` because it
    mutates"). The closure and the bound are both as written; that line is what makes them clash."""
    f = _label_match(diag, (r"closure is `Fn(?:Once|Mut)` because it (?:moves|mutates)",))
    if f is not None:
        return Found(f.span, "what the body does with this capture decides the closure's kind", f.label)
    return None


_BECAUSE = re.compile(r"^\.\.\.because ")


def _suggestion_at(diag: Diagnostic) -> Found | None:
    """Where rustc suggests an edit, unless a note of the same diagnostic names the cause (E0038's
    "...because method `m` has generic type parameters"): a suggestion is a fix nobody has checked
    yet (`Box<dyn Shape>` -> `Box<Self>` in an impl does not compile), a note's cause is a fact."""
    for child in diag.children:
        for s in child.spans:
            if s.label and _BECAUSE.match(s.label) and in_user_crate(user_site(s).file_name):
                return Found(s, f'rustc\'s {child.level} points here: "{s.label.strip()}"', s.label)
    for child in diag.children:
        for s in child.spans:
            if s.suggested_replacement is not None and in_user_crate(s.file_name):
                return Found(s, f'rustc suggests a change here: "{child.message}"', child.message)
    return None


def _signature_at(diag: Diagnostic) -> Found | None:
    """The enclosing signature rustc labels as the thing to change (`?` in a function returning
    `i32`: "this function should return `Result` or `Option`"), never the `?` itself."""
    return _label_match(
        diag,
        (r"this (?:function|method|closure|async block|block|async closure) should return",),
        top_only=True,
    )


def _first_occurrence(diag: Diagnostic) -> Found | None:
    return None  # the primary span; grouping picks the earliest of the group


STRATEGIES: dict[str, Callable[[Diagnostic], Found | None]] = {
    "primary": lambda d: None,
    "moved_at": _moved_at,
    "borrowed_at": _borrowed_at,
    "borrow_used_at": _borrow_used_at,
    "dropped_at": _dropped_at,
    "expected_due_to": _expected_due_to,
    "declared_at": _declared_at,
    "mutable_binding": _mutable_binding,
    "trait_bound_at": _trait_bound_at,
    "definition_at": _definition_at,
    "first_note": _first_note,
    "suggestion_at": _suggestion_at,
    "signature_at": _signature_at,
    "first_occurrence": _first_occurrence,
    "static_required_at": _static_required_at,
    "temporary_at": _temporary_at,
    "static_item": _static_item,
    "closure_signature_at": _closure_signature_at,
    "closure_kind_cause": _closure_kind_cause,
}

# For codes without a KB entry (or before the KB has one): a sensible default per code.
DEFAULT_STRATEGY: dict[str, str] = {
    "E0382": "moved_at",
    "E0505": "borrowed_at",
    "E0507": "primary",
    "E0499": "borrowed_at",
    "E0502": "borrowed_at",
    "E0506": "borrowed_at",
    "E0308": "expected_due_to",
    "E0277": "trait_bound_at",
    "E0596": "mutable_binding",
    "E0384": "mutable_binding",
    "E0594": "mutable_binding",
    "E0425": "first_occurrence",
    "E0433": "first_occurrence",
    "E0412": "first_occurrence",
    "E0432": "first_occurrence",
    "E0038": "first_note",
    "E0631": "closure_signature_at",
    "E0525": "closure_kind_cause",
}


# Origins that rustc's children name as the cause: they outrank where the error merely happened.
_CAUSES = ("consuming-receiver", "trait-bound", "closure-kind", "missing-else")


def _origin_location(origin: Origin) -> Location:
    p = origin.place
    return Location(file=p.file, line=p.line, column=p.column, label=p.label)


def locate(
    diag: Diagnostic, strategy: str | None = None, crate_root: str | Path | None = None
) -> tuple[Location, str]:
    """Where the problem starts and why Rusta says so.

    rustc's children first (`engine.facts`): a consuming receiver, a bound, a closure-kind requirement
    or a missing `else` they name in the user's code is the root cause. Then the entry's strategy,
    then the code's default, then the origin of lesser kinds (the move, the expected type); rustc's
    primary span only when nothing points elsewhere, and then it says so. With the crate's source,
    the syntax layer goes first where rustc's spans stop at a symptom (`rootsyntax`).
    """
    facts = facts_of(diag)
    if (placed := source_root(diag, facts, crate_root)) is not None:
        return placed
    origin = facts.origin
    if origin is not None and origin.kind in _CAUSES:
        return _origin_location(origin), origin.reason
    default = DEFAULT_STRATEGY.get(diag.code_str or "", "primary")
    found = None
    for name in dict.fromkeys((strategy or default, default)):  # the entry's choice, then the code's default
        fn = STRATEGIES.get(name)
        found = fn(diag) if fn is not None else None
        if found is not None:
            break
    if found is not None:
        return to_location(found.span, _fact_label(diag, found)), found.reason
    if origin is not None and (strategy or default) != "primary":  # "primary" is a choice, not a gap
        return _origin_location(origin), origin.reason
    prim = primary_span(diag)
    if prim is None:
        return Location(file="", line=0, column=0, label=None), "rustc gave no location for this diagnostic"
    return to_location(prim), PRIMARY_REASON
