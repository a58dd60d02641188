"""A returned borrow of `self` written with the type's lifetime: `fn words(&self) -> &'a [&'a str]`.

rustc: "lifetime may not live long enough ... method was supposed to return data with lifetime `'a`
but it is returning data with lifetime `'1`", `'1` being the `&self` it labels. The outer reference
borrows from `self`; only what it points to lives for `'a`. Dropping the named lifetime from the
outer reference (`-> &[&'a str]`) lets elision tie it to `self`, which is what the body does; tying
`&self` to `'a` (`&'a self`) instead makes every caller borrow the whole value for `'a`. Offered
only where elision ties the output to that input: a `self` receiver, or the only borrowed parameter.
Pure; the sandbox says whether it compiles.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, node_at
from toolbelt.types import Diagnostic

_SUPPOSED = re.compile(
    r"supposed to return data with lifetime `(?P<named>'\w+)` but it is returning data with lifetime `'1`"
)
_CALLED = "let's call the lifetime of this reference `'1`"


def outer_lifetime_dropped(d: Diagnostic, read: Reader) -> list[Candidate]:
    prim = d.primary
    m = _SUPPOSED.search(prim.label or "") if prim is not None else None
    site = next((s for s in d.spans if s.label == _CALLED), None)
    source = read(prim.file_name) if prim is not None and m is not None and site is not None else None
    if prim is None or m is None or site is None or source is None or site.file_name != prim.file_name:
        return []
    named = m["named"]
    fn = next(
        (a for a in ancestors(node_at(source, prim.byte_start, prim.byte_end)) if a.type == "function_item"),
        None,
    )
    params = fn.child_by_field_name("parameters") if fn is not None else None
    ret = fn.child_by_field_name("return_type") if fn is not None else None
    if fn is None or params is None or ret is None or ret.type != "reference_type":
        return []
    labelled = next((p for p in params.named_children if p.start_byte <= site.byte_start < p.end_byte), None)
    borrowed = [p for p in params.named_children if b"&" in (p.text or b"")]
    is_self = labelled is not None and labelled.type == "self_parameter"
    if labelled is None or not (is_self or borrowed == [labelled]):
        return []
    lt = next((c for c in ret.named_children if c.type == "lifetime"), None)
    if lt is None or (lt.text or b"").decode() != named:
        return []
    end = lt.end_byte
    while source[end : end + 1] in (b" ", b"\t"):
        end += 1
    edit = Edit(file=prim.file_name, start=lt.start_byte, end=end, replacement="")
    inner = source[end : ret.end_byte].decode("utf-8", "replace")
    if named not in inner:  # `-> &'a str`: nothing inside lives for `'a`, so tying the input is the way
        return []
    owner = "`self`" if is_self else "the borrowed parameter"
    desc = f"return `&{inner}`: the outer borrow is of {owner}, only what it holds lives for `{named}`"
    return [_make([edit], desc, "elide-outer-lifetime", d.code_str or "", 0.8)]
