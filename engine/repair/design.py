"""Design-level fixes: the edit an experienced developer writes, which is often not at rustc's span
and not rustc's suggestion. Each rule reads typed facts from the diagnostic and shape facts from the
syntax tree (`engine.syntax.design`), and proposes one or a few edits; the sandbox judges them.

- collecting `&str` items into `Vec<String>`: convert each item before `collect` (`.map(String::from)`);
  owned items into a written `Vec<&str>`: a stray conversion in the `map` closure is taken out, else
  the written element type follows the items (`engine.repair.collect_target`);
- `?` whose error has no `From` into the fn's error: `engine.repair.error_conversion`;
- a `static`/`const` `String` built at run time (E0015): a `&str` literal;
- arithmetic on two numeric types, or a sum wider than its items: `engine.repair.numeric`;
- a private field in a struct literal (E0451): call the type's constructor with the literal's values;
- a value moved into a by-value parameter inside a loop (E0382): the parameter borrows (`&str`,
  `&[T]`, `&T`) and every call site passes a borrow;
- a tail `Option<T>` where the fn returns `T`: return the `Option`, when no caller in the crate
  needs the bare value.

Pure: a Diagnostic, a file reader and the crate's files in, Candidates out.
"""

from __future__ import annotations

import re

from engine.edits import Edit
from engine.facts.parse import facts_of
from engine.repair import numeric
from engine.repair.closure_try import closure_collects_result
from engine.repair.collect_target import (
    borrowed_view_items,
    built_at,
    collect_fallible,
    drop_conversion,
    own_collected_items,
)
from engine.repair.error_conversion import error_conversion
from engine.repair.idioms import owning_idiom
from engine.repair.owned_first import holder_owns, owned_before_loop
from engine.repair.send_result import send_error_result
from engine.repair.sites import site_at
from engine.repair.template_kit import Reader, _dot_before, _make, _primary, _short
from engine.repair.types import Candidate
from engine.syntax import design as syn
from toolbelt.types import Diagnostic, Span

_COPY = numeric.NUMERIC | {"bool", "char"}
_LITERAL_STRING = re.compile(
    r'^(?:String::from\((?P<a>r?#*"[^"]*"#*)\)|(?P<b>r?#*"[^"]*"#*)\.(?:to_string|to_owned|into)\(\))$', re.S
)


def _element_of(coll: str) -> str | None:
    m = re.fullmatch(
        r"(?:\w+::)*(?:Vec|VecDeque|HashSet|BTreeSet|BinaryHeap|LinkedList|Box)<(?P<e>.+)>", coll
    )
    if m:
        return m.group("e").split(",")[0].strip() if "<" not in m.group("e") else m.group("e")
    return None


def collect_items(d: Diagnostic, read: Reader) -> list[Candidate]:
    """`collect()` into a collection whose element type is not the items' type: convert each item on
    the way, right before `collect`, with the adapter the two types call for: a borrowed item into
    its owned form (`.map(String::from)`, `.cloned()`, `.copied()`), a number into its text
    (`.map(|x| x.to_string())`), another owned type through its `From` impl (`.map(Into::into)`)."""
    built = built_at(d, read)
    if built is None:
        return []
    span, source, coll, item = built
    want = _element_of(coll)
    dot = _dot_before(source, span.byte_start)
    if want is None or dot is None:
        return []
    code = d.code_str or "E0277"
    maps: list[tuple[str, str]] = []
    if want == "String" and item in ("&str", "&mut str", "char", "&char"):
        maps.append((".map(String::from)", f"turn each `{item}` into a `String` before collecting"))
        maps.append((".map(|s| s.to_string())", f"call `to_string` on each `{item}` before collecting"))
    elif want == "String" and item in ("&&str", "&String"):
        adapter = ".cloned()" if item == "&String" else ".map(|s| s.to_string())"
        maps.append((adapter, f"own each `{item}` as a `String` before collecting"))
    elif item in (f"&{want}", f"&mut {want}"):
        adapter = ".copied()" if want in _COPY else ".cloned()"
        maps.append((adapter, f"{adapter[1:-2]} each `{item}` into a `{want}` before collecting"))
    elif want == "PathBuf" and item in ("&Path", "&str", "&PathBuf"):
        maps.append((".map(PathBuf::from)", "turn each item into a `PathBuf` before collecting"))
    elif want == "String" and item.lstrip("&") in numeric.NUMERIC | {"char", "bool"}:
        # a number is no `Into<String>`: its text comes from `Display`
        maps.append((".map(|x| x.to_string())", f"write each `{item}` as its text before collecting"))
    elif not item.startswith("&") and not want.startswith("&") and item != want:
        # an owned item of another type (`u32` into `Vec<u64>`): the `From` impl, if there is one,
        # converts each; the sandbox says whether there is
        maps.append(
            (".map(Into::into)", f"convert each `{item}` into a `{want}` with `Into` before collecting")
        )
    out = []
    for i, (text, why) in enumerate(maps):
        edit = Edit(file=span.file_name, start=dot, end=dot, replacement=text)
        out.append(_make([edit], why, "op:map-items", code, 0.72 - 0.04 * i))
    return _in_map_body(span.file_name, source, span.byte_start, want, item, code) + out


def _in_map_body(file: str, source: bytes, at: int, want: str, item: str, code: str) -> list[Candidate]:
    """The conversion inside the `.map(|x| body)` the items already pass through, when there is one:
    `.map(|w| w.to_string())` is what was meant, not `.map(|w| w).map(String::from)`."""
    mb = syn.map_body_before(source, at)
    if mb is None:
        return []
    if want == "String" and item.lstrip("&") in ("str", "mut str", "char", "String"):
        method, why = ".to_string()", f"make each `{item}` a `String` in the `map` closure"
    elif item.lstrip("&").removeprefix("mut ") == want:
        method = ".clone()" if want not in _COPY else ""
        why = f"own each `{item}` as a `{want}` in the `map` closure"
    else:
        return []
    b = mb.body
    if not method:  # a Copy item: one `*` per reference level
        stars = "*" * (len(item) - len(item.lstrip("&")))
        text = f"{stars}{b.text}" if mb.atomic else f"{stars}({b.text})"
    else:
        tidy = owning_idiom(b.text, method)  # `s.as_str().to_string()` is `s.clone()`
        text = tidy or (f"{b.text}{method}" if mb.atomic else f"({b.text}){method}")
    edit = Edit(file=file, start=b.start, end=b.end, replacement=text)
    return [_make([edit], why, "op:map-items", code, 0.74)]


def static_literal(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0015: a `static`/`const` `String` (or `Vec`) built by a call: the literal itself, borrowed for
    `'static`, needs no call (`static NAME: &str = "..."`)."""
    span = _primary(d)
    source = read(span.file_name) if span is not None else None
    if span is None or source is None:
        return []
    item = syn.static_item_at(source, span.byte_start)
    if item is None:
        return []
    ty, value = item.type.text.strip(), item.value.text.strip()
    new: tuple[str, str] | None = None
    if ty == "String" and (lit := _LITERAL_STRING.match(value)):
        new = ("&str", lit.group("a") or lit.group("b"))
    elif (vec := re.fullmatch(r"Vec<(.+)>", ty)) and (elems := re.fullmatch(r"vec!\s*\[(.*)\]", value, re.S)):
        new = (f"&[{vec.group(1)}]", f"&[{elems.group(1)}]")
    if new is None:
        return _lazy_static(d, item, span.file_name)
    f = span.file_name
    edits = [
        Edit(file=f, start=item.type.start, end=item.type.end, replacement=new[0]),
        Edit(file=f, start=item.value.start, end=item.value.end, replacement=new[1]),
    ]
    why = f"make `{item.name}` a `{new[0]}`: the literal lives for the whole program, no call needed"
    # a `Vec` whose elements need a call (`String::from`) is no literal: `LazyLock` stays its answer
    lazy = _lazy_static(d, item, span.file_name) if new[0].startswith("&[") else []
    return [_make(edits, why, "op:static-literal", d.code_str or "E0015", 0.72), *lazy]


def _lazy_static(d: Diagnostic, item: syn.StaticItem, file: str) -> list[Candidate]:
    """E0015 on a `static` whose value needs a call at run time (`Instant::now()`, `HashMap::new()`
    with its `const` gone): computed once, on first use, by `LazyLock`, which rustc's own note names
    (so the toolchain has it). A `const` is re-evaluated at each use, so it gets no such edit."""
    lazy = any("LazyLock::new" in c.message for c in d.children)
    if (
        not lazy
        or item.kind != "static_item"
        or item.type.text.startswith(("&", "std::sync::LazyLock", "LazyLock"))
    ):
        return []
    value = item.value.text
    bare = re.fullmatch(r"((?:\w+::)+\w+)\(\)", value)  # `Instant::now()`: the fn itself, no closure
    init = bare.group(1) if bare else f"|| {value}"
    edits = [
        Edit(
            file=file,
            start=item.type.start,
            end=item.type.end,
            replacement=f"std::sync::LazyLock<{item.type.text}>",
        ),
        Edit(
            file=file,
            start=item.value.start,
            end=item.value.end,
            replacement=f"std::sync::LazyLock::new({init})",
        ),
    ]
    why = f"compute `{item.name}` once, on first use, with `LazyLock`"
    return [_make(edits, why, "op:lazy-static", d.code_str or "E0015", 0.62)]


def constructor_call(d: Diagnostic, read: Reader, files: tuple[str, ...]) -> list[Candidate]:
    """E0451: a struct literal outside the type's module cannot name its private fields; the type's
    own constructor can, and takes the same values (matched by parameter name)."""
    span = _primary(d)
    source = read(span.file_name) if span is not None else None
    if span is None or source is None:
        return []
    lit = syn.struct_literal_at(source, span.byte_start, span.byte_end)
    if lit is None or lit.has_base:
        return []
    name = lit.path.split("<")[0].split("::")[-1]
    values = dict(lit.fields)
    out: list[Candidate] = []
    for f in files:
        body = read(f)
        for ctor in syn.constructors(body, name) if body and name.encode() in body else ():
            if not ctor.public or not set(ctor.params) <= set(values) or (values and not ctor.params):
                continue
            fixed = dict(ctor.fixed)
            if any(fixed.get(f) != " ".join(v.split()) for f, v in values.items() if f not in ctor.params):
                continue  # a field it does not take must already hold what it sets there
            types = ctor.types if len(ctor.types) == len(ctor.params) else ("",) * len(ctor.params)
            args = ", ".join(_as_param(values[p], t) for p, t in zip(ctor.params, types, strict=True))
            call = f"{lit.path}::{ctor.name}({args})"
            edit = Edit(file=span.file_name, start=lit.range.start, end=lit.range.end, replacement=call)
            why = f"build it with `{name}::{ctor.name}`, which can set the private fields" + _ctor_warning(
                ctor, values
            )
            out.append(_make([edit], why, "op:constructor", d.code_str or "E0451", 0.72))
    return out or _new_constructor(d, span, lit, values, name, read, files)


def _as_param(value: str, ty: str) -> str:
    """The literal's field value as the constructor's parameter takes it: a string literal made
    owned for a `String` field (`"x".to_string()`, `String::from("x")`) is the literal itself where
    the parameter is a `&str`; any other value is passed as written, and the sandbox judges it."""
    m = _LITERAL_STRING.match(value.strip())
    if m is not None and ty.replace(" ", "") in ("&str", "&'staticstr"):
        return m.group("a") or m.group("b")
    return value


def _ctor_warning(ctor: syn.Constructor, values: dict[str, str]) -> str:
    """What the call does that the literal did not, read off the constructor's body: the fields it
    sets itself (to the literal's value, or it is not offered), the inputs it transforms, the asserts
    it runs. The general mistake this prevents is calling a constructor "the same value, built the
    allowed way": `new` may upper-case a name or panic on an empty one."""
    said = []
    dropped = [f for f in values if f not in ctor.params]
    if dropped:
        them = ", ".join(f"`{f}` to `{values[f]}`" for f in dropped)
        said.append(f"`{ctor.name}` sets {them} itself, as the literal did")
    if ctor.transforms:
        said.append(
            f"it transforms its inputs (`{ctor.transforms[0]}`), so the fields may differ from the literal's"
        )
    if ctor.checks:
        said.append(f"it asserts on them (`{ctor.checks[0][:60]}`) and panics where that fails")
    return "; " + "; ".join(said) if said else ""


def _new_constructor(
    d: Diagnostic,
    span: Span,
    lit: syn.Literal,
    values: dict[str, str],
    name: str,
    read: Reader,
    files: tuple[str, ...],
) -> list[Candidate]:
    """No constructor takes these fields: add `pub fn new` with one parameter per field (the types
    from the struct), inside the type's module where private fields are visible, and call it."""
    for f in files:
        body = read(f)
        sd = syn.struct_def(body, name) if body and name.encode() in body else None
        if sd is None or set(values) != {n for n, _ in sd.fields}:
            continue
        pad = sd.indent + "    "
        params = ", ".join(f"{n}: {t}" for n, t in sd.fields)
        inits = ", ".join(n for n, _ in sd.fields)
        fn = f"{pad}pub fn new({params}) -> Self {{\n{pad}    {name} {{ {inits} }}\n{pad}}}\n"
        if sd.impl_open is not None:
            add = Edit(file=f, start=sd.impl_open, end=sd.impl_open, replacement=f"\n{fn}")
        else:
            add = Edit(
                file=f,
                start=sd.end,
                end=sd.end,
                replacement=f"\n\n{sd.indent}impl {name} {{\n{fn}{sd.indent}}}",
            )
        call = f"{lit.path}::new({', '.join(values[n] for n, _ in sd.fields)})"
        use = Edit(file=span.file_name, start=lit.range.start, end=lit.range.end, replacement=call)
        why = f"give `{name}` a `pub fn new` that sets every field, and call it"
        return [_make([add, use], why, "op:constructor", d.code_str or "E0451", 0.6)]
    return []


_BORROWED = {"String": "&str", "PathBuf": "&Path", "OsString": "&OsStr"}


def borrowed_param(d: Diagnostic, read: Reader, files: tuple[str, ...]) -> list[Candidate]:
    """E0382: a fn that takes a value by value, called in a loop, moved it on the first pass. When
    the fn only reads it, the parameter borrows and each caller lends: `&str` for `String`, `&[T]`
    for `Vec<T>`, `&T` otherwise, and `&x` (not `x.clone()`) at every call in the crate."""
    param_span = next(
        (
            s
            for c in d.children
            if "parameter type in" in c.message and "to borrow instead" in c.message
            for s in c.spans
            if (s.label or "").startswith("this parameter takes ownership")
        ),
        None,
    )
    source = read(param_span.file_name) if param_span is not None else None
    if param_span is None or source is None:
        return []
    p = syn.param_at(source, param_span.byte_start, param_span.byte_end)
    if p is None or p.type.text.startswith(("&", "impl ", "dyn ")):
        return []
    from engine.syntax.param_uses import moves_param

    if moves_param(source, param_span.byte_start, param_span.byte_end) is not False:
        return []  # the body stores, passes or returns it: a borrow would need a copy inside
    ty = p.type.text
    vec = re.fullmatch(r"Vec<(.+)>", ty)
    new = _BORROWED.get(ty) or (f"&[{vec.group(1)}]" if vec else f"&{ty}")
    edits = [Edit(file=param_span.file_name, start=p.type.start, end=p.type.end, replacement=new)]
    for f in files:
        body = read(f)
        if not body or p.fn_name.encode() not in body:
            continue
        for arg in syn.call_arguments(body, p.fn_name, p.index, method=p.has_self, owner=p.owner):
            text = arg.text
            if text.endswith(".clone()") and re.fullmatch(r"[\w.]+\.clone\(\)", text):
                edits.append(
                    Edit(file=f, start=arg.start, end=arg.end, replacement="&" + text[: -len(".clone()")])
                )
            elif not text.startswith("&"):
                edits.append(Edit(file=f, start=arg.start, end=arg.start, replacement="&"))
    if len(edits) < 2:
        return []
    why = f"let `{p.fn_name}` borrow it (`{new}`) and pass `&` at its {len(edits) - 1} call(s): it only reads it"
    # In a loop, rustc's `.clone()` copies an owned buffer on every pass, for a fn that only reads it
    # (rustc's own note says so): the borrow goes first there; elsewhere it follows the clone.
    in_loop = any("in previous iteration of loop" in (s.label or "") for s in d.spans)
    owns = ty in _BORROWED or vec is not None or ty.startswith(("Box<", "HashMap<", "BTreeMap<", "HashSet<"))
    return [_make(edits, why, "op:borrow-param", d.code_str or "E0382", 0.92 if in_loop and owns else 0.68)]


def option_return(d: Diagnostic, read: Reader) -> list[Candidate]:
    """A tail `Option<T>` where the fn promises `T`: the fn may have nothing to return, so say so in
    its type (`-> Option<T>`), rather than panicking inside it. Offered above `.unwrap()` only when
    no call in the file needs the bare value (the sandbox judges the rest)."""
    f = facts_of(d)
    hit = site_at(f.primary, read) if f.expected and f.found else None
    expected, found = _short(f.expected or ""), _short(f.found or "")
    if hit is None or found != f"Option<{expected}>":
        return []
    site, source = hit
    fn = site.shape.enclosing_fn
    if fn is None or fn.return_range is None or fn.return_range.text != expected:
        return []
    if not site.expression or source[site.place.end : fn.range.end].strip() != b"}":
        return []  # the fn's own tail, not a nested block's
    edit = Edit(file=site.place.file, start=fn.return_range.start, end=fn.return_range.end, replacement=found)
    callers = len(re.findall(rb"\b" + re.escape(fn.name.encode()) + rb"\s*\(", source)) - 1 if fn.name else 1
    score = 0.42 if callers == 0 else 0.28
    return [
        _make(
            [edit],
            f"return `{found}`: say in the type that there may be nothing",
            "op:option-return",
            f.code or "E0308",
            score,
        )
    ]


def design_candidates(d: Diagnostic, read: Reader, files: tuple[str, ...]) -> list[Candidate]:
    code = d.code_str or ""
    out: list[Candidate] = []
    if code in ("E0277", "E0271"):
        out += error_conversion(d, read, files)
    if code == "E0277":
        out += (
            collect_items(d, read)
            + collect_fallible(d, read)
            + closure_collects_result(d, read)
            + drop_conversion(d, read)
            + borrowed_view_items(d, read)
            + own_collected_items(d, read)
            + numeric.operand_cast(d, read)
            + numeric.float_division(d, read)
            + send_error_result(d, read)
            + numeric.widen_items(d, read)
        )
    if code == "E0716":
        from engine.repair.guard_copy import copy_out_of_guard

        out += owned_before_loop(d, read) + holder_owns(d, read) + copy_out_of_guard(d, read)
    if code == "E0015":
        out += static_literal(d, read)
    if code == "E0451":
        out += constructor_call(d, read, files)
    if code in ("E0382", "E0505"):
        out += borrowed_param(d, read, files)
    if code == "E0308":
        out += option_return(d, read) + numeric.float_division(d, read)
    if code == "E0616":
        from engine.repair.field_methods import existing_accessors

        out += existing_accessors(d, read, files)  # the type's own `pub fn deposit` for `x.balance +=`
    if code == "E0624":
        from engine.repair.field_methods import existing_wrappers

        out += existing_wrappers(d, read, files)  # the type's `pub` method that calls the private one
    if code == "E0106":
        from engine.repair.narrow_lifetimes import narrow_lifetimes

        out += narrow_lifetimes(d, read)  # rustc's lifetime on the borrowed inputs only
    return out
