"""Facts and template values read from the diagnostic's own words: names, types, expected/found.

Pure string work over Diagnostic Structs. The compiler's words are kept exactly; only long std paths
are shortened (`std::vec::Vec<std::string::String>` -> `Vec<String>`) where Rusta speaks herself.
"""

from __future__ import annotations

import re

from engine.explain.owned_return import owned_return
from engine.explain.types import Location
from toolbelt.diagnostics import texts
from toolbelt.types import Diagnostic

_STD_PATH = re.compile(r"\b(?:std|core|alloc)::(?:[a-z_][a-z0-9_]*::)+")
_PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")

FALLBACK: dict[str, str] = {
    "name": "the value",
    "typed": "the value",
    "type": "its type",
    "expected": "the expected type",
    "found": "the found type",
    "trait": "the trait",
    "param_bound": "the bound",
    "method": "the method",
    "lint": "the lint",
    "label": "rustc's label",
    "root_label": "the root cause",
    "operand": "the value",
    # clippy's "writing `&Vec` instead of `&[_]`": the type the code wrote and the one the lint prefers
    "written": "the owning reference",
    "better": "the borrowed form",
    # what a clone costs, from the type (options.clone_cost): a cost claim no type fact backs is dropped
    "clone_cost": "Costs an allocation and a copy of the data each time",
    # when a local is dropped, from the block that declares it (engine/syntax/scopes.py)
    "dies": "at the end of the block that declares it",
    # a lock or cell guard a returned borrow goes through (engine/syntax/guards.py)
    "guard": "the guard",
    "place": "the guarded value",
    # the owned form of the returned reference type (owned_return.py)
    "owned_return": "an owned value instead of the reference",
}


def short_type(text: str) -> str:
    """Drop std module paths so `std::vec::Vec<std::string::String>` reads `Vec<String>`."""
    return _STD_PATH.sub("", text)


def _first(patterns: tuple[str, ...], texts: list[str]) -> str | None:
    for p in patterns:
        rx = re.compile(p)
        for t in texts:
            m = rx.search(t)
            if m:
                return m.group(1).strip("`")
    return None


def root_code(diag: Diagnostic, root: Location, longest: int = 40) -> str:
    """The code rustc highlights where the root cause starts (`&self` for a receiver that should
    be `&mut self`), from the span of the diagnostic or of a child that starts there: a bare line
    number says where, not what. "" when no span starts there or its code is long or spans lines."""
    spans = [*diag.spans, *(s for c in diag.children for s in c.spans)]
    for s in spans:
        if (s.file_name, s.line_start) != (root.file, root.line) or s.line_start != s.line_end or not s.text:
            continue
        if not s.column_start <= root.column <= max(s.column_end, s.column_start + 1):
            continue
        t = s.text[0]
        code = t.text[t.highlight_start - 1 : t.highlight_end - 1].strip()
        if not code:  # an insertion point (rustc's `mut ` before `self`): the word it stands before
            m = re.match(r"(&?)(\w+)", t.text[max(t.highlight_start - 2, 0) :].lstrip(" ("))
            code = (m.group(1) + m.group(2)) if m else ""
        if code and len(code) <= longest and "`" not in code:
            return code
    return ""


def values(diag: Diagnostic, primary: Location, root: Location) -> dict[str, str]:
    """Every placeholder the diagnostic provides (see kb/FORMAT.md); missing ones are left out."""
    said = list(texts(diag))
    out: dict[str, str] = {"code": diag.code_str or "", "message": diag.message}
    name = _first((r"`([^`]+)`",), [diag.message]) or _first(
        (r"consider giving `([^`]+)` (?:an explicit type|a type)",), said
    )
    if name:
        out["name"] = name
        # the binding a place path starts from (`self` for `self.lines`, `p` for `(*p).x`): the
        # parameter whose `&` decides, not the field, which no signature declares
        start = re.match(r"[(*&\s]*([A-Za-z_]\w*)\b(?=[.\[)]|$)", name)
        if start is not None and start.group(1) != name:
            out["place_root"] = start.group(1)
    typ = _first(
        (
            r"(?<!this expression )has type `([^`]+)`",  # a method-chain note's start is not the failing type
            r"for (?:struct|enum|union|type|reference|trait object|type parameter|opaque type|associated type|tuple|array|slice|raw pointer|fn item|closure|unit type|mutable reference) `([^`]+)`",
            r"^`([^`]+)` doesn't implement",
            r"the trait bound `([^`]+?): [^`]+`",  # `std::string::String: Foo`: the type is up to ": "
            r"is not implemented for `([^`]+)`",
            r"might be missing for `([^`]+)`",
            r"cannot be applied to type `([^`]+)`",
            r"^cannot apply unary operator `[^`]+` to type `([^`]+)`",
            r"^cannot index into a value of type `([^`]+)`",
            r"^no field `[^`]+` on type `([^`]+)`",
            r"^non-primitive cast: `([^`]+)` as",
            r"^cannot (?:add|subtract|multiply|divide|calculate the remainder of) `[^`]+` (?:to|from|by) `([^`]+)`",
        ),
        said,
    )
    if typ:
        out["type"] = short_type(typ)
        # the place the type belongs to: in a partial move rustc's message names `user` and its note
        # "`user.name` has type `String`"; saying `user` has type `String` would name one place
        # with another's type
        place = _first((r"`([^`]+)` has type `" + re.escape(typ) + "`",), said)
        if place or name:
            out["typed"] = place or name or ""
    exp = _first((r"expected `([^`]+)`", r"expected (\w[\w ]*?), found", r"expected type `([^`]+)`"), said)
    found = _first((r"found `([^`]+)`", r", found ([\w&][^,`]*)$", r"found type `([^`]+)`"), said)
    if exp:
        out["expected"] = short_type(exp)
    if found:
        out["found"] = short_type(found)
    trait = _first(
        (
            r"the trait `([^`]+)` is not implemented",
            r"doesn't implement `([^`]+)`",
            r"the trait bound `[^`]+?: ([^`]+)`",
            r"the trait `([^`]+)`",
        ),
        said,
    )
    if trait:
        out["trait"] = short_type(trait)
    # the bound the type parameter lacks: rustc's restricting help writes it; the headline's trait
    # may belong to a container of the parameter (`Vec<T>: FromIterator<&T>` for a missing `T: Clone`)
    from engine.facts.parse import restricted_bound

    bound = next(
        (
            b
            for c in diag.children
            if re.match(r"consider (?:further )?restricting type parameter", c.message)
            for sp in c.spans
            if (b := restricted_bound(sp.suggested_replacement or ""))
        ),
        None,
    )
    if bound or trait:
        out["param_bound"] = short_type(bound) if bound else out["trait"]
    method = _first(
        (
            r"no method named `([^`]+)`",
            r"no function or associated item named `([^`]+)`",
            r"the method `([^`]+)` exists for",
        ),
        [diag.message],
    )
    if method:
        out["method"] = method
    if (diag.code_str or "").startswith("clippy::"):
        out["lint"] = (diag.code_str or "").removeprefix("clippy::")
        if m := re.search(r"writing `([^`]+)` instead of `([^`]+)`", diag.message):
            out["written"], out["better"] = _written_better(diag, m.group(1), m.group(2))
    if primary.label:
        out["label"] = primary.label
    if root.label:
        out["root_label"] = root.label
    out["primary"] = f"{primary.file}:{primary.line}"
    out["root_cause"] = f"{root.file}:{root.line}"
    if code := root_code(diag, root):
        out["root_code"] = code
    out["line"] = str(primary.line)
    out["root_line"] = str(root.line)
    if path := import_path(diag):
        out["import_path"] = path
    if owned := owned_return(diag):
        out["owned_return"] = owned
    # the place whose borrow a return keeps alive, as rustc's label names it ("returning this value
    # requires that `self.map` is borrowed for `'1`"), which may be narrower than the message's
    returned = _first((r"returning this value requires that `([^`]+)` is borrowed",), said)
    if returned or name:
        out["returned_place"] = returned or name or ""
    out.update(_error_conversion(said, out.get("found")))
    return out


_FROM_MISSING = re.compile(r"the trait `From<(.+)>` is not implemented for `([^`]+)`")
_ERR_BINDING = re.compile(r"`<.+ as \w+>::Err == ([^`]+)`")


def _error_conversion(said: list[str], found: str | None) -> dict[str, str]:
    """`{error_from}`/`{error_to}`: the error type `?` cannot convert and the one the fn returns, from
    E0277's "the trait `From<E>` is not implemented for `T`" or E0271's "`<u16 as FromStr>::Err == T`"
    with its "found `E`" label (the conversion rustc reports while inferring a `parse`)."""
    for t in said:
        if m := _FROM_MISSING.search(t):
            return {"error_from": short_type(m.group(1)), "error_to": short_type(m.group(2))}
    for t in said:
        if (m := _ERR_BINDING.search(t)) and found:
            return {"error_from": found, "error_to": short_type(m.group(1))}
    return {}


_USE = re.compile(r"\s*use\s+((?:\w+::)*\w+);\s*")


def _written_better(diag: Diagnostic, written: str, better: str) -> tuple[str, str]:
    """The parameter's type as the program writes it (`&mut Vec<f64>`) and as the lint's suggestion
    writes it (`&mut [f64]`), from the primary span and the child's replacement at that span; rustc's
    message's `&Vec`/`&[_]` when it sent no such span (a Why about `&str` for a `&Vec<T>` is false)."""
    prim = diag.primary
    if prim is None or not prim.text:
        return written, better
    t = prim.text[0]
    typed = (
        t.text[t.highlight_start - 1 : t.highlight_end - 1].strip()
        if prim.line_start == prim.line_end
        else ""
    )
    fix = next(
        (
            s.suggested_replacement
            for c in diag.children
            for s in c.spans
            if s.suggested_replacement and (s.byte_start, s.byte_end) == (prim.byte_start, prim.byte_end)
        ),
        None,
    )
    return (typed or written), (fix or better)


def import_path(diag: Diagnostic) -> str:
    """The one path rustc's import suggestions name (`std::fmt` in `use std::fmt;`), or "" when
    there is none or several: a path Rusta shows is rustc's, never one made from a template."""
    paths = {
        m.group(1)
        for c in diag.children
        for s in c.spans
        if s.suggested_replacement is not None and (m := _USE.fullmatch(s.suggested_replacement))
    }
    return paths.pop() if len(paths) == 1 else ""


def fill(template: str, vals: dict[str, str]) -> str:
    """Replace known `{placeholders}`; any other brace text (Rust code) stays literal."""

    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        if key in vals:
            return vals[key]
        if key in FALLBACK:
            return FALLBACK[key]
        return m.group(0)

    return _PLACEHOLDER_RE.sub(sub, template).strip()


_FACT_PATTERNS = (
    re.compile(r"(move occurs because `[^`]+` has type `[^`]+`, which does not implement the `Copy` trait)"),
    re.compile(r"(expected `[^`]+`, found `[^`]+`)"),
    re.compile(r"(expected `[^`]+`, found .+)$"),
    re.compile(r"(the trait `[^`]+` is not implemented for `[^`]+`)"),
    re.compile(r"(`[^`]+` has type `[^`]+`)"),
    re.compile(r"(this is found to be of type `[^`]+`)"),
)

_NOISE = (
    "on by default",
    "`#[warn(",
    "`#[deny(",
    "`-D ",
    "to override `",
    "the full name for the type has been written to",  # a scratch path of Rusta's, not a fact
    "consider using `--verbose` to print",
)
_POINTER = re.compile(r"\s*(?:for (?:more|further) information,? (?:see|visit)\b.*)$", re.S | re.I)


def clean_note(message: str) -> str | None:
    """A child note in one line, without its reading pointer ("for more information, see chapter 8
    ..."), or None when nothing but noise is left (lint levels, Rusta's own scratch paths)."""
    if any(n in message for n in _NOISE):
        return None
    text = " ".join(_POINTER.sub("", message).split())
    return text or None


def facts(diag: Diagnostic) -> tuple[str, ...]:
    """Statements the compiler already made, kept in its words: types, moves, unmet bounds, notes."""
    out: list[str] = []
    for t in texts(diag):
        for rx in _FACT_PATTERNS:
            m = rx.search(t)
            if m:
                out.append(short_type(m.group(1)))
                break
    for c in diag.children:
        if c.level == "note" and not c.spans and (note := clean_note(c.message)):
            out.append(note)
    return tuple(dict.fromkeys(out))  # each once, in order


def lint_url(diag: Diagnostic) -> str | None:
    """The clippy lint's documentation address from its "for further information visit" help."""
    for c in diag.children:
        m = re.search(r"for further information visit (\S+)", c.message)
        if m:
            return m.group(1)
    return None
