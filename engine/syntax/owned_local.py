"""The type a local binding holds, read from its `let`: the annotation, or a constructor whose type
is plain (`String::new()`, `format!(..)`, `vec![..]`). Used to decide whether a function that
returns a borrow of a local could return the local itself: only when the local's type is the owned
form of the return type (`String` for `&str`, `Vec<T>` for `&[T]`). A `PathBuf` is no `String`, and
"return `buf` itself" said of one is false."""

from __future__ import annotations

import re

from engine.syntax.tree import ancestors, node_at, node_text, preorder

_FN_KINDS = ("function_item", "closure_expression")
_MADE = (
    (re.compile(r"^(?:String::(?:new|from|with_capacity)\(|format!)"), "String"),
    (re.compile(r"^(?:Vec::(?:new|with_capacity|from)\(|vec!)"), "Vec"),
    (re.compile(r"^PathBuf::(?:new|from)\("), "PathBuf"),
)


def local_type(source: bytes, at: int, name: str) -> str | None:
    """The type of the local `name` declared in the function around byte `at`: its annotation, else
    the head type of a plain constructor (`String`, `Vec`, `PathBuf`); None when one `let` does not
    say it (two `let`s of the name, an inferred call)."""
    node = node_at(source, at, at + 1)
    fn = next((a for a in (node, *ancestors(node)) if a.type in _FN_KINDS), None)
    if fn is None:
        return None
    lets = [
        n
        for n in preorder(fn)
        if n.type == "let_declaration"
        and node_text(n.child_by_field_name("pattern")).removeprefix("mut ") == name
    ]
    if len(lets) != 1:
        return None
    typed = node_text(lets[0].child_by_field_name("type"))
    if typed:
        return typed
    value = node_text(lets[0].child_by_field_name("value")).strip()
    return next((t for rx, t in _MADE if rx.match(value)), None)


def owned_form(return_type: str) -> str | None:
    """The owned type a borrowed return type stands for: `&str` -> `String`, `&[T]` -> `Vec`,
    `&Path` -> `PathBuf`, `&T` -> `T`; None when the return type is no plain reference."""
    t = re.sub(r"&\s*(?:'\w+\s+)?", "&", return_type.strip(), count=1)
    if not t.startswith("&") or t.startswith("&mut"):
        return None
    inner = t[1:].strip()
    if inner == "str":
        return "String"
    if inner.startswith("[") and inner.endswith("]"):
        return "Vec"
    return {"Path": "PathBuf", "OsStr": "OsString", "CStr": "CString"}.get(inner, inner)


def same_head(a: str, b: str) -> bool:
    """`Vec<u8>` and `Vec` name one type head; paths and spaces aside."""
    head = lambda t: t.split("<", 1)[0].rsplit("::", 1)[-1].strip()  # noqa: E731
    return head(a) == head(b)


_CHAIN = {
    "field_expression": "value",
    "reference_expression": "value",
    "try_expression": None,
    "index_expression": None,
}


def tail_root_local(source: bytes, at: int) -> str | None:
    """The local `let` binding the function around byte `at` (a signature's return type) returns a
    borrow of through its tail expression (`buf.to_str().unwrap()` -> `buf`), or None: a parameter,
    a call of something else, no tail. No lifetime in the signature can make such a borrow outlive
    the call, whatever the elision rules say."""
    node = node_at(source, at, at + 1)
    fn = next((a for a in (node, *ancestors(node)) if a.type == "function_item"), None)
    body = fn.child_by_field_name("body") if fn is not None else None
    tail = body.named_children[-1] if body is not None and body.named_children else None
    n = tail
    while n is not None and n.type != "identifier":
        if n.type == "call_expression":
            from engine.syntax.method_outputs import call_sources

            if (own := call_sources(n)) is not None and not own[0]:
                return None  # the crate's method returns no borrow of its receiver (its signature says)
            f = n.child_by_field_name("function")
            n = f.child_by_field_name("value") if f is not None and f.type == "field_expression" else None
        elif n.type in _CHAIN:
            field = _CHAIN[n.type]
            n = n.child_by_field_name(field) if field else (n.named_children[0] if n.named_children else None)
        else:
            return None
    if n is None or fn is None:
        return None
    name = node_text(n)
    lets = [
        x
        for x in preorder(fn)
        if x.type == "let_declaration"
        and node_text(x.child_by_field_name("pattern")).removeprefix("mut ") == name
    ]
    return name if lets else None
