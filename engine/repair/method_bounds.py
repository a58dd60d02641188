"""rustc's bound for an impl block's type parameter, written on the one method that needs it.

The general mistake: a method of `impl<T> Shelf<T>` uses `T` in a way only some types allow
(`a > b`, `format!("{t}")`, `t.len()`), and rustc's help ("consider restricting type parameter `T`
with trait `PartialOrd`") inserts the bound into `impl<T>`. That makes it a condition of every
method in the block: `Shelf<Rope>` loses `new` and `push` for one method's comparison, which for a
`pub` type is a change of its public API. The candidate here takes the trait from rustc's own
suggestion (its span inside the impl's generic list) and puts it in the `where` clause of the
method holding the error, merged with the predicate on `T` already there. Operator bounds that give
`T` back (`Add<Output = T>`) are `engine.repair.op_bounds`'s. Pure; the sandbox checks it.

A second mistake, the same edit: a generic function calls a method whose impl asks a bound
(`impl<T: Display> Summary<T>`) that the function's own `T` does not promise (E0599, rustc's note
"trait bound `T: std::fmt::Display` was not satisfied", with no suggestion of its own). The caller
picks `T`, so the bound goes in that function's `where` clause (`unmet_param_bound`). Where rustc
lists the unmet bound as required by another (`T: Display` required by `T: ToString`, a blanket
impl), the bound written is the one required, not the trait rustc's help names.
"""

from __future__ import annotations

import functools
import re

from engine.repair.op_bounds import _Fn, _is_op, _method_where
from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

_BOUND = re.compile(
    r"\s*[:+]\s*(?P<b>[A-Za-z_][\w:]*(?:<[^<>]*>)?(?:\s*\+\s*[A-Za-z_][\w:]*(?:<[^<>]*>)?)*)\s*"
)


def method_bound(d: Diagnostic, read: Reader) -> list[Candidate]:
    """rustc's impl-wide bound suggestion, moved into the erring method's `where` clause."""
    got = _primary_source(d, read, ("E0277", "E0369", "E0599"))
    if got is None:
        return []
    file, data, text, at = got
    out: list[Candidate] = []
    for child in d.children:
        for sp in child.spans:
            m = _BOUND.fullmatch(sp.suggested_replacement or "")
            if m is None or sp.file_name != file or sp.byte_start != sp.byte_end:
                continue
            pos = len(data[: sp.byte_start].decode("utf-8", "replace"))
            name = re.search(r"(\w+)\s*(?::[^,<>]*)?$", text[:pos])  # the parameter the bound follows
            if name is None:
                continue
            t = name.group(1)
            f = _Fn(text, at, t)
            bounds = [b.strip() for b in m["b"].split("+")]
            if not f.ok or f.sig is f.ret or not f.generics[0] <= pos <= f.generics[1] + 1:
                continue  # rustc already points at the function, or not at this impl's list
            if any(_is_op(b) for b in bounds):
                continue
            edit = _where_edit(file, text, f, t, bounds)
            if edit is None:
                continue
            said = " + ".join(bounds)
            out.append(
                _make(
                    [edit], f"bound `{t}: {said}` on `{f.name}` only", "method-bound", d.code_str or "", 0.9
                )
            )
    return out


def _primary_source(
    d: Diagnostic, read: Reader, codes: tuple[str, ...]
) -> tuple[str, bytes, str, int] | None:
    """The file of the primary span, its bytes and text, and the span's start in characters: both
    candidates here find the erring function (`_Fn`) from there, in character offsets."""
    prim = d.primary
    if d.code_str not in codes or prim is None:
        return None
    data = read(prim.file_name)
    if data is None:
        return None
    text = data.decode("utf-8", "replace")
    return prim.file_name, data, text, len(data[: prim.byte_start].decode("utf-8", "replace"))


def _where_edit(file: str, text: str, f: _Fn, t: str, bounds: list[str]) -> Edit | None:
    """The edit that writes `bounds` for `t` into `f`'s `where` clause, merged with what is there;
    None when there is nothing to write. `_method_where` answers in characters, an Edit in bytes."""
    got = _method_where(text, f, t, functools.partial(_merged, bounds))
    if got is None or not got[2]:
        return None
    start, end = len(text[: got[0]].encode()), len(text[: got[1]].encode())
    return Edit(file=file, start=start, end=end, replacement=got[2])


def _merged(bounds: list[str], had: list[str]) -> list[str]:
    return [*had, *(b for b in bounds if b not in had)]


_UNMET = re.compile(r"^trait bound `([A-Za-z_]\w*): ([^`]+)` was not satisfied$")


def unmet_param_bound(d: Diagnostic, read: Reader) -> list[Candidate]:
    """The bound rustc's E0599 note says a type parameter lacks, in the calling function's `where`
    clause, merged with the predicate on it already there."""
    got = _primary_source(d, read, ("E0599",))
    if got is None:
        return []
    file, _, text, at = got
    out: list[Candidate] = []
    for child in d.children:
        m = _UNMET.match(child.message)
        f = _Fn(text, at, m.group(1)) if m is not None else None
        if m is None or f is None or not f.ok or _is_op(m.group(2)):
            continue
        t, bound = m.group(1), m.group(2)
        edit = _where_edit(file, text, f, t, [bound])
        if edit is None:
            continue
        out.append(_make([edit], f"bound `{t}: {bound}` on `{f.name}`", "param-bound", "E0599", 0.85))
    return out


# rustc's list of unmet bounds, one a line, each maybe followed by what needs it:
# "`T: std::fmt::Display`\nwhich is required by `T: ToString`"
_LISTED = re.compile(r"^`([A-Za-z_]\w*): ([^`]+)`(?:\s*\nwhich is required by `\1: ([^`]+)`)?", re.MULTILINE)


def _required_by(d: Diagnostic) -> dict[tuple[str, str], str]:
    """{(parameter, X): Y} from rustc's list of unmet bounds where it says `T: Y` is required by
    `T: X`: X holds for `T` through an impl for every type with Y (`impl<T: Display> ToString for
    T`), so Y is the bound the code needs, and the one its readers know."""
    out: dict[tuple[str, str], str] = {}
    for child in d.children:
        if child.message.startswith("the following trait bounds were not satisfied"):
            for m in _LISTED.finditer(child.message):
                if m.group(3):
                    out.setdefault((m.group(1), m.group(3)), m.group(2))
    return out


_ADDED_BOUND = re.compile(r"^(\s*[:+]\s*)([A-Za-z_][\w:]*)(\s*)$")
_AFTER_PARAM = re.compile(r"([A-Za-z_]\w*)\s*(?::[^,<>()]*)?$")


def required_bound_rewrites(
    d: Diagnostic, found: list[Candidate], read: Reader
) -> list[tuple[Candidate, Candidate]]:
    """(rustc's suggestion, Rusta's rewrite) for each rustc help that bounds a type parameter with a
    trait X that rustc's own note says holds through another trait Y: the same edit, writing Y.
    The general mistake: a method that comes from a blanket impl (`to_string` from `ToString`,
    implemented for every `Display` type) called on a `T` without the trait the impl asks; rustc's
    help names the method's trait (`T: ToString`), the idiomatic bound is the impl's (`T: Display`).
    rustc's edit stays as it was written, checked only to say whether it compiles."""
    wanted = _required_by(d) if d.code_str == "E0599" else {}
    out: list[tuple[Candidate, Candidate]] = []
    for c in found:
        if not wanted or c.source != "rustc" or len(c.edits) != 1:
            continue
        e = c.edits[0]
        m = _ADDED_BOUND.match(e.replacement)
        data = read(e.file) if m is not None and e.start == e.end else None
        head = data[: e.start].decode("utf-8", "replace") if data is not None else ""
        param = _AFTER_PARAM.search(head)
        if m is None or param is None:
            continue
        t, written = param.group(1), m.group(2)
        y = next(
            (y for (p, x), y in wanted.items() if p == t and (x == written or written.endswith("::" + x))),
            None,
        )
        if y is None:
            continue
        x = written.rsplit("::", 1)[-1]
        edit = Edit(file=e.file, start=e.start, end=e.end, replacement=f"{m.group(1)}{y}{m.group(3)}")
        desc = (
            f"bound `{t}: {y}`, not rustc's `{x}`: `{x}` is implemented for every type with `{y}`, "
            f"so the bound the method needs is `{y}` (rustc: `{t}: {y}` is required by `{t}: {x}`)"
        )
        out.append((c, _make([edit], desc, "param-bound", "E0599", c.score)))
    return out
