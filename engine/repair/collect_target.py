"""E0277 "a value of type `Vec<&str>` cannot be built from an iterator over elements of type `String`":
the collection's written element type no longer matches what the iterator yields. Pure.

The general mistake: the type a `collect()` builds is written somewhere else (a `let` annotation, the
fn's return type when the collect is what the fn returns, or `collect::<..>()`), and it still names
the old element type after the producer changed (a fn that now returns `String` instead of `&str`,
an adapter that builds new values). No adapter can turn an owned `String` into a `&str` that outlives
the iterator, so the declaration follows the items: its element type becomes the item type that rustc
names. Only a written collection with one type argument is rewritten (`Vec<T>`, `HashSet<T>`,
`VecDeque<T>`); the sandbox says whether the code that reads the collection agrees.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.repair.template_kit import Reader, _dot_before, _make, _primary, _short, fallible
from engine.repair.types import Candidate, Edit
from engine.syntax.design import map_body_before
from engine.syntax.returned_tails import tails
from engine.syntax.tree import ancestors, node_at, node_text, preorder
from toolbelt.types import Diagnostic, Span

_BUILT = re.compile(
    r"a value of type `(?P<coll>.+)` cannot be built from an iterator over elements of type `(?P<item>.+)`$"
)


def _call_of(source: bytes, start: int, end: int) -> tree_sitter.Node | None:
    """The `x.collect()` call whose method name rustc points at."""
    n = node_at(source, start, end)
    return next((a for a in (n, *ancestors(n)) if a.type == "call_expression"), None)


def _written(call: tree_sitter.Node) -> tuple[tree_sitter.Node, str] | None:
    """Where the collected type is written, and in words: the turbofish, the `let` annotation whose
    value the call is, or the fn's return type when the call is what the fn returns."""
    f = call.child_by_field_name("function")
    if f is not None and f.type == "generic_function":  # `it.collect::<Vec<&str>>()`
        args = f.child_by_field_name("type_arguments")
        return (args.named_children[0], "the turbofish") if args is not None and args.named_children else None
    up = call
    while up.parent is not None and up.parent.type in ("try_expression", "parenthesized_expression"):
        up = up.parent
    parent = up.parent
    if parent is not None and parent.type == "let_declaration" and parent.child_by_field_name("value") == up:
        t = parent.child_by_field_name("type")
        name = node_text(parent.child_by_field_name("pattern"))
        return (t, f"the annotation of `{name}`") if t is not None else None
    fn = next((a for a in ancestors(call) if a.type in ("function_item", "closure_expression")), None)
    if fn is None or fn.type != "function_item" or up is not call:
        return None
    body, ret = fn.child_by_field_name("body"), fn.child_by_field_name("return_type")
    returned = tails(body) if body is not None else []
    for r in preorder(body) if body is not None else ():
        if r.type == "return_expression" and r.named_children:
            returned += tails(r.named_children[0])
    if ret is None or not any(t.id == call.id for t in returned):
        return None
    return ret, f"the return type of `{node_text(fn.child_by_field_name('name'))}`"


def built_at(d: Diagnostic, read: Reader) -> tuple[Span, bytes, str, str] | None:
    """rustc's primary span of a "`C` cannot be built from an iterator over elements of type `T`"
    E0277, its file's text, and the container and item types, short; None for another message."""
    span = _primary(d)
    m = _BUILT.search(d.message)
    source = read(span.file_name) if span is not None else None
    if span is None or m is None or source is None:
        return None
    return span, source, _short(m.group("coll")), _short(m.group("item"))


def own_collected_items(d: Diagnostic, read: Reader) -> list[Candidate]:
    built = built_at(d, read)
    if built is None:
        return []
    span, source, coll, item = built
    call = _call_of(source, span.byte_start, span.byte_end)
    found = _written(call) if call is not None else None
    if found is None:
        return []
    written, where = found
    if written.type != "generic_type":
        return []
    args = written.child_by_field_name("type_arguments")
    base = node_text(written.child_by_field_name("type")).split("::")[-1]
    if args is None or len(args.named_children) != 1 or not coll.startswith(f"{base}<"):
        return []
    old = args.named_children[0]
    if old.type in ("lifetime", "_") or node_text(old) == "_":
        return []
    edit = Edit(file=span.file_name, start=old.start_byte, end=old.end_byte, replacement=item)
    why = f"collect `{item}` items: `{base}<{item}>` in {where}, in place of `{node_text(written)}`"
    fn = next((a for a in ancestors(call) if a.type == "function_item"), None) if call is not None else None
    if where.startswith("the return type") and fn is not None and _public(fn):
        # a caller outside the crate reads the old type: the price is said beside the fix
        name = node_text(fn.child_by_field_name("name"))
        why += f" (changes the public API of `{name}`{_item_cost(item)})"
        return [_make([edit], why, "op:collect-target-api", d.code_str or "E0277", 0.66)]
    return [_make([edit], why, "op:collect-target", d.code_str or "E0277", 0.7)]


# the owned types whose every value holds a heap buffer: only these allocate one per element
_HEAP_OWNING = re.compile(
    r"^(?:\w+::)*(?:String|Vec|Box|PathBuf|OsString|CString|HashMap|HashSet|BTreeMap|BTreeSet|VecDeque|Rc|Arc)\b"
)


def _item_cost(item: str) -> str:
    """What each collected element costs, read from rustc's item type.

    The general mistake this avoids: saying "allocates a `T` per element" from the shape of the fix
    rather than from `T`. A reference item (`&String`) borrows from the source and allocates
    nothing; a `Copy` scalar or a plain struct allocates nothing either; only an owned type that
    holds a heap buffer allocates one per element. What a reference borrows from (an input, or a
    local the fn drops) is not in rustc's type, so the cost names no owner."""
    if item.startswith("&"):
        return f"; each element is a `{item}`, a borrow, no allocation"
    if _HEAP_OWNING.match(item):
        return f", and allocates a `{item}` per element"
    return ""


def _public(fn: tree_sitter.Node) -> bool:
    return any(c.type == "visibility_modifier" for c in fn.children)


# an owning conversion and the borrowed element it leaves when taken out: `c.to_string()` -> `c`
_CONVERTED = re.compile(
    r"^(?P<e>.+)\.(?:to_string|to_owned|into|to_vec|to_path_buf|to_os_string|clone)\(\)$", re.S
)
_FROM = re.compile(r"^(?:\w+::)*\w+::from\((?P<e>.+)\)$", re.S)


def drop_conversion(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0277 "`Vec<&str>` cannot be built from an iterator over `String`" where the `map` closure
    before `collect` converts each item to the owned form (`.to_string()`, `.to_owned()`,
    `String::from(..)`, `.into()`, `.to_vec()`) while the written collection wants the borrowed one.

    The general mistake: a stray conversion in the closure, not a wrong declaration. Its input is
    already the borrowed item the type asks for, so taking the conversion out fixes it with no
    allocation and no change to a signature; changing the declared type (`own_collected_items`)
    stays the fallback, ranked after it. The sandbox says whether the item really is borrowed."""
    built = built_at(d, read)
    if built is None:
        return []
    span, source, coll, item = built
    want = _element(coll)
    if want is None or not want.startswith("&") or item.startswith("&"):
        return []
    mb = map_body_before(source, span.byte_start)
    text = mb.body.text.strip() if mb is not None else ""
    inner = _CONVERTED.match(text) or _FROM.match(text)
    if mb is None or inner is None:
        return []
    e = inner.group("e").strip()
    edit = Edit(file=span.file_name, start=mb.body.start, end=mb.body.end, replacement=e)
    why = f"keep each item a `{want}`: drop the conversion `{text}` in the `map` closure, no allocation"
    return [_make([edit], why, "op:drop-conversion", d.code_str or "E0277", 0.78)]


def _element(coll: str) -> str | None:
    """The one type argument of a written collection: `&str` for `Vec<&str>`."""
    m = re.fullmatch(r"(?:\w+::)*(?:Vec|VecDeque|HashSet|BTreeSet|LinkedList)<(?P<e>.+)>", coll)
    return m.group("e").strip() if m else None


# an owner and the borrowed view of it that its own method gives: `&String` -> `&str` by `as_str`
_VIEWS = {
    "String": ("str", "String::as_str", "as_str"),
    "Vec": ("[", "Vec::as_slice", "as_slice"),
    "PathBuf": ("Path", "PathBuf::as_path", "as_path"),
    "OsString": ("OsStr", "OsString::as_os_str", "as_os_str"),
    "CString": ("CStr", "CString::as_c_str", "as_c_str"),
}


def borrowed_view_items(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0277 "`Vec<&str>` cannot be built from an iterator over elements of type `&String`": each
    item borrows an owner (`&String`, `&Vec<T>`, `&PathBuf`) where the collection holds the view
    that owner derefs to (`&str`, `&[T]`, `&Path`).

    The general mistake: a borrowed owner where its borrowed view is declared. One element adapter
    right before `collect` (`.map(String::as_str)`, the closure `.map(|s| s.as_str())`, or the
    deref `.map(|x| &**x)` for any other `Deref` owner) turns each borrow into the view: no
    allocation, and no signature changes, so these rank above rewriting the declared type
    (`own_collected_items`). The pair of types comes from rustc's message; the sandbox says whether
    the adapter compiles in place."""
    built = built_at(d, read)
    if built is None:
        return []
    span, source, coll, item = built
    want = _element(coll)
    if want is None or not want.startswith("&") or not item.startswith("&") or want == item:
        return []
    if want.startswith("&mut ") or item.startswith("&mut "):
        return []  # a `&mut` view needs `as_mut_str` and friends: left to the declared type
    owner, view = item[1:].strip(), want[1:].strip()
    dot = _dot_before(source, span.byte_start)
    if dot is None:
        return []
    # the whitespace before `.collect`: a chain written one call a line gets the adapter on its own
    gap_start = len(source[:dot].rstrip())
    gap = source[gap_start:dot].decode()
    base = re.match(r"\w+", owner)
    named = _VIEWS.get(base.group(0)) if base is not None else None
    adapters: list[tuple[str, str]] = []
    if owner == want:  # `&&str` items into `Vec<&str>`: the reference itself is `Copy`
        adapters.append(("copied()", ""))
    elif named is not None and view.startswith(named[0]):
        adapters.append((f"map({named[1]})", ""))
        adapters.append((f"map(|x| x.{named[2]}())", ""))
    if owner != want:
        adapters.append(("map(|x| &**x)", f" (a deref: `{owner}` derefs to `{view}`)"))
    out = []
    for i, (adapter, how) in enumerate(adapters):
        text = f".{adapter}{gap}" if "\n" in gap else f".{adapter}"
        edit = Edit(file=span.file_name, start=dot, end=dot, replacement=text)
        why = (
            f"borrow each `{item}` as a `{want}` before collecting with `.{adapter}`{how}; "
            f"a `{want}` points into the same value, no allocation"
        )
        out.append(_make([edit], why, "op:view-items", d.code_str or "E0277", 0.77 - 0.02 * i))
    return out


def collect_fallible(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0277 "`Vec<u16>` cannot be built from an iterator over elements of type `Result<u16, E>`"
    inside a fn that itself returns a `Result` (or `Option` items in a fn returning `Option`).

    The general mistake: collecting fallible items into a container of the values, as if each item
    had already been checked. `Result<C, E>` (and `Option<C>`) is itself `FromIterator` over such
    items: it stops at the first error and hands it back, so `collect::<Result<C, _>>()?` keeps the
    container the code declares and returns the first error to the caller, which the fn's return
    type already allows. Changing the declaration to `C<Result<..>>` (`own_collected_items`) only
    moves the error to where the values are read, so this ranks first. The fn's return type is read
    from the syntax tree (the nearest `fn`, not a closure, since `?` returns from the closure
    there); whether the error converts (`E: Into<E2>`) is the sandbox's to say."""
    built = built_at(d, read)
    if built is None:
        return []
    span, source, coll, item = built
    kind = fallible(item)
    elem = _element(coll)
    if kind is None or (elem is not None and not item.startswith(f"{kind}<{elem}")):
        return []
    call = _call_of(source, span.byte_start, span.byte_end)
    f = call.child_by_field_name("function") if call is not None else None
    if call is None or f is None or (call.parent is not None and call.parent.type == "try_expression"):
        return []
    owner = next((a for a in ancestors(call) if a.type in ("function_item", "closure_expression")), None)
    ret = owner.child_by_field_name("return_type") if owner is not None else None
    if owner is None or owner.type != "function_item" or ret is None or fallible(node_text(ret)) != kind:
        return []
    wrapped = f"Result<{coll}, _>" if kind == "Result" else f"Option<{coll}>"
    file = span.file_name
    if f.type == "generic_function":  # `collect::<Vec<u16>>()`: the turbofish names the container
        args = f.child_by_field_name("type_arguments")
        if args is None or len(args.named_children) != 1:
            return []
        old = args.named_children[0]
        edits = [Edit(file=file, start=old.start_byte, end=old.end_byte, replacement=wrapped)]
    elif f.type == "field_expression" and node_text(f.child_by_field_name("field")) == "collect":
        at = f.end_byte
        edits = [Edit(file=file, start=at, end=at, replacement=f"::<{wrapped}>")]
    else:
        return []
    edits.append(Edit(file=file, start=call.end_byte, end=call.end_byte, replacement="?"))
    first = "error" if kind == "Result" else "`None`"
    why = (
        f"collect into `{wrapped}` and return the first {first} with `?`: `{coll}` holds the values, "
        f"and the fn's `{kind}` carries the failure to its caller"
    )
    return [_make(edits, why, "op:collect-fallible", d.code_str or "E0277", 0.8)]
