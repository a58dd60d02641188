"""The edit grammar: a small set of operators applied at the sites a diagnostic's facts name.

Templates answer one shape each; most single mistakes are one token or one call away from the fix,
and which token follows from the types rustc states. So: take the sites (the expression rustc's
primary span covers, the move site, the binding's declaration, the consuming `self`), and the
expected/found types; propose each operator whose type relation fits (`&`, `&mut`, `*`, drop a
`&`/`*`, `.clone()`, `.to_owned()`, `.to_string()`, `.as_str()`, `.as_ref()`, `.as_deref()`,
`.to_path_buf()`, `.to_vec()`, `.into()`, `as T`, `?`, `.unwrap()`, `Some(..)`/`Ok(..)`, `mut`,
`self` → `&self`). Shapes come from the syntax layer (parentheses where precedence needs them, no
`&` inside a pattern). The sandbox judges; scores here are priors that order the tries (borrowing
before cloning), to be replaced by the learned Action head.

Pure: a Diagnostic and a file reader in, Candidates out.
"""

from __future__ import annotations

import re

from engine.edits import Edit
from engine.facts.parse import facts_of
from engine.facts.types import Facts, Place
from engine.repair.binding_ops import hoisted, make_mut, mut_at_binding
from engine.repair.rebind import discards_consumed_result
from engine.repair.sites import Op, Site, receiver_of, site_at
from engine.repair.take_out import out_of_place, overwritten_after, taken_before_reset
from engine.repair.template_kit import Reader, _make
from engine.repair.twin_items import BORROWING_TWIN, twin_items
from engine.repair.types import Candidate
from engine.syntax import design as syn
from engine.syntax.tree import enclosing, struct_base, untyped_let_at
from toolbelt.types import Diagnostic

NUMERIC = frozenset("i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64".split())
_MOVES = ("E0382", "E0505")
_MUTABILITY = ("E0596", "E0594", "E0384")


def _strip_refs(ty: str) -> tuple[str, str]:
    """`&mut &str` -> ("&mut ", "&str")... one level: the outer reference and the rest."""
    for ref in ("&mut ", "&"):
        if ty.startswith(ref):
            return ref, ty[len(ref) :].lstrip()
    m = re.match(r"&'\w+ (mut )?", ty)
    if m:
        return ("&mut " if m.group(1) else "&"), ty[m.end() :]
    return "", ty


def _generic_arg(ty: str, head: str) -> str | None:
    """`Option<T>` -> `T` for head `Option`; `Result<T, E>` -> `T`."""
    if not (ty.startswith(head + "<") and ty.endswith(">")):
        return None
    inner = ty[len(head) + 1 : -1]
    depth = 0
    for i, ch in enumerate(inner):
        depth += ch == "<"
        depth -= ch == ">"
        if ch == "," and depth == 0:
            return inner[:i].strip()
    return inner.strip()


def _nameable(ty: str) -> bool:
    """A type one can convert into by name: not a fn item, closure, opaque or inferred type."""
    return not any(m in ty for m in ("{", "impl ", "dyn ", "fn(", "_", "closure", "[async"))


def _same_value(expected: str, found: str) -> bool:
    """The same type, or a literal's number type (`{integer}`, `{float}`) that `found` can be."""
    if expected == "{integer}":
        return found in NUMERIC and not found.startswith("f")
    if expected == "{float}":
        return found in ("f32", "f64")
    return expected == found


def _conversions(site: Site, expected: str, found: str, returns: str | None) -> list[Op]:
    """Operators that turn a value of type `found` into one of type `expected`, by their relation."""
    ops: list[Op] = []
    e_ref, e_bare = _strip_refs(expected)
    f_ref, f_bare = _strip_refs(found)
    text = site.text
    if e_bare == f_bare and e_ref and not f_ref:
        ops.append((site.prefix(e_ref), f"borrow it with `{e_ref.strip()}`", "op:borrow", 0.7))
    if (
        e_bare == f_bare
        and e_ref == "&mut "
        and f_ref == "&"
        and text.startswith("&")
        and not text.startswith("&mut")
    ):
        edit = Edit(
            file=site.place.file, start=site.place.start, end=site.place.start + 1, replacement="&mut "
        )
        ops.append(([edit], "borrow mutably with `&mut`", "op:borrow-mut", 0.75))
    if _same_value(e_bare, f_bare) and f_ref and not e_ref:
        if text.startswith("&"):
            cut = len("&mut ") if text.startswith("&mut ") else 1
            edit = Edit(
                file=site.place.file, start=site.place.start, end=site.place.start + cut, replacement=""
            )
            ops.append(([edit], "pass the value, not a borrow of it", "op:unborrow", 0.7))
        ops.append(
            (site.prefix("*"), "dereference the borrow", "op:deref", 0.66 if e_bare in NUMERIC else 0.6)
        )
        if e_bare not in NUMERIC and e_bare == f_bare:
            ops.append((site.postfix(".clone()"), "clone the borrowed value", "op:clone", 0.55))
    if f_ref and e_ref and f_bare == e_ref + e_bare:  # `&&T` where `&T` is expected
        ops.append((site.prefix("*"), "dereference one level", "op:deref", 0.55))
    if text.startswith("*") and e_bare == f_bare and e_ref and not f_ref:
        edit = Edit(file=site.place.file, start=site.place.start, end=site.place.start + 1, replacement="")
        ops.append(([edit], "keep the borrow: drop the `*`", "op:undo-deref", 0.72))
    owned = {"String": ("str", "String"), "PathBuf": ("Path", "PathBuf"), "OsString": ("OsStr", "OsString")}
    if not e_ref and e_bare in owned and f_bare in owned[e_bare] and (f_ref or f_bare != e_bare):
        method = ".to_string()" if e_bare == "String" else ".to_owned()"
        if e_bare == "PathBuf":
            method = ".to_path_buf()"
        ops.append(
            (site.postfix(method), f"make an owned `{e_bare}` with `{method[1:]}`", "op:to-owned", 0.7)
        )
        if method != ".to_owned()":
            ops.append((site.postfix(".to_owned()"), f"make an owned `{e_bare}`", "op:to-owned", 0.62))
    views = {"str": ("String", ".as_str()"), "Path": ("PathBuf", ".as_path()"), "[": ("Vec<", ".as_slice()")}
    for view, (owner, method) in views.items():
        if e_ref == "&" and e_bare.startswith(view) and not f_ref and f_bare.startswith(owner):
            ops.append((site.prefix("&"), "borrow it", "op:borrow", 0.7))
            ops.append((site.postfix(method), f"view it with `{method[1:]}`", "op:as-view", 0.66))
    if e_ref == "&" and e_bare == "[u8]" and f_bare in ("str", "String"):  # text where bytes are read
        ops.append(
            (site.postfix(".as_bytes()"), "view the text's bytes with `as_bytes()`", "op:as-view", 0.7)
        )
    if not e_ref and e_bare.startswith("Vec<") and f_ref == "&" and f_bare.startswith("["):
        ops.append(
            (site.postfix(".to_vec()"), "copy the slice into a `Vec` with `to_vec()`", "op:to-owned", 0.68)
        )
    if e_bare in NUMERIC and f_bare in NUMERIC and e_bare != f_bare and not e_ref and not site.cast:
        cast = site.postfix(f" as {e_bare}") if site.atomic else [site.replace(f"({text}) as {e_bare}")]
        if f_ref:
            cast = [site.replace(f"*{text} as {e_bare}")] if site.atomic else cast
        ops.append((cast, f"convert with `as {e_bare}`", "op:cast", 0.72))
    for holder in ("Option", "Result"):
        inner = _generic_arg(found, holder)
        if inner is not None and _generic_arg(expected, holder) is None:
            if _types_meet(inner, expected):
                i_ref, _ = _strip_refs(inner)
                to_owned = ""
                if i_ref and not e_ref:  # `Option<&u32>` where `u32` is expected
                    to_owned = ".copied()" if e_bare in NUMERIC or e_bare in ("bool", "char") else ".cloned()"
                if returns is not None and returns.startswith(holder):  # `?` only where it can return
                    ops.append((site.postfix(f"{to_owned}?"), "propagate it with `?`", "op:question", 0.68))
                unwrap = site.postfix(f"{to_owned}.unwrap()")
                ops.append((unwrap, "unwrap it (panics on the other case)", "op:unwrap", 0.3))
        wanted = _generic_arg(expected, holder)
        if wanted is not None and _generic_arg(found, holder) is None and _types_meet(found, wanted):
            ctor = "Some" if holder == "Option" else "Ok"
            ops.append((site.wrap(ctor), f"wrap it in `{ctor}`", "op:wrap", 0.66))
    e_opt, f_opt = _generic_arg(expected, "Option"), _generic_arg(found, "Option")
    if e_opt is not None and f_opt is not None:
        ref, bare = _strip_refs(e_opt)
        if ref == "&" and (bare == f_opt or (bare == "str" and f_opt == "String")):
            method = ".as_deref()" if bare != f_opt else ".as_ref()"
            ops.append((site.postfix(method), f"borrow the contents with `{method[1:]}`", "op:as-ref", 0.66))
    if f_ref == "&" and e_opt is not None and _generic_arg(f_bare, "Option") is not None:
        ops.append((site.postfix(".as_ref()"), "borrow the contents with `as_ref()`", "op:as-ref", 0.64))
    if not ops and not e_ref and _nameable(expected) and _nameable(found) and "()" not in (expected, found):
        # `.into()` needs `From<found> for expected`; rustc would have said so for a std pair
        ops.append((site.postfix(".into()"), f"convert with `.into()` to `{expected}`", "op:into", 0.3))
    return ops


def _types_meet(a: str, b: str) -> bool:
    """Loose: equal up to one outer reference (`&str` meets `str`, `String` meets `&String`)."""
    return _strip_refs(a)[1] == _strip_refs(b)[1]


def _borrowing_twin(moved_at: Place, read: Reader) -> list[Op]:
    """A consuming method that moved a value used later (`v.into_iter()`): its borrowing twin
    (`v.iter()`) leaves `v` usable, and costs no copy. Before any clone."""
    source = read(moved_at.file)
    if source is None:
        return []
    called = re.match(rb"([a-z_]+)\s*\(", source[moved_at.start : moved_at.end])
    twin = BORROWING_TWIN.get(called.group(1).decode()) if called else None
    if twin is None or called is None:
        return []
    name = called.group(1).decode()
    edit = Edit(file=moved_at.file, start=moved_at.start, end=moved_at.start + len(name), replacement=twin)
    return [
        (
            [edit],
            f"call `{twin}()`, which borrows, instead of `{name}()`, which consumes",
            "op:borrow-twin",
            0.64,
        )
    ]


# Expressions that name a place (a variable, a field, an element): what a move moves out of. A borrow
# or a clone of anything else (`&S { ..base }`, `}.clone()`) copies a new value, not the moved one.
PLACES = frozenset(
    {"identifier", "self", "field_expression", "index_expression", "scoped_identifier", "unary_expression"}
)


def _update_base(site: Site, read: Reader) -> list[Op]:
    """A struct literal with `..base` moved `base`'s other fields: clone the base, not the literal."""
    if site.shape.kind != "struct_expression":
        return []
    source = read(site.place.file)
    base = struct_base(source, site.place.start, site.place.end) if source is not None else None
    if base is None or source is None:
        return []
    at = Place(file=site.place.file, start=base.start, end=base.end, line=base.line, column=1)
    inner = Site(at, source)
    if not inner.expression:
        return []
    return [(inner.postfix(".clone()"), f"fill the rest from a clone of `{inner.text}`", "op:clone", 0.56)]


_DEREF_OF = re.compile(r"\*\s*(\w+)")


def _sharing(
    site: Site, source: bytes | None = None, behind_ref: bool = False, shared: bool = False
) -> list[Op]:
    """A move that should have been a borrow, or a copy: borrow first, clone second. The clone's
    label says what it buys only where that is true: the original stays usable when the code reads it
    later (E0382), the owner keeps its value (E0507), and neither when the place is overwritten or
    cleared right after the move (`take_out.next_reset`): then the clone only copies (its cost, from
    the type, says how much)."""
    if (
        not site.expression
        or site.shape.in_pattern
        or site.text.startswith("&")
        or site.shape.kind not in PLACES
    ):
        return []
    reset = overwritten_after(source, site) if source is not None else None
    if reset is not None:
        clone = f"clone `{site.text}`: a copy of a value that is {reset} right after the move"
    elif behind_ref:
        clone = f"clone `{site.text}`: a copy, and the owner keeps its own"
    else:
        clone = f"clone `{site.text}` so the original stays usable"
    borrow = (site.prefix("&"), f"borrow `{site.text}` instead of moving it", "op:borrow", 0.62)
    deref = _DEREF_OF.fullmatch(site.text) if shared else None
    if deref is not None:
        # rustc says `*r` is behind a shared reference: `r` is that `&T`, and `&*r` is `r` itself
        # (clippy::borrow_deref_ref), so the borrow reads `r` where the code wrote `*r`
        r = deref.group(1)
        borrow = (
            [site.replace(r)],
            f"use the reference `{r}` instead of moving out of `*{r}`",
            "op:borrow",
            0.62,
        )
    return [borrow, (site.postfix(".clone()"), clone, "op:clone", 0.56)]


_OWNED = {"str": "String", "Path": "PathBuf", "OsStr": "OsString", "CStr": "CString"}


def _owned_field(f: Facts, read: Reader) -> list[Op]:
    """A borrowed field with no lifetime (`name: &str`, E0106): the struct can own it instead
    (`name: String`), the usual choice for data a struct keeps; rustc only offers a lifetime
    parameter, which every user of the struct must then carry."""
    at = f.primary
    source = read(at.file) if at is not None else None
    if at is None or source is None:
        return []
    ref = enclosing(source, at.start, at.end, ("reference_type",))
    if ref is None or enclosing(source, at.start, at.end, ("field_declaration",)) is None:
        return []
    _, r = ref
    inner = r.text.removeprefix("&").strip()
    owned = _OWNED.get(inner)
    if owned is None and inner.startswith("[") and inner.endswith("]"):
        owned = f"Vec<{inner[1:-1]}>"
    if owned is None:
        return []
    edit = Edit(file=at.file, start=r.start, end=r.end, replacement=owned)
    return [([edit], f"let the struct own it: `{owned}` instead of `{r.text}`", "op:owned-field", 0.6)]


def _owned_return(f: Facts, read: Reader) -> list[Op]:
    """E0515, a reference to a local returned: return the local itself and own the return type
    (`-> &str` with `&s` becomes `-> String` with `s`); rustc offers no edit here."""
    hit = site_at(f.primary, read)
    if hit is None:
        return []
    site, _ = hit
    fn = site.shape.enclosing_fn
    if fn is None or fn.return_range is None or not site.text.startswith("&") or site.text.startswith("&mut"):
        return []
    ret = (
        re.sub(r"^&\s*(?:'\w+\s+)?", "", fn.return_range.text)
        if fn.return_range.text.startswith("&")
        else None
    )
    if ret is None:
        return []
    owned = _OWNED.get(ret) or (f"Vec<{ret[1:-1]}>" if ret.startswith("[") and ret.endswith("]") else None)
    if owned is None:
        return []
    file = site.place.file
    edits = [
        Edit(file=file, start=fn.return_range.start, end=fn.return_range.end, replacement=owned),
        Edit(file=file, start=site.place.start, end=site.place.start + 1, replacement=""),
    ]
    return [(edits, f"return the owned `{owned}` instead of a reference to a local", "op:owned-return", 0.66)]


_AS_FN_POINTER = re.compile(r"^ as (fn\(.*)$")


def _fn_pointer(f: Facts, read: Reader) -> list[Op]:
    """Two fn items are two types; rustc suggests casting to the fn pointer type. The declaration
    that fixed the expected type (`let mut op = double;`) takes that type once, and every later
    assignment of another fn of that signature compiles: `let mut op: fn(i32) -> i32 = double;`."""
    pointer = next(
        (m.group(1) for s in f.suggestions for e in s.edits if (m := _AS_FN_POINTER.match(e.replacement))),
        None,
    )
    at = f.expected_due_to
    source = read(at.file) if at is not None else None
    if pointer is None or at is None or source is None:
        return []
    end = untyped_let_at(source, at.start)
    if end is None:
        return []
    edit = Edit(file=at.file, start=end, end=end, replacement=f": {pointer}")
    return [([edit], f"declare it with the fn pointer type `{pointer}`", "op:annotate", 0.72)]


def _take_option(f: Facts, site: Site) -> list[Op]:
    """E0507 on an `Option<..>` place behind `&mut`: `.take()` moves the value out and leaves `None`
    in its place, so the owner stays whole (the way out for a field of a node, a slot, a cache)."""
    typ = (f.binding_type or "").removeprefix("std::option::")
    if not typ.startswith("Option<") or "mutable reference" not in (f.message or ""):
        return []
    if site.shape.in_pattern or not site.expression:
        return []
    return [(site.postfix(".take()"), f"take it: `{site.text}.take()` leaves `None` behind", "op:take", 0.7)]


_CAST_REF = re.compile(r"casting `((?:&(?:'\w+ )?)+)(\w+)` as `(\w+)` is invalid")


def _deref_cast(d: Diagnostic, f: Facts, read: Reader) -> list[Op]:
    """`b as char` where `b: &&u8` (E0606): one `*` per reference level reaches the value; rustc
    suggests the `*` for one level only, or, for a reference to a fieldless enum (`self as u8` in a
    `&self` method), only a cast through a raw pointer. The value may be a number, `bool`, `char` or
    an enum whose discriminant the cast reads; whether it can be copied out is cargo's to say."""
    m = _CAST_REF.search(d.message)
    source = read(f.primary.file) if f.primary is not None and m is not None else None
    if m is None or source is None or f.primary is None:
        return []
    value = syn.cast_operand(source, f.primary.start, f.primary.end)
    if value is None:
        return []
    site = Site(
        Place(file=f.primary.file, start=value.start, end=value.end, line=value.line, column=1), source
    )
    if not site.expression:
        return []
    stars = "*" * m.group(1).count("&")
    return [
        (site.prefix(stars), f"dereference `{site.text}` to the `{m.group(2)}` it points to", "op:deref", 0.7)
    ]


def grammar_candidates(d: Diagnostic, read: Reader) -> list[Candidate]:
    """Every operator whose facts fit, at every site they name; the sandbox decides which is right."""
    f = facts_of(d)
    code = f.code or ""
    ops: list[Op] = []
    if f.expected and f.found and (hit := site_at(f.primary, read)):
        site, _ = hit
        if site.expression and not site.shape.in_pattern:
            fn = site.shape.enclosing_fn
            ops += _conversions(site, f.expected, f.found, fn.return_type if fn else None)
    if code in _MOVES and f.move_kind == "method" and f.moved_at is not None:
        ops += _borrowing_twin(f.moved_at, read)
        receiver = receiver_of(f.moved_at, read)  # a method taking `self` moved it: clone the receiver
        # a clone consumed by a statement that throws the result away keeps no change (`rebind`)
        if receiver is not None and not receiver.shape.in_pattern and not discards_consumed_result(d, read):
            text = receiver.text
            ops.append((receiver.postfix(".clone()"), f"call it on a clone of `{text}`", "op:clone", 0.5))
    elif code == "E0382" and discards_consumed_result(d, read):
        pass  # `b.m(..);` drops what `m(self)` returned: only keeping it (`rebind`) keeps the change
    elif code in _MOVES and f.move_kind != "closure" and (hit := site_at(f.moved_at, read)):
        ops += _sharing(hit[0], hit[1]) or _update_base(hit[0], read)
        ops += taken_before_reset(f, hit[0], hit[1]) if code == "E0382" else []
    if code == "E0507":
        ops += twin_items(f, read)  # `self.map.into_keys()` behind `&self`: `keys()`, items copied
    if code == "E0507" and (hit := site_at(f.primary, read)):
        ops += _sharing(hit[0], hit[1], behind_ref=True, shared="behind a shared reference" in f.message)
        ops += _take_option(f, hit[0])
        ops += out_of_place(f, hit[0], hit[1])
    if code in _MUTABILITY:
        ops += make_mut(f, read)
    prim = d.primary
    if (
        prim is not None
        and "differ in mutability" in (prim.label or "")
        and (hit := site_at(f.primary, read))
    ):
        site = hit[0]
        if site.text.startswith("&") and not site.text.startswith("&mut"):
            edit = Edit(
                file=site.place.file, start=site.place.start, end=site.place.start + 1, replacement="&mut "
            )
            ops.append(([edit], "make it `&mut`, as the other side expects", "op:borrow-mut", 0.74))
        elif site.text.startswith("&mut"):
            edit = Edit(
                file=site.place.file, start=site.place.start, end=site.place.start + 4, replacement="&"
            )
            ops.append(([edit], "make it a shared `&`, as the other side expects", "op:borrow-shared", 0.6))
        elif f.expected and f.expected.startswith("&mut"):
            ops += mut_at_binding(site, hit[1])
    if code == "E0606":
        ops += _deref_cast(d, f, read)
    if code == "E0614" and (hit := site_at(f.primary, read)) and hit[0].text.startswith("*"):
        site = hit[0]
        edit = Edit(file=site.place.file, start=site.place.start, end=site.place.start + 1, replacement="")
        ops.append(([edit], "drop the `*`: the value is not a reference", "op:undo-deref", 0.7))
    if (
        f.consumer_at is not None
        and (hit := site_at(f.consumer_at, read))
        and hit[0].text in ("self", "mut self")
    ):
        ops.append(
            (
                [hit[0].replace("&self")],
                f"let `{f.consumer}` borrow `self` instead of taking it",
                "op:ref-self",
                0.5,
            )
        )
    ops += _fn_pointer(f, read)
    if code == "E0106":
        ops += _owned_field(f, read)
    if code == "E0515":
        ops += _owned_return(f, read)
    ops += hoisted(f, read, ops)
    return [_make(edits, desc, family, code or d.message, score) for edits, desc, family, score in ops]
