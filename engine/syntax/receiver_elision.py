"""A method whose result elision ties to `&self` while its body returns data read from another
reference parameter: `fn first_field(&self, line: &str) -> &str { line.split(..).next()... }`.

Why: with a `&self` receiver, elision gives the output the receiver's lifetime whatever the body
reads, so every result counts as a borrow of the value the method is called on. A caller that calls
it on a local (`let sp = Splitter::new(..); out.push(sp.first_field(l))`) cannot return the results
(E0515), though they point into `line`, which the caller's caller owns. The mistake is in the
method's signature, not in the caller: one named lifetime on that parameter and on the output.
The parameters the returned values reach come from engine/syntax/borrow_sources.py, which counts
every parameter it cannot rule out, so the answer is never narrowed on a guess.

Pure: bytes in, positions out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from engine.syntax.borrow_sources import borrowed_params
from engine.syntax.signature_lifetimes import Written, _elided_refs, _written
from engine.syntax.tree import ancestors, node_text, parse, preorder


@dataclass(frozen=True)
class ReceiverElision:
    """Where the lifetime that ties the output to `param` goes: the edit points in the method."""

    returns: Written  # the written return type
    param: str  # the parameter the returned values come from
    generics: int  # the byte after `<` of the method's generic list, or after its name when it has none
    has_generics: bool
    param_amp: int  # the byte right after the `&` of the parameter's type
    holes: tuple[int, ...]  # the byte right after each elided `&` of the return type
    taken: frozenset[str]  # lifetime names the method and its impl already use


def elided_to_receiver(sources: Iterable[tuple[str, bytes]], method: str) -> ReceiverElision | None:
    """The crate's method `method` when its receiver is `&self`/`&mut self` with no lifetime, its
    return type elides a reference, and every returned value borrows from one other parameter written
    as a reference (`&str`, `&[T]`), never `self`."""
    for path, source in sources:
        for fn in preorder(parse(source).root_node):
            if fn.type != "function_item" or node_text(fn.child_by_field_name("name")) != method:
                continue
            params = fn.child_by_field_name("parameters")
            ret = fn.child_by_field_name("return_type")
            kids = params.named_children if params is not None else []
            receiver = kids[0] if kids else None
            if receiver is None or receiver.type != "self_parameter" or ret is None or not _elided_refs(ret):
                continue
            if not receiver.children or receiver.children[0].type != "&":
                continue
            if any(c.type == "lifetime" for c in receiver.named_children):
                continue  # `&'x self`: a written lifetime, not elision, ties the result
            used = borrowed_params(source, fn.start_byte)
            if not used or len(used) != 1 or used[0] == "self":
                continue
            typ = next(
                (
                    p.child_by_field_name("type")
                    for p in kids
                    if p.type == "parameter" and node_text(p.child_by_field_name("pattern")) == used[0]
                ),
                None,
            )
            if (
                typ is None
                or typ.type != "reference_type"
                or any(c.type == "lifetime" for c in typ.named_children)
            ):
                continue
            gen = fn.child_by_field_name("type_parameters")
            name = fn.child_by_field_name("name")
            impl = next((a for a in ancestors(fn) if a.type == "impl_item"), fn)
            taken = frozenset(node_text(n) for n in preorder(impl) if n.type == "lifetime")
            return ReceiverElision(
                returns=_written(path, ret),
                param=used[0],
                generics=gen.start_byte + 1
                if gen is not None
                else (name.end_byte if name is not None else fn.start_byte),
                has_generics=gen is not None,
                param_amp=typ.children[0].end_byte,
                holes=tuple(h.end_byte for h in _elided_refs(ret)),
                taken=taken,
            )
    return None
