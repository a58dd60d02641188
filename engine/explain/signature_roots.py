"""Root causes that live in a signature's defaulted lifetime, not where rustc reports the conflict.

rustc reports a borrow conflict where it happens: the second `lx.next_token()` (E0499), the read of
`keys` after a closure borrowed it (E0503), the closure that must be `'static` (E0597). When the
borrow lasts that long only because a written type left its lifetime to a default, the conflict's
spans are symptoms and no reordering at the call site can help:

- an elided output lifetime tied to `&mut self`/`&self` (`fn next(&mut self) -> Option<&str>` in
  `impl<'a> Lexer<'a>` slicing a `&'a str` field): every call's result keeps the receiver borrowed;
  both conflicting borrows (or the returned one) are calls of that method; and, for a returned
  borrow (E0515), a method whose values come from another reference parameter instead
  (`fn first_field(&self, line: &str) -> &str`, engine/syntax/receiver_elision.py);
- a trait object written without a lifetime (`Box<dyn Fn(&Event)>` means `+ 'static`, rustc's note
  "due to object lifetime defaults"): the closure coerced to it may borrow no local, and no thread
  is involved;
- an assignment in a closure taken as `Fn` where the `Fn` is written in the crate's own parameter
  type (`f: Box<dyn Fn(&Event)>`), which rustc does not point at for a trait object;
- a closure that "may outlive the current function" (E0373, rustc's note "function requires argument
  type to outlive `'static`") because the crate's own callee bounds its parameter by `'static`
  (`F: FnMut(&str) + 'static`, engine/syntax/static_bounds.py): no thread or return is involved.

Each answer rests on rustc's spans and note, and on the crate's items read through the syntax layer
(`engine/syntax/signature_lifetimes.py`). Tags and placeholder values for the KB's variants come
from here too (`shapes.at_primary`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from engine.explain.types import Location
from engine.repair.object_lifetime import object_span
from engine.repair.output_lifetime import marked_method
from engine.syntax.signature_lifetimes import (
    ElidedOutput,
    Written,
    elided_self_output,
    object_default_site,
)
from engine.syntax.tree import enclosing_fn
from toolbelt.diagnostics import in_user_crate
from toolbelt.types import Diagnostic

Sources = Callable[[], list[tuple[str, bytes]]]  # the crate's `.rs` files, read on first call


def _sources(crate_root: str | Path) -> Sources:
    """The crate's `.rs` files with their bytes, read the first time a probe asks and kept for the
    rest of one question: the probes below stop early in most stories and share one read when not."""
    from engine.explain.options import crate_rs_files

    @functools.cache
    def read_all() -> list[tuple[str, bytes]]:
        root = Path(crate_root)
        out = []
        for rel in crate_rs_files(root):
            try:
                out.append((rel, (root / rel).read_bytes()))
            except OSError:
                continue
        return out

    return read_all


def _reader(crate_root: str | Path) -> Callable[[str], bytes | None]:
    """One file of rustc's spans, for the probes that need only those (most stories stop there)."""
    root = Path(crate_root)

    def read(rel: str) -> bytes | None:
        try:
            return (root / rel).read_bytes()
        except OSError:
            return None

    return read


def elided_output(
    diag: Diagnostic, crate_root: str | Path, sources: Sources | None = None
) -> ElidedOutput | None:
    """E0499/E0502/E0515 whose borrows rustc marks are all calls of one crate method whose output
    lifetime elision ties to the receiver, while the value it returns is read from a `&'a` field."""
    method = marked_method(diag, _reader(crate_root))
    found = elided_self_output((sources or _sources(crate_root))(), method) if method is not None else None
    return found[1] if found is not None else None


def receiver_output(
    diag: Diagnostic, crate_root: str | Path, sources: Sources | None = None
) -> tuple[str, Written, str] | None:
    """E0515 whose borrow rustc marks is a call of one crate method that elision ties to its `&self`
    receiver while its returned values come from another reference parameter:
    (method, its written return type, that parameter)."""
    if diag.code_str != "E0515":
        return None
    method = marked_method(diag, _reader(crate_root))
    if method is None:
        return None
    from engine.syntax.receiver_elision import elided_to_receiver

    found = elided_to_receiver((sources or _sources(crate_root))(), method)
    return (method, found.returns, found.param) if found is not None else None


def object_default(
    diag: Diagnostic, crate_root: str | Path, sources: Sources | None = None
) -> tuple[Written, tuple[Written, ...]] | None:
    """E0597/E0503 (any code) with rustc's note on object lifetime defaults: where the `dyn` type the
    value is coerced to is written without a lifetime, and the other places writing it bare."""
    coerced = object_span(diag, fn_closure=False)
    if coerced is None:
        return None
    files = (sources or _sources(crate_root))()
    return object_default_site(files, coerced.file_name, coerced.byte_start, coerced.byte_end)


def fn_object_param(
    diag: Diagnostic, crate_root: str | Path, sources: Sources | None = None
) -> Written | None:
    """E0594/E0596 in an `Fn` closure passed where the crate writes `dyn Fn(..)`: that type."""
    closure = object_span(diag, fn_closure=True)
    if closure is None:
        return None
    files = (sources or _sources(crate_root))()
    found = object_default_site(files, closure.file_name, closure.byte_start, closure.byte_end)
    if found is None or not re.match(r"dyn\s+Fn\s*\(", found[0].text):
        return None
    return found[0]


OUTLIVE_STATIC = "function requires argument type to outlive `'static`"
_INTRODUCED = "requirement that the value outlives `'static` introduced here"
_BORROWED_STATIC = re.compile(r"requires that `[^`]+` is borrowed for `'static`")


def static_bound(
    diag: Diagnostic, crate_root: str | Path, sources: Sources | None = None
) -> tuple[str, Written] | None:
    """(callee, the written `'static` bound) for a closure rustc says must outlive `'static` as the
    argument of a call, when the callee is the crate's own fn and writes that bound."""
    from engine.syntax.static_bounds import bound_around, static_bound_site

    prim = diag.primary
    if prim is None:
        return None
    files = sources or _sources(crate_root)
    if any(c.message == OUTLIVE_STATIC for c in diag.children):
        return static_bound_site(files(), prim.file_name, prim.byte_start, prim.byte_end)
    for s in diag.spans:  # E0597: the argument "requires that `x` is borrowed for `'static`"
        if _BORROWED_STATIC.search(s.label or "") and s.file_name == prim.file_name:
            found = static_bound_site(files(), s.file_name, s.byte_start, s.byte_end)
            if found is not None:
                return found
    for c in diag.children:  # E0503/E0597: rustc's note spans the `'static` the crate wrote
        if c.message != _INTRODUCED or not c.spans or not in_user_crate(c.spans[0].file_name):
            continue
        s = c.spans[0]
        by_file = dict(files())
        if (bound := bound_around(by_file.items(), s.file_name, s.byte_start, s.byte_end)) is not None:
            fn = enclosing_fn(by_file[s.file_name], s.byte_start)
            return (fn.name if fn is not None else "the callee"), bound
    return None


def _at(w: Written, label: str) -> Location:
    return Location(file=w.file, line=w.line, column=w.column, label=label)


class _Cause(NamedTuple):
    """One signature cause: where it is written and why (the root), and its KB tag and values."""

    at: Location
    why: str
    tag: str
    values: dict[str, str]


def _cause(diag: Diagnostic, crate_root: str | Path) -> _Cause | None:
    """The first of the causes above that holds, probed in order over one read of the crate."""
    sources = _sources(crate_root)
    if (out := elided_output(diag, crate_root, sources)) is not None:
        return _Cause(
            _at(out.returns, f"`-> {out.returns.text}`: lifetime elided to the receiver"),
            f"`{out.method}` returns `{out.returns.text}` with its lifetime elided, so elision ties each "
            f"result to the borrow of the receiver: the result keeps the whole `{out.owner}` borrowed as "
            f"long as it is used, though it is read from `self.{out.field}`, which lives for `{out.lifetime}`",
            "elided_self_output",
            dict(method=out.method, written=out.returns.text, lifetime=out.lifetime, field=out.field),
        )
    if (rec := receiver_output(diag, crate_root, sources)) is not None:
        method, ret, param = rec
        return _Cause(
            _at(ret, f"`-> {ret.text}`: lifetime elided to the receiver"),
            f"`{method}` returns `{ret.text}` with its lifetime elided, so elision ties each result to the "
            f"borrow of its receiver, though the values it returns come from its parameter `{param}`",
            "elided_receiver_param",
            dict(method=method, written=ret.text, param=param),
        )
    if (obj := object_default(diag, crate_root, sources)) is not None:
        site = obj[0]
        return _Cause(
            _at(site, f"`{site.text}`: no lifetime, so `+ 'static`"),
            f"`{site.text}` is written here without a lifetime, so it means `{site.text} + 'static` "
            "(rustc's note on object lifetime defaults): a closure coerced to it may hold no borrow of a "
            "local, whatever the local's scope",
            "object_lifetime_default",
            dict(object=site.text),
        )
    if (fn_obj := fn_object_param(diag, crate_root, sources)) is not None:
        return _Cause(
            _at(fn_obj, f"`{fn_obj.text}`: the closure is taken as `Fn`"),
            f"the closure is passed where `{fn_obj.text}` is written: that type makes it an `Fn`, which "
            "may only read its captures; the captured binding's declaration does not decide this",
            "fn_object_param",
            dict(object=fn_obj.text),
        )
    if (bound := static_bound(diag, crate_root, sources)) is not None:
        return _Cause(
            _at(bound[1], f"`{bound[1].text}`: the closure must be `'static`"),
            f"`{bound[0]}` bounds its argument by `'static` here (`{bound[1].text}`), so the closure passed "
            "to it may hold no borrow of a local, whatever keeps the closure and for how long",
            "static_bound",
            dict(method=bound[0], written=bound[1].text),
        )
    return None


def signature_root(diag: Diagnostic, crate_root: str | Path) -> tuple[Location, str] | None:
    """The written type that decides the borrow, and why: see the module docstring."""
    cause = _cause(diag, crate_root)
    return (cause.at, cause.why) if cause is not None else None


def signature_tags(diag: Diagnostic, crate_root: str | Path) -> tuple[set[str], dict[str, str]]:
    """Shape tags and placeholder values for the KB variants that tell these causes."""
    cause = _cause(diag, crate_root)
    return ({cause.tag}, dict(cause.values)) if cause is not None else (set(), {})
