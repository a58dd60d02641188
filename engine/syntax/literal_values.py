"""Whether the expression at a span is a value the code writes out whole: a literal (`0`, `"x"`,
`true`), `None`, or an empty constructor (`Vec::new()`, `String::default()`, `vec![]`).

Why it matters: a type mismatch whose found expression is such a value has nothing in it that may be
missing or to unwrap. rustc's "expected `u16`, found `Option<_>`" on `Err(_) => None` reads like an
`Option` that may be `None`, and `.unwrap_or_default()` on it type-checks, yet `None.unwrap_or_default()`
is a roundabout `0`: the branch gives a value of the wrong type, and the fix is the right value.
`sibling_values` names the candidates a match offers for it: the constants its other arms give.

Pure: bytes and byte offsets in, a boolean out. Tree-sitter nodes never leave this module.
"""

from __future__ import annotations

import tree_sitter

from engine.syntax.tree import node_at, node_text

_LITERALS = {"integer_literal", "float_literal", "string_literal", "raw_string_literal", "char_literal",
             "boolean_literal"}  # fmt: skip
_EMPTY_CONSTRUCTORS = ("new", "default")


def written_value(source: bytes, start: int, end: int) -> bool:
    """The span covers exactly a literal, `None` (any path to it) or a no-argument `T::new()` /
    `T::default()` / empty `vec![]`."""
    node = node_at(source, start, end)
    if node.start_byte != start or node.end_byte != end:
        return False
    if node.type in _LITERALS:
        return True
    text = node_text(node).strip()
    if node.type in ("identifier", "scoped_identifier"):
        return text == "None" or text.endswith("::None")
    if node.type == "macro_invocation":
        return text.replace(" ", "") in ("vec![]", "vec!()")
    if node.type == "call_expression":
        fn, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        return (
            fn is not None
            and fn.type == "scoped_identifier"
            and node_text(fn).rsplit("::", 1)[-1] in _EMPTY_CONSTRUCTORS
            and args is not None
            and args.named_child_count == 0
        )
    return False


def _constant(node: tree_sitter.Node) -> bool:
    """A literal or a path to a constant (`DEFAULT_PORT`, `Port::MAX`): a value that means the same in any arm."""
    if node.type in _LITERALS:
        return True
    last = node_text(node).rsplit("::", 1)[-1]
    return node.type in ("identifier", "scoped_identifier") and last.isupper()


def sibling_values(source: bytes, start: int, end: int) -> list[str]:
    """The constant values the other arms of the match give, when the span is one arm's whole value:
    the candidates for what this arm means (`Ok(0) => DEFAULT_PORT` beside `Err(_) => None`). A binding
    (`Ok(p) => p`) means nothing outside its arm, so it is not one."""
    node = node_at(source, start, end)
    arm = node.parent
    if arm is None or arm.type != "match_arm" or arm.child_by_field_name("value") != node:
        return []
    out: list[str] = []
    for other in arm.parent.named_children if arm.parent is not None else ():
        v = other.child_by_field_name("value") if other.type == "match_arm" else None
        if v is not None and other != arm and _constant(v) and (t := node_text(v)) not in out:
            out.append(t)
    return out
