"""`?` whose error has no `From` into the fn's error: `.map_err(|e| e.to_string())` into a `String`,
`impl From<E> for Local` (or `.map_err(Local::Variant)`) where a local enum wraps `E`, or a new
variant that wraps it. Split from `engine.repair.design`, whose rule table calls it.

The general mistake it also answers (review O, o09): converting the error into a message-holding
variant named for something else (`UnknownUnit` for a number that did not parse, beside
`BadNumber(String)`), and keeping the parser's message where the variant is meant to hold the input
that failed (`BadNumber("x1")`): only the variants named for the error's kind are offered when one
is, and beside the message, the `?` operand's receiver goes in (`map_err(|_| ..(num.to_string()))`);
the crate's tests say which one it means.

Pure: a Diagnostic, a file reader and the crate's files in, Candidates out.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from engine.edits import Edit
from engine.facts.parse import facts_of
from engine.repair.template_kit import Reader, _make, _primary, _short
from engine.repair.types import Candidate
from engine.syntax import design as syn
from engine.syntax.tree import enclosing
from toolbelt.types import Diagnostic

_NOT_CONVERT = re.compile(r"`\?` couldn't convert the error to `(?P<to>.+)`$")
_INFERRED_ERR = re.compile(r"type mismatch resolving `<.+ as FromStr>::Err == (?P<to>.+)`$")
_FROM_LABEL = re.compile(r"the trait `From<(?P<src>.+)>` is not implemented for `(?P<to>.+)`")


def _local_type(read: Reader, files: tuple[str, ...], name: str) -> tuple[str, str, int] | None:
    """(file, kind, end byte) of the crate's `struct`/`enum` named `name`."""
    for f in files:
        source = read(f)
        for kind in ("enum_item", "struct_item"):
            end = syn.item_end(source, kind, name) if source else None
            if end is not None:
                return f, kind, end
    return None


def _question_after_call(source: bytes, end: int) -> int | None:
    """The `?` right after the call whose name ends at `end` (`parse` in `s.parse()?`), or None."""
    if source[end : end + 1] != b"(":
        return None
    depth, i = 0, end
    while i < len(source):
        depth += (source[i : i + 1] == b"(") - (source[i : i + 1] == b")")
        i += 1
        if depth == 0:
            break
    return i if source[i : i + 1] == b"?" else None


def _parse_turbofish(source: bytes, q: int) -> tuple[int, str] | None:
    """`let n: i64 = p.parse()?`: with a closure in `map_err`, `parse` can no longer infer its type
    from the `let`, so it is named (`parse::<i64>()`). (byte after `parse`, the type) or None."""
    if not source[:q].endswith(b".parse()"):
        return None
    let = enclosing(source, q, q + 1, ("let_declaration",))
    m = re.match(r"let\s+(?:mut\s+)?\w+\s*:\s*([^=]+?)\s*=", let[1].text) if let else None
    return (q - len("()"), m.group(1)) if m else None


def error_conversion(d: Diagnostic, read: Reader, files: tuple[str, ...]) -> list[Candidate]:
    """`?` cannot turn the callee's error into the fn's: convert it on the way out, or teach the
    fn's own error type to take it (`impl From`), which fixes every `?` of that kind at once."""
    span = _primary(d)
    source = read(span.file_name) if span is not None else None
    if span is None or source is None:
        return []
    m = _NOT_CONVERT.search(d.message)
    lab = _FROM_LABEL.search(_short(span.label or ""))
    infer = _INFERRED_ERR.search(_short(d.message))
    if m is not None and lab is not None and source[span.byte_start : span.byte_end] == b"?":
        to, src, at = _short(m.group("to")), _short(lab.group("src")), span.byte_start
        written_src = lab.group("src")
    elif (
        infer is not None and (q := _question_after_call(source, span.byte_end)) and (f := facts_of(d)).found
    ):
        # E0271: `let n: u16 = s.parse()?` in a fn whose error is not `parse`'s: the same mistake,
        # reported while inferring `parse`'s type (rustc: "expected `ConfigError`, found `ParseIntError`")
        to, src, at = _short(infer.group("to")), _short(f.found), q
        written_src = f.found
    else:
        return []
    code = d.code_str or "E0277"

    turbofish = _parse_turbofish(source, at)

    def before_q(text: str, why: str, score: float) -> Candidate:
        edits = [Edit(file=span.file_name, start=at, end=at, replacement=text)]
        if turbofish is not None:  # `parse()` learns its type from `?`'s output no longer: name it
            pos, ty = turbofish
            edits.insert(0, Edit(file=span.file_name, start=pos, end=pos, replacement=f"::<{ty}>"))
        return _make(edits, why, "op:map-err", code, score)

    if to == "String":
        return [
            before_q(".map_err(|e| e.to_string())", "turn the error into the `String` the fn returns", 0.72)
        ]
    name = to.split("<")[0].split("::")[-1]
    local = _local_type(read, files, name)
    if local is None:
        return []
    file, kind, end = local
    body = read(file) or b""
    if kind != "enum_item":
        return []
    wraps = syn.variant_wrapping(body, name, src)
    if wraps is None:
        ranked = ranked_variants(syn.variants_holding_string(body, name), src)
        return (
            _new_variant(body, file, name, src, written_src, code)
            + _into_string_variant(name, ranked, before_q)
            + _input_into_variant(name, ranked, _question_receiver(source, at), before_q)
            + _from_into_string_variant(file, end, name, src, written_src, code, ranked)
        )
    variant, written = wraps
    impl = (
        f"\n\nimpl From<{written}> for {name} {{\n    fn from(e: {written}) -> Self {{\n"
        f"        {name}::{variant}(e)\n    }}\n}}"
    )
    return [
        _make(
            [Edit(file=file, start=end, end=end, replacement=impl)],
            f"implement `From<{written}>` for `{name}`: every `?` on that error converts into `{name}::{variant}`",
            "op:impl-from",
            code,
            0.72,
        ),
        before_q(f".map_err({name}::{variant})", f"wrap the error in `{name}::{variant}`", 0.66),
    ]


# where a std error lives, for a variant written in a file that may not import it
_STD_ERRORS = {
    "ParseIntError": "std::num::ParseIntError",
    "ParseFloatError": "std::num::ParseFloatError",
    "ParseBoolError": "std::str::ParseBoolError",
    "ParseCharError": "std::char::ParseCharError",
    "Utf8Error": "std::str::Utf8Error",
    "FromUtf8Error": "std::string::FromUtf8Error",
    "TryFromIntError": "std::num::TryFromIntError",
    "AddrParseError": "std::net::AddrParseError",
}


# what a variant is called when it holds the failure of a kind of source error, beyond the words of
# the error's own type name (`ParseIntError`: parse, int): a number that does not parse is "bad",
# "invalid" or "malformed" input, and a "number"
_KIND_WORDS = {
    "parse": {"parse", "bad", "invalid", "malformed", "format", "syntax"},
    "int": {"number", "num", "integer", "int", "digit", "digits"},
    "float": {"number", "num", "float"},
    "utf8": {"utf8", "encoding", "text", "invalid", "bad"},
    "io": {"io", "read", "write", "file"},
}


def _words(ident: str) -> set[str]:
    """The lower-cased words of a CamelCase or snake_case name (`BadNumber`: bad, number)."""
    return {w.lower() for w in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", ident)}


def ranked_variants(variants: list[str], src: str) -> list[tuple[str, int]]:
    """The enum's message-holding variants, the one named for the source error's kind first: each
    scored by the words it shares with the error's type name (`ParseIntError`, or `io::Error` by its
    module) and the words such a failure goes by (`_KIND_WORDS`); ties keep declaration order. The
    mistake it answers: the first `String` variant (`MissingKey`) chosen for a number that did not
    parse while a `BadNumber(String)` stands beside it."""
    parts = [p for p in src.split("<")[0].split("::") if p]
    own = _words(parts[-1]) - {"error"} or (_words(parts[-2]) if len(parts) > 1 else set())
    kind = own | {w for o in own for w in _KIND_WORDS.get(o, ())}
    scored = [(v, len(_words(v) & kind)) for v in variants]
    return sorted(scored, key=lambda vs: -vs[1])


def offered(ranked: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The variants a fix may put the error in: only those named for its kind when one is (review O,
    o09: `impl From<ParseFloatError>` into `UnknownUnit` beside `BadNumber` reported a number that
    did not parse as "unknown unit", and led); every message-holding one when none is."""
    named = [vs for vs in ranked if vs[1] > 0]
    return named or ranked


def variant_words(name: str, variant: str, ranked: list[tuple[str, int]]) -> str:
    """Why this variant, when the enum has more than one that holds a message: the others named."""
    if len(ranked) < 2:
        return ""
    others = ", ".join(f"`{v}`" for v, _ in ranked if v != variant)
    if ranked[0][1] > 0 and variant == ranked[0][0]:
        return f" (the variant named for this error; `{name}` also has {others})"
    return f" (`{name}` also has {others})"


def _into_string_variant(
    name: str, ranked: list[tuple[str, int]], before_q: Callable[[str, str, float], Candidate]
) -> list[Candidate]:
    """The user's error enum already has variants holding a message (`Parse(String)`, `ranked` by
    `ranked_variants`): the error's text goes into the one named for its kind, on the way out of `?`
    (the others ranked after it)."""
    return [
        before_q(
            f".map_err(|e| {name}::{variant}(e.to_string()))",
            f"keep the error's message in `{name}::{variant}`{variant_words(name, variant, ranked)}",
            0.68 - 0.01 * k,
        )
        for k, (variant, _) in enumerate(offered(ranked)[:2])
    ]


def _question_receiver(source: bytes, at: int) -> str | None:
    """The value the failing call under `?` reads (`num` in `num.parse()?`, `self.raw` in
    `self.raw.parse()?`): a name or a field path, or None. That is the input the user got wrong,
    which a variant such as `BadNumber(String)` usually reports, rather than the parser's message."""
    from engine.syntax.tree import parse

    tree = parse(source)
    q = tree.root_node.descendant_for_byte_range(at, at + 1)
    try_expr = q.parent if q is not None and q.type == "?" else q
    if try_expr is None or try_expr.type != "try_expression" or not try_expr.named_children:
        return None
    call = try_expr.named_children[0]
    fn = call.child_by_field_name("function") if call.type == "call_expression" else None
    if fn is not None and fn.type == "generic_function":  # `raw.parse::<u32>()`
        fn = fn.child_by_field_name("function")
    recv = fn.child_by_field_name("value") if fn is not None and fn.type == "field_expression" else None
    if recv is None or recv.type not in ("identifier", "field_expression"):
        return None
    text = (recv.text or b"").decode("utf-8", "replace")
    return text if re.fullmatch(r"[A-Za-z_][\w.]*", text) else None


def _input_into_variant(
    name: str,
    ranked: list[tuple[str, int]],
    receiver: str | None,
    before_q: Callable[[str, str, float], Candidate],
) -> list[Candidate]:
    """The variant named for this error holds the input that failed (`num`), not the parser's
    message: `ConvError::BadNumber("x1")` reports what the user typed, where `e.to_string()` would
    keep "invalid float literal". Which of the two the crate means is for its tests to say, so both
    are offered and validated; offered only for a variant named for the error's kind."""
    if receiver is None or not ranked or ranked[0][1] == 0:
        return []
    variant = ranked[0][0]
    return [
        before_q(
            f".map_err(|_| {name}::{variant}({receiver}.to_string()))",
            f"keep the input that failed, `{receiver}`, in `{name}::{variant}`{variant_words(name, variant, ranked)}",
            0.675,
        )
    ]


def _from_into_string_variant(
    file: str, end: int, name: str, src: str, written: str, code: str, ranked: list[tuple[str, int]]
) -> list[Candidate]:
    """The same message-holding variant (`BadNumber(String)`), reached through `impl From`: every
    `?` on that error keeps its text there by itself, where `map_err` says it at one `?` only. No
    new variant, so no `match` on the enum loses exhaustiveness (E0004)."""
    last = src.split("<")[0].split("::")[-1]
    if not ranked or not re.fullmatch(r"[A-Z]\w*", last):
        return []
    path = written if "::" in written else _STD_ERRORS.get(src, src)
    out = []
    for k, (variant, _) in enumerate(offered(ranked)[:2]):
        impl = (
            f"\n\nimpl From<{path}> for {name} {{\n    fn from(e: {path}) -> Self {{\n"
            f"        {name}::{variant}(e.to_string())\n    }}\n}}"
        )
        why = (
            f"implement `From<{last}>` for `{name}`, keeping the error's message in `{name}::{variant}`"
            f"{variant_words(name, variant, ranked)}: every `?` on that error converts by itself"
        )
        edit = Edit(file=file, start=end, end=end, replacement=impl)
        out.append(_make([edit], why, "op:impl-from", code, 0.67 - 0.01 * k))
    return out


def _new_variant(body: bytes, file: str, name: str, src: str, written: str, code: str) -> list[Candidate]:
    """No variant of the user's error enum holds the source error: a new one that does, with
    `impl From` after the enum so that every `?` on that error converts by itself."""
    close = syn.enum_body_close(body, name)
    last = src.split("<")[0].split("::")[-1]
    if close is None or not re.fullmatch(r"[A-Z]\w*", last):
        return []
    path = written if "::" in written else _STD_ERRORS.get(src, src)
    if path == "Error" or path.endswith("::Error"):  # `io::Error`, `fmt::Error`: named by their module
        module = path.split("::")[-2] if "::" in path else ""
        variant = module[:1].upper() + module[1:] if module else "Source"
    else:
        variant = last.removesuffix("Error") or last
    if re.search(rf"\b{re.escape(variant)}\s*[({{,]", body.decode(errors="replace")):
        variant = f"{variant}Failed"
    pos, comma, indent = close
    tail = body[:pos].rstrip()
    start = len(tail)
    lead = "" if comma or tail.endswith(b"{") else ","
    line = f"{lead}\n{indent}{variant}({path}),\n"
    end = syn.item_end(body, "enum_item", name)
    if end is None:
        return []
    impl = (
        f"\n\nimpl From<{path}> for {name} {{\n    fn from(e: {path}) -> Self {{\n"
        f"        {name}::{variant}(e)\n    }}\n}}"
    )
    edits = [
        Edit(file=file, start=start, end=pos, replacement=line),
        Edit(file=file, start=end, end=end, replacement=impl),
    ]
    why = (
        f"add a variant `{variant}({path})` to `{name}` and `impl From<{path}> for {name}`: "
        f"every `?` on that error converts by itself"
    )
    return [_make(edits, why, "op:new-variant-from", code, 0.64)]
