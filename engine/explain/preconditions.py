"""Preconditions of ways out: what must hold in the code for a KB option to work there.

A KB option names them in `requires` like the facts of applicable.py; each is decided from rustc's
spans and the syntax layer (engine/syntax/option_shapes.py), and unknown means no (the option is
not shown):

- `last_use_movable`: the first borrow's later use (rustc's "... borrow later used here") is a
  statement that can move: not the function's returned value, not inside the call that takes the
  second borrow ("later used by call"). Only then does "move the last use before the second borrow"
  work. `last_use_returned`: that later use is the returned value (rustc's "returning this value
  requires", or a span in a `return` or the body's tail), so the second borrow's work must move.
- `disjoint_self_fields`: the conflicting borrow is a method call `self.m(..)` and the first borrow
  goes through a field `self.f` that `m` (with the `self` methods it calls, in the same file) never
  names. Two indices into one `Vec` field are one field, not disjoint. `not_disjoint_self_fields`,
  its opposite, keeps the generic "borrow disjoint parts" for the stories it does not decide.
- `pattern_binding_unused`, `pattern_binding_used`: the name the unknown field of a struct pattern
  binds is unused, or used, where the pattern binds it (a match arm's guard and body, an `if let`'s
  block, the rest of a `let`'s block): `..` only replaces an unused field.
- `reference_at_move`: a `&` at the move compiles there: the move is not into an operator, or it is
  and the crate implements the operator's trait for the borrowed operand (`impl Add<T> for &T`); nor
  is it a call of the crate's own method that rustc says takes the receiver `self` by value.
- `consumed_result_kept`: the move is not a statement `b.m(..);` that throws away what a by-value
  method returns (engine/repair/rebind.py): a clone consumed there keeps no change.
  `consumed_result_dropped`, its opposite where the method's own signature returns the receiver's
  type (`-> Self`): only keeping the result (`b = b.m(..)`) keeps the change.
- `dyn_bound_compatible`: every trait bounding the generic method's type parameters can be a trait
  object (`&dyn Debug`), never `Into`, `From`, `Clone`, `PartialEq`, ... nor a crate trait with a
  generic method or a `Self: Sized` supertrait. `into_only_bound`: the only bound is `Into<X>`, so
  the method can take `X` itself.
- `public_wrapper`: a `pub fn` of the crate names the private item rustc reports.
- `outer_borrow_named`: a returned borrow whose outer lifetime cannot simply be elided: not the
  shape `fn f(&self) -> &'a [&'a T]` where the outer borrow is of `self` (engine/repair/elided_return.py
  drops `'a` there); only then is tying the input to the output's lifetime the way out.
- `map_lookup`: the shared reference written through came from `map.get(..)` on a binding declared as
  a `HashMap` or `BTreeMap` (its type or its initializer says so): only a map has an entry method.
- `import_from_other_crate`: the unresolved import's path starts with a name that is not `std`, `core`,
  `alloc`, `crate`, `self` or `super`: only then can a missing dependency be why it fails.
- `owned_return_form`: the enclosing function returns a `&` reference (maybe inside `Option`/`Result`)
  and no type of the crate that has a lifetime parameter (`Record<'a>` has no owned form), no
  `impl`/`dyn`: only then does "change the return type to the owned type" name a type.
  `returns_str`: it returns a `&str`, the one type `Cow<'_, str>` replaces.
- `not_loop_local`: the local rustc names is not declared in a loop body (`{dies}`, from
  engine/syntax/scopes.py): a value made anew each iteration cannot be built once by the caller.
- `local_is_owned_return`: the local the result references is declared (annotation or plain
  constructor, engine/syntax/owned_local.py) with the owned form of the return type (`String` for
  `&str`): only then is "return the local itself" a fix.
- `empty_temporary`: the temporary rustc marks ("temporary value created here") is an empty `Vec` or
  `String` made on the spot (`Vec::new()`, `vec![]`, `String::new()`) and the function returns a slice
  or a `&str`: the constant `&[]` or `""` (promoted to `'static`) replaces it. `not_empty_temporary`,
  its opposite, for a temporary with content.
- `temporary_copies_input`: that temporary is an owned copy of what a parameter or `self` already
  holds (`&name.trim().to_string()`, `&v[1..].to_vec()`; syntax layer, engine/syntax/copied_input.py),
  so the borrow can point into the input instead. A `format!`, a concatenation or a constructor makes
  content no input has: no zero-copy way out exists then.
- `deref_owned_copy`: the `*` at rustc's span dereferences a plain binding (`*x`, syntax layer) of a
  primitive `Copy` type rustc names (`type `u32` cannot be dereferenced`): the binding holds its own
  copy, so a change to it stays there. `not_deref_owned_copy`, its opposite: a field or an element
  (`*f.score`, reached maybe through `&mut`) is the place itself, and a change to it reaches it.
- `reference_fits_move`: rustc's move span is an argument of a call to the crate's own function or
  method (syntax layer), and that parameter's written type takes a reference (`&T`, `impl AsRef<..>`):
  only then does passing `&x` instead type-check. A std method (`Vec::push` on a `Vec<String>`) or
  an owned parameter is no fact that it does. `not_reference_fits_move`, its opposite.
- `keys_ruled_distinct`: the two `get_mut` calls' keys are compared (`==`/`!=`) before the later
  call in their function (syntax layer, engine/syntax/story_shapes.py), so equal keys are ruled out;
  `keys_may_be_equal`, its opposite (nothing rules them out): a way out that panics on equal keys
  does not lead then.
- `signature_own`: the fn at rustc's span is a free fn or an inherent method (syntax layer,
  engine/syntax/trait_signature.py): a trait impl's method has the trait's signature, so tying its
  lifetimes or adding an outlives bound there is E0195/E0308, not a fix. `trait_fixed_owned_field`:
  it is a trait impl's method and reads an owned field of `self` (`String`, `Vec`, `Box`), the data
  the returned borrow points into; the way out is then what the type holds.
- `move_frees_captures`: `move` can make the closure own what it uses: unless it goes where `'static`
  is required and uses a `&` parameter (engine/explain/closure_why.py), whose copy still borrows.
- `name_may_be_slip`: rustc says nothing that shows the name is right (an unmet bound, a trait that
  defines the item, a bound to add to a type parameter, a trait not in scope).
- `fn_not_recursive`, `impl_assoc_type_expected`: decided on the item around rustc's span, in
  engine/explain/impl_preconditions.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from engine.explain import impl_preconditions
from toolbelt.diagnostics import in_user_crate, temporary_spans
from toolbelt.span_source import span_source
from toolbelt.types import Diagnostic, Span

NAMES = frozenset(
    {
        "keys_may_be_equal",
        "keys_ruled_distinct",
        "last_use_movable",
        "last_use_returned",
        "disjoint_self_fields",
        "not_disjoint_self_fields",
        "pattern_binding_unused",
        "pattern_binding_used",
        "reference_at_move",
        "consumed_result_kept",
        "consumed_result_dropped",
        "dyn_bound_compatible",
        "into_only_bound",
        "public_wrapper",
        "name_may_be_slip",
        "outer_borrow_named",
        "map_lookup",
        "import_from_other_crate",
        "owned_return_form",
        "local_is_owned_return",
        "returns_str",
        "not_loop_local",
        "empty_temporary",
        "not_empty_temporary",
        "temporary_copies_input",
        "reference_fits_move",
        "not_reference_fits_move",
        "deref_owned_copy",
        "not_deref_owned_copy",
        "signature_own",
        "trait_fixed_owned_field",
        "move_frees_captures",
        *impl_preconditions.NAMES,
    }
)
# std traits that are not dyn compatible: a generic method, a `Self` parameter or a `Sized` bound
_STD_NOT_DYN = frozenset(
    "Into From TryInto TryFrom Clone Copy Default Sized PartialEq Eq PartialOrd Ord Hash FromStr "
    "FromIterator Extend Add Sub Mul Div Rem Neg Not BitAnd BitOr BitXor Shl Shr".split()
)
_OP_TRAITS = {
    "+": "Add", "-": "Sub", "*": "Mul", "/": "Div", "%": "Rem",
    "&": "BitAnd", "|": "BitOr", "^": "BitXor", "<<": "Shl", ">>": "Shr",
}  # fmt: skip
_LATER_USE = re.compile(r"borrow later (?:used|captured)|returning this value requires")
_FIRST_BORROW = re.compile(r"^(?:first (?:mutable )?borrow|(?:im)?mutable borrow) occurs here")
_MOVED_TYPE = re.compile(r"move occurs because `[^`]+` has type `([^`]+)`")
_NAME_IS_RIGHT = re.compile(
    r"trait bounds were not satisfied|the following traits? defines? an item|restrict type parameter"
    r"|bounded by the trait|is implemented but not in scope|exists on the type|trait is in scope"
)


def _source(crate_root: str | Path, span: Span | None) -> bytes | None:
    if span is None or not in_user_crate(span.file_name) or span.byte_start >= span.byte_end:
        return None
    return span_source(crate_root, span)


def _crate_sources(crate_root: str | Path) -> list[bytes]:
    from engine.explain.options import crate_rs_files

    out = []
    for rel in crate_rs_files(Path(crate_root)):
        try:
            out.append((Path(crate_root) / rel).read_bytes())
        except OSError:
            continue
    return out


def _later_uses(diag: Diagnostic) -> list[Span]:
    return [s for s in diag.spans if _LATER_USE.search(s.label or "")]


def _returned_use(diag: Diagnostic, crate_root: str | Path) -> bool | None:
    """Whether a later use of the first borrow is the returned value; None without one."""
    from engine.syntax.option_shapes import returned

    uses = _later_uses(diag)
    if not uses:
        return None
    for s in uses:
        if (s.label or "").startswith("returning this value"):
            return True
        src = _source(crate_root, s)
        if src is not None and returned(src, s.byte_start, s.byte_end):
            return True
    return False


def _disjoint_self_fields(diag: Diagnostic, crate_root: str | Path) -> bool:
    from engine.syntax.option_shapes import first_self_field, self_fields_of_method, self_method_call

    prim = diag.primary
    src = _source(crate_root, prim)
    if prim is None or src is None:
        return False
    method = self_method_call(src, prim.byte_start, prim.byte_end)
    firsts = [s for s in diag.spans if _FIRST_BORROW.match(s.label or "") and s.file_name == prim.file_name]
    fields = {first_self_field(src, s.byte_start, s.byte_end) for s in firsts}
    if method is None or not fields or None in fields:
        return False
    touched = self_fields_of_method(src, method)
    return touched is not None and not (fields & touched)


def _binding_used(diag: Diagnostic, crate_root: str | Path) -> bool | None:
    from engine.syntax.option_shapes import binding_used_in_scope

    prim = diag.primary
    src = _source(crate_root, prim)
    if prim is None or src is None:
        return None
    return binding_used_in_scope(src, prim.byte_start, prim.byte_end)


def _consumed_by_own_method(diag: Diagnostic) -> bool:
    """rustc's note says a method of the crate takes `self` by value and the move is that call.

    A reference cannot call such a method (`(&b).header(..)` still needs a `b` to move), so "pass a
    reference at the move" is no way out there. A `for` loop's implicit `.into_iter()` is left out:
    `&v` has its own `IntoIterator`."""
    called = any("moved due to this method call" in (s.label or "") for s in diag.spans)
    return called and any(
        "takes ownership of the receiver `self`" in child.message
        and any(in_user_crate(s.file_name) for s in child.spans)
        for child in diag.children
    )


def _reference_at_move(diag: Diagnostic, crate_root: str | Path, name: str) -> bool:
    from engine.syntax.option_shapes import operator_at, ref_operator_impl

    if _consumed_by_own_method(diag):
        return False
    typ = next((m.group(1) for s in diag.spans if (m := _MOVED_TYPE.search(s.label or ""))), None)
    base = typ.split("<", 1)[0].rsplit("::", 1)[-1] if typ else ""
    for s in diag.spans:
        if "moved due to usage in operator" not in (s.label or ""):
            continue
        src = _source(crate_root, s)
        found = operator_at(src, s.byte_start, s.byte_end, name) if src is not None else None
        trait = _OP_TRAITS.get(found[0].rstrip("=")) if found else None
        if found is None or trait is None or not base:
            return False  # an operator or a type we cannot place: no fact that `&` works there
        if not any(ref_operator_impl(f, trait, found[1], base) for f in _crate_sources(crate_root)):
            return False
    return True


def _generic_bounds(diag: Diagnostic, crate_root: str | Path) -> list[str] | None:
    from engine.syntax.option_shapes import generic_bounds

    trait = re.search(r"the trait `([^`]+)`", diag.message)
    for node in (diag, *diag.children):
        for s in node.spans:
            m = re.search(r"because method `([^`]+)` has generic type parameters", s.label or "")
            src = _source(crate_root, s) if m and trait else None
            if m and trait and src is not None:
                return generic_bounds(src, trait.group(1).split("<", 1)[0], m.group(1))
    return None


def _dyn_compatible(bound: str, crate_traits_not_dyn: frozenset[str]) -> bool:
    name = bound.split("<", 1)[0].rsplit("::", 1)[-1].strip()
    return name not in _STD_NOT_DYN and name not in crate_traits_not_dyn


_MAP = re.compile(r"\b(?:HashMap|BTreeMap)\b")


def _map_lookup(diag: Diagnostic, crate_root: str | Path) -> bool:
    from engine.explain.rootsyntax import shared_ref_from_method
    from engine.syntax.tree import binding_of, let_initializer

    found = shared_ref_from_method(diag, crate_root)
    src = _source(crate_root, diag.primary)
    if found is None or src is None or found[2].method != "get" or not found[2].receiver_root:
        return False
    recv = found[2].receiver_root
    b = binding_of(src, recv, found[2].call_start)
    init = let_initializer(src, recv, found[2].call_start)
    said = (b.type_text or "") if b is not None else ""
    said += init.text if init is not None else ""
    return _MAP.search(said) is not None


_EMPTY_VEC = re.compile(r"(?:Vec(?:::<[^>]*>)?::(?:new|default)\(\)|vec!\[\s*\])")
_EMPTY_STR = re.compile(r"(?:String::(?:new|default)\(\)|String::from\(\"\"\)|\"\"\.to_(?:string|owned)\(\))")
_REF_STR = re.compile(r"&\s*(?:'\w+\s+)?str\b")
_REF_SLICE = re.compile(r"&\s*(?:'\w+\s+)?\[")


def _return_type(diag: Diagnostic, crate_root: str | Path) -> str | None:
    from engine.syntax.tree import enclosing_fn

    prim = diag.primary
    src = _source(crate_root, prim)
    sig = enclosing_fn(src, prim.byte_start, prim.byte_end) if src is not None and prim is not None else None
    return sig.return_type if sig is not None else None


def _owned_return_form(diag: Diagnostic, crate_root: str | Path) -> bool:
    from engine.syntax.option_shapes import lifetime_types

    ret = _return_type(diag, crate_root)
    if not ret or "&" not in ret or re.search(r"\b(?:impl|dyn)\b", ret):
        return False
    borrowing = frozenset().union(*(lifetime_types(f) for f in _crate_sources(crate_root)))
    return not any(t in borrowing for t in re.findall(r"[A-Za-z_]\w*", ret))


def _local_is_owned_return(diag: Diagnostic, crate_root: str | Path) -> bool:
    """The local rustc says the result references holds the owned form of the return type (a
    `String` for `-> &str`), so returning the local itself is a fix; a `PathBuf` for `-> &str` is not."""
    from engine.syntax.owned_local import local_type, owned_form, same_head

    m = re.search(r"referencing local (?:variable|data) `([^`]+)`", diag.message)
    prim = diag.primary
    src = _source(crate_root, prim)
    owned = owned_form(_return_type(diag, crate_root) or "")
    if m is None or prim is None or src is None or owned is None:
        return False
    held = local_type(src, prim.byte_start, m.group(1))
    return held is not None and same_head(held, owned)


def _empty_temporary(diag: Diagnostic, crate_root: str | Path) -> bool | None:
    """Whether the marked temporary is an empty Vec/String whose constant fits the return type; None
    without a marked temporary."""
    temps = temporary_spans(diag)
    if not temps:
        return None
    src = _source(crate_root, temps[0])
    text = src[temps[0].byte_start : temps[0].byte_end].decode("utf-8", "replace") if src else ""
    ret = _return_type(diag, crate_root) or ""
    if _EMPTY_VEC.fullmatch(text.strip()):
        return _REF_SLICE.search(ret) is not None
    if _EMPTY_STR.fullmatch(text.strip()):
        return _REF_STR.search(ret) is not None
    return False


def _temporary_copies_input(diag: Diagnostic, crate_root: str | Path) -> bool:
    temps = temporary_spans(diag)
    src = _source(crate_root, temps[0]) if temps else None
    if not temps or src is None:
        return False
    from engine.syntax.copied_input import copies_input

    return copies_input(src, temps[0].byte_start, temps[0].byte_end) is True


_CANNOT_DEREF = re.compile(r"type `(?P<ty>[a-z0-9]+)` cannot be dereferenced")


def _deref_owned_copy(diag: Diagnostic, crate_root: str | Path) -> bool | None:
    """Whether the `*` derefs a binding that owns a primitive Copy value; None when not known."""
    from engine.syntax.deref_operand import deref_operand

    prim = diag.primary
    src = _source(crate_root, prim)
    kind = (
        deref_operand(src, prim.byte_start, prim.byte_end) if src is not None and prim is not None else None
    )
    if kind is None:
        return None
    from engine.repair.numeric import NUMERIC

    m = _CANNOT_DEREF.search(diag.message)
    return kind == "binding" and m is not None and m.group("ty") in NUMERIC | {"bool", "char"}


def _reference_fits_move(diag: Diagnostic, crate_root: str | Path) -> bool:
    from engine.syntax.move_destination import argument_param_types, takes_reference

    prim = diag.primary
    src = _source(crate_root, prim)
    if prim is None or src is None:
        return False
    types = argument_param_types(src, prim.byte_start, prim.byte_end, _crate_sources(crate_root))
    if not types:
        return False
    return all(takes_reference(t) for t in types)


def _keys_ruled_distinct(diag: Diagnostic, crate_root: str | Path) -> bool:
    from engine.syntax.story_shapes import keys_ruled_distinct

    prim = diag.primary
    src = _source(crate_root, prim)
    if src is None or prim is None:
        return False
    spans = [(sp.byte_start, sp.byte_end) for sp in diag.spans if sp.file_name == prim.file_name]
    return keys_ruled_distinct(src, spans) is True


def holds(predicate: str, diag: Diagnostic, crate_root: str | Path, vals: dict[str, str]) -> bool:
    """Whether one precondition holds for this story; unknown means no."""
    if predicate == "not_loop_local":
        return "dies" in vals and not vals["dies"].startswith("at the end of each iteration")
    if predicate == "last_use_movable":
        return _returned_use(diag, crate_root) is False and not any(
            "later used by call" in (s.label or "") for s in diag.spans
        )
    if predicate == "last_use_returned":
        return _returned_use(diag, crate_root) is True
    if predicate in ("disjoint_self_fields", "not_disjoint_self_fields"):
        return _disjoint_self_fields(diag, crate_root) == (predicate == "disjoint_self_fields")
    if predicate in ("pattern_binding_unused", "pattern_binding_used"):
        used = _binding_used(diag, crate_root)
        return used is not None and used == (predicate == "pattern_binding_used")
    if predicate == "reference_at_move":
        name = re.search(r"`([^`]+)`", diag.message)
        return name is not None and _reference_at_move(diag, crate_root, name.group(1))
    if predicate in ("consumed_result_kept", "consumed_result_dropped"):
        from engine.repair.rebind import discarded_self_call, discards_consumed_result

        def read(rel: str) -> bytes | None:
            try:
                return (Path(crate_root) / rel).read_bytes() if in_user_crate(rel) else None
            except OSError:
                return None

        if predicate == "consumed_result_dropped":  # said only of a signature that returns the type
            return discarded_self_call(diag, read, signed=True) is not None
        return not discards_consumed_result(diag, read)
    if predicate in ("dyn_bound_compatible", "into_only_bound"):
        bounds = _generic_bounds(diag, crate_root)
        if not bounds:
            return False
        if predicate == "into_only_bound":
            return len(bounds) == 1 and re.fullmatch(r"(?:\w+::)*Into<.+>", bounds[0]) is not None
        from engine.syntax.option_shapes import dyn_incompatible_traits

        not_dyn = frozenset().union(*(dyn_incompatible_traits(f) for f in _crate_sources(crate_root)))
        return all(_dyn_compatible(b, not_dyn) for b in bounds)
    if predicate == "public_wrapper":
        from engine.syntax.option_shapes import pub_fns_naming

        name = re.search(r"`([^`]+)` is private", diag.message)
        item = name.group(1).rsplit("::", 1)[-1] if name else ""
        if not item or diag.primary is None:
            return False
        prim = diag.primary
        here = _source(crate_root, prim)
        if here is not None and pub_fns_naming(here, item, prim.byte_start):
            return True
        return any(pub_fns_naming(f, item) for f in _crate_sources(crate_root) if f != here)
    if predicate == "outer_borrow_named":
        from engine.repair.elided_return import outer_lifetime_dropped

        return not outer_lifetime_dropped(diag, lambda f: _source(crate_root, diag.primary))
    if predicate == "map_lookup":
        return _map_lookup(diag, crate_root)
    if predicate == "import_from_other_crate":
        path = re.search(r"unresolved imports? `([^`]+)`", diag.message)
        head = path.group(1).lstrip(":").split("::", 1)[0] if path else ""
        return bool(head) and head not in ("std", "core", "alloc", "crate", "self", "super")
    if predicate == "owned_return_form":
        return _owned_return_form(diag, crate_root)
    if predicate == "local_is_owned_return":
        return _local_is_owned_return(diag, crate_root)
    if predicate == "returns_str":
        return _REF_STR.search(_return_type(diag, crate_root) or "") is not None
    if predicate in ("empty_temporary", "not_empty_temporary"):
        empty = _empty_temporary(diag, crate_root)
        return empty is not None and empty == (predicate == "empty_temporary")
    if predicate == "temporary_copies_input":
        return _temporary_copies_input(diag, crate_root)
    if predicate in ("deref_owned_copy", "not_deref_owned_copy"):
        owned = _deref_owned_copy(diag, crate_root)
        return owned is not None and owned == (predicate == "deref_owned_copy")
    if predicate in ("reference_fits_move", "not_reference_fits_move"):
        return _reference_fits_move(diag, crate_root) == (predicate == "reference_fits_move")
    if predicate in ("keys_may_be_equal", "keys_ruled_distinct"):
        # unknown (not two one-key get_mut calls) reads as "may be equal": nothing rules it out
        return _keys_ruled_distinct(diag, crate_root) is (predicate == "keys_ruled_distinct")
    if predicate in ("signature_own", "trait_fixed_owned_field"):
        return _trait_signature(diag, crate_root, predicate)
    if predicate == "move_frees_captures":
        from engine.explain.closure_why import move_keeps_caller_borrow

        return not move_keeps_caller_borrow(diag, crate_root)
    if predicate in impl_preconditions.NAMES:
        return impl_preconditions.holds(predicate, diag, crate_root, vals)
    if predicate == "name_may_be_slip":
        from engine.explain.placeholders import texts

        return not any(_NAME_IS_RIGHT.search(t) for t in texts(diag))
    return False


def _trait_signature(diag: Diagnostic, crate_root: str | Path, predicate: str) -> bool:
    from engine.syntax.trait_signature import owned_self_fields_read, trait_fixes_signature

    prim = diag.primary
    source = _source(crate_root, prim)
    if source is None or prim is None:
        return False
    fixed = trait_fixes_signature(source, prim.byte_start, prim.byte_end)
    if predicate == "signature_own":
        return fixed is False
    return bool(fixed) and bool(owned_self_fields_read(source, prim.byte_start, prim.byte_end))
