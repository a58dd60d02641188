"""E0515 on a borrow of a needless copy: `&text.trim().to_string()` makes a `String` only to borrow
it, and the function cannot return a borrow of it. Deleting the copy (`.to_string()`,
`.to_owned()`, `.clone()`, `.to_vec()`) leaves a borrow of the input, which outlives the call: the
signature stays as written. Rusta offers that before changing the return type to an owned one
(a public signature change). The syntax tree says the temporary is such a call; the sandbox decides
whether the borrow left fits (with the `&` before it kept, or dropped)."""

from __future__ import annotations

from engine.repair.template_kit import Reader, _make, temporaries
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

_COPIES = ("to_string", "to_owned", "clone", "to_vec")


def drop_needless_copy(d: Diagnostic, read: Reader) -> list[Candidate]:
    from engine.syntax.tree import node_at, node_text

    out: list[Candidate] = []
    for s, data in temporaries(d, read):
        call = node_at(data, s.byte_start, s.byte_end)
        fn = call.child_by_field_name("function") if call.type == "call_expression" else None
        args = call.child_by_field_name("arguments") if fn is not None else None
        if fn is None or fn.type != "field_expression" or args is None or args.named_children:
            continue
        method, receiver = node_text(fn.child_by_field_name("field")), fn.child_by_field_name("value")
        if method not in _COPIES or receiver is None or call.end_byte != s.byte_end:
            continue
        drop = Edit(file=s.file_name, start=receiver.end_byte, end=call.end_byte, replacement="")
        kept = node_text(receiver)
        out.append(
            _make(
                [drop],
                f"drop the needless `.{method}()`: borrow `{kept}` itself",
                "needless-copy",
                "E0515",
                0.85,
            )
        )
        amp = data.rfind(b"&", 0, s.byte_start)
        if amp >= 0 and not data[amp + 1 : s.byte_start].strip():
            both = [Edit(file=s.file_name, start=amp, end=amp + 1, replacement=""), drop]
            out.append(
                _make(
                    both,
                    f"drop the needless `&…{method}()`: use `{kept}` itself",
                    "needless-copy",
                    "E0515",
                    0.84,
                )
            )
    return out
