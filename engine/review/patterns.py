"""Risky shapes in a change, found in the syntax tree of head's file and kept only where they are new.

A shape counts as new when it sits on a line the change wrote and the file holds more of it (same
rule, same text) at head than at base: code that only moved is not new. Each hit names its rule
(engine.review.rules) and says what the syntax shows. Tree-sitter nodes stay in this module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import tree_sitter

from engine.edits import Edit
from engine.review.casts import cast_message
from engine.review.types import Base
from engine.syntax.tree import parse, preorder

BLOCKING_PATHS = ("std::thread::sleep", "thread::sleep", "std::fs::", "fs::")
BIN_PREFIXES = ("src/bin/", "tests/", "examples/", "benches/")
BIN_FILES = ("src/main.rs", "build.rs")


class Hit(Base, frozen=True):
    """One risky shape: its rule, where it is (bytes, 1-based lines and columns), what Rusta says."""

    rule: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    key: str  # rule-specific text that says "the same shape" across base and head
    fix: tuple[Edit, ...] = ()
    fix_description: str = ""


def is_library_file(path: str) -> bool:
    """A file of the library target: not a binary, test, example, bench or build script."""
    return path.endswith(".rs") and not path.startswith(BIN_PREFIXES) and path not in BIN_FILES


def _text(n: tree_sitter.Node | None, field: str | None = None) -> str:
    if n is not None and field is not None:
        n = n.child_by_field_name(field)
    return (n.text or b"").decode("utf-8", "replace") if n is not None else ""


def _attrs_before(item: tree_sitter.Node) -> list[str]:
    out = []
    s = item.prev_named_sibling
    while s is not None and s.type in ("attribute_item", "line_comment", "block_comment"):
        if s.type == "attribute_item":
            out.append(_text(s))
        s = s.prev_named_sibling
    return out


def _in_test_code(n: tree_sitter.Node) -> bool:
    a = n.parent
    while a is not None:
        if a.type in ("mod_item", "function_item"):
            for attr in _attrs_before(a):
                compact = attr.replace(" ", "")
                if compact in ("#[test]", "#[cfg(test)]") or compact.endswith("::test]"):
                    return True
        a = a.parent
    return False


def _enclosing_async_fn(n: tree_sitter.Node) -> tree_sitter.Node | None:
    a = n.parent
    while a is not None:
        if a.type in ("closure_expression",):
            return None
        if a.type == "function_item":
            mods = next((c for c in a.children if c.type == "function_modifiers"), None)
            return a if mods is not None and "async" in _text(mods).split() else None
        a = a.parent
    return None


def _enclosing_fn(n: tree_sitter.Node) -> tree_sitter.Node | None:
    a = n.parent
    while a is not None and a.type not in ("function_item", "closure_expression"):
        a = a.parent
    return a if a is not None and a.type == "function_item" else None


def _returns(n: tree_sitter.Node) -> str | None:
    """ "Option" or "Result" when the function around `n` returns one (its type's first name)."""
    f = _enclosing_fn(n)
    ret = f.child_by_field_name("return_type") if f is not None else None
    name = _text(ret).split("<", 1)[0].rsplit("::", 1)[-1].strip() if ret is not None else ""
    return name if name in ("Option", "Result") else None


def _hit(rule: str, n: tree_sitter.Node, message: str, key: str, **fix: object) -> Hit:
    return Hit(
        rule=rule,
        start=n.start_byte,
        end=n.end_byte,
        line=n.start_point[0] + 1,
        column=n.start_point[1] + 1,
        end_line=n.end_point[0] + 1,
        end_column=n.end_point[1] + 1,
        message=message,
        key=key,
        **fix,  # type: ignore[arg-type]
    )


def _whole_lines(source: bytes, n: tree_sitter.Node) -> Edit:
    """An edit deleting the lines `n` stands on, when nothing else stands on them."""
    start = source.rfind(b"\n", 0, n.start_byte) + 1
    end = source.find(b"\n", n.end_byte)
    end = len(source) if end < 0 else end + 1
    return Edit(file="", start=start, end=end, replacement="")


def _macro_hits(n: tree_sitter.Node, library: bool) -> Iterator[Hit]:
    name = _text(n.child_by_field_name("macro") or (n.children[0] if n.children else None))
    name = name.rsplit("::", 1)[-1]
    if name in ("todo", "unimplemented"):
        yield _hit(
            "rusta/todo", n, f"`{name}!` panics when this code runs: the path is not written yet.", name
        )
    elif name == "panic" and library and not _in_test_code(n):
        yield _hit(
            "rusta/panic-in-library", n, "`panic!` in library code unwinds the caller's thread.", _text(n)
        )


def _call_hits(n: tree_sitter.Node, library: bool) -> Iterator[Hit]:
    fn = n.child_by_field_name("function")
    if fn is None:
        return
    if fn.type == "field_expression":
        method = _text(fn.child_by_field_name("field"))
        if method in ("unwrap", "expect") and library and not _in_test_code(n):
            value = fn.child_by_field_name("value")
            recv = _text(value)
            fix: dict[str, object] = {}
            returns = _returns(n)
            if value is not None and returns in ("Option", "Result"):
                fix = {
                    "fix": (Edit(file="", start=value.end_byte, end=n.end_byte, replacement="?"),),
                    "fix_description": f"Pass the failure to the caller with `?`: `{_text(_enclosing_fn(n), 'name')}` returns {returns}.",
                }
            yield _hit(
                "rusta/panic-in-library",
                n,
                f"`{recv}.{method}(..)` panics in library code when the value is absent or an error.",
                _text(n),
                **fix,
            )
        if method == "lock" and (n.parent is None or n.parent.type != "await_expression"):
            if _enclosing_async_fn(n) is not None:
                yield _hit(
                    "rusta/blocking-in-async",
                    n,
                    f"`{_text(n)}` is not awaited, so it is a blocking lock (a std Mutex) inside an `async fn`.",
                    _text(n),
                )
        return
    path = _text(fn).replace(" ", "")
    if any(path == p or (p.endswith("::") and path.startswith(p)) for p in BLOCKING_PATHS):
        if _enclosing_async_fn(n) is not None:
            what = "sleeps the thread" if path.endswith("sleep") else "does blocking file IO"
            yield _hit(
                "rusta/blocking-in-async",
                n,
                f"`{path}` {what} inside an `async fn`, stalling every task on the executor thread.",
                path,
            )


def _unsafe_hits(n: tree_sitter.Node) -> Iterator[Hit]:
    if n.type == "unsafe_block":
        yield _hit("rusta/new-unsafe", n, "A new `unsafe` block: the compiler no longer checks it.", _text(n))
    elif n.type == "function_item":
        mods = next((c for c in n.children if c.type == "function_modifiers"), None)
        if mods is not None and "unsafe" in _text(mods).split():
            name = _text(n.child_by_field_name("name"))
            yield _hit(
                "rusta/new-unsafe",
                mods,
                f"A new `unsafe fn {name}`: every caller takes on its contract.",
                name,
            )
    elif n.type in ("impl_item", "trait_item") and any(c.type == "unsafe" for c in n.children):
        head = _text(n).split("{", 1)[0].strip()
        yield _hit("rusta/new-unsafe", n, f"A new `{head}`: the compiler trusts the promise it makes.", head)


def _try_from(cast: tree_sitter.Node, value: tree_sitter.Node, ty: str, edition: str) -> dict[str, object]:
    """`T::try_from(x)?` (`.ok()?` in an Option fn) in place of `x as T`, where the fn can return early."""
    returns = _returns(cast)
    if returns is None:
        return {}
    tail = ".ok()?" if returns == "Option" else "?"
    operand = _text(value)
    if value.type == "parenthesized_expression":
        operand = operand[1:-1].strip()
    # TryFrom is in the prelude from edition 2021 on; before, name it through core
    call = f"{ty}::try_from" if edition >= "2021" else f"<{ty} as core::convert::TryFrom<_>>::try_from"
    text = f"{call}({operand}){tail}"
    return {
        "fix": (Edit(file="", start=cast.start_byte, end=cast.end_byte, replacement=text),),
        "fix_description": f"Convert with `{text}`: a value that does not fit returns early instead of wrapping.",
    }


def hits(path: str, source: bytes, edition: str = "2021") -> list[Hit]:
    """Every risky shape in one file (all lines; `new_hits` keeps the change's)."""
    library = is_library_file(path)
    out: list[Hit] = []
    for n in preorder(parse(source).root_node):
        if n.type in ("unsafe_block", "function_item", "impl_item", "trait_item"):
            out.extend(_unsafe_hits(n))
        if n.type == "macro_invocation":
            out.extend(_macro_hits(n, library))
        elif n.type == "call_expression":
            out.extend(_call_hits(n, library))
        elif n.type == "type_cast_expression":
            value, ty = n.child_by_field_name("value"), n.child_by_field_name("type")
            if value is not None and ty is not None:
                msg = cast_message(source, _text(value), value.type, n.start_byte, _text(ty))
                if msg:
                    out.append(
                        _hit("rusta/lossy-cast", n, msg, _text(n), **_try_from(n, value, _text(ty), edition))
                    )
        elif n.type in ("attribute_item", "inner_attribute_item"):
            attr = next((c for c in n.children if c.type == "attribute"), None)
            if attr is not None and _text(attr).split("(", 1)[0].strip() == "allow":
                lints = _text(attr)[len("allow") :].strip()
                out.append(
                    _hit(
                        "rusta/new-allow",
                        n,
                        f"`{_text(n)}` silences {lints.strip('()')} for everything under it.",
                        _text(n),
                        fix=(_whole_lines(source, n),),
                        fix_description=f"Remove `{_text(n)}` and let the lint speak.",
                    )
                )
    return [h if not h.fix else _with_file(h, path) for h in out]


def _with_file(h: Hit, path: str) -> Hit:
    import msgspec

    return msgspec.structs.replace(h, fix=tuple(msgspec.structs.replace(e, file=path) for e in h.fix))


def new_hits(
    path: str, base: bytes | None, head: bytes, changed: frozenset[int] | set[int], edition: str = "2021"
) -> list[Hit]:
    """The shapes on changed lines that head holds more of than base (moved code is not new)."""
    before = Counter((h.rule, h.key) for h in hits(path, base, edition)) if base is not None else Counter()
    after = hits(path, head, edition)
    surplus = Counter((h.rule, h.key) for h in after)
    surplus.subtract(before)
    out = []
    for h in after:
        if h.line in changed and surplus[(h.rule, h.key)] > 0:
            surplus[(h.rule, h.key)] -= 1
            out.append(h)
    return out
