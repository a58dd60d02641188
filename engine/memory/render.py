"""Candidates written in the repo's style: each mined habit as a rewrite of a candidate's inserted text.

A rendering changes what an edit inserts, or, for a `use` line, where it goes; it never changes
which code a fix touches, so the diff shows the same change in the repo's words, and the compiler
validates the rendered candidate like any other (the repair also keeps the original, just after
it, in case the rendering does not compile). Each rule needs a fact and a shape:

- `string-from-str`: a `&str` made a `String` with `.to_string()` is written `.to_owned()` or
  `String::from(..)`, where rustc said a `String` was expected and a string reference found, or,
  inside a closure (`.map(|s| s.to_string())`), where the expected type is the found one with
  `String` in place of the string reference (`Option<String>` for `Option<&str>`). `.into()` is
  recorded but never written: it leans on inference.
- `closure-style`: in a repo that writes paths, a closure that only calls one method on its
  argument (`.map(|x| x.clone())`) is written as the path (`.map(Clone::clone)`).
- `self-type`: inside `impl Name`, `Self::`/`Self {`/`-> Self` against `Name::`/`Name {`/`-> Name`
  (only for an `impl` of a plain name: `Self` in `impl<T> Foo<T>` is not always `Foo`).
- `error-crate`: a return type `Result<T, Box<dyn std::error::Error>>` becomes `anyhow::Result<T>`
  (`eyre::`, `color_eyre::`), or `Result<T>` where the file imports the crate's `Result`; only for
  a crate the library itself depends on.
- `error-handling`: an inserted `.unwrap()` or `.expect("REASON")` becomes `?` in a repo that
  propagates (where the enclosing fn returns a `Result` or `Option`), `.expect("<call> failed")`
  in one that expects, `.unwrap()` in one that unwraps.
- `config` (a `rustfmt.toml`): the items the candidate changes are formatted with the repo's own
  rustfmt config, each only when it was rustfmt-clean before (`engine.memory.fmt`); last, so it
  formats what the other rules wrote.
- `impl-trait`: a parameter a candidate makes generic is written `impl Trait`, `<T: Trait>` or
  with a `where` clause, as the repo does, only where the forms are equivalent
  (`engine.memory.generics`).
- `import-groups`: in a repo that separates `std`, external and `crate` imports by blank lines, a
  `use` whose kind has no group in the file starts its own, in that order.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from engine.edits import Edit
from engine.memory.types import StyleFact
from engine.repair.types import Candidate
from toolbelt.types import Diagnostic

if TYPE_CHECKING:
    from engine.facts.parse import Facts

Reader = Callable[[str], bytes | None]
Rule = Callable[[list[Edit], dict[str, str], "Scene"], list[Edit]]


class Scene:
    """What a rule may look at besides the candidate: the target error and the files as they are."""

    def __init__(self, target: Diagnostic | None, read: Reader, root: Path | None = None) -> None:
        self.target, self.read, self.root = target, read, root
        self._facts: Facts | None = None

    def facts(self) -> Facts | None:  # engine.facts.parse, imported lazily
        if self._facts is None and self.target is not None:
            from engine.facts.parse import facts_of

            self._facts = facts_of(self.target)
        return self._facts


# --- String conversions ---------------------------------------------------------------------------

_STR_REFS = ("&str", "&'static str", "&String", "&&str", "&mut str")
_STRING = re.compile(r"\b(?:std::string::)?String\b")
_STR_REF = re.compile(r"&(?:'static |'_ |mut )?(?:str|String)\b|&&str\b")


def str_to_string(target: Diagnostic | None) -> bool:
    """rustc says a `String` was expected where a string reference was found: the one case where
    `.to_string()`, `.to_owned()` and `String::from` on the expression are the same fix."""
    f = Scene(target, lambda _: None).facts()
    return (
        f is not None
        and (f.expected or "") in ("String", "std::string::String")
        and (f.found or "") in _STR_REFS
    )


def str_elements(target: Diagnostic | None) -> bool:
    """The expected type is the found one with `String` where it holds a string reference
    (`Option<String>` for `Option<&str>`, `Vec<String>` for `Vec<&str>`): a closure that converts
    each element may spell the conversion any of the three ways."""
    f = Scene(target, lambda _: None).facts()
    if f is None or not f.expected or not f.found:
        return False
    e, fo = _STRING.sub("S", f.expected.replace(" ", "")), _STR_REF.sub("S", f.found.replace(" ", ""))
    return e == fo and "S" in e and f.expected != f.found


_CLOSURE_CALL = re.compile(r"\|(?P<v>\w+)\|\s*(?P=v)\.(?P<m>to_string|to_owned|clone|into)\(\)")
_ADAPTED = re.compile(
    r"\.(?P<a>map|and_then|filter_map|flat_map|map_err|for_each|unwrap_or_else|ok_or_else)\(\s*"
    r"\|(?P<v>\w+)\|\s*(?P=v)\.(?P<m>to_string|to_owned|clone|into)\(\)\s*\)"
)
_PATHS = {
    "to_string": "ToString::to_string",
    "to_owned": "ToOwned::to_owned",
    "clone": "Clone::clone",
    "into": "Into::into",
}


def _strings(edits: list[Edit], style: dict[str, str], scene: Scene) -> list[Edit]:
    want = style.get("string-from-str")
    if want not in (".to_owned()", "String::from"):
        return edits  # `.into()` leans on inference (a closure may not fix its type): not a rendering
    out: list[Edit] = []
    postfix = str_to_string(scene.target)
    p = scene.target.primary if postfix and scene.target is not None else None
    for e in edits:
        if postfix and e.replacement == ".to_string()" and e.start == e.end:
            if want == ".to_owned()":
                out.append(msgspec.structs.replace(e, replacement=".to_owned()"))
                continue
            if p is not None and p.file_name == e.file and p.byte_end == e.start:
                out.append(
                    Edit(file=e.file, start=p.byte_start, end=p.byte_start, replacement="String::from(")
                )
                out.append(msgspec.structs.replace(e, replacement=")"))
                continue
        if str_elements(scene.target) and _CLOSURE_CALL.search(e.replacement):
            e = msgspec.structs.replace(
                e, replacement=_CLOSURE_CALL.sub(lambda m: _owned(m, want), e.replacement)
            )
        out.append(e)
    return out


def _owned(m: re.Match[str], want: str) -> str:
    if m.group("m") != "to_string":
        return m.group(0)
    v = m.group("v")
    return f"|{v}| {v}.to_owned()" if want == ".to_owned()" else f"|{v}| String::from({v})"


def _closures(edits: list[Edit], style: dict[str, str], scene: Scene) -> list[Edit]:
    if style.get("closure-style") != "path":
        return edits

    def path(m: re.Match[str]) -> str:
        method = m.group("m")
        to_string = method == "to_string" or (method == "to_owned" and str_elements(scene.target))
        if to_string and str_elements(scene.target) and style.get("string-from-str") == "String::from":
            return f".{m.group('a')}(String::from)"
        if to_string and str_elements(scene.target) and style.get("string-from-str") == ".to_owned()":
            return f".{m.group('a')}(str::to_owned)"
        return f".{m.group('a')}({_PATHS[method]})"

    return [msgspec.structs.replace(e, replacement=_ADAPTED.sub(path, e.replacement)) for e in edits]


# --- Self against the type's name -------------------------------------------------------------------

_FORCED = r"(?!(?:Item|Output|Err|Error|Target|Owned|IntoIter)\b)"


def _impl_name(data: bytes, pos: int) -> str | None:
    """The plain type name of the `impl` whose body holds byte `pos`, else None."""
    from engine.syntax.tree import parse

    for node in parse(data).root_node.children:
        ty, body = node.child_by_field_name("type"), node.child_by_field_name("body")
        if (
            node.type == "impl_item"
            and ty is not None
            and body is not None
            and body.start_byte < pos < body.end_byte
        ):
            return data[ty.start_byte : ty.end_byte].decode() if ty.type == "type_identifier" else None
    return None


def _self_type(edits: list[Edit], style: dict[str, str], scene: Scene) -> list[Edit]:
    want = style.get("self-type")
    if want not in ("Self", "type name"):
        return edits
    out: list[Edit] = []
    for e in edits:
        data = scene.read(e.file) if re.search(r"\b[A-Z]\w*\b", e.replacement) else None
        name = _impl_name(data, e.start) if data else None
        if name is None:
            out.append(e)
            continue
        text = e.replacement
        if want == "type name":
            text = re.sub(rf"(?<![\w:])Self(?=::{_FORCED}|\s*[{{(])|(?<=->\s)Self\b", name, text)
        else:
            text = re.sub(rf"(?<![\w:]){name}(?=::|\s*[{{(])|(?<=->\s){name}\b", "Self", text)
            after = (data or b"")[e.end : e.end + 2]
            if text == name and (after == b"::" or after[:1] in (b"{", b"(")):
                text = "Self"  # a name fixed in a path or literal: `Countr::new` -> `Self::new`
        out.append(msgspec.structs.replace(e, replacement=text) if text != e.replacement else e)
    return out


# --- the error crate's Result -----------------------------------------------------------------------

_BOXED = re.compile(
    r"\bResult<(?P<t>[^<>]*(?:<[^<>]*>)?[^<>]*?),\s*Box<dyn\s+(?:std::error::)?Error(?:\s*\+\s*(?:Send|Sync|'static))*>\s*>"
)
_CRATES = {"anyhow": "anyhow", "eyre": "eyre", "color-eyre": "color_eyre"}


def _error_crate(edits: list[Edit], style: dict[str, str], scene: Scene) -> list[Edit]:
    deps = [c.strip() for c in style.get("error-crate", "").split("+")]
    crate = next((_CRATES[c] for c in deps if c in _CRATES), None)  # "anyhow (dev)" is not library code's
    if crate is None:
        return edits
    out: list[Edit] = []
    for e in edits:
        if not _BOXED.search(e.replacement):
            out.append(e)
            continue
        data = (scene.read(e.file) or b"").decode("utf-8", "replace")
        imported = re.search(rf"^use {crate}::(?:Result|\{{[^}}]*\bResult\b[^}}]*\}});", data, re.M)
        prefix = "" if imported else f"{crate}::"

        def boxed(m: re.Match[str], pre: str = prefix) -> str:
            return f"{pre}Result<{m.group('t').strip()}>"

        text = _BOXED.sub(boxed, e.replacement)
        out.append(msgspec.structs.replace(e, replacement=text))
    return out


# --- passing an error on -------------------------------------------------------------------------

_PANICS = re.compile(r'(?:\.expect\(\s*"(?:[^"\\\n]|\\.)*"\s*\)|\.unwrap\(\))$')
_FN_HEAD = re.compile(r"\bfn\s+\w+[^{;]*?\)\s*->\s*(?P<ret>[^{;]+?)\s*(?:where\b[^{]*)?\{", re.S)
_CALLEE = re.compile(r"(?P<name>\w+)\s*(?:::<[^>]*>)?\s*\([^()]*\)\s*$|(?P<ident>\w+)\s*$")


def _returns_wrapper(data: bytes, pos: int) -> str | None:
    """ "Result" or "Option" when the innermost fn whose head precedes byte `pos` returns one (any
    `Result` alias: `io::Result<T>`, `anyhow::Result<T>`), else None. A `?` compiles only there."""
    head = data[:pos].decode("utf-8", "replace")
    heads = list(_FN_HEAD.finditer(head))
    if not heads:
        return None
    ret = heads[-1].group("ret")
    m = re.match(r"(?:[\w:]+::)?(Result|Option)\b", ret.strip())
    return m.group(1) if m else None


def _propagates(data: bytes, pos: int, scene: Scene) -> bool:
    """A `?` at `pos` passes the error on: the fn returns the same wrapper as the value (rustc's
    found type, when it names one)."""
    ret = _returns_wrapper(data, pos)
    f = scene.facts()
    found = re.match(r"(?:(?:std|core)::\w+::)?(Result|Option)<", (f.found or "") if f else "")
    return ret is not None and (found is None or found.group(1) == ret)


def _reason(before: bytes, scene: Scene) -> str:
    """The message of an `.expect(..)` written after `before` (the code up to the edit): the call or
    value it unwraps, named, and what went wrong as the found type says (`None` for an `Option`)."""
    m = _CALLEE.search(before[-200:].decode("utf-8", "replace"))
    name = (m.group("name") or m.group("ident")) if m else "it"
    f = scene.facts()
    return (
        f"{name} gave None" if f is not None and (f.found or "").startswith("Option<") else f"{name} failed"
    )


def _passing_on(edits: list[Edit], style: dict[str, str], scene: Scene) -> list[Edit]:
    """An inserted `.unwrap()` or `.expect("..")` (rustc's `.expect("REASON")`) written the repo's
    way: `?` where the enclosing fn returns a `Result` or `Option` and the repo propagates, an
    `.expect` naming the call in a repo that expects, `.unwrap()` in one that unwraps, in test code
    only (library code gets the `.expect` naming the call). A `?` is never turned into a panic:
    propagating is not a habit to undo."""
    want = style.get("error-handling")
    if want not in ("?", ".expect(", ".unwrap()"):
        return edits
    out: list[Edit] = []
    for e in edits:
        m = _PANICS.search(e.replacement)
        data = scene.read(e.file) if m and e.start == e.end else None
        if m is None or data is None:
            out.append(e)
            continue
        head = e.replacement[: m.start()]
        how = want
        if want == ".unwrap()" and not _in_test_code(e.file, data, e.start):
            how = ".expect("  # a bare unwrap is no habit to bring into library code: name the call
        if how == "?":
            text = head + "?" if _propagates(data, e.start, scene) else e.replacement
        elif how == ".unwrap()":
            text = head + ".unwrap()"
        elif m.group(0) == ".unwrap()" or re.search(r'"(?:REASON|reason|TODO|\.\.\.)"', m.group(0)):
            text = head + f'.expect("{_reason(data[: e.start], scene)}")'
        else:
            text = e.replacement  # an expect with words of its own
        out.append(msgspec.structs.replace(e, replacement=text) if text != e.replacement else e)
    return out


def _in_test_code(rel: str, data: bytes, at: int) -> bool:
    """The edit at byte `at` lands in test code: a `#[cfg(test)]` item, a `#[test]` fn, or a file
    under tests/, benches/ or examples/ (`engine.syntax.program.in_test_code`)."""
    if rel.split("/")[0] in ("tests", "benches", "examples"):
        return True
    from engine.syntax.program import in_test_code
    from engine.syntax.tree import node_at

    return at <= len(data) and in_test_code(node_at(data, at, min(at + 1, len(data))))


def _passing_on_words(before: tuple[Edit, ...], after: list[Edit], scene: Scene) -> str | None:
    """The description of a fix whose unwrap the error-handling rule rewrote, from the rendered
    edit: rustc's "consider using `Option::expect` to unwrap .." above a patch that writes `?` or
    `.unwrap()` describes a change the user does not get. None when no such edit changed."""
    old = {(e.file, e.start, e.end): e.replacement for e in before}
    for e in after:
        was = old.get((e.file, e.start, e.end))
        if was is None or was == e.replacement or not _PANICS.search(was):
            continue
        f = scene.facts()
        found = (f.found or "") if f is not None else ""
        none = re.match(r"(?:(?:std|core)::\w+::)?Option<", found) is not None
        if e.replacement.endswith("?"):
            return f"Pass the {'`None`' if none else 'error'} on to the caller with `?`"
        m = _PANICS.search(e.replacement)
        if m is not None:
            what = "`None`" if none else "`Err`" if re.match(r"(?:[\w]+::)*Result<", found) else "no value"
            return f"Unwrap the value with `{m.group(0).lstrip()}`, panicking on {what}"
    return None


# --- import groups ----------------------------------------------------------------------------------

_USE_LINE = re.compile(r"use ([\w:]+)(?:::\{[^}]*\}|::\*)?;\n")
_ORDER = ("std", "extern", "crate")


def _kind(path: str) -> str:
    root = path.split("::")[0]
    return (
        "std"
        if root in ("std", "core", "alloc")
        else "crate"
        if root in ("crate", "self", "super")
        else "extern"
    )


def _groups(data: bytes) -> list[tuple[int, int, set[str]]]:
    """Runs of top-level `use` lines: (start byte, end byte after the last newline, kinds in it)."""
    runs: list[tuple[int, int, set[str]]] = []
    offset, last_end = 0, -1
    for line in data.split(b"\n"):
        end = min(offset + len(line) + 1, len(data))
        m = re.match(rb"use ([\w:]+)", line)
        if m:
            k = _kind(m.group(1).decode())
            if runs and last_end == offset:
                s, _, kinds = runs[-1]
                runs[-1] = (s, end, kinds | {k})
            else:
                runs.append((offset, end, {k}))
            last_end = end
        offset = end
    return runs


def _import_groups(edits: list[Edit], style: dict[str, str], scene: Scene) -> list[Edit]:
    if style.get("import-groups") != "grouped":
        return edits
    out: list[Edit] = []
    for e in edits:
        m = _USE_LINE.fullmatch(e.replacement)
        data = scene.read(e.file) if m and e.start == e.end else None
        runs = _groups(data) if data else []
        kind = _kind(m.group(1)) if m else ""
        if not runs or any(kind in kinds for _, _, kinds in runs):
            out.append(e)  # a group of its kind exists (the placement chose it) or no imports yet
            continue
        later = [r for r in runs if min(_ORDER.index(k) for k in r[2]) > _ORDER.index(kind)]
        if later:
            at, text = later[0][0], e.replacement + "\n"
        else:
            at, text = runs[-1][1], "\n" + e.replacement
        out.append(Edit(file=e.file, start=at, end=at, replacement=text))
    return out


def _generics(edits: list[Edit], style: dict[str, str], scene: Scene) -> list[Edit]:
    from engine.memory.generics import generic_edits

    return generic_edits(edits, style["impl-trait"], scene.read, scene.root)


def _rustfmt(edits: list[Edit], style: dict[str, str], scene: Scene) -> list[Edit]:
    if scene.root is None or not style.get("config", "").lstrip(".").startswith("rustfmt.toml"):
        return edits
    from engine.memory.fmt import rustfmt_edits

    return rustfmt_edits(edits, scene.read, scene.root)


RULES: tuple[tuple[str, Rule], ...] = (
    ("string-from-str", _strings),
    ("closure-style", _closures),
    ("self-type", _self_type),
    ("error-crate", _error_crate),
    ("error-handling", _passing_on),
    ("import-groups", _import_groups),
    ("impl-trait", _generics),
    ("config", _rustfmt),  # last: it formats what the others wrote
)


def _moved(old: str, new: str, at: int, *, end: bool) -> int:
    """Where position `at` of `old` lands in `new`, after the changes that turn one into the other."""
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if i1 <= at < i2 or (end and at == i2):
            return j1 + (at - i1) if tag == "equal" else (j2 if end else j1)
    return len(new)


def _described(desc: str, before: tuple[Edit, ...], after: list[Edit]) -> str:
    """The description's quoted code as the rendered edits write it: a fix that says `-> Self` while
    its patch writes `-> Light` describes code the user will not get. Each backticked snippet taken
    from an edit's text is mapped through that edit's rendering; the rest stays as written."""
    if len(before) != len(after):
        return desc
    order = lambda e: (e.file, e.start, e.end)  # noqa: E731
    pairs = list(zip(sorted(before, key=order), sorted(after, key=order), strict=True))

    def mapped(m: re.Match[str]) -> str:
        snippet = m.group(1)
        for old, new in ((b.replacement, a.replacement) for b, a in pairs):
            at = old.find(snippet)
            if at >= 0 and old != new:
                start, stop = _moved(old, new, at, end=False), _moved(old, new, at + len(snippet), end=True)
                return f"`{new[start:stop]}`"
        return m.group(0)

    return re.sub(r"`([^`\n]+)`", mapped, desc)


def render(
    c: Candidate,
    style: tuple[StyleFact, ...],
    target: Diagnostic | None = None,
    read: Reader | None = None,
    root: str | Path | None = None,
) -> Candidate:
    """`c` written in the repo's style (`c` itself when no habit applies). It keeps its id and family
    (it is the same fix); its description names the rendering."""
    facts: dict[str, str] = {s.name: s.value for s in style}
    rustfmt = next((s.value for s in style if s.name == "config" and "rustfmt.toml" in s.value), None)
    if rustfmt is not None:
        facts["config"] = rustfmt  # clippy.toml's fact does not hide it
    if not facts:
        return c
    scene = Scene(target, read or (lambda _: None), Path(root) if root is not None else None)
    edits = list(c.edits)
    used: list[str] = []
    for name, rule in RULES:
        if name not in facts:
            continue
        new = rule(edits, facts, scene)
        if new != edits:
            edits = new
            used.append(name)
    if not used:
        return c
    desc = _described(c.description, c.edits, edits)
    if "error-handling" in used:
        desc = _passing_on_words(c.edits, edits, scene) or desc
    if "string-from-str" in used and "to_string" in desc:
        desc = desc.replace("to_string", facts["string-from-str"].strip(".()"))
    return msgspec.structs.replace(
        c,
        edits=tuple(sorted(edits, key=lambda e: (e.file, e.start, e.end))),
        description=f"{desc} (in this repo's style: {', '.join('rustfmt.toml' if u == 'config' else u for u in used)})",
    )
