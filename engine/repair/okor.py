"""An `Option`/`Result` where the code wants what is inside, in a fn that itself returns a `Result` or
`Option`: propagate with `?` instead of panicking with rustc's `.expect("REASON")`. An `Option` in a
fn returning `Result` needs an error value: the one the same fn already builds for `.ok_or(..)?`
nearby, its call's arguments swapped for this call's (`get_mut(&from).ok_or(E(from))?` nearby gives
`get_mut(&to).ok_or(E(to))?` here). Pure."""

from __future__ import annotations

import re

from engine.repair.deref import _closes_at
from engine.repair.template_kit import Reader, _make, _primary
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

_FN = re.compile(r"\bfn\s+\w+[^{;]*?\)\s*->\s*(?P<ret>[^{;]+?)\s*(?:where\b[^{]*)?\{", re.S)
_WRAPPER = re.compile(r"(?:found|for) (?:enum )?`(?:(?:std|core)::\w+::)?(?P<w>Result|Option)<")
_CALL = re.compile(r"(?P<name>\w+)\s*\((?P<args>[^()]*)\)\s*$", re.S)
_IDENT = re.compile(r"\b[a-z_]\w*\b")


def _nearby_error(body: str, call: re.Match[str] | None) -> str | None:
    """The error expression of the last `.ok_or(E)?`/`.ok_or_else(|| E)?` in `body`, with the
    arguments of the call it follows replaced by this call's, position by position."""
    found: str | None = None
    for m in re.finditer(r"\.\s*ok_or(?P<else>_else)?\s*\(", body):
        end = _closes_at(body, m.end() - 1) + 1  # just past the `)`; 0 when it never closes
        if end == 0 or not body[end:].lstrip().startswith("?"):
            continue
        expr = body[m.end() : end - 1].strip()
        if m.group("else"):
            if not expr.startswith("||"):
                continue
            expr = expr[2:].strip()
        theirs = _CALL.search(body[: m.start()])
        if call and theirs and theirs.group("name") == call.group("name"):
            old, new = _IDENT.findall(theirs.group("args")), _IDENT.findall(call.group("args"))
            if len(old) == len(new):
                swap = {a: b for a, b in zip(old, new, strict=True) if a != b}

                def rename(w: re.Match[str], s: dict[str, str] = swap) -> str:
                    return s.get(w.group(0), w.group(0))

                expr = _IDENT.sub(rename, expr)
        found = expr
    return found


def propagate_wrapped(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0599 (a method called on the wrapper) or E0308 (the wrapper where its inside is expected);
    for an `Option` where its inside is expected, also the ways that decide what "no value" means
    without a nearby error to copy (`engine.repair.absent_value`)."""
    from engine.repair.absent_value import absent_value

    found = _propagated(d, read)
    return found + [c for c in absent_value(d, read) if c.id not in {f.id for f in found}]


def _propagated(d: Diagnostic, read: Reader) -> list[Candidate]:
    span = _primary(d)
    code = d.code_str or ""
    if span is None or code not in ("E0599", "E0308"):
        return []
    m = _WRAPPER.search(" ".join([d.message, span.label or ""]))
    data = read(span.file_name)
    said = " ".join([span.label or "", *(c.message for c in d.children)])  # rustc ≥1.80 says it in a note
    if m is None or data is None or (code == "E0308" and "found enum" not in said):
        return []
    text = data.decode("utf-8", "replace")
    head = data[: span.byte_start].decode("utf-8", "replace")
    fns = list(_FN.finditer(head))
    if not fns:
        return []
    ret = fns[-1].group("ret")
    if code == "E0599":  # `recv.method(..)`: the edit goes before the `.` of the method
        stripped = head.rstrip()
        if not stripped.endswith("."):
            return []
        at = len(stripped[:-1].encode())
        recv = stripped[:-1]
    else:
        at = span.byte_end
        recv = data[: span.byte_end].decode("utf-8", "replace")
    wrapper = m.group("w")
    wants = (
        "Result" if re.match(r"(?:[\w:]+::)?Result\b", ret) else "Option" if ret.startswith("Option<") else ""
    )
    if not wants:
        return []
    if wrapper == wants:
        insert = "?"
    elif wrapper == "Option" and wants == "Result":
        nxt = _FN.search(text, fns[-1].end())
        body = text[fns[-1].end() : nxt.start() if nxt else len(text)]
        err = _nearby_error(body, _CALL.search(recv))
        if err is None:
            return []
        insert = f".ok_or({err})?"
    elif wrapper == "Result" and wants == "Option":
        return [_ok_question(span.file_name, at, code)]
    else:
        return []
    edit = Edit(file=span.file_name, start=at, end=at, replacement=insert)
    return [_make([edit], f"propagate with `{insert}` as this fn already does", "question-mark", code, 0.75)]


def _ok_question(file: str, at: int, code: str, text: str = ".ok()?") -> Candidate:
    """`.ok()?` at `at` (`text` is `.ok()` where the `?` is already written): a `Result` in a fn
    returning `Option` ends it with `None` on `Err`. Its price closes the description: the error
    value is dropped, so nothing says why."""
    edit = Edit(file=file, start=at, end=at, replacement=text)
    return _make(
        [edit],
        "return `None` on `Err` with `.ok()?` (the error value is dropped: the caller sees only `None`)",
        "op:ok-question",
        code,
        0.75,
    )


_QUESTION_ON_RESULT = re.compile(r"the `\?` operator can only be used on `Option`s, not `Result`s")


def ok_before_question(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0277 "the `?` operator can only be used on `Option`s, not `Result`s, in a function that
    returns `Option`": the `Result` becomes an `Option` just before its `?` (`.ok()?`)."""
    span = _primary(d)
    data = read(span.file_name) if span is not None else None
    if span is None or data is None or not _QUESTION_ON_RESULT.search(d.message):
        return []
    if data[span.byte_start : span.byte_end] != b"?":
        return []
    return [_ok_question(span.file_name, span.byte_start, d.code_str or "E0277", ".ok()")]
