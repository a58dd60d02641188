"""Root causes that need the source: rustc's spans stop at the symptom, and a declaration they name
(the callee's signature, the `spawn` call) is correct code, never the root cause.

- An argument that does not fit its parameter: the argument is where the types differ; when it is
  `&x` and the parameter wants `&mut`, and `x` is declared without `mut`, that declaration is why the
  argument cannot simply be `&mut x`.
- A value that cannot be sent or shared between threads: where the variable holding the `Rc`,
  `RefCell`, `Cell` (rustc's non-`Send` type) was made or its type declared.
- `x == None` on an `Option` whose type has no `PartialEq`: the comparison, not the type's header
  where rustc offers a derive; a variant test needs no trait.
- A `.clone()` whose result is a reference: the type has no `Clone` where the call is made, so method
  lookup cloned the reference.
- A write through a binding rustc calls "a `&` reference" (E0594/E0596) that a std method lent
  shared (`counts.get(&w)`, `v.iter()`, `v.first()`): that call made the reference read-only, not a
  parameter or the binding, and its sibling (`get_mut`) lends `&mut`.
- A method that exists but whose impl's bound (`impl<T: Display> Summary<T>`) a type parameter of
  the calling function lacks (`fn render_all<T: Copy>`): the parameter's declaration, where the bound
  goes. The caller picks that type, so no impl or derive can give it the trait, and the call rustc
  points at is correct code.
- "lifetime may not live long enough" where rustc says the function returns data with lifetime `'1`
  and marks `'1` on a parameter (`&self`): when the returned expression branches and only one branch
  uses that parameter (`None => &self.prefix`), that branch is where the other lifetime enters.

Each answer rests on rustc's words (the types, the label) and a shape from the syntax layer.
"""

from __future__ import annotations

import re
from pathlib import Path

from engine.explain.types import Location
from engine.facts.types import Facts
from toolbelt.diagnostics import in_user_crate
from toolbelt.span_source import span_source
from toolbelt.types import Diagnostic, Span

_ARGUMENT = re.compile(r"arguments to this (?:function|method|associated function) are incorrect")
_EXPECTED_FOUND = re.compile(r"expected `[^`]+`, found `[^`]+`")
_NOT_THREAD_SAFE = re.compile(r"cannot be (sent|shared) between threads safely")
_NOT_IMPLEMENTED = re.compile(
    r"the trait `(?:std::marker::|core::marker::)?(Send|Sync)` is not implemented for `([^`]+)`"
)
_SHARED_REF = re.compile(r"^`(\w+)` is a `&` reference, so it cannot be")
_CLONED_REF = re.compile(r"this argument has type `&([^`]+)`|`([^`]+)` does not implement `Clone`, so")


def _source(crate_root: str | Path, file: str) -> bytes | None:
    try:
        return (Path(crate_root) / file).read_bytes()
    except OSError:
        return None


def _location(source: bytes, file: str, start: int, label: str | None = None) -> Location:
    line_start = source.rfind(b"\n", 0, start) + 1
    return Location(
        file=file,
        line=source.count(b"\n", 0, start) + 1,
        column=len(source[line_start:start].decode("utf-8", "replace")) + 1,
        label=label,
    )


def _span_location(s: Span, label: str | None = None) -> Location:
    return Location(file=s.file_name, line=s.line_start, column=s.column_start, label=label or s.label)


def _argument(diag: Diagnostic, f: Facts, crate_root: str | Path) -> tuple[Location, str] | None:
    if any(_ARGUMENT.search(s.label or "") for s in diag.spans):
        prim = diag.primary  # one argument: rustc's span is the argument
    elif _ARGUMENT.search(diag.message):  # several: rustc's span is the callee, each argument labelled
        prim = next(
            (s for s in diag.spans if not s.is_primary and _EXPECTED_FOUND.match(s.label or "")), None
        )
    else:
        return None
    if prim is None or not in_user_crate(prim.file_name):
        return None
    callee = f" (line {f.callee_at.line})" if f.callee_at is not None else ""
    source = _source(crate_root, prim.file_name)
    wants_mut = (f.expected or "").startswith("&mut ") and (f.found or "").startswith("&")
    if source is not None and wants_mut and not (f.found or "").startswith("&mut "):
        from engine.syntax.origins import shared_borrow_of
        from engine.syntax.tree import binding_of

        name = shared_borrow_of(source, prim.byte_start, prim.byte_end)
        b = binding_of(source, name, prim.byte_start) if name else None
        if b is not None and not b.mutable and b.kind in ("let", "param"):
            return _location(source, prim.file_name, b.range.start, f"`{name}` declared without `mut`"), (
                f"the argument `&{name}` at line {prim.line_start} lends `{name}` shared, and the "
                f"parameter{callee} wants `&mut`; `{name}` is declared here without `mut`, so "
                f"`&mut {name}` needs `let mut {name}` first"
            )
    fixed_here = any(  # rustc's own fix changes the argument (`&name`, `.to_string()`): it is the place
        c.file_name == prim.file_name and c.byte_start <= prim.byte_end and prim.byte_start <= c.byte_end
        for ch in diag.children
        for c in ch.spans
        if c.suggested_replacement is not None
    )
    declared = _declared_argument(source, prim, f) if source is not None and not fixed_here else None
    if declared is not None:
        return declared
    return _span_location(prim, "this argument"), (
        f"this argument's type is the one that differs; the callee's signature{callee} only states "
        "what the parameter expects"
    )


def _declared_argument(source: bytes, prim: Span, f: Facts) -> tuple[Location, str] | None:
    """The argument is a variable whose type its own declaration writes, and the callee is the crate's:
    two declarations disagree, and the parameter rustc marks is the one the call cannot change."""
    from engine.syntax.origins import plain_name
    from engine.syntax.tree import binding_of

    name = plain_name(source, prim.byte_start, prim.byte_end)
    b = binding_of(source, name, prim.byte_start) if name else None
    if b is None or b.type_text is None or f.callee_at is None:
        return None
    note = next((n for n in f.notes if f.callee_at in n.places), None)
    param = next((p for p in note.places if p != f.callee_at), None) if note is not None else None
    if param is None:
        return None
    where = Location(file=param.file, line=param.line, column=param.column, label="the parameter")
    return where, (
        f"`{name}` has the type its declaration writes (`{b.type_text}`, line {b.range.line}), and this "
        "parameter of the crate's own function declares another: two declarations disagree, and the "
        "call cannot settle it; one of them changes"
    )


def _head(typ: str) -> str | None:
    """The outer type's name: `Rc` in `std::rc::Rc<RefCell<T>>`, `*mut` for a raw pointer."""
    if typ.startswith(("*mut ", "*const ")):
        return None  # a raw pointer has no name to look for in the source
    m = re.match(r"&?(?:'\w+ )?(?:mut )?((?:\w+::)*)(\w+)", typ)
    return m.group(2) if m else None


def _not_thread_safe(diag: Diagnostic, f: Facts, crate_root: str | Path) -> tuple[Location, str] | None:
    prim = diag.primary
    if prim is None or not _NOT_THREAD_SAFE.search(diag.message) or not in_user_crate(prim.file_name):
        return None
    texts = [diag.message, *(c.message for c in diag.children)]
    m = next((m for t in texts if (m := _NOT_IMPLEMENTED.search(t))), None)
    head = _head(m.group(2)) if m else None
    source = span_source(crate_root, prim)
    if m is None or head is None or source is None:
        return None
    from engine.syntax.origins import holder_chain

    chain = holder_chain(source, prim.byte_start, prim.byte_end, head)
    if not chain:
        return None
    b, used = chain[-1], chain[0]
    trait, typ = m.group(1), m.group(2)
    verb = "sent to" if trait == "Send" else "shared with"
    # the thread gets a copy of the handle (`let h = Rc::clone(&x)`): a copy repeats the type, the
    # value is made here, so changing the copy alone does not compile (#14)
    copies = [c for c in chain[:-1] if c.kind == "let"]
    via = (
        f", through the cop{'ies' if len(copies) > 1 else 'y'} of the handle at line{'s' if len(copies) > 1 else ''} "
        + ", ".join(str(c.range.line) for c in reversed(copies))
        + " (a copy repeats the handle's type, the value is made here)"
        if copies
        else ""
    )
    if b.kind == "param":  # the caller makes the value: the parameter's type is what this fn decides
        return _location(source, prim.file_name, b.range.start, f"`{b.name}`: the `{head}` comes in here"), (
            f"`{b.name}` is a parameter whose type names `{head}`, so every caller hands in one, and "
            f"rustc says `{typ}` is not `{trait}`; the code at line {prim.line_start} uses "
            f"`{used.name}`{via.replace('the value is made here', 'the type is set here')}, so it "
            f"cannot be {verb} another thread"
        )
    return _location(source, prim.file_name, b.range.start, f"`{b.name}`: the `{head}` is made here"), (
        f"`{b.name}` is made here, with `{head}` in its declaration, and rustc says `{typ}` is not "
        f"`{trait}`; the code at line {prim.line_start} uses `{used.name}`{via}, so it cannot be "
        f"{verb} another thread"
    )


def _parameter_at(source: bytes, s: Span, name: str) -> int | None:
    """Where the type parameter `name` is declared around the span, None when it is no parameter."""
    from engine.syntax.story_shapes import type_parameter_declared

    return type_parameter_declared(source, s.byte_start, s.byte_end, name)


def cloned_parameter(diag: Diagnostic, crate_root: str | Path) -> str | None:
    """The type parameter whose reference a `.clone()` cloned (`K` of "`K` does not implement
    `Clone`, so `&K` was cloned instead"), None when the type is a concrete one a derive can fix."""
    found = cloned_reference(diag, crate_root)
    if found is None:
        return None
    m = re.match(r"`([A-Za-z_]\w*)` is a type parameter declared here", found[1])
    return m.group(1) if m else None


def cloned_reference(diag: Diagnostic, crate_root: str | Path) -> tuple[Location, str] | None:
    """A `.clone()` rustc gives the type `&T` (a label "this argument has type `&T`...", or its note
    "`T` does not implement `Clone`, so `&T` was cloned instead"): where it is, and why."""
    if diag.code_str != "E0308":
        return None
    from engine.syntax.origins import clones_by_method

    for node in (diag, *diag.children):
        for s in node.spans:
            text = f"{s.label or ''} {node.message if node is not diag else ''}"
            m = _CLONED_REF.search(text)
            if m is None or not in_user_crate(s.file_name):
                continue
            source = span_source(crate_root, s)
            if source is None:
                continue
            inner = m.group(1) or m.group(2).removeprefix("&")
            prim = diag.primary  # rustc's note may mark only the receiver; its call is the primary
            call = clones_by_method(source, s.byte_start, s.byte_end) or (
                prim is not None
                and prim.file_name == s.file_name
                and prim.byte_start <= s.byte_start < s.byte_end <= prim.byte_end <= len(source)
                and clones_by_method(source, prim.byte_start, prim.byte_end)
                and _parameter_at(source, s, inner) is not None
            )
            if not call:
                continue
            if (at := _parameter_at(source, s, inner)) is not None:
                # a type parameter has no definition to derive on: its bound is the fix
                return _location(source, s.file_name, at), (
                    f"`{inner}` is a type parameter declared here without `Clone`, so `.clone()` at "
                    f"line {s.line_start} cloned the reference; only a `Clone` bound here changes that"
                )
            return _span_location(s, "`.clone()` of a reference"), (
                f"`.clone()` here gives `&{inner}`: `{inner}` is not known to implement `Clone` here, "
                f"so method lookup cloned the reference instead of the `{inner}` behind it"
            )
    return None


def none_comparison(diag: Diagnostic, crate_root: str | Path) -> tuple[Location, str, str] | None:
    """`x == None` (E0369) on an `Option` whose type has no `PartialEq`: the comparison, the
    operand's text, and why it is the root (rustc's derive only makes this comparison compile)."""
    prim = diag.primary
    if diag.code_str != "E0369" or prim is None or not in_user_crate(prim.file_name):
        return None
    source = span_source(crate_root, prim)
    if source is None:
        return None
    from engine.syntax.origins import compared_with_none

    found = compared_with_none(source, prim.byte_start)
    if found is None:
        return None
    whole, other, op = found
    method = "is_none" if op == "==" else "is_some"
    return (
        _location(source, prim.file_name, whole.start, f"`{whole.text}`"),
        other.text,
        f"`{whole.text}` compares values to ask which variant `{other.text}` is; `.{method}()` (or a "
        "pattern) asks that without `PartialEq`, which rustc's derive would add only for this comparison",
    )


def shared_ref_from_method(diag: Diagnostic, crate_root: str | Path):  # noqa: ANN201 - (Location, reason, RefSource)
    """E0594/E0596 where the reference written through was lent shared by a std method call: the call,
    why it is the root, and the call's shape (the method, its `&mut` sibling)."""
    prim = diag.primary
    if diag.code_str not in ("E0594", "E0596") or prim is None or not in_user_crate(prim.file_name):
        return None
    name = next((m.group(1) for s in diag.spans if (m := _SHARED_REF.match(s.label or ""))), None)
    source = span_source(crate_root, prim)
    if name is None or source is None:
        return None
    from engine.syntax.option_shapes import shared_ref_source

    src = shared_ref_source(source, name, prim.byte_start)
    if src is None:
        return None
    call = source[src.call_start : src.call_end].decode("utf-8", "replace")
    return (
        _location(source, prim.file_name, src.call_start, f"`{call}` lends `&`"),
        f"`{name}` holds the shared reference `{call}` returns; `{src.method}` lends `&` whatever the "
        f"collection's binding says, so the write at line {prim.line_start} goes through a read-only "
        "reference made here",
        src,
    )


def source_root(diag: Diagnostic, f: Facts, crate_root: str | Path | None) -> tuple[Location, str] | None:
    """The root cause that the source places, or None when rustc's spans are all there is."""
    if crate_root is None:
        return None
    if (found := cloned_reference(diag, crate_root)) is not None:
        return found
    if (cmp := none_comparison(diag, crate_root)) is not None:
        return cmp[0], cmp[2]
    if (shared := shared_ref_from_method(diag, crate_root)) is not None:
        return shared[0], shared[1]
    from engine.explain.signature_roots import signature_root

    if (sig := signature_root(diag, crate_root)) is not None:  # a defaulted lifetime in a written type
        return sig
    if (param := unbounded_type_parameter(diag, crate_root)) is not None:
        return param[0], param[1]
    for rule in (_argument, _not_thread_safe, _branch_with_other_lifetime):
        if (found := rule(diag, f, crate_root)) is not None:
            return found
    return None


_RETURNING = re.compile(
    r"supposed to return data with lifetime `('[^`]+)` but it is returning data with lifetime `('[^`]+)`"
)


def _branch_with_other_lifetime(
    diag: Diagnostic, f: Facts, crate_root: str | Path
) -> tuple[Location, str] | None:
    prim = diag.primary
    m = _RETURNING.search(prim.label or "") if prim is not None else None
    if prim is None or m is None or not in_user_crate(prim.file_name):
        return None
    want, got = m.group(1), m.group(2)
    marked = next(
        (s for s in diag.spans if (s.label or "").endswith(f"call the lifetime of this reference `{got}`")),
        None,
    )
    source = span_source(crate_root, prim)
    if marked is None or source is None or marked.file_name != prim.file_name:
        return None
    from engine.syntax.returned_tails import only_branch_using, param_name_at

    name = param_name_at(source, marked.byte_start, marked.byte_end)
    branch = only_branch_using(source, prim.byte_start, prim.byte_end, name) if name else None
    if branch is None:
        return None
    return _location(source, prim.file_name, branch.start_byte, f"uses `{name}`, lifetime `{got}`"), (
        f"rustc says the result has lifetime `{got}`, the lifetime of `{name}` (line {marked.line_start}), "
        f"where the signature promises `{want}`; of the values the expression at line {prim.line_start} "
        f"returns, only this one uses `{name}`"
    )


# rustc's note on an unmet bound of a method's impl: "trait bound `T: std::fmt::Display` was not satisfied"
_UNMET_PLAIN_BOUND = re.compile(r"^trait bound `([A-Za-z_]\w*): ([^`]+)` was not satisfied")
_LISTED_PLAIN_BOUND = re.compile(r"^`([A-Za-z_]\w*): ([^`]+)`$", re.MULTILINE)


def unbounded_type_parameter(diag: Diagnostic, crate_root: str | Path) -> tuple[Location, str, str] | None:
    """(where `T` is declared, why, `T`) for E0599 on a method whose impl asks a bound of a type
    parameter that the function around the call declares without it. The general mistake: a generic
    function calls a method that exists only for some `T` and its own `T` does not promise the trait;
    the fix is on the function's `<...>` list or `where` clause, not an impl or derive at the call."""
    prim = diag.primary
    if diag.code_str not in ("E0599", "E0277") or prim is None or not in_user_crate(prim.file_name):
        return None
    if diag.code_str == "E0277":  # "the trait bound `K: Ord` is not satisfied" at a call in a generic fn
        return _unbounded_at_call(diag, prim, crate_root)
    bounds = [m for c in diag.children if (m := _UNMET_PLAIN_BOUND.match(c.message)) is not None]
    bounds += [  # rustc lists several unmet bounds one a line ("the following trait bounds were ...")
        m
        for c in diag.children
        if c.message.startswith("the following trait bounds were not satisfied")
        for m in _LISTED_PLAIN_BOUND.finditer(c.message)
    ]
    source = span_source(crate_root, prim)
    if not bounds or source is None:
        return None
    from engine.syntax.story_shapes import type_parameter_declared

    for m in bounds:
        start = type_parameter_declared(source, prim.byte_start, prim.byte_end, m.group(1))
        if start is not None:
            why = (
                f"the function declares `{m.group(1)}` here without `{m.group(2)}`, which the method's "
                "impl asks of it; the caller picks the type, so only a bound here can promise it"
            )
            return _location(source, prim.file_name, start), why, m.group(1)
    return None


_UNMET_AT_CALL = re.compile(r"^the trait bound `([A-Za-z_]\w*): ([^`]+)` is not satisfied")
_NOT_IMPL_FOR_PARAM = re.compile(
    r"the trait `(?P<trait>[^`]+)` is not implemented for `(?P<param>[A-Za-z_]\w*)`"
)
_PARAM_LACKS = (  # rustc's other wordings of one unmet bound on a plain type parameter
    re.compile(r"^`(?P<param>[A-Za-z_]\w*)` doesn't implement `(?P<trait>[^`]+)`"),
    re.compile(
        r"^consider restricting type parameter `(?P<param>[A-Za-z_]\w*)` with trait `(?P<trait>[^`]+)`"
    ),
    _NOT_IMPL_FOR_PARAM,
)


def _unmet_parameter_bound(diag: Diagnostic) -> tuple[str, str] | None:
    """(parameter, trait) of an E0277 on a plain type parameter, in any of rustc's wordings:
    "the trait bound `T: Ord` is not satisfied", a trait's own message ("`T` doesn't implement
    `std::fmt::Display`"), or its help ("consider restricting type parameter `T` with trait
    `Display`"). Why all: two bounds one parameter lacks are one story rooted at its declaration
    (joint bounds); rooting only the first wording there split them."""
    if (m := _UNMET_AT_CALL.match(diag.message)) is not None:
        return m.group(1), m.group(2)
    said = [diag.message, *(s.label or "" for s in diag.spans), *(c.message for c in diag.children)]
    hit = next((m for t in said for rx in _PARAM_LACKS if (m := rx.search(t)) is not None), None)
    return (hit.group("param"), hit.group("trait")) if hit is not None else None


def _unbounded_at_call(
    diag: Diagnostic, prim: Span, crate_root: str | Path
) -> tuple[Location, str, str] | None:
    """E0277's side of `unbounded_type_parameter`: a call whose callee bounds a plain type parameter
    of the function around it. rustc's help writes the bound wherever it fits (often the end of a
    `where` clause); the parameter's declaration, which the syntax layer finds, is what lacks it."""
    unmet = _unmet_parameter_bound(diag)
    source = span_source(crate_root, prim)
    if unmet is None or source is None:
        return None
    from engine.syntax.story_shapes import type_parameter_declared

    param, trait = unmet
    start = type_parameter_declared(source, prim.byte_start, prim.byte_end, param)
    if start is None:
        return None
    why = (
        f"the function declares `{param}` here without `{trait}`, which the use at line "
        f"{prim.line_start} requires of it; the caller picks the type, so only a bound here can promise it"
    )
    return _location(source, prim.file_name, start), why, param
