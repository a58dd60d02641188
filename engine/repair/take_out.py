"""Ownership transfer instead of a copy: the value is moved out of a place that stays whole.

The general mistake: a value is moved out of a place the code still owns through `&mut` (a field of
`&mut self`, `*r` where `r: &mut T`, an element of a `Vec` behind `&mut`), or out of a local that is
cleared or reassigned right after the move (`out.push(cur); cur.clear();` in a loop). rustc offers a
borrow or `.clone()`; a clone deep-copies a value the code is about to throw away. Through `&` a
value cannot be taken; through `&mut` it can, as long as a valid value is left behind:

- `std::mem::take(&mut place)` leaves the type's `Default` (the sandbox decides whether the type has
  one: the edit does not compile where it has none);
- `std::mem::replace(&mut place, value)` leaves a value the code names (a unit variant of the enum);
- `Vec::remove(i)` / `swap_remove(i)` / `pop()` take the element out of the vector itself, the way
  out for a `&mut self` method that hands an element out (`let t = self.items.last()?; Some(*t)`).

`Option::take()` is `engine.repair.grammar._take_option`'s. Each op is built from the syntax tree
(the place, the binding's `let`, the statements after the move); the sandbox judges each edit.
Pure: a source and the diagnostic's facts in, ops out.
"""

from __future__ import annotations

import re

import msgspec
import tree_sitter

from engine.edits import Edit
from engine.facts.types import Facts
from engine.repair.sites import Op, Site
from engine.syntax.tree import ancestors, block_statement, compact, node_at, node_text, preorder

_LOOPS = ("for_expression", "while_expression", "loop_expression")
_STOP = ("function_item", "closure_expression")


def _mentions(node: tree_sitter.Node, place: str) -> bool:
    want = compact(place)
    return any(
        n.type in ("identifier", "field_expression", "index_expression", "unary_expression", "self")
        and compact(node_text(n)) == want
        for n in preorder(node)
    )


def next_reset(source: bytes, start: int, end: int, place: str) -> tuple[str, tree_sitter.Node, bool] | None:
    """What the code does next to `place` after the move at [start, end): "assign" (`place = v;`) or
    "clear" (`place.clear();`) with that statement, when that is the first later statement of the
    enclosing blocks (up to the fn or closure) that mentions `place`; None when the place is read
    first, or never mentioned again. The flag says the reset is in the move's own block, so it runs
    whenever the move does (a reset after an `if` that holds the move also runs when it did not)."""
    kind, stmt, same = _next_mention(source, start, end, place)
    return (kind, stmt, same) if stmt is not None and kind in ("assign", "clear") else None


def _next_mention(
    source: bytes, start: int, end: int, place: str
) -> tuple[str, tree_sitter.Node | None, bool]:
    """The first later statement that mentions `place` after the move at [start, end), walking out
    through the enclosing blocks: ("assign" | "clear" | "read", that statement, in the move's own
    block); ("loop", None, _) when the loop body that holds the move ends first (the next use is in
    the next round or after the loop); ("end", None, _) at the fn or closure."""
    node = node_at(source, start, end)
    stmt = block_statement(node)
    same = True
    while stmt is not None and stmt.parent is not None:
        sib = stmt.next_named_sibling
        while sib is not None:
            if sib.type.endswith("comment") or not _mentions(sib, place):
                sib = sib.next_named_sibling
                continue
            expr = sib.named_children[0] if sib.type == "expression_statement" and sib.named_children else sib
            if expr.type in ("assignment_expression",):
                left = expr.child_by_field_name("left")
                right = expr.child_by_field_name("right")
                if compact(node_text(left)) == compact(place) and not (right and _mentions(right, place)):
                    return "assign", sib, same
            if expr.type == "call_expression" and sib.type == "expression_statement":
                fn = expr.child_by_field_name("function")
                if fn is not None and compact(node_text(fn)) == compact(place) + ".clear":
                    return "clear", sib, same
            return "read", sib, same
        owner = stmt.parent.parent  # the block's owner: an `if`, a loop, a fn, a block statement
        if owner is None or owner.type in _STOP:
            return "end", None, same
        if owner.type in _LOOPS:
            return "loop", None, same  # the next iteration (or the code after the loop) uses it next
        stmt = block_statement(owner)
        same = False
    return "end", None, same


def _drop_statement(source: bytes, file: str, stmt: tree_sitter.Node) -> Edit:
    """Delete a statement with its line when it stands alone on it."""
    start, end = stmt.start_byte, stmt.end_byte
    line_start = source.rfind(b"\n", 0, start) + 1
    line_end = source.find(b"\n", end)
    line_end = len(source) if line_end < 0 else line_end
    if not source[line_start:start].strip() and not source[end:line_end].strip():
        return Edit(file=file, start=line_start, end=min(line_end + 1, len(source)), replacement="")
    return Edit(file=file, start=start, end=end, replacement="")


def _mut_ref(text: str) -> str:
    """`&mut place`; `*r` is already reached by `r` when it is a `&mut` binding."""
    m = re.fullmatch(r"\*\s*(\w+)", text)
    return m.group(1) if m else f"&mut {text}"


def _self_kind(source: bytes, at: int) -> str:
    from engine.syntax.tree import enclosing_fn

    fn = enclosing_fn(source, at, at + 1)
    return fn.self_param if fn is not None else "none"


def _unit_variant(source: bytes, type_text: str | None) -> str | None:
    """`E::Unit` for an enum of this file with a unit variant, the value `mem::replace` leaves."""
    from engine.repair.state_replace import _placeholder

    name = (type_text or "").strip()
    if not re.fullmatch(r"\w+", name):
        return None
    unit = _placeholder([source], name)
    return unit if unit is not None and "(" not in unit else None


_STD_DEFAULT = re.compile(
    r"(?:std::\w+::)*(?:String|Vec|VecDeque|HashMap|HashSet|BTreeMap|BTreeSet|BinaryHeap|Option|PathBuf"
    r"|OsString|Cell|RefCell|[iu](?:8|16|32|64|128|size)|f32|f64|bool|char)\b(?:<.*>)?"
)


def has_default(type_text: str | None, source: bytes) -> bool | None:
    """Whether the moved value's type (as rustc names it) has a `Default`: a std type that has one,
    or a type of this file that derives or implements it; False for a type of this file that does
    neither (`std::mem::take` would not compile), None when the type is not known here (the sandbox
    decides)."""
    t = (type_text or "").strip()
    if not t:
        return None
    if _STD_DEFAULT.fullmatch(t):
        return True
    name = re.fullmatch(r"(?:\w+::)*(\w+)(?:<.*>)?", t)
    if name is None:
        return None
    return _declares_default(source, name.group(1))


def _declares_default(source: bytes, name: str) -> bool | None:
    """From the syntax tree: the item `name` derives `Default`, or an `impl Default for name` exists
    (True); the item is here without either (False); no such item in this file (None)."""
    root = node_at(source, 0, len(source))
    found = False
    for n in preorder(root):
        if n.type in ("struct_item", "enum_item") and node_text(n.child_by_field_name("name")) == name:
            found = True
            attr = n.prev_named_sibling
            while attr is not None and attr.type in ("attribute_item", "line_comment", "block_comment"):
                if attr.type == "attribute_item" and re.search(
                    r"derive\s*\([^)]*\bDefault\b", node_text(attr)
                ):
                    return True
                attr = attr.prev_named_sibling
        if n.type == "impl_item":
            trait = node_text(n.child_by_field_name("trait")).rsplit("::", 1)[-1]
            if trait == "Default" and node_text(n.child_by_field_name("type")).split("<")[0] == name:
                return True
    return False if found else None


_ELEMENT = re.compile(r"^(?P<vec>.+?)\.(?P<call>first|last|get)\((?P<i>[\w.]*)\)(?P<q>\?)?$")


def _element_binding(source: bytes, site: Site) -> list[Op]:
    """`let t = v.last()?; .. *t ..` in a `&mut self` method that hands the element out: take it out
    of the vector (`v.pop()?`) instead of copying it, and use the owned `t` where `*t` was."""
    from engine.syntax.tree import let_initializer

    m = re.fullmatch(r"\*\s*(\w+)", site.text)
    if m is None:
        return []
    name = m.group(1)
    init = let_initializer(source, name, site.place.start)
    if init is None:
        return []
    em = _ELEMENT.match(compact(init.text))
    if em is None or not em.group("vec").startswith("self.") or em.group("q") is None:
        return []
    vec, call, i = em.group("vec"), em.group("call"), em.group("i")
    if call == "get" and not re.fullmatch(r"\w+", i):
        return []
    file = site.place.file
    forms: list[tuple[str, str]] = []
    idx = "0" if call == "first" else i
    if call == "last":
        forms.append(
            (
                f"{vec}.pop()?",
                f"take it out of `{vec}` with `pop()`, which removes the last element from `{vec}`",
            )
        )
    else:
        guard = f"!{vec}.is_empty()" if call == "first" else f"{idx} < {vec}.len()"
        forms.append(
            (
                f"({guard}).then(|| {vec}.remove({idx}))?",
                f"take it out of `{vec}` with `remove({idx})`, which removes it from `{vec}`: the later elements shift down, order kept",
            )
        )
        forms.append(
            (
                f"({guard}).then(|| {vec}.swap_remove({idx}))?",
                f"take it out of `{vec}` with `swap_remove({idx})`, which removes it from `{vec}` in O(1): "
                "the last element fills its slot, so the order changes",
            )
        )
    from engine.syntax.repeated_removal import later_removal

    again = later_removal(source, init.start, init.end, vec, None if call == "last" else idx)
    out: list[Op] = []
    for new, desc in forms:
        edits = [
            Edit(file=file, start=init.start, end=init.end, replacement=new),
            site.replace(name),
        ]
        if again is not None and again.proven:  # the code's own removal of it goes, else two go
            edits.append(Edit(file=file, start=again.start, end=again.end, replacement=""))
            desc += f"; the `{again.text}` after it goes, as this removal replaces it"
        out.append((edits, desc, "op:vec-take", 0.74))
    return out


_TAKES = {
    "remove": "which removes it from `{vec}`: the later elements shift down, order kept",
    "swap_remove": "which removes it from `{vec}` in O(1): the last element fills its slot, so the order changes",
}


def _vec_takes(source: bytes, site: Site, vec: str, i: str, edits: list[Edit]) -> list[Op]:
    """`vec.remove(i)` and `vec.swap_remove(i)` in place of the read; `edits[0]`'s replacement holds
    `{m}` for the method. When the same block already removes that element after the read
    (`engine.syntax.repeated_removal`, proven the same), that statement goes with it, else two
    elements would be removed; the method the code itself used leads."""
    from engine.syntax.repeated_removal import later_removal

    first = edits[0]
    again = later_removal(source, first.start, first.end, vec, i)
    methods = ["remove", "swap_remove"]
    if again is not None and again.proven and again.method == "swap_remove":
        methods.reverse()
    out: list[Op] = []
    for n, m in enumerate(methods):
        new = [msgspec.structs.replace(first, replacement=first.replacement.replace("{m}", m)), *edits[1:]]
        desc = f"take it out of `{vec}` with `{m}({i})`, " + _TAKES[m].format(vec=vec)
        if again is not None and again.proven:
            new.append(Edit(file=site.place.file, start=again.start, end=again.end, replacement=""))
            desc += f"; the `{again.text}` after it goes, as this removal replaces it"
        out.append((new, desc, "op:vec-take", 0.71 - n / 100))
    return out


def out_of_place(f: Facts, site: Site, source: bytes) -> list[Op]:
    """E0507: move out of a place behind `&mut` (or an element a `&mut self` method hands out),
    leaving a valid value (or nothing) behind instead of copying it."""
    if not site.expression or site.shape.in_pattern:
        return []
    if site.shape.kind not in ("field_expression", "index_expression", "unary_expression"):
        return []
    node = node_at(source, site.place.start, site.place.end)
    if node.parent is not None and node.parent.type == "match_expression":
        return []  # a match on the place: `engine.repair.state_replace` restores it in the arms
    owner_mut = _self_kind(source, site.place.start) == "&mut self"
    # "cannot move out of index of `Vec<T>`" names no reference: a place under `&mut self` is one
    through_mut = "mutable reference" in (f.message or "") or (
        owner_mut and site.text.startswith("self.") and "shared reference" not in (f.message or "")
    )
    out: list[Op] = []
    if "shared reference" in (f.message or "") and owner_mut:
        return _element_binding(source, site)
    if not through_mut:
        return []
    text = site.text
    reset = next_reset(source, site.place.start, site.place.end, text)
    after = " (it is overwritten right after)" if reset else ""
    if has_default(f.binding_type, source) is not False:
        out.append(
            (
                [site.replace(f"std::mem::take({_mut_ref(text)})")],
                f"take it with `std::mem::take`, which leaves the type's default in `{text}`{after}",
                "op:mem-take",
                0.73,
            )
        )
    unit = _unit_variant(source, f.binding_type)
    if unit is not None:
        out.append(
            (
                [site.replace(f"std::mem::replace({_mut_ref(text)}, {unit})")],
                f"take it with `std::mem::replace`, which leaves `{unit}` in `{text}`{after}",
                "op:mem-replace",
                0.72,
            )
        )
    idx = node if node.type == "index_expression" else None
    if idx is not None and owner_mut and len(idx.named_children) == 2:
        vec, i = (node_text(c) for c in idx.named_children)
        out += _vec_takes(source, site, vec, i, [site.replace(f"{vec}.{{m}}({i})")])
    return out


def taken_before_reset(f: Facts, site: Site, source: bytes) -> list[Op]:
    """E0382: a local buffer moved inside a loop (`out.push(cur)`, `tx.send(batch)`, `flush(buf)`)
    that the code goes on using as a fresh buffer: cleared or reassigned before any read, or used
    next only in the next round or after the loop (`batch.push(x)`, `if !batch.is_empty()`). The
    mistake is handing the buffer itself over while keeping its name; the way out takes it and
    leaves an empty one behind: `std::mem::take` (the type's `Default`, no capacity kept) or, when
    the `let` shows the intended capacity (`Vec::with_capacity(n)`), `std::mem::replace` with that
    same initializer (one new buffer per move). Nothing is copied; a `cur.clear()` right after the
    move in the same block only emptied it and goes. A read right after the move in the same round
    (`out.push(w); log(w.len())`) gets neither: it would see the empty buffer."""
    if not site.expression or site.shape.in_pattern or site.shape.kind != "identifier":
        return []
    if f.binding is None or site.text != f.binding:
        return []
    node = node_at(source, site.place.start, site.place.end)
    if not any(a.type in _LOOPS for a in ancestors(node)):
        return []
    kind, stmt, same = _next_mention(source, site.place.start, site.place.end, site.text)
    if kind not in ("assign", "clear", "loop"):
        return []
    drop = [_drop_statement(source, site.place.file, stmt)] if kind == "clear" and same and stmt else []
    gone = f"; the `{site.text}.clear()` after it goes" if drop else ""
    take = f"take `{site.text}` with `std::mem::take`, which leaves it empty"
    take += ": no copy" if kind != "loop" else " (without its capacity) for the next use: no copy"
    ops: list[Op] = [
        ([site.replace(f"std::mem::take(&mut {site.text})"), *drop], take + gone, "op:mem-take", 0.7)
    ]
    init = _sized_initializer(source, site.text, site.place.start)
    if init is not None:
        desc = (
            f"hand `{site.text}` over with `std::mem::replace`, which leaves a new `{init}` in its place: "
            f"one allocation per move, no copy{gone}"
        )
        ops.insert(
            0,
            (
                [site.replace(f"std::mem::replace(&mut {site.text}, {init})"), *drop],
                desc,
                "op:mem-replace",
                0.71,
            ),
        )
    return ops


def _sized_initializer(source: bytes, name: str, before: int) -> str | None:
    """The initializer of the last `let [mut] name = X::with_capacity(..)` before `before` in the
    enclosing fn: the capacity the code meant the buffer to have, which `std::mem::replace` keeps."""
    node = node_at(source, before, before + 1)
    fn = next((a for a in ancestors(node) if a.type in _STOP), None)
    found = None
    for n in preorder(fn) if fn is not None else ():
        if n.type != "let_declaration" or n.start_byte >= before:
            continue
        pat, value = n.child_by_field_name("pattern"), n.child_by_field_name("value")
        if pat is None or compact(node_text(pat)) not in (name, "mut" + name):
            continue
        found = None
        callee = (
            value.child_by_field_name("function")
            if value is not None and value.type == "call_expression"
            else None
        )
        if callee is not None and node_text(callee).endswith("::with_capacity"):
            found = " ".join(node_text(value).split())
    return found


def overwritten_after(source: bytes, site: Site) -> str | None:
    """ "overwritten" or "cleared" when the moved place is reset before anything reads it: by the
    next statement that mentions it, or (a `match` on the place) by an assignment in the arms."""
    node = node_at(source, site.place.start, site.place.end)
    if node.parent is not None and node.parent.type == "match_expression":
        body = node.parent.child_by_field_name("body")
        for n in preorder(body) if body is not None else ():
            left = n.child_by_field_name("left") if n.type == "assignment_expression" else None
            if left is not None and compact(node_text(left)) == compact(site.text):
                return "overwritten"
    reset = next_reset(source, site.place.start, site.place.end, site.text)
    if reset is None:
        return None
    return "overwritten" if reset[0] == "assign" else "cleared"
