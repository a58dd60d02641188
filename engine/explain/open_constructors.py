"""What a fix that adds a public constructor opens up: every private field set from a parameter.

The general mistake: a checked fix for a struct literal with private fields (E0451) outside the
type's module that adds `pub fn new(owner: String, balance_cents: i64) -> Self { Account { owner,
balance_cents } }` and calls it. It compiles and the tests pass, so it earned its ✓, and its label
said only what the first step did ("makes `withdraw` `pub`"). But the new item lets any caller build
the value with any field values, past the checks the type's own methods make (`deposit`'s
`assert!(cents > 0)`, `withdraw`'s `return Err(..)`) and past the privacy the error defended. That
widened API is the fix's cost, read from its own items: the syntax tree of the patched file (the
new `pub fn`, the struct literal it returns, which fields are private, which sibling methods check).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from engine.edits import Edit, EditError, apply_edits, by_file
from engine.syntax.tree import node_text, parse, preorder

_CHECKS = frozenset(
    {"assert", "assert_eq", "assert_ne", "debug_assert", "debug_assert_eq", "debug_assert_ne", "panic"}
)


def _is_pub(fn) -> bool:  # noqa: ANN001 (tree-sitter nodes)
    vis = next((c for c in fn.children if c.type == "visibility_modifier"), None)
    return vis is not None and node_text(vis).replace(" ", "") == "pub"


def _impl_fns(root) -> dict[tuple[str, str], object]:  # noqa: ANN001
    """{(type, fn name): fn node} for every inherent impl's fns, at any depth (a `mod` included)."""
    out: dict[tuple[str, str], object] = {}
    for n in preorder(root):
        if n.type != "impl_item" or n.child_by_field_name("trait") is not None:
            continue
        ty = node_text(n.child_by_field_name("type")).split("<")[0].strip()
        body = n.child_by_field_name("body")
        for c in body.named_children if body is not None else []:
            if c.type == "function_item":
                out[(ty, node_text(c.child_by_field_name("name")))] = c
    return out


def _private_fields(root, ty: str) -> set[str]:  # noqa: ANN001
    for n in preorder(root):
        if n.type == "struct_item" and node_text(n.child_by_field_name("name")) == ty:
            body = n.child_by_field_name("body")
            return {
                node_text(f.child_by_field_name("name"))
                for f in (body.named_children if body is not None else [])
                if f.type == "field_declaration"
                and not any(c.type == "visibility_modifier" for c in f.children)
            }
    return set()


def _set_from_params(fn, ty: str) -> list[str]:  # noqa: ANN001
    """The fields a struct literal of `ty` (or `Self`) in `fn` takes straight from its parameters."""
    params = fn.child_by_field_name("parameters")
    names = {
        node_text(p.child_by_field_name("pattern")).removeprefix("mut ").strip()
        for p in (params.named_children if params is not None else [])
        if p.type == "parameter"
    }
    out: list[str] = []
    for n in preorder(fn):
        if n.type != "struct_expression" or node_text(n.child_by_field_name("name")) not in (ty, "Self"):
            continue
        body = n.child_by_field_name("body")
        for f in body.named_children if body is not None else []:
            if f.type == "shorthand_field_initializer" and node_text(f) in names:
                out.append(node_text(f))
            elif f.type == "field_initializer" and node_text(f.child_by_field_name("value")) in names:
                out.append(node_text(f.child_by_field_name("field")))
    return out


def _checks(fn) -> bool:  # noqa: ANN001
    """Whether a method enforces something: an assertion or panic, or an early `return Err(..)`."""
    for n in preorder(fn):
        if n.type == "macro_invocation" and node_text(n.child_by_field_name("macro")) in _CHECKS:
            return True
        if n.type == "return_expression" and node_text(n).replace(" ", "").startswith("returnErr("):
            return True
    return False


def opened(old: bytes, new: bytes) -> list[str]:
    """One sentence per `pub fn` of an inherent impl that `new` has and `old` did not, whose struct
    literal sets private fields of its type from its parameters (see the module docstring)."""
    before, after_root = _impl_fns(parse(old).root_node), parse(new).root_node
    after = _impl_fns(after_root)
    out: list[str] = []
    for (ty, name), fn in after.items():
        if (ty, name) in before or not _is_pub(fn) or _checks(fn):
            continue  # a constructor that checks its arguments itself opens nothing unchecked
        private = _private_fields(after_root, ty)
        free = [f for f in _set_from_params(fn, ty) if f in private]
        if not free:
            continue
        fields = " and ".join(f"`{f}`" for f in free)
        checked = [n for (t, n), other in after.items() if t == ty and n != name and _checks(other)]
        past = (
            ", past the checks of " + " and ".join(f"`{n}`" for n in checked)
            if checked
            else ", past the privacy of those fields"
        )
        a = "an" if ty[:1] in "AEIOU" else "a"
        out.append(f"adds `pub fn {name}`: any caller can now build {a} `{ty}` with any {fields}{past}")
    return out


def _patched(
    edits: Iterable[Edit], read: Callable[[str], bytes | None] | None
) -> Iterator[tuple[tuple[Edit, ...], bytes, bytes]]:
    """Each Rust file a fix edits: its edits, and its bytes before and after them (a file that
    cannot be read, or whose edits do not apply, is passed over)."""
    if read is None:
        return
    for rel, mine in by_file(tuple(edits)).items():
        old = read(rel)
        if old is None or not rel.endswith(".rs"):
            continue
        try:
            yield tuple(mine), old, apply_edits(old, mine)
        except EditError:
            continue


def opened_by(edits: Iterable[Edit], read: Callable[[str], bytes | None] | None) -> str:
    """`opened` for a fix's edits on the original files ("" when none, or a file cannot be read)."""
    said = [w for _mine, old, new in _patched(edits, read) for w in opened(old, new)]
    return "; ".join(dict.fromkeys(said))


def called_through(edits: Iterable[Edit], read: Callable[[str], bytes | None] | None) -> str:
    """What a fix that replaces a struct literal with a constructor call (`Item::new("demo", 1)` for
    `Item { sku: .., qty: 1, reserved: 0 }`) lets the constructor do to the literal's values, read
    off the constructor's body in the patched file (`engine.syntax.design.constructors`): the calls
    it makes on its inputs and the asserts it runs. The general mistake it prevents is presenting
    the call as the same value built the allowed way: `new` may upper-case a name the literal gave
    as written, or panic on a value the literal accepted. "" when it only stores its inputs."""
    from engine.syntax.design import constructors

    said: list[str] = []
    for mine, old, new in _patched(edits, read):
        old_root = parse(old).root_node
        for e in mine:
            # the types whose struct literal the edit removes (a whole-line edit holds more than it)
            built = {
                node_text(n.child_by_field_name("name")).split("<")[0].split("::")[-1]
                for n in preorder(old_root)
                if n.type == "struct_expression"
                and e.start <= n.start_byte
                and n.end_byte <= max(e.end, e.start)
            }
            for n in preorder(parse(e.replacement.encode()).root_node) if built else ():
                fn = n.child_by_field_name("function") if n.type == "call_expression" else None
                *path, name = node_text(fn).split("::") if fn is not None else ("",)
                if not path or path[-1].split("<")[0] not in built:
                    continue
                ctor = next((c for c in constructors(new, path[-1].split("<")[0]) if c.name == name), None)
                if ctor is None or not (ctor.transforms or ctor.checks):
                    continue
                does = [f"transforms its inputs (`{ctor.transforms[0]}`)"] if ctor.transforms else []
                does += [f"asserts on them (`{ctor.checks[0][:60]}`)"] if ctor.checks else []
                said.append(
                    f"`{node_text(fn)}` {' and '.join(does)}: the value may differ from the literal's, or panic"
                )
    return "; ".join(dict.fromkeys(said))
