"""Template candidates per error family: the edits people make by hand when rustc has no suggestion.

Pure: every function takes a diagnostic and a way to read crate files, and returns candidates. The
sandbox decides which of them are right; a template only has to be plausible and cheap.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from engine.repair.suggestions import _cid
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic, Span

Reader = Callable[[str], bytes | None]  # crate-relative path -> bytes, None if unreadable

_EXPECTED_FOUND = re.compile(r"expected `(?P<exp>.+?)`, found `(?P<found>.+?)`")
_NAME = re.compile(r"`(?P<name>[^`]+)`")
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
_STD_ITEMS = {
    "HashMap": "std::collections::HashMap",
    "HashSet": "std::collections::HashSet",
    "BTreeMap": "std::collections::BTreeMap",
    "BTreeSet": "std::collections::BTreeSet",
    "VecDeque": "std::collections::VecDeque",
    "BinaryHeap": "std::collections::BinaryHeap",
    "Rc": "std::rc::Rc",
    "Arc": "std::sync::Arc",
    "Mutex": "std::sync::Mutex",
    "RwLock": "std::sync::RwLock",
    "RefCell": "std::cell::RefCell",
    "Cell": "std::cell::Cell",
    "Ordering": "std::cmp::Ordering",
    "fmt": "std::fmt",
    "io": "std::io",
    "mem": "std::mem",
    "ptr": "std::ptr",
    "Path": "std::path::Path",
    "PathBuf": "std::path::PathBuf",
    "Read": "std::io::Read",
    "Write": "std::io::Write",
    "BufRead": "std::io::BufRead",
    "FromStr": "std::str::FromStr",
    "Display": "std::fmt::Display",
    "Debug": "std::fmt::Debug",
    "Cow": "std::borrow::Cow",
    "Borrow": "std::borrow::Borrow",
    "Hash": "std::hash::Hash",
    "Hasher": "std::hash::Hasher",
    "Duration": "std::time::Duration",
    "Instant": "std::time::Instant",
    "PhantomData": "std::marker::PhantomData",
    "Infallible": "std::convert::Infallible",
    "TryFrom": "std::convert::TryFrom",
    "TryInto": "std::convert::TryInto",
    "Deref": "std::ops::Deref",
    "DerefMut": "std::ops::DerefMut",
    "Range": "std::ops::Range",
    "Error": "std::error::Error",
    "NonNull": "std::ptr::NonNull",
    "Wrapping": "std::num::Wrapping",
    "Entry": "std::collections::hash_map::Entry",
}
_DERIVE_FOR = {
    "==": ("PartialEq",),
    "!=": ("PartialEq",),
    "<": ("PartialEq", "PartialOrd"),
    ">": ("PartialEq", "PartialOrd"),
    "<=": ("PartialEq", "PartialOrd"),
    ">=": ("PartialEq", "PartialOrd"),
}
_DERIVABLE = ("Debug", "Clone", "Copy", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash", "Default")


def _primary(d: Diagnostic) -> Span | None:
    return d.primary


def _make(edits: list[Edit], description: str, family: str, code: str, score: float) -> Candidate:
    t = tuple(edits)
    return Candidate(
        id=_cid(t),
        edits=t,
        description=description,
        source="template",
        family=family,
        addresses=(code,),
        score=score,
    )


def _insert(span: Span, at_end: bool, text: str) -> Edit:
    pos = span.byte_end if at_end else span.byte_start
    return Edit(file=span.file_name, start=pos, end=pos, replacement=text)


def _span_text(span: Span, read: Reader) -> str | None:
    data = read(span.file_name)
    if data is None:
        return None
    return data[span.byte_start : span.byte_end].decode("utf-8", "replace")


def mismatched_types(d: Diagnostic, read: Reader) -> list[Candidate]:
    span = _primary(d)
    if span is None or not span.label:
        return []
    m = _EXPECTED_FOUND.search(span.label)
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
    if found.startswith(("Result<", "Option<")) and not exp.startswith(("Result<", "Option<")):
        out.append(
            _make([_insert(span, True, "?")], "propagate the error with `?`", "question-mark", code, 0.65)
        )
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
    if exp in _NUMERIC and found in _NUMERIC:
        simple = re.fullmatch(r"[\w.]+", text) is not None
        edits = (
            [_insert(span, True, f" as {exp}")]
            if simple
            else [_insert(span, False, "("), _insert(span, True, f" as {exp})")]
        )
        out.append(_make(edits, f"convert with `as {exp}`", "as-cast", code, 0.5))
    out.append(_make([_insert(span, True, ".into()")], "convert with `.into()`", "into", code, 0.3))
    return out


def question_at_binding(d: Diagnostic, read: Reader) -> list[Candidate]:
    """A value is a `Result`/`Option` where its users want what is inside: the `?` belongs where the
    value was bound (`let buf = reader.fill_buf()?;`), not at each use."""
    span = _primary(d)
    if span is None:
        return []
    data = read(span.file_name)
    if data is None:
        return []
    if not re.search(r"(?:found|for) (?:enum )?`(?:Result|Option)<", " ".join([d.message, span.label or ""])):
        return []
    head = data[: span.byte_start].decode("utf-8", "replace")
    text = _span_text(span, read) or ""
    name = text if re.fullmatch(r"[a-z_]\w*", text) else None
    if name is None and (m := re.search(r"\b([a-z_]\w*)\s*\.\s*$", head)):
        name = m.group(1)
    if name is None:
        return []
    binds = list(re.finditer(rf"\blet\s+(?:mut\s+)?{re.escape(name)}\b[^;=]*=[^;]*?(?P<semi>;)", head, re.S))
    if not binds:
        return []
    pos = len(head[: binds[-1].start("semi")].encode())
    edit = Edit(file=span.file_name, start=pos, end=pos, replacement="?")
    return [
        _make(
            [edit],
            f"propagate the error where `{name}` is bound",
            "question-mark-at-binding",
            d.code_str or "E0308",
            0.7,
        )
    ]


def question_on_scrutinee(d: Diagnostic, read: Reader) -> list[Candidate]:
    """`let (a, b) = parse(s);` where parse returns a Result: rustc labels the expression
    "this expression has type `Result<...>`"; the `?` goes at its end."""
    out: list[Candidate] = []
    for s in d.spans:
        if s.label and re.match(r"this expression has type `(?:Result|Option)<", s.label):
            edit = _insert(s, True, "?")
            out.append(
                _make(
                    [edit],
                    "propagate the error with `?` on the matched expression",
                    "question-mark",
                    d.code_str or "E0308",
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


def combined_imports(errors: list[Diagnostic]) -> list[Candidate]:
    """One edit that brings back every missing name at once: a lost `use` breaks many lines.

    Two forms: each error's first suggested `use` line (crate items first), and, when several
    suggestions come from one crate module, a glob import of that module.
    """
    per_file: dict[tuple[str, int], list[str]] = {}
    modules: dict[tuple[str, int], dict[str, int]] = {}
    for d in errors:
        if (d.code_str or "") not in _IMPORT_CODES:
            continue
        for child in d.children:
            lines = [
                (s, s.suggested_replacement or "")
                for s in child.spans
                if (s.suggested_replacement or "").startswith("use ")
            ]
            if not lines:
                continue
            lines.sort(key=lambda sl: (not sl[1].startswith("use crate::"), sl[1]))
            span, line = lines[0]
            key = (span.file_name, span.byte_start)
            if line not in per_file.setdefault(key, []):
                per_file[key].append(line)
            for _, text in lines:
                if m := re.match(r"use (crate(?:::\w+)+)::\w+;", text):
                    modules.setdefault(key, {}).setdefault(m.group(1), 0)
                    modules[key][m.group(1)] += 1
    out: list[Candidate] = []
    if sum(len(v) for v in per_file.values()) >= 2:
        edits = [
            Edit(file=f, start=pos, end=pos, replacement="".join(lines))
            for (f, pos), lines in per_file.items()
        ]
        out.append(_make(edits, "import every missing name", "use-all", "E0425", 0.6))
    for (f, pos), mods in modules.items():
        for mod, n in mods.items():
            if n >= 2:
                edit = Edit(file=f, start=pos, end=pos, replacement=f"use {mod}::*;\n")
                out.append(
                    _make(
                        [edit],
                        f"import everything from `{mod}`",
                        "use-glob",
                        "E0425",
                        0.55 + 0.01 * min(n, 9),
                    )
                )
    return out


_IMPORT_CODES = {"E0425", "E0412", "E0433", "E0422", "E0405", "E0404", "E0432", "E0531", "E0423"}


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


def moved_value(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0382/E0505/E0507: clone at the move, or borrow instead of moving."""
    code = d.code_str or "E0382"
    out: list[Candidate] = []
    for s in d.spans:
        if s.label and (
            "value moved here" in s.label
            or "move out of" in s.label
            or "move occurs" in s.label
            and s.is_primary
        ):
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
    not at the call that moved the value.
    """
    out: list[Candidate] = []
    for child in d.children:
        if "takes ownership of the receiver" not in child.message:
            continue
        for s in child.spans:
            if _span_text(s, read) == "self":
                edit = Edit(file=s.file_name, start=s.byte_start, end=s.byte_end, replacement="&self")
                out.append(
                    _make([edit], "borrow the receiver: `&self`", "ref-self", d.code_str or "E0507", 0.65)
                )
    return out


def _edit_distance(a: str, b: str, limit: int = 3) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def unresolved_name(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    """E0425/E0412/E0433/E0422/E0432/E0599: a typo by edit distance, or a missing `use`."""
    span = _primary(d)
    m = _NAME.search(d.message)
    if span is None or not m:
        return []
    name = m.group("name").split("::")[-1]
    code = d.code_str or "E0425"
    data = read(span.file_name) or b""
    text = data.decode("utf-8", "replace")
    out: list[Candidate] = []
    idents = set(re.findall(r"\b[A-Za-z_]\w*\b", text)) - {name}
    near = sorted((_edit_distance(name, i), i) for i in idents if abs(len(i) - len(name)) <= 2)
    target = _span_text(span, read) or ""
    for dist, ident in near[:3]:
        if dist > 2 or target != name:
            continue
        out.append(
            _make(
                [Edit(file=span.file_name, start=span.byte_start, end=span.byte_end, replacement=ident)],
                f"did you mean `{ident}`",
                "typo",
                code,
                0.6 - 0.1 * dist,
            )
        )
    for path in _import_paths(name, read, crate_files):
        pos = _use_insert_pos(data)
        out.append(
            _make(
                [Edit(file=span.file_name, start=pos, end=pos, replacement=f"use {path};\n")],
                f"import `{path}`",
                "use",
                code,
                0.55,
            )
        )
    return out


def _import_paths(name: str, read: Reader, crate_files: tuple[str, ...]) -> list[str]:
    paths: list[str] = []
    if name in _STD_ITEMS:
        paths.append(_STD_ITEMS[name])
    decl = re.compile(
        rf"^\s*pub(?:\([^)]*\))?\s+(?:fn|struct|enum|trait|type|const|static|mod)\s+{re.escape(name)}\b", re.M
    )
    for f in crate_files:
        body = read(f)
        if body and decl.search(body.decode("utf-8", "replace")):
            mod = _module_path(f)
            if mod is not None:
                paths.append("::".join(["crate", *mod, name]))
    return paths[:3]


def _module_path(f: str) -> list[str] | None:
    parts = f.split("/")
    if not parts or parts[0] != "src":
        return None
    parts = parts[1:]
    last = parts[-1].removesuffix(".rs")
    parts = parts[:-1] + ([] if last in ("lib", "main", "mod") else [last])
    return parts


def _use_insert_pos(data: bytes) -> int:
    """After the last top-level `use` line, else after leading inner attributes and doc comments."""
    pos = 0
    offset = 0
    for line in data.split(b"\n"):
        stripped = line.strip()
        nxt = offset + len(line) + 1
        if stripped.startswith(b"use ") and line.startswith(b"use "):
            pos = min(nxt, len(data))
        elif pos == 0 and (stripped.startswith(b"#![") or stripped.startswith(b"//!")):
            pos = min(nxt, len(data))
        offset = nxt
    return pos


def missing_derive(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    """E0277/E0369/E0599: derive the missing trait on the type, where the type is defined in this crate."""
    traits: tuple[str, ...] = ()
    type_name: str | None = None
    msg = d.message
    if m := re.search(r"binary operation `(?P<op>[^`]+)` cannot be applied to type `&?(?P<t>\w+)", msg):
        traits, type_name = _DERIVE_FOR.get(m.group("op"), ()), m.group("t")
    elif m := re.search(
        r"`&?(?P<t>\w+)(?:<[^`]*>)?` doesn't implement `(?:std::fmt::|fmt::)?(?P<tr>\w+)`", msg
    ):
        traits, type_name = (m.group("tr"),), m.group("t")
    elif m := re.search(
        r"the trait bound `&?(?P<t>\w+)(?:<[^`]*>)?: (?:\w+::)*(?P<tr>\w+)` is not satisfied", msg
    ):
        traits, type_name = (m.group("tr"),), m.group("t")
    elif m := re.search(r"the trait `(?:\w+::)*(?P<tr>\w+)` is not implemented for `&?(?P<t>\w+)", msg):
        traits, type_name = (m.group("tr"),), m.group("t")
    elif m := re.search(r"method named `(?P<meth>\w+)` found for (?:struct|enum) `(?P<t>\w+)", msg):
        traits = {
            "clone": ("Clone",),
            "eq": ("PartialEq",),
            "cmp": ("Ord",),
            "partial_cmp": ("PartialOrd",),
            "hash": ("Hash",),
            "fmt": ("Debug",),
        }.get(m.group("meth"), ())
        type_name = m.group("t")
    if type_name is None:
        for s in _walk_text(d):
            if m := re.search(r"`(?P<t>\w+)` with `#\[derive\((?P<tr>\w+)\)\]`", s):
                traits, type_name = (m.group("tr"),), m.group("t")
                break
    traits = tuple(t for t in traits if t in _DERIVABLE)
    if not traits or type_name is None:
        return []
    if "Copy" in traits:
        traits = ("Clone", "Copy")
    if "Eq" in traits or "Hash" in traits:
        traits = ("PartialEq", *traits)
    if "Ord" in traits:
        traits = ("PartialEq", "Eq", "PartialOrd", "Ord")
    code = d.code_str or "E0277"
    decl = re.compile(
        rf"^(?P<indent>[ \t]*)(?:pub(?:\([^)]*\))?\s+)?(?:struct|enum)\s+{re.escape(type_name)}\b", re.M
    )
    for f in crate_files:
        body = read(f)
        if not body:
            continue
        text = body.decode("utf-8", "replace")
        m = decl.search(text)
        if not m:
            continue
        edit = _derive_edit(f, text, m.start(), m.group("indent"), traits)
        if edit is None:
            return []
        return [_make([edit], f"derive {', '.join(traits)} for `{type_name}`", "derive", code, 0.7)]
    return []


def _derive_edit(f: str, text: str, decl_start: int, indent: str, traits: tuple[str, ...]) -> Edit | None:
    before = text[:decl_start]
    attrs = list(re.finditer(r"#\[derive\((?P<list>[^)]*)\)\]\s*(?:#\[[^\]]*\]\s*|///[^\n]*\n\s*)*$", before))
    if attrs:
        a = attrs[-1]
        have = {t.strip() for t in a.group("list").split(",") if t.strip()}
        add = [t for t in traits if t not in have]
        if not add:
            return None
        end = a.start("list") + len(a.group("list").rstrip().rstrip(","))
        pos = len(text[:end].encode())
        sep = ", " if have else ""
        return Edit(file=f, start=pos, end=pos, replacement=sep + ", ".join(add))
    pos = len(before.encode())
    return Edit(file=f, start=pos, end=pos, replacement=f"#[derive({', '.join(traits)})]\n{indent}")


def _walk_text(d: Diagnostic) -> list[str]:
    out = [d.message]
    for c in d.children:
        out.extend(_walk_text(c))
    return out


def template_candidates(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    code = d.code_str or ""
    out: list[Candidate] = []
    if code in ("E0308",):
        out += mismatched_types(d, read) + differ_in_mutability(d, read)
    if code in ("E0308", "E0599", "E0609", "E0608"):
        out += question_at_binding(d, read)
    if code == "E0308":
        out += question_on_scrutinee(d, read)
    if code in ("E0596", "E0384", "E0594"):
        out += add_mut(d, read)
    if code in ("E0382", "E0505", "E0507", "E0509"):
        out += moved_value(d, read) + receiver_by_reference(d, read)
    if code in ("E0425", "E0412", "E0433", "E0422", "E0432", "E0531", "E0423"):
        out += unresolved_name(d, read, crate_files)
    if code in ("E0277", "E0369", "E0599", "E0382", "E0600"):
        out += missing_derive(d, read, crate_files)
    return out
