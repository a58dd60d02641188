"""Deref and borrow-kind templates that the plain expected/found rules miss. Pure.

Shapes seen in real crates: a borrow of a pointer where a borrow of its target was meant
(`&mut self.ptr` for `&mut *self.ptr`), a binding that holds a pointer where its uses want the value
(`let b = unsafe { ptr };` for `unsafe { *ptr }`), a method called on a raw pointer that exists on
its pointee (`(p).as_ptr()` for `(*p).as_ptr()`), a closure bound that takes `&T` where the
closure passed to it takes `&mut T`, and a loop that moves its items where it was meant to borrow
them (`for c in v.items` for `for c in &v.items`).
"""

from __future__ import annotations

import re

from engine.repair.template_kit import EXPECTED_FOUND, Reader, _make, _primary, _span_text
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

_INDIRECTION = ("*mut ", "*const ", "&mut ", "&")
_POINTER_TYPE = re.compile(r"(?:\*mut |\*const |&mut |&)\S")


def _ref_prefix(ty: str) -> str | None:
    if ty.startswith("&mut "):
        return "&mut "
    if ty.startswith("&"):
        return "&"
    return None


def deref_under_borrow(d: Diagnostic, read: Reader) -> list[Candidate]:
    """Expected `&mut T`, found `&mut *mut T` (or `&&T`): the borrow wants the pointee, `&mut *p`."""
    span = _primary(d)
    if span is None or not span.label or not (m := EXPECTED_FOUND.search(span.label)):
        return []
    exp, found = m.group("exp"), m.group("found")
    ref = _ref_prefix(exp)
    if ref is None or not found.startswith(ref):
        return []
    inner, target = found[len(ref) :], exp[len(ref) :]
    if not any(inner.startswith(p) and inner[len(p) :] == target for p in _INDIRECTION):
        return []
    text = _span_text(span, read) or ""
    b = re.match(r"&\s*(?:mut\s+)?", text)
    if b is None or text[b.end() :].startswith("*"):
        return []
    pos = span.byte_start + len(text[: b.end()].encode())
    edit = Edit(file=span.file_name, start=pos, end=pos, replacement="*")
    return [_make([edit], "borrow what the pointer points to", "deref", d.code_str or "E0308", 0.7)]


def borrow_loop_source(d: Diagnostic, read: Reader) -> list[Candidate]:
    """Expected `&T`, found `T` on a loop variable: iterate by reference (`for x in &xs`).

    rustc offers `&x` at the use, which compiles only when nothing else moved out of `xs`;
    borrowing where the loop takes its items is the fix when the loop lost its `&`.
    """
    span = _primary(d)
    if span is None or not span.label or not (m := EXPECTED_FOUND.search(span.label)):
        return []
    exp, found = m.group("exp"), m.group("found")
    ref = _ref_prefix(exp)
    name = _span_text(span, read) or ""
    data = read(span.file_name)
    if ref is None or exp[len(ref) :] != found or data is None or not re.fullmatch(r"[a-z_]\w*", name):
        return []
    head = data[: span.byte_start].decode("utf-8", "replace")
    loops = list(
        re.finditer(rf"\bfor\s+[^{{;]*?\b{re.escape(name)}\b[^{{;]*?\s+in\s+(?P<src>[^{{;]*?)\s*\{{", head)
    )
    if not loops or loops[-1].group("src").startswith("&"):
        return []
    pos = len(head[: loops[-1].start("src")].encode())
    edit = Edit(file=span.file_name, start=pos, end=pos, replacement=ref)
    return [
        _make([edit], f"iterate by reference: `{ref.strip()}`", "borrow-loop", d.code_str or "E0308", 0.6)
    ]


def borrow_self_param(d: Diagnostic, read: Reader) -> list[Candidate]:
    """Expected `&T`, found `T` on `self`: the method lost the `&` of its receiver (`fn m(self)`
    for `fn m(&self)`). rustc's `&self` at the use compiles, but the method still consumes its
    receiver, so callers that use the value afterwards (tests, other methods) break."""
    span = _primary(d)
    if span is None or not span.label or not (m := EXPECTED_FOUND.search(span.label)):
        return []
    ref = _ref_prefix(m.group("exp"))
    data = read(span.file_name)
    if ref is None or data is None or _span_text(span, read) != "self":
        return []
    head = data[: span.byte_start].decode("utf-8", "replace")
    sigs = list(re.finditer(r"\bfn\s+\w+\s*(?:<[^(]*>)?\s*\(\s*(?P<recv>(?:mut\s+)?self)\s*[,)]", head))
    if not sigs:
        return []
    sig = sigs[-1]
    start = len(head[: sig.start("recv")].encode())
    end = len(head[: sig.end("recv")].encode())
    edit = Edit(file=span.file_name, start=start, end=end, replacement=f"{ref}self")
    return [
        _make([edit], f"take the receiver by reference: `{ref}self`", "ref-self", d.code_str or "E0308", 0.65)
    ]


def deref_earlier_arm(d: Diagnostic, read: Reader) -> list[Candidate]:
    """`match` arms (or `if`/`else`) of incompatible types, expected `&T`, found `T`: the earlier arm
    that "is found to be of type `&T`" lost its `*` (`Included(o) => o` beside `Excluded(o) => *o + 1`).
    rustc's `&(*o + 1)` on the later arm makes the whole match a reference its users do not want."""
    span = _primary(d)
    if span is None or not span.label or not (m := EXPECTED_FOUND.search(span.label)):
        return []
    exp, found = m.group("exp"), m.group("found")
    ref = _ref_prefix(exp)
    if ref is None or exp[len(ref) :] != found or "incompatible types" not in d.message:
        return []
    out: list[Candidate] = []
    for s in d.spans:
        if s.is_primary or (s.label or "") not in (
            f"this is found to be of type `{exp}`",
            "expected because of this",
        ):
            continue
        text = _span_text(s, read) or ""
        if not re.fullmatch(r"[a-z_]\w*(?:\.\w+)*", text):
            continue
        edit = Edit(file=s.file_name, start=s.byte_start, end=s.byte_start, replacement="*")
        out.append(_make([edit], "dereference the earlier arm", "deref", d.code_str or "E0308", 0.65))
    return out


_REF_RANGE = re.compile(
    r"`(?:core::ops::|std::ops::)?Range(?:From|To|Inclusive|ToInclusive)?<&(?:mut )?\w+>`"
)
_RANGE_EXPR = re.compile(r"(?P<a>[a-z_][\w.]*)?\s*\.\.=?\s*(?P<b>[a-z_][\w.]*)?")


def deref_range_bounds(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0277 on a range of references (`str` "cannot be indexed by `RangeFrom<&usize>`"): a bound
    lost its `*` (`s.get(pos..)` for `s.get(*pos..)`); dereference the named bounds."""
    span = _primary(d)
    if span is None or not _REF_RANGE.search(" ".join(_notes(d))):
        return []
    text = _span_text(span, read) or ""
    m = _RANGE_EXPR.fullmatch(text.strip())
    if m is None or not (m.group("a") or m.group("b")):
        return []
    lead = len(text) - len(text.lstrip())

    def at(group: str) -> Edit:
        pos = span.byte_start + len(text[: lead + m.start(group)].encode())
        return Edit(file=span.file_name, start=pos, end=pos, replacement="*")

    named = [g for g in ("a", "b") if m.group(g)]
    out = [
        _make([at(g) for g in named], "dereference the range's bounds", "deref", d.code_str or "E0277", 0.6)
    ]
    if len(named) == 2:
        out += [
            _make([at(g)], "dereference the range's bound", "deref", d.code_str or "E0277", 0.55)
            for g in named
        ]
    return out


def trait_receiver_like_impl(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0053 where the impl takes `&self` and the trait's declaration ("type in trait") takes `self`:
    the declaration lost its `&`. rustc offers to change each impl to `self` instead, one edit per
    impl that moves every receiver; one edit in the trait agrees with all of them. Every impl's
    error votes for it, so with two impls or more it is tried before rustc's per-impl edit."""
    span = _primary(d)
    if span is None:
        return []
    recv = _span_text(span, read) or ""
    if not re.fullmatch(r"&(?:'\w+\s+)?(?:mut\s+)?self", recv):
        return []
    out: list[Candidate] = []
    for c in d.children:
        if c.message.strip() != "type in trait":
            continue
        for s in c.spans:
            if (_span_text(s, read) or "") in ("self", "mut self"):
                edit = Edit(file=s.file_name, start=s.byte_start, end=s.byte_end, replacement=recv)
                why = f"the trait's method takes `{recv}` like its impls"
                out.append(_make([edit], why, "ref-self", d.code_str or "E0053", 0.85))
    return out


def deref_at_binding(d: Diagnostic, read: Reader) -> list[Candidate]:
    """A local holds a pointer or reference (`expected because this is `*const u8``) where its uses
    want the value: the `*` belongs where it is bound, inside an `unsafe { }` initializer if any."""
    out: list[Candidate] = []
    for s in d.spans:
        label = s.label or ""
        ty = label.removeprefix("expected because this is ").strip("`")
        if not _POINTER_TYPE.match(ty):
            continue
        name = _span_text(s, read) or ""
        data = read(s.file_name)
        if data is None or not re.fullmatch(r"[a-z_]\w*", name):
            continue
        head = data[: s.byte_start].decode("utf-8", "replace")
        binds = list(
            re.finditer(
                rf"\blet\s+(?:mut\s+)?{re.escape(name)}\b[^;=]*=\s*(?P<unsafe>unsafe\s*\{{\s*)?(?P<init>[^;]*?);",
                head,
                re.S,
            )
        )
        if not binds:
            continue
        init = binds[-1].group("init")
        if init.startswith(("*", "&")):  # `*&x` is the place `x` again, not a value behind a pointer
            continue
        pos = len(head[: binds[-1].start("init")].encode())
        edit = Edit(file=s.file_name, start=pos, end=pos, replacement="*")
        out.append(
            _make(
                [edit], f"dereference where `{name}` is bound", "deref-at-binding", d.code_str or "E0308", 0.6
            )
        )
        break
    return out


def _receiver_start(text: str, end: int) -> int:
    """Where the receiver expression ending at `end` starts: words, paths, calls and groups."""
    i = end
    while i > 0:
        c = text[i - 1]
        if c in ")]":
            depth, j = 0, i - 1
            while j >= 0:
                depth += text[j] in ")]"
                depth -= text[j] in "(["
                if depth == 0:
                    break
                j -= 1
            if j < 0:
                return i
            i = j
        elif c.isalnum() or c in "_.":
            i -= 1
        elif text[max(0, i - 2) : i] == "::":
            i -= 2
        else:
            break
    return i


def _closes_at(text: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(text)):
        depth += text[i] == "("
        depth -= text[i] == ")"
        if depth == 0:
            return i
    return -1


def deref_receiver(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0599 on a raw pointer for a method its pointee has: call it on `*p` (`(*p).m()`)."""
    span = _primary(d)
    if span is None or "found for raw pointer" not in d.message:
        return []
    data = read(span.file_name)
    if data is None:
        return []
    head = data[: span.byte_start].decode("utf-8", "replace")
    dot = len(head.rstrip())
    if not head[:dot].endswith("."):
        return []
    end = dot - 1
    start = _receiver_start(head, end)
    recv = head[start:end]
    if not recv or recv.startswith("*"):
        return []

    def at(i: int, s: str) -> Edit:
        pos = len(head[:i].encode())
        return Edit(file=span.file_name, start=pos, end=pos, replacement=s)

    if recv.startswith("(") and _closes_at(recv, 0) == len(recv) - 1:
        edits = [at(start + 1, "*")]
    else:
        edits = [at(start, "(*"), at(end, ")")]
    return [
        _make(edits, "call the method on what the pointer points to", "deref", d.code_str or "E0599", 0.6)
    ]


_CLOSURE_SIG = re.compile(
    r"expected closure signature `(?P<exp>[^`]+)`\s*found closure signature `(?P<found>[^`]+)`"
)


def closure_bound_mutability(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0631: the bound says `Fn(&T)` and the closure takes `&mut T`; make the bound `&mut T`.

    rustc points a child at the bound ("required by this bound"); when its text has exactly one
    shared borrow and the signatures differ only there, that borrow is the mistake.
    """
    text = " ".join(_notes(d))
    m = _CLOSURE_SIG.search(text)
    if not m or "&mut " not in m.group("found"):
        return []
    exp_args = re.sub(r"&'\w+ ", "&", m.group("exp"))
    if "&mut " in exp_args or "&" not in exp_args:
        return []
    out: list[Candidate] = []
    for c in d.children:
        for s in c.spans:
            if "required by this bound" not in (s.label or ""):
                continue
            bound = _span_text(s, read) or ""
            shared = [b for b in re.finditer(r"&(?!mut\b)(?:'\w+\s+)?", bound)]
            if len(shared) != 1:
                continue
            pos = s.byte_start + len(bound[: shared[0].end()].encode())
            edit = Edit(file=s.file_name, start=pos, end=pos, replacement="mut ")
            out.append(
                _make([edit], "let the bound take `&mut`", "ref-mut-bound", d.code_str or "E0631", 0.65)
            )
    return out


def _notes(d: Diagnostic) -> list[str]:
    out = [d.message]
    for c in d.children:
        out.extend(_notes(c))
    return out
