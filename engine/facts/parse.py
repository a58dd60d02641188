"""Read one rustc diagnostic into typed Facts: the only module that reads rustc's wording.

Explain and repair used to match rustc's labels with their own regexes, each a little differently;
here each phrase rustc uses is matched once, and everything downstream asks a typed question
(`facts.moved_at`, `facts.bound_at`) instead. Labels are rustc's stable English (the JSON has no
structured form of them); a phrase that stops matching leaves a fact None, never a wrong one.

Pure: a Diagnostic in, Facts out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import msgspec

from engine.edits import Suggestion, suggestions
from engine.facts.types import Facts, MoveKind, Note, Origin, Place
from toolbelt.diagnostics import in_user_crate, user_site
from toolbelt.types import Diagnostic, Span

_TICK = r"`((?:[^`]|``)+)`"
_EXPECTED_FOUND = re.compile(rf"expected {_TICK}, found {_TICK}")
# A literal's type not yet chosen, in rustc's words ("expected `&u32`, found integer"), and as rustc
# writes it in notes (`{integer}`).
_LITERAL = {"integer": "{integer}", "floating-point number": "{float}"}
_EXPECTED_FOUND_LITERAL = re.compile(
    rf"expected (?:{_TICK}|(integer|floating-point number)), found (?:{_TICK}|(integer|floating-point number))"
)
_EXPECTED_FOUND_NOTE = re.compile(r"expected (?:\w+ )*`(.+?)`\n\s*found (?:\w+ )*`(.+?)`", re.S)
_BINDING_IN_MESSAGE = (
    re.compile(r"(?:use|borrow) of (?:moved|possibly-uninitialized|partially moved) value: `([^`]+)`"),
    re.compile(r"cannot (?:move out of|borrow|assign to|assign twice to immutable variable) `\*?([^`]+)`"),
    re.compile(r"`([^`]+)` does not live long enough"),
)
_CAPTURED_BORROW = re.compile(r"closure may outlive the current function, but it borrows `(\w+)`")
_ESCAPING = re.compile(
    r"^`(\w+)` (?:escapes the function body here|is a reference that is only valid in the function body)"
)
_HAS_TYPE = re.compile(
    rf"move occurs because {_TICK} has type {_TICK}(, which does not implement the `Copy` trait)?"
)
_MOVED = re.compile(r"\bmoved (?:due to|into closure|here)|value moved into closure here|\bis moved here")
_CONSUMER = re.compile(rf"{_TICK} takes ownership of the receiver `self`, which moves {_TICK}")
_CLOSURE_KIND = re.compile(r"captured by this `(FnMut|Fn)` closure")
_WANTS_FNMUT = re.compile(r"change this to (?:accept|return) `FnMut` instead of `Fn`")
_TRAIT_MESSAGE = (
    re.compile(rf"the trait bound {_TICK} is not satisfied"),
    re.compile(rf"{_TICK} (?:doesn't|does not) implement {_TICK}"),
    re.compile(rf"{_TICK} is not an iterator"),
    re.compile(rf"the trait {_TICK} is not implemented for {_TICK}"),
)
_EXPECTED_DUE_TO = re.compile(
    r"expected due to (?:this|the type of)|because of (?:this )?return type|expected .* because of"
)
_BORROWED = re.compile(
    r"(?:immutable|mutable|first mutable|first) borrow occurs here|borrow of `[^`]+` occurs here"
)
_LATER_USED = re.compile(r"later used")
# "field `total` of struct `Cart` is private", "fields `x` and `y` of struct `P` are private",
# "function `tax` is private": `whole` the item, `item` the struct whose fields are named
_PRIVATE = re.compile(r"^(?P<whole>(?:fields? .+? of )?(?P<item>[a-z ]+ `[^`]+`)) (?:is|are) private$")


def place(span: Span, label: str | None = None) -> Place | None:
    """The span in the user's crate (a macro expansion walked back to its call); None when it is not."""
    s = user_site(span)
    if not in_user_crate(s.file_name):
        return None
    return Place(
        file=s.file_name,
        start=s.byte_start,
        end=s.byte_end,
        line=s.line_start,
        column=s.column_start,
        label=label if label is not None else span.label,
    )


def _labelled(diag: Diagnostic) -> Iterator[tuple[Span, str]]:
    """Every span with the words that describe it: its own label, then its child's message."""
    for s in diag.spans:
        yield s, s.label or ""
    for c in diag.children:
        for s in c.spans:
            yield s, f"{s.label or ''} {c.message}".strip()


def _first(diag: Diagnostic, rx: re.Pattern[str], *, primary_too: bool = False) -> tuple[Place, str] | None:
    for s, text in _labelled(diag):
        if s.is_primary and s in diag.spans and not primary_too:
            continue
        if rx.search(text):
            p = place(s)
            if p is not None:
                return p, text
    return None


def _move_kind(label: str) -> MoveKind:
    if "into_iter" in label:
        return "for-loop"
    if "method call" in label:
        return "method"
    if "closure" in label:
        return "closure"
    if "call" in label:
        return "call"
    return "plain"


def _unticks(s: str) -> str:
    return s.replace("``", "`")


def facts_of(diag: Diagnostic) -> Facts:
    """Everything rustc states about one diagnostic, typed; see Facts for what each field means."""
    texts = [diag.message, *(s.label or "" for s in diag.spans), *(c.message for c in diag.children)]
    joined = "\n".join(texts)
    prim = diag.primary
    f: dict = {"code": diag.code_str, "level": diag.level, "message": diag.message}
    f["primary"] = place(prim) if prim is not None else None

    # the types of this mismatch: rustc's message and labels, then its notes; never a help about some
    # other impl ("for that trait implementation, expected `ParseIntError`, found `io::Error`")
    own = "\n".join(
        [
            diag.message,
            *(s.label or "" for s in diag.spans),
            *(c.message for c in diag.children if c.level == "note"),
        ]
    )
    m = _EXPECTED_FOUND.search(own) or _EXPECTED_FOUND_NOTE.search(own)
    if m:
        f["expected"], f["found"] = _unticks(m.group(1)), _unticks(m.group(2))
    elif m := _EXPECTED_FOUND_LITERAL.search(own):  # one side a literal: never both (that is no mismatch)
        e, e_lit, fo, f_lit = m.groups()
        f["expected"] = _unticks(e) if e is not None else _LITERAL[e_lit]
        f["found"] = _unticks(fo) if fo is not None else _LITERAL[f_lit]
    for rx in _BINDING_IN_MESSAGE:
        if m := rx.search(diag.message):
            f["binding"] = m.group(1)
            break
    if m := _CAPTURED_BORROW.match(diag.message):
        f["captured_borrow"] = m.group(1)
    if m := next((m for s in diag.spans if (m := _ESCAPING.match(s.label or ""))), None):
        f["escaping"] = m.group(1)
    if m := _HAS_TYPE.search(joined):
        f["binding"] = f.get("binding") or m.group(1)
        f["binding_type"], f["not_copy"] = _unticks(m.group(2)), bool(m.group(3))
    if hit := _first(diag, _MOVED):
        f["moved_at"], f["move_kind"] = hit[0], _move_kind(hit[1])
        f["moved_in_loop"] = "in previous iteration of loop" in hit[1]
    for c in diag.children:
        if m := _CONSUMER.search(c.message):
            f["consumer"] = m.group(1)
            f["consumer_at"] = next((p for s in c.spans if (p := place(s)) is not None), None)
    if hit := _first(diag, _CLOSURE_KIND):
        f["closure_at"] = hit[0]
        f["closure_kind"] = "FnMut" if "`FnMut`" in hit[1] else "Fn"
    elif hit := _first(diag, _WANTS_FNMUT):  # E0596: the closure mutates a capture; the bound says `Fn`
        f["closure_at"] = hit[0]
        f["closure_kind"] = "Fn"
    for rx in _TRAIT_MESSAGE:
        if m := rx.search(diag.message):
            f["trait_name"] = _trait_of(m)
            break
    if hit := _first(diag, re.compile(r"required by (?:this|a) bound in\b|required by an implicit")):
        f["bound_at"] = hit[0]
    if hit := _first(diag, re.compile(r"required by a bound introduced by this call")):
        f["bound_call_at"] = hit[0]
    if hit := _first(diag, _EXPECTED_DUE_TO):
        f["expected_due_to"] = hit[0]
    if hit := _first(diag, re.compile(r"(?:function|method|associated function) defined here")):
        f["callee_at"] = hit[0]
    if m := _PRIVATE.match(diag.message):
        f["private_item"] = m.group("item") if diag.code_str == "E0451" else m.group("whole")
        if hit := _first(diag, re.compile(r"\bdefined here")):
            f["private_at"] = hit[0]
    f["behind_reference"] = bool(re.search(r"behind a `&` reference", diag.message))
    f["similar_name_help"] = any(
        re.search(r"with a similar name exists|similarly named|a similar name", t)
        for t in (*(c.message for c in diag.children), *(w for _, w in _labelled(diag)))
    )
    f["clone_help"] = any("consider cloning" in c.message for c in diag.children)
    f["missing_else"] = any("without `else` evaluate to `()`" in c.message for c in diag.children)
    if hit := _first(diag, _BORROWED):
        f["borrowed_at"] = hit[0]
    if hit := _first(diag, _LATER_USED):
        f["later_used_at"] = hit[0]
    for c in diag.children:
        if re.search(r"consider changing this to be mutable|consider making this binding mutable", c.message):
            f["make_mut_at"] = next((p for s in c.spans if (p := place(s)) is not None), None)
            break
    if hit := _first(diag, re.compile(r"consider implementing `\w+` for this type|not found for this")):
        f["type_defined_at"] = hit[0]
    f["notes"] = tuple(
        Note(
            level=c.level, message=c.message, places=tuple(p for s in c.spans if (p := place(s)) is not None)
        )
        for c in diag.children
        if c.message
    )
    f["suggestions"] = tuple(suggestions(diag))
    facts = Facts(**f)
    return _with_origin(facts)


def _trait_of(m: re.Match[str]) -> str:
    """The trait's path: `T: Display` -> `Display`; "`P` doesn't implement `Display`" -> `Display`."""
    groups = [g for g in m.groups() if g]
    text = _unticks(groups[-1] if len(groups) > 1 else groups[0])
    if ":" in text and not text.startswith("std::") and "::" not in text.split(":", 1)[0]:
        text = text.split(":", 1)[1].strip()
    return text


def _with_origin(f: Facts) -> Facts:
    """The root cause from rustc's children, when they name one in the user's code; else None.

    Order: what rustc's notes say *causes* the error (a consuming receiver, a bound, a closure-kind
    requirement, a missing `else`) before where it merely *happened* (the move, the expected type).
    """
    origin: Origin | None = None
    restrict = next(
        (
            s
            for s in f.suggestions
            if re.match(r"consider (further )?restricting (type parameter|this bound)", s.message)
        ),
        None,
    )
    if f.consumer_at is not None:
        # the call that moved the value is where the fix goes (or `&self` at the receiver): name both
        what = f"`{f.consumer}` takes `self` by value (line {f.consumer_at.line})"
        origin = Origin(
            kind="consuming-receiver",
            place=f.moved_at or f.consumer_at,
            reason=f"{what}, so this call moves `{f.binding}`" if f.binding else what,
        )
    elif restrict is not None and f.trait_name and (at := _suggested_at(f, restrict)) is not None:
        named = re.search(r"type parameter `([A-Za-z_]\w*)`", restrict.message)
        who = f"`{named.group(1)}`" if named else "the type parameter"
        lacks = next((b for e in restrict.edits[:1] if (b := restricted_bound(e.replacement))), f.trait_name)
        origin = Origin(  # the place is where rustc's help writes the bound, not the declaration
            kind="trait-bound",
            place=at,
            reason=f"{who} has no `{lacks}` bound, which what it is passed to demands; "
            "rustc's help adds it here",
        )
    elif f.closure_kind is not None and (fn_bound := _note_place(f, "closures require captured values")):
        origin = Origin(
            kind="closure-kind",
            place=fn_bound,
            reason=f"this bound makes the closure `{f.closure_kind}`: it may run more than once, "
            "so it cannot give away what it captured",
        )
    elif f.closure_kind == "Fn" and f.closure_at is not None and (f.code or "") in ("E0596", "E0594"):
        origin = Origin(
            kind="closure-kind",
            place=f.closure_at,
            reason="this bound takes an `Fn` closure, which may only read what it captured; "
            "the closure changes its capture, which makes it `FnMut`",
        )
    elif f.bound_at is not None and f.trait_name:
        origin = Origin(
            kind="trait-bound",
            place=f.bound_at,
            reason=f"this bound demands `{f.trait_name}`",
        )
    elif f.missing_else and f.primary is not None:
        origin = Origin(
            kind="missing-else",
            place=f.primary,
            reason="this `if` has no `else`, so when its condition is false it evaluates to `()`",
        )
    elif f.moved_at is not None:
        origin = Origin(kind="move", place=f.moved_at, reason=_move_reason(f))
    elif f.expected_due_to is not None and f.expected:
        origin = Origin(
            kind="expected-type",
            place=f.expected_due_to,
            reason=f"`{f.expected}` is expected because of this",
        )
    return msgspec.structs.replace(f, origin=origin)


_RESTRICT_HEAD = re.compile(r"^(?:where\s+|,\s*)?(?:[A-Za-z_]\w*\s*:|:|\+)\s*(?P<bound>\S.*?)\s*$")


def restricted_bound(replacement: str) -> str | None:
    """The bound rustc's "consider (further) restricting type parameter `T`" writes (`Clone` from
    ` where T: Clone`, `: Clone` or ` + Clone`). Why: that bound is the one the parameter lacks; the
    headline's trait may be a container's (`Vec<T>: FromIterator<&T>` when `T: Clone` is missing)."""
    m = _RESTRICT_HEAD.match(replacement.strip())
    return m.group("bound") if m else None


def _suggested_at(f: Facts, s: Suggestion) -> Place | None:
    """The place of a suggestion's first edit, as its note recorded it (with rustc's line)."""
    e = s.edits[0] if s.edits else None
    if e is None:
        return None
    return next(
        (p for n in f.notes for p in n.places if (p.file, p.start, p.end) == (e.file, e.start, e.end)), None
    )


def _note_place(f: Facts, words: str) -> Place | None:
    for n in f.notes:
        if words in n.message and n.places:
            return n.places[0]
    return None


def _move_reason(f: Facts) -> str:
    who = f"`{f.binding}`" if f.binding else "the value"
    return {
        "for-loop": f"the `for` loop takes {who} by value (its hidden `into_iter()` moves it)",
        "method": f"this method call takes {who} by value",
        "closure": f"the closure captures {who} by value",
        "call": f"this call takes {who} by value",
        "plain": f"{who} is moved here",
    }[f.move_kind or "plain"]
