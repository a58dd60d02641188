"""E0507 moving an `Option` of an owning type out of a borrow: view the inside with `.as_deref()`.

The general mistake: an `Option<String>` (`Option<Vec<T>>`, `Option<Box<T>>`, `Option<PathBuf>`)
field read through `&self`, or through any shared reference, is handed to an `Option` method that
takes it by value (`self.title.unwrap_or_else(..)`, `.map(..)`, `.unwrap_or(..)`); rustc refuses the
move ("cannot move out of `self.title` which is behind a shared reference") and offers `.clone()`,
which copies the whole `Option` first. The field lives in the struct: the code only reads it, and
`.as_deref()` (`Option<&str>`, `Option<&[T]>`, `Option<&T>`, `Option<&Path>`) lends its inside for
nothing; `.as_ref()` does it for any `T` (`Option<&T>`).

Where the method takes a default that is an owning conversion of a borrowed value
(`unwrap_or_else(|| "untitled".to_string())`, `unwrap_or(String::from("none"))`), the default is
taken back to the borrowed value and the conversion made once on the result:
`self.title.as_deref().unwrap_or("untitled").to_string()`, so only the one value returned is
copied, never the field. Types come from rustc's "move occurs because `P` has type `T`"; the call
from the syntax tree (`engine.syntax.consuming`). The sandbox builds and tests each one.
"""

from __future__ import annotations

import re

from engine.facts.parse import facts_of
from engine.repair.template_kit import Reader, _make, _primary
from engine.repair.types import Candidate, Edit
from engine.syntax.consuming import call_on_place, closure_body
from toolbelt.types import Diagnostic

FAMILY = "op:option-view"
NO_COPY = "no copy"  # the option's stated price says it (`engine.explain.options`)
_HAS_TYPE = re.compile(r"has type `(?:std::option::)?Option<(?P<inner>.+)>`")
# the owning inner types whose `Deref` target `as_deref` lends
_DEREFS = {"String": "&str", "PathBuf": "&Path", "OsString": "&OsStr"}
_DEREF_GENERIC = re.compile(r"(?:std::\w+::)?(?P<k>Vec|Box)<(?P<t>.+)>")
_DEFAULTED = frozenset({"unwrap_or", "unwrap_or_else"})
# an owning conversion of a borrowed value, and the call that makes it again on the result
_CONVERTED = re.compile(r"^(?P<e>.+)\.(?P<m>to_string|to_owned|into|to_vec|to_path_buf)\(\)$", re.S)
_FROM = re.compile(r"^(?:\w+::)*\w+::from\((?P<e>.+)\)$", re.S)


def _view(inner: str) -> tuple[str, str]:
    """The method that lends the inside, and the `Option` it gives."""
    short = inner.split("::")[-1] if "<" not in inner else inner
    if short in _DEREFS:
        return "as_deref", f"Option<{_DEREFS[short]}>"
    g = _DEREF_GENERIC.fullmatch(inner)
    if g:
        return "as_deref", f"Option<&{'[' + g.group('t') + ']' if g.group('k') == 'Vec' else g.group('t')}>"
    return "as_ref", f"Option<&{inner}>"


def _label_type(d: Diagnostic) -> str | None:
    for s in d.spans:
        m = _HAS_TYPE.search(s.label or "")
        if m:
            return m.group("inner")
    f = facts_of(d)
    m = _HAS_TYPE.search(f"has type `{f.found}`") if f.found else None
    return m.group("inner") if m else None


def option_view(d: Diagnostic, read: Reader) -> list[Candidate]:
    span = _primary(d)
    inner = _label_type(d) if "behind a shared reference" in d.message else None
    source = read(span.file_name) if span is not None and inner is not None else None
    if span is None or inner is None or source is None:
        return []
    call = call_on_place(source, span.byte_start, span.byte_end)
    if call is None:
        return []
    method, viewed = _view(inner)
    place = source[span.byte_start : span.byte_end].decode()
    code = d.code_str or "E0507"
    stays = "the field stays in the struct" if "." in place else f"`{place}` stays where it is"
    f = span.file_name
    lend = Edit(file=f, start=span.byte_end, end=span.byte_end, replacement=f".{method}()")
    out = [
        _make(
            [lend],
            f"read the field in place: `.{method}()` lends `{place}` as `{viewed}` "
            f"({stays}; a borrowed view, {NO_COPY} of it)",
            FAMILY,
            code,
            0.8,
        )
    ]
    if call.method in _DEFAULTED and len(call.args) == 1:
        arg = call.args[0]
        body = closure_body(source, arg) if call.method == "unwrap_or_else" else arg
        text = body.text.strip() if body is not None else ""
        conv = _CONVERTED.match(text) or _FROM.match(text)
        if conv is not None:
            again = conv.groupdict().get("m") or "to_owned"
            new = f"{place}.{method}().unwrap_or({conv.group('e').strip()}).{again}()"
            edit = Edit(file=f, start=span.byte_start, end=call.call.end, replacement=new)
            why = (
                f"read the field in place: `.{method}()` lends `{place}` as `{viewed}` and the default "
                f"stays borrowed ({stays}; `.{again}()` copies only the value "
                f"returned, {NO_COPY} of it)"
            )
            out.insert(0, _make([edit], why, FAMILY, code, 0.82))
    return out
