"""A method's result borrows the receiver only because elision says so: name the data's lifetime.

The mistake: `fn next_token(&mut self) -> Option<&str>` in `impl<'a> Lexer<'a>`, whose body returns a
slice of `self.input: &'a str`. Elision ties the output to `&mut self`, so every result keeps the
lexer mutably borrowed: two calls in a row conflict (E0499), a shared use beside a call conflicts
(E0502), and results of a local lexer cannot be returned (E0515), not even from a closure that
calls the method on it (E0373, where rustc's `move` does not compile either). rustc reports the calls; the fix
is in the signature, `-> Option<&'a str>`, and no order of the calls compiles without it.

Offered when every borrow rustc marks is a call of one crate method whose receiver is `&self` or
`&mut self` without a lifetime, whose return type elides a reference, and whose body reads a field
the type declares `&'a` (engine/syntax/signature_lifetimes.py). Pure; the sandbox says whether the
body really returns data that lives for `'a`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.signature_lifetimes import elided_self_output, method_called_on
from toolbelt.diagnostics import in_user_crate
from toolbelt.types import Diagnostic

FAMILY = "name-output-lifetime"


_BORROW_LABEL = re.compile(
    r"^(?:first |second )?(?:mutable |immutable )?borrow(?: later)? occurs here|is borrowed here$"
)
_PREVIOUS_ITERATION = "in the previous iteration of the loop"
_RETURNED_CLOSURE = "closure is returned here"


def marked_method(d: Diagnostic, read: Callable[[str], bytes | None]) -> str | None:
    """The one crate method every borrow rustc marks in E0499/E0502/E0515 is a call of, or None.

    E0499 marks two calls, or one call in a loop, borrowed again "in the previous iteration of the
    loop" (`while let Some(w) = t.next_word() { out.push(w) }`); E0502 keeps the earlier borrow (the
    later may be any call); E0515 labels the borrow, its primary span is the returned value; E0373
    on a closure rustc says "is returned here" (`find_map(|n| h.first_match(n))`) labels the captured
    local the closure calls the method on, and its primary span is the closure."""
    if d.code_str not in ("E0499", "E0502", "E0515", "E0373"):
        return None
    if d.code_str == "E0373" and not any(c.message == _RETURNED_CLOSURE for c in d.children):
        return None  # a closure given to a thread needs `'static`: no lifetime name serves it
    marked = [s for s in d.spans if s.is_primary or _BORROW_LABEL.search(s.label or "")]
    if d.code_str in ("E0502", "E0515", "E0373"):
        marked = [s for s in marked if not s.is_primary]
    looped = any(s.is_primary and _PREVIOUS_ITERATION in (s.label or "") for s in marked)
    need = 2 if d.code_str == "E0499" and not looped else 1
    if len(marked) < need or not all(in_user_crate(s.file_name) for s in marked):
        return None
    methods = set()
    for s in marked:
        source = read(s.file_name)
        ok = source is not None and s.byte_end <= len(source)
        methods.add(method_called_on(source, s.byte_start, s.byte_end) if ok and source is not None else None)
    return methods.pop() if len(methods) == 1 else None


def named_output_lifetime(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    method = marked_method(d, read)
    if method is None:
        return []
    files = [(f, text) for f in crate_files if (text := read(f)) is not None]
    found = elided_self_output(files, method)
    if found is None:
        return []
    path, out = found
    edits = [Edit(file=path, start=h, end=h, replacement=f"{out.lifetime} ") for h in out.holes]
    source = dict(files)[path]
    written = source[out.returns.start : out.returns.end]
    for h in sorted(out.holes, reverse=True):
        at = h - out.returns.start
        written = written[:at] + f"{out.lifetime} ".encode() + written[at:]
    desc = (
        f"return `{written.decode('utf-8', 'replace')}` from `{out.method}`: its results borrow "
        f"`self.{out.field}` (`{out.lifetime}`), not the receiver"
    )
    return [_make(edits, desc, FAMILY, d.code_str or "E0499", 0.85)]
