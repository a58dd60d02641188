"""rustc's suggestions with typed holes (`parse_times(args.get(3), /* usize */)`), filled. Pure.

rustc leaves `/* usize */` where an argument is missing (E0061) and such a suggestion cannot compile
as written. Each hole that names a type gets that type's plain value (`0`, `0.0`, `false`,
`String::new()`, `None`; `fields.plain_value`); a hole that names no type (`/* value */`) leaves the
suggestion out. The value is a guess at the user's intent: the option carries the flag that the
user chooses it (`engine.explain.meaning.chosen_value`), and cargo says whether it compiles.

A plain value can compile and still panic: `c.is_digit(0)` (a radix below 2). When the missing
argument belongs to a std fn whose source the docs ship (`toolbelt.std_source`), its parameter's
name and its `# Panics` section decide: a radix gets 10, a parameter the docs forbid to be zero gets
1, and any other panic the docs state is said with the option instead of being hidden.

rustc's `'lifetime` hole (E0106's "consider using one of the available lifetimes here") is filled with
each named lifetime its note says is available (`these named lifetimes are available to use`, the
note's spans on the declaration): a reference field or return type whose lifetime was dropped gets
the lifetime it needs among those in scope, and cargo says which one compiles.

A `/* Type */` hole stands where a type goes (`let total: /* Type */ = ….sum();`), so no value can
fill it: the type comes from rustc's own note, `cannot satisfy `_: Sum<u32>`` (the sum of `u32`s,
or of `&u32`s, is a `u32`; what collects `T`s is at least a `Vec<T>`), or the suggestion is left out.
"""

from __future__ import annotations

import re

from engine.edits import Edit, suggestions
from engine.repair.fields import plain_value
from engine.repair.template_kit import _make
from engine.repair.types import Candidate
from toolbelt.std_source import StdItem
from toolbelt.types import Diagnostic

FAMILY = "fill-placeholder"
TYPE_FAMILY = "annotate-from-note"  # a type rustc's note states: no value of Rusta's choosing
_HOLE = re.compile(r"/\*\s*(?P<ty>[^*]+?)\s*\*/")
# what a hole names when it names a type: a primitive, or a path with a capital (`Option<&str>`)
_MISSING = re.compile(r"argument #(?P<n>\d+) of type")
_INTEGER = re.compile(r"[iu](?:8|16|32|64|128|size)")
_TYPE = re.compile(r"(?:[iu](?:8|16|32|64|128|size)|f32|f64|bool|char|&?(?:\w+::)*[A-Z]\w*(?:<.+>)?)")


_UNSATISFIED = re.compile(
    r"cannot satisfy `_: (?:[\w:]+::)?(?P<trait>Sum|Product|FromIterator)<(?P<lt>&(?:'\w+ )?)?(?P<item>[\w:<>, &]+)>`"
)


def type_hint(diag: Diagnostic) -> str | None:
    """The type a `/* Type */` hole needs, from rustc's "cannot satisfy `_: Sum<u32>`" note; None if unsaid."""
    for child in diag.children:
        m = _UNSATISFIED.search(child.message)
        if m is None:
            continue
        item = m["item"]
        if m["trait"] != "FromIterator":
            return item  # `Sum<&u32>` and `Sum<u32>` both give a `u32`
        return f"Vec<&{item}>" if m["lt"] else f"Vec<{item}>"
    return None


def missing_params(diag: Diagnostic, callee: StdItem | None) -> list[str]:
    """The names of the missing arguments in rustc's order ("argument #2 of type …"), when known."""
    if callee is None:
        return []
    labels = (s.label or "" for s in diag.spans)
    numbers = [int(m["n"]) for label in labels for m in _MISSING.finditer(label)]
    return [callee.params[n - 1] if 0 < n <= len(callee.params) else "" for n in sorted(numbers)]


def safe_value(ty: str, param: str, panics: str) -> str | None:
    """A value the callee's own docs allow where the plain one would panic, or None. Pure."""
    if not _INTEGER.fullmatch(ty) or not param:
        return None
    if param == "radix":
        return "10"  # every radix in 2..=36 is valid; 10 is the one a reader expects
    said = panics.lower()
    if param in said and ("zero" in said or " 0" in said):
        return "1"
    return None


def _fill(
    text: str,
    values: list[str],
    names: list[str],
    panics: str = "",
    guarded: list[str] | None = None,
    hint: str | None = None,
) -> str | None:
    """`text` with every hole filled; `values` collects what was written, `guarded` the parameters
    that got a value their docs allow instead of the plain one."""

    def one(m: re.Match[str]) -> str:
        ty = m["ty"]
        if ty == "Type":  # a type goes here, never a value
            if hint is None:
                raise ValueError(ty)
            values.append(hint)
            return hint
        if not _TYPE.fullmatch(ty):
            raise ValueError(ty)
        param = names[len(values)] if len(values) < len(names) else ""
        safe = safe_value(ty, param, panics)
        if safe is not None and guarded is not None:
            guarded.append(param)
        v = safe or plain_value(ty.lstrip("&"))
        if ty.startswith("&"):
            v = '""' if ty == "&str" else f"&{v}"
        values.append(v)
        return v

    try:
        return _HOLE.sub(one, text)
    except ValueError:
        return None


def filled_placeholders(diag: Diagnostic, callee: StdItem | None = None) -> list[Candidate]:
    """`callee`: the std fn whose argument is missing (`toolbelt.std_source.std_callee`), if known."""
    code = diag.code_str or diag.message
    names = missing_params(diag, callee)
    panics = callee.panics if callee is not None else ""
    hint = type_hint(diag)
    out = []
    for s in suggestions(diag):
        if not s.has_placeholder:
            continue
        values: list[str] = []
        guarded: list[str] = []
        edits = []
        for e in s.edits:
            text = _fill(e.replacement, values, names, panics, guarded, hint)
            if text is None:
                break
            edits.append(Edit(file=e.file, start=e.start, end=e.end, replacement=text))
        else:
            if not values:
                continue
            if hint is not None and values == [hint] * len(values):
                t = tuple(edits)
                why = f"with `{hint}`, the type rustc's note says the items make"
                out.append(
                    _make(list(t), f"{s.message[:1].lower()}{s.message[1:]}, {why}", TYPE_FAMILY, code, 0.6)
                )
                continue
            shown = ", ".join(f"`{v}`" for v in values)
            if callee is not None and panics and not guarded:  # a panic the docs state, not ruled out
                shown += f" (`{callee.name}`'s docs: {panics})"
            t = tuple(edits)
            out.append(
                _make(
                    list(t),
                    f"{s.message[:1].lower()}{s.message[1:]}, with {shown} for now",
                    FAMILY,
                    code,
                    0.6,
                )
            )
    return out


LIFETIME_FAMILY = "fill-lifetime"
_LIFETIME_HOLE = "'lifetime"
_AVAILABLE = re.compile(r"^th(?:is|ese) named lifetimes? (?:is|are) available")


def available_lifetimes(diag: Diagnostic) -> list[str]:
    """The named lifetimes rustc's note says are in scope, in the note's order (`'a`, `'text`)."""
    out: list[str] = []
    for c in diag.children:
        if not _AVAILABLE.match(c.message):
            continue
        for sp in c.spans:
            line = sp.text[0] if sp.text else None
            name = line.text[line.highlight_start - 1 : line.highlight_end - 1] if line else ""
            if re.fullmatch(r"'\w+", name) and name not in out and name != "'_":
                out.append(name)
    return out


def filled_lifetimes(diag: Diagnostic) -> list[Candidate]:
    """One candidate per available named lifetime for each suggestion that writes rustc's `'lifetime`."""
    names = available_lifetimes(diag)
    code = diag.code_str or diag.message
    out = []
    for s in suggestions(diag):
        if not names or not any(_LIFETIME_HOLE in e.replacement for e in s.edits):
            continue
        for name in names:
            edits = [
                Edit(
                    file=e.file,
                    start=e.start,
                    end=e.end,
                    replacement=e.replacement.replace(_LIFETIME_HOLE, name),
                )
                for e in s.edits
            ]
            why = f"{s.message[:1].lower()}{s.message[1:]}, with `{name}` (rustc's note: it is in scope)"
            out.append(_make(edits, why, LIFETIME_FAMILY, code, 0.6))
    return out
