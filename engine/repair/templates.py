"""Template candidates per error family: the edits people make by hand when rustc has no suggestion.

Pure: every function takes a diagnostic and a way to read crate files, and returns candidates. The
sandbox decides which of them are right; a template only has to be plausible and cheap.
"""

from __future__ import annotations

import re

from engine.repair.rebind import discards_consumed_result
from engine.repair.sites import wraps_cast
from engine.repair.template_kit import EXPECTED_FOUND, Reader, _insert, _make, _primary, _span_text
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic, Span

_NUMERIC = {
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "f32",
    "f64",
}


def mismatched_types(d: Diagnostic, read: Reader) -> list[Candidate]:
    span = _primary(d)
    if span is None or not span.label:
        return []
    m = EXPECTED_FOUND.search(span.label)
    if not m:
        return []
    exp, found, code = m.group("exp"), m.group("found"), d.code_str or "E0308"
    text = _span_text(span, read) or ""
    out: list[Candidate] = []
    bare = found.removeprefix("&mut ").removeprefix("&")
    if found.startswith("&") and bare == exp:
        out.append(_make([_insert(span, False, "*")], "dereference the borrow", "deref", code, 0.7))
        out.append(_make([_insert(span, True, ".clone()")], "clone the borrowed value", "clone", code, 0.55))
    if exp.startswith("&") and exp.removeprefix("&mut ").removeprefix("&") == found:
        ref = "&mut " if exp.startswith("&mut ") else "&"
        out.append(_make([_insert(span, False, ref)], f"borrow it with `{ref.strip()}`", "borrow", code, 0.7))
    if exp == "String" and found in ("&str", "&String", "&&str", "str"):
        out.append(
            _make([_insert(span, True, ".to_string()")], "make an owned `String`", "to-string", code, 0.7)
        )
    # `?` on a found Result/Option is the edit grammar's (engine.repair.grammar): it proposes it only
    # where the enclosing function returns the same kind, so never `?` inside `fn main()`.
    if exp.startswith("Result<") and not found.startswith("Result<"):
        out.append(
            _make(
                [_insert(span, False, "Ok("), _insert(span, True, ")")],
                "wrap it in `Ok`",
                "wrap-ok",
                code,
                0.5,
            )
        )
    if exp.startswith("Option<") and not found.startswith("Option<"):
        out.append(
            _make(
                [_insert(span, False, "Some("), _insert(span, True, ")")],
                "wrap it in `Some`",
                "wrap-some",
                code,
                0.5,
            )
        )
    source = read(span.file_name)
    cast = source is not None and wraps_cast(source, span.byte_start, span.byte_end)
    if exp in _NUMERIC and found in _NUMERIC and not cast:  # a cast is retargeted, never wrapped
        simple = re.fullmatch(r"[\w.]+", text) is not None
        edits = (
            [_insert(span, True, f" as {exp}")]
            if simple
            else [_insert(span, False, "("), _insert(span, True, f" as {exp})")]
        )
        out.append(_make(edits, f"convert with `as {exp}`", "as-cast", code, 0.5))
    out.append(_make([_insert(span, True, ".into()")], "convert with `.into()`", "into", code, 0.3))
    return out


def _question_where_bound(file: str, head: str, name: str, code: str, score: float) -> list[Candidate]:
    """`?` at the end of the last `let name = ...;` in `head` (the file's text before the use)."""
    binds = list(re.finditer(rf"\blet\s+(?:mut\s+)?{re.escape(name)}\b[^;=]*=[^;]*?(?P<semi>;)", head, re.S))
    if not binds:
        return []
    pos = len(head[: binds[-1].start("semi")].encode())
    edit = Edit(file=file, start=pos, end=pos, replacement="?")
    return [
        _make([edit], f"propagate the error where `{name}` is bound", "question-mark-at-binding", code, score)
    ]


_WRAPPED = re.compile(r"(?:Result|Option)<.*>")


def question_at_binding(d: Diagnostic, read: Reader) -> list[Candidate]:
    """A value is a `Result`/`Option` where its users want what is inside: the `?` belongs where the
    value was bound (`let buf = reader.fill_buf()?;`), not at each use. An operator on it (E0369
    "cannot subtract `{integer}` from `Option<u8>`") labels the operand with its type."""
    span = _primary(d)
    if span is None:
        return []
    operand = [s for s in d.spans if s.label and _WRAPPED.fullmatch(s.label)]
    if operand and d.code_str == "E0369":
        span = operand[0]
    elif not re.search(
        r"(?:found|for) (?:enum )?`(?:Result|Option)<", " ".join([d.message, span.label or ""])
    ):
        return []
    data = read(span.file_name)
    if data is None:
        return []
    head = data[: span.byte_start].decode("utf-8", "replace")
    text = _span_text(span, read) or ""
    name = text if re.fullmatch(r"[a-z_]\w*", text) else None
    if name is None and (m := re.search(r"\b([a-z_]\w*)\s*\.\s*$", head)):
        name = m.group(1)
    if name is None:
        return []
    return _question_where_bound(span.file_name, head, name, d.code_str or "E0308", 0.7)


def question_on_scrutinee(d: Diagnostic, read: Reader) -> list[Candidate]:
    """`let (a, b) = parse(s);` where parse returns a Result: rustc labels the expression
    "this expression has type `Result<...>`"; the `?` goes at its end. When the expression is a
    local (`match v` after `let v = it.next();`), the `?` where it is bound is tried first: its
    other uses (`v - 48`, `v as char`) want the inner value too."""
    out: list[Candidate] = []
    code = d.code_str or "E0308"
    for s in d.spans:
        if s.label and re.match(r"this expression has type `(?:Result|Option)<", s.label):
            text = _span_text(s, read) or ""
            data = read(s.file_name)
            if data is not None and re.fullmatch(r"[a-z_]\w*", text):
                head = data[: s.byte_start].decode("utf-8", "replace")
                out += _question_where_bound(s.file_name, head, text, code, 0.72)
            edit = _insert(s, True, "?")
            out.append(
                _make(
                    [edit],
                    "propagate the error with `?` on the matched expression",
                    "question-mark",
                    code,
                    0.7,
                )
            )
    return out


def differ_in_mutability(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0308 "types differ in mutability": a `&` that should be `&mut`."""
    span = _primary(d)
    if span is None or not span.label or "differ in mutability" not in span.label:
        return []
    text = _span_text(span, read) or ""
    if text.startswith("&") and not text.startswith("&mut"):
        edit = Edit(file=span.file_name, start=span.byte_start, end=span.byte_start + 1, replacement="&mut ")
        return [_make([edit], "borrow mutably with `&mut`", "ref-mut", d.code_str or "E0308", 0.75)]
    return []


def _binding_name(d: Diagnostic) -> str | None:
    m = re.search(r"(?:variable|borrow|assign to) `\*?(?P<n>[A-Za-z_]\w*)`", d.message)
    if not m:
        m = re.search(r"`\*?(?P<n>[A-Za-z_]\w*)`", d.message)
    return m.group("n") if m else None


def add_mut(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0596/E0384/E0594: make the binding mutable where it is declared (let, pattern or parameter)."""
    span, name = _primary(d), _binding_name(d)
    if span is None or name is None:
        return []
    data = read(span.file_name)
    if data is None:
        return []
    head = data[: span.byte_start].decode("utf-8", "replace")
    pats = [
        rf"\blet\s+(?P<at>){re.escape(name)}\b",
        rf"[(,]\s*(?P<at>){re.escape(name)}\s*:",
        rf"\bfor\s+(?P<at>){re.escape(name)}\b",
    ]
    best = -1
    for p in pats:
        for m in re.finditer(p, head):
            best = max(best, m.start("at"))
    if best < 0:
        return []
    pos = len(head[:best].encode())
    code = d.code_str or "E0596"
    return [
        _make(
            [Edit(file=span.file_name, start=pos, end=pos, replacement="mut ")],
            f"declare `{name}` as `mut`",
            "add-mut",
            code,
            0.75,
        )
    ]


def _names_a_place(s: Span, read: Reader) -> bool:
    """The span is a whole place expression (a variable, a field, an element), per the syntax tree."""
    from engine.repair.grammar import PLACES
    from engine.syntax.tree import shape

    data = read(s.file_name)
    if data is None or s.byte_end > len(data):
        return False
    sh = shape(data, s.byte_start, s.byte_end)
    return sh.kind in PLACES and sh.text == data[s.byte_start : s.byte_end].decode("utf-8", "replace")


def moved_value(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0382/E0505/E0507: clone at the move, or borrow instead of moving."""
    code = d.code_str or "E0382"
    out: list[Candidate] = []
    if code == "E0382" and discards_consumed_result(d, read):
        return out  # `b.m(..);` drops what `m(self)` returned: a clone or a borrow keeps no change
    for s in d.spans:
        if s.label and (
            "value moved here" in s.label
            or "move out of" in s.label
            or "move occurs" in s.label
            and s.is_primary
        ):
            if not _names_a_place(s, read):
                continue  # `&S { ..base }` or `}.clone()` would copy a new value, not the moved one
            out.append(
                _make([_insert(s, True, ".clone()")], "clone the value where it is moved", "clone", code, 0.6)
            )
            out.append(
                _make([_insert(s, False, "&")], "borrow the value instead of moving it", "borrow", code, 0.45)
            )
    return out


def receiver_by_reference(d: Diagnostic, read: Reader) -> list[Candidate]:
    """A method that "takes ownership of the receiver `self`" was meant to borrow it: `&self`.

    rustc points the note at the callee's `self` parameter; the mistake is in that signature,
    not at the call that moved the value. Each call's error votes for this one edit: with two or
    more it is tried before rustc's `.clone()` at each call (one signature edit beats a clone per
    call site), with one after it.
    """
    out: list[Candidate] = []
    for child in d.children:
        if "takes ownership of the receiver" not in child.message:
            continue
        for s in child.spans:
            if _span_text(s, read) == "self":
                edit = Edit(file=s.file_name, start=s.byte_start, end=s.byte_end, replacement="&self")
                out.append(
                    _make([edit], "borrow the receiver: `&self`", "ref-self", d.code_str or "E0507", 0.85)
                )
    return out


def owned_for_trait(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0277 on `&T` where rustc says the trait "is implemented for `T`": pass an owned value.

    A dropped `.clone()` (`entries(self.clone())` became `entries(self)`) reads this way; cloning is
    the fix that keeps the borrow intact, dereferencing the one for `Copy` types.
    """
    span = _primary(d)
    m = re.search(r"`&(?:mut )?(?P<t>[^`]+)` is not|bound `&(?:mut )?(?P<b>[^`:]+): ", d.message)
    if span is None or m is None:
        return []
    owned = m.group("t") or m.group("b")
    if not any(f"is implemented for `{owned}`" in c.message for c in d.children):
        return []
    text = _span_text(span, read) or ""
    simple = re.fullmatch(r"[\w.]+(?:\(\))?", text) is not None
    code = d.code_str or "E0277"
    clone = (
        [_insert(span, True, ".clone()")]
        if simple
        else [_insert(span, False, "("), _insert(span, True, ").clone()")]
    )
    return [
        _make(clone, "pass an owned clone", "clone", code, 0.6),
        _make([_insert(span, False, "*")], "dereference the borrow", "deref", code, 0.5),
    ]
