"""Where a channel's receiver is drained after a loop that hands out copies of its sender.

Why: a receiver's `for x in rx` (or `rx.iter()`, `rx.into_iter()`, `while let Ok(x) = rx.recv()`)
ends only when every sender is gone. A fix that clones the sender inside a spawning loop
(`let tx = tx.clone();`) compiles, but the original `tx` then lives to the end of the function and
the drain never ends. The syntax answers the shape questions the repair needs: which loop hands out
the copies, which name the `let (tx, rx) = ..` pattern gives the receiver, whether the receiver is
drained after that loop, and whether the sender is still named after it (then dropping it there would
not be the whole story). Pure: bytes in, a Struct out.
"""

from __future__ import annotations

import tree_sitter

from engine.syntax.tree import ancestors, node_at, node_text, preorder
from engine.syntax.types import Base

_LOOPS = ("for_expression", "while_expression", "loop_expression")
# the receiver's methods that wait for disconnection: the iterators, and `recv` when it is in a loop
_DRAINS = ("iter", "into_iter")


class Drain(Base, frozen=True):
    """The drain of `receiver` after the loop that hands out the copies; `loop_end` is where a
    `drop(sender);` goes (indented by `indent`): the end of the loop's statement, or of the statement
    of the sender's last use after it (`tx.send(0);`) when that comes before the drain."""

    sender: str
    receiver: str
    loop_end: int | None  # None: the sender is still used where no drop can go before the drain
    indent: str
    drain_line: int  # 1-based line of the first drain after the loop


def _receiver_of(decl: tree_sitter.Node, sender: str) -> str | None:
    """`rx` in `let (tx, rx) = ..;`: the other name of a two-name tuple pattern that binds `sender`."""
    pattern = decl.child_by_field_name("pattern")
    if pattern is None or pattern.type != "tuple_pattern":
        return None
    names = [node_text(c) for c in pattern.named_children if c.type == "identifier"]
    if len(names) != 2 or len(pattern.named_children) != 2 or sender not in names:
        return None
    return names[1] if names[0] == sender else names[0]


def _declaration(body: tree_sitter.Node, sender: str, before: int) -> tree_sitter.Node | None:
    best = None
    for n in preorder(body):
        if n.type == "let_declaration" and n.end_byte <= before:
            pattern = n.child_by_field_name("pattern")
            if pattern is not None and any(
                c.type == "identifier" and node_text(c) == sender for c in preorder(pattern)
            ):
                best = n
    return best


def _is_drain(n: tree_sitter.Node, receiver: str) -> bool:
    """`for _ in rx` / `for _ in &rx`, `rx.iter()` / `rx.into_iter()`, or `rx.recv()` inside a loop."""
    if n.type == "for_expression":
        value = n.child_by_field_name("value")
        if value is not None and value.type == "reference_expression":
            value = value.child_by_field_name("value")
        return value is not None and value.type == "identifier" and node_text(value) == receiver
    if n.type != "call_expression":
        return False
    fn = n.child_by_field_name("function")
    if fn is None or fn.type != "field_expression":
        return False
    target, method = fn.child_by_field_name("value"), node_text(fn.child_by_field_name("field"))
    if target is None or target.type != "identifier" or node_text(target) != receiver:
        return False
    if method in _DRAINS:
        return True
    return method == "recv" and any(a.type in _LOOPS for a in ancestors(n))


def drained_after_loop(source: bytes, sender: str, at: int) -> Drain | None:
    """The drain of the receiver paired with `sender` after the loop around byte `at`, when the sender
    is only lent after that loop (never moved or dropped); None when any of it is missing."""
    node = node_at(source, at, at + 1)
    fn = next((a for a in ancestors(node) if a.type == "function_item"), None)
    body = fn.child_by_field_name("body") if fn is not None else None
    if body is None:
        return None
    decl = _declaration(body, sender, at)
    receiver = _receiver_of(decl, sender) if decl is not None else None
    if decl is None or receiver is None:
        return None
    # the outermost loop around `at` that the sender's declaration is outside of
    loop = None
    for a in ancestors(node):
        if a.type == "function_item":
            break
        if a.type in _LOOPS and a.start_byte >= decl.end_byte:
            loop = a
    if loop is None:
        return None
    stmt = loop.parent if loop.parent is not None and loop.parent.type == "expression_statement" else loop
    if stmt.parent is None or stmt.parent.type != "block":
        return None
    after = [n for n in preorder(body) if n.start_byte >= stmt.end_byte]
    drain = next((n for n in after if _is_drain(n, receiver)), None)
    if drain is None:
        return None
    uses = [n for n in after if n.type == "identifier" and node_text(n) == sender]
    if not all(_lends(n) for n in uses):
        return None  # moved or dropped after the loop: the sender's life is the code's own
    last: tree_sitter.Node | None = stmt
    if uses:  # `tx.send(..)` after the loop: the drop goes after the statement of the last one
        holder = next((a for a in ancestors(uses[-1]) if a.parent == stmt.parent), None)
        fits = holder is not None and holder.end_byte <= drain.start_byte
        last = holder if fits else None
    anchor = last or stmt
    line = source.rfind(b"\n", 0, anchor.start_byte) + 1
    return Drain(
        sender=sender,
        receiver=receiver,
        loop_end=last.end_byte if last is not None else None,
        indent=source[line : anchor.start_byte].decode("utf-8", "replace"),
        drain_line=drain.start_point[0] + 1,
    )


def _lends(n: tree_sitter.Node) -> bool:
    """`tx.send(x)`: the name is only the receiver of a method call, which borrows it."""
    field = n.parent
    return (
        field is not None
        and field.type == "field_expression"
        and field.child_by_field_name("value") == n
        and field.parent is not None
        and field.parent.type == "call_expression"
    )
