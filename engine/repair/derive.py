"""The derive template: a missing `#[derive(...)]` on a type defined in this crate. Pure."""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import item_text
from toolbelt.types import Diagnostic

_DERIVE_FOR = {
    "==": ("PartialEq",),
    "!=": ("PartialEq",),
    "<": ("PartialEq", "PartialOrd"),
    ">": ("PartialEq", "PartialOrd"),
    "<=": ("PartialEq", "PartialOrd"),
    ">=": ("PartialEq", "PartialOrd"),
}
_PATH = r"(?:\w+::)*"  # rustc names a type by its path (`version::Version`) when it helps
_DERIVABLE = ("Debug", "Clone", "Copy", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash", "Default")


def missing_derive(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    """E0277/E0369/E0599/E0382: derive the missing trait on the type, where the type is defined in this crate."""
    wanted = _wanted(d)
    if wanted is None:
        return []
    type_name, traits, score = wanted
    return _derive(type_name, traits, score, d.code_str or "E0277", read, crate_files)


def combined_derives(errors: list[Diagnostic], read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    """One derive that gives a type every trait several errors ask of it (`HashSet<Point>` needs
    `Eq` and `Hash`, two errors): the one edit a developer writes, instead of one per error."""
    per_type: dict[str, list[str]] = {}
    asked: dict[str, int] = {}
    for d in errors:
        wanted = _wanted(d)
        if wanted is None:
            continue
        type_name, traits_asked, _ = wanted
        have = per_type.setdefault(type_name, [])
        new = [t for t in traits_asked if t not in have]
        have.extend(new)
        asked[type_name] = asked.get(type_name, 0) + bool(new)
    out: list[Candidate] = []
    for type_name, traits in per_type.items():
        if asked[type_name] >= 2:
            code = next((d.code_str for d in errors if d.code_str), None) or "E0277"
            out += _derive(type_name, tuple(traits), 0.75, code, read, crate_files)
    return out


def _wanted(d: Diagnostic) -> tuple[str, tuple[str, ...], float] | None:
    """(type, traits to derive, prior) that the diagnostic asks of a type, or None."""
    traits: tuple[str, ...] = ()
    type_name: str | None = None
    msg = d.message
    if m := re.search(
        rf"binary operation `(?P<op>[^`]+)` cannot be applied to type `&?{_PATH}(?P<t>\w+)", msg
    ):
        traits, type_name = _DERIVE_FOR.get(m.group("op"), ()), m.group("t")
    elif m := re.search(
        rf"`&?{_PATH}(?P<t>\w+)(?:<[^`]*>)?` doesn't implement `(?:std::fmt::|fmt::)?(?P<tr>\w+)`", msg
    ):
        traits, type_name = (m.group("tr"),), m.group("t")
    elif m := re.search(
        rf"the trait bound `&?{_PATH}(?P<t>\w+)(?:<[^`]*>)?: (?:\w+::)*(?P<tr>\w+)` is not satisfied", msg
    ):
        traits, type_name = (m.group("tr"),), m.group("t")
    elif m := re.search(
        rf"the trait `(?:\w+::)*(?P<tr>\w+)` is not implemented for `&?{_PATH}(?P<t>\w+)", msg
    ):
        traits, type_name = (m.group("tr"),), m.group("t")
    elif m := re.search(
        rf"(?:method|function or associated item) named `(?P<meth>\w+)` found for (?:struct|enum) `{_PATH}(?P<t>\w+)",
        msg,
    ):
        traits, type_name = _defining_traits(d, m.group("meth")), m.group("t")
    elif (d.code_str or "") == "E0599" and (
        m := re.search(
            rf"^`&?{_PATH}(?P<t>\w+)` is not an iterator|^the method `(?P<meth>\w+)` exists for "
            rf"(?:struct|enum) `{_PATH}(?P<t2>\w+)`, but its trait bounds were not satisfied",
            msg,
        )
    ):
        # rustc's headline names the unmet bound of the *first* trait it tried (`Priority: Iterator`
        # for `.cmp`), a red herring when the type is the crate's own and rustc's notes list a
        # derivable trait that defines the method (`Ord`): that trait is the one it lacks
        meth = m.group("meth") or next(
            (
                n.group(1)
                for sp in d.spans
                for n in [re.search(r"method `(\w+)` not found", sp.label or "")]
                if n
            ),
            "",
        )
        traits, type_name = _defining_traits(d, meth), m.group("t") or m.group("t2")
    score = 0.7
    if type_name is None:
        # E0382: "move occurs because `v` has type `U32X4`, which does not implement the `Copy` trait"
        # on a crate type: a lost `Copy` derive, tried after cloning or borrowing at the move.
        for label in (s.label or "" for s in d.spans):
            if m := re.search(
                rf"has type `{_PATH}(?P<t>\w+)`, which does not implement the `Copy` trait", label
            ):
                traits, type_name, score = ("Copy",), m.group("t"), 0.5
                break
    if type_name is None:
        for s in _walk_text(d):
            if m := re.search(rf"`{_PATH}(?P<t>\w+)` with `#\[derive\((?P<tr>[\w, ]+)\)\]`", s):
                traits, type_name = tuple(t.strip() for t in m.group("tr").split(",")), m.group("t")
                break
    traits = tuple(t for t in traits if t in _DERIVABLE)
    if not traits or type_name is None:
        return None
    return type_name, traits, score


_BY_METHOD = {
    "clone": ("Clone",),
    "eq": ("PartialEq",),
    "ne": ("PartialEq",),
    "cmp": ("Ord",),
    "max": ("Ord",),
    "min": ("Ord",),
    "clamp": ("Ord",),
    "partial_cmp": ("PartialOrd",),
    "hash": ("Hash",),
    "fmt": ("Debug",),
}


def _defining_traits(d: Diagnostic, meth: str) -> tuple[str, ...]:
    """The derivable traits that define `meth`, as rustc's notes list them ("the following traits
    define an item `cmp` ... candidate #1: `Ord`"); the table is for when it lists none."""
    named = tuple(
        c.group(1) for t in _walk_text(d) for c in re.finditer(r"candidate #\d+: `(?:\w+::)*(\w+)`", t)
    )
    return tuple(t for t in named if t in _DERIVABLE) or _BY_METHOD.get(meth, ())


def _derive(
    type_name: str,
    traits: tuple[str, ...],
    score: float,
    code: str,
    read: Reader,
    crate_files: tuple[str, ...],
) -> list[Candidate]:
    # a derive needs its supertraits: Copy needs Clone, Eq needs PartialEq, Ord needs all three
    need = {
        "Copy": ("Clone",),
        "Eq": ("PartialEq",),
        "Hash": ("PartialEq",),
        "Ord": ("PartialEq", "Eq", "PartialOrd"),
    }
    full: list[str] = []
    for t in traits:
        for sup in (*need.get(t, ()), t):
            if sup not in full:
                full.append(sup)
    traits = tuple(full)
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
        if "Copy" in traits and _owns_heap(body, len(text[: m.end()].encode()) - 1):
            return []  # a `String`/`Vec`/`Box` field can never be `Copy`: the derive cannot compile
        edit = _derive_edit(f, text, m.start(), m.group("indent"), traits, _precedence(read, crate_files))
        if edit is None:
            return []
        new = [t for t in traits if t not in derived_already(text, m.start())]
        return [_make([edit], f"derive {', '.join(new)} for `{type_name}`", "derive", code, score)]
    return []


_OWNING = re.compile(
    r"\b(String|Vec|Box|HashMap|HashSet|BTreeMap|BTreeSet|VecDeque|Rc|Arc|PathBuf|OsString)\b|&\s*mut\b"
)


def _owns_heap(source: bytes, at: int) -> bool:
    """The type's definition (read with the syntax layer; `at` is a byte inside its name) names an
    owning std type or a `&mut`."""
    text = item_text(source, at)
    return text is not None and bool(_OWNING.search(text))


_DERIVE_LIST = re.compile(r"#\[derive\((?P<list>[^)\n]*)\)\]")


def _precedence(read: Reader, crate_files: tuple[str, ...]) -> dict[tuple[str, str], int]:
    """(a, b) -> how many of the crate's derive lists name `a` before `b`: the order its author keeps."""
    votes: dict[tuple[str, str], int] = {}
    for f in crate_files:
        body = read(f)
        for m in _DERIVE_LIST.finditer(body.decode("utf-8", "replace") if body else ""):
            names = [t.strip() for t in m.group("list").split(",") if t.strip()]
            for i, a in enumerate(names):
                for b in names[i + 1 :]:
                    votes[(a, b)] = votes.get((a, b), 0) + 1
    return votes


# Rust's own convention, for a crate whose lists say nothing of a pair: a derivable supertrait comes
# before the trait that needs it (`Clone, Copy`, `PartialEq, Eq`, `PartialOrd, Ord`). Half a vote:
# one list of the crate's own outweighs it.
_SUPER_FIRST = {("Clone", "Copy"), ("PartialEq", "Eq"), ("PartialOrd", "Ord"), ("PartialEq", "PartialOrd")}


def ordered_insert(have: list[str], add: list[str], votes: dict[tuple[str, str], int]) -> list[str]:
    """`have` with each of `add` where the crate's other derive lists put it (most pairs in their
    order), else before the derive that needs it; with no evidence, at the end."""
    out = list(have)
    for t in add:

        def agree(i: int, t: str = t) -> float:
            def vote(pair: tuple[str, str]) -> float:
                return votes.get(pair, 0) + 0.5 * (pair in _SUPER_FIRST)

            return sum(vote((x, t)) for x in out[:i]) + sum(vote((t, x)) for x in out[i:])

        best = max(range(len(out) + 1), key=lambda i: (agree(i), i))
        out.insert(best, t)
    return out


_ATTR_LIST = re.compile(r"#\[derive\((?P<list>[^)]*)\)\]\s*(?:#\[[^\]]*\]\s*|///[^\n]*\n\s*)*$")


def derived_already(text: str, decl_start: int) -> set[str]:
    """The traits the `#[derive(..)]` list right above a type's declaration already names: a fix's
    title says what its patch adds, never a trait the type had (`PartialEq` beside the new `Eq`)."""
    attrs = list(_ATTR_LIST.finditer(text[:decl_start]))
    return {t.strip() for t in attrs[-1].group("list").split(",") if t.strip()} if attrs else set()


def _derive_edit(
    f: str,
    text: str,
    decl_start: int,
    indent: str,
    traits: tuple[str, ...],
    votes: dict[tuple[str, str], int],
) -> Edit | None:
    before = text[:decl_start]
    attrs = list(_ATTR_LIST.finditer(before))
    if attrs:
        a = attrs[-1]
        names = [t.strip() for t in a.group("list").split(",") if t.strip()]
        have = set(names)
        add = [t for t in traits if t not in have]
        if not add:
            return None
        if "\n" not in a.group("list") and names:  # one line: the list is rewritten in the crate's order
            start, end = (len(text[: a.start("list")].encode()), len(text[: a.end("list")].encode()))
            return Edit(
                file=f, start=start, end=end, replacement=", ".join(ordered_insert(names, add, votes))
            )
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


_DERIVE_LINE = re.compile(r"#\[derive\((?P<list>[\w, ]+)\)\]\n(?P<indent>[ \t]*)")


def _derive_line(e: Edit) -> tuple[tuple[str, ...], str] | None:
    """(traits, indent) of a `#[derive(..)]` line of its own inserted by `e`; None for any other edit."""
    m = _DERIVE_LINE.fullmatch(e.replacement) if e.start == e.end else None
    if m is None:
        return None
    return tuple(t.strip() for t in m.group("list").split(",") if t.strip()), m.group("indent")


def _into_list(
    e: Edit, line: tuple[tuple[str, ...], str], read: Reader, votes: dict[tuple[str, str], int]
) -> Edit | None:
    data = read(e.file)
    if data is None:
        return None
    text = data.decode("utf-8", "replace")
    at = len(data[: e.start].decode("utf-8", "replace"))
    traits, indent = line
    edit = _derive_edit(e.file, text, at, indent, traits, votes)
    return None if edit is None or edit.replacement == e.replacement else edit


def derive_into_list(
    e: Edit, read: Reader, crate_files: tuple[str, ...], votes: dict[tuple[str, str], int] | None = None
) -> Edit | None:
    """A `#[derive(..)]` line of its own (rustc's suggestion) rewritten into the type's existing
    `#[derive(..)]` list, in the crate's order; None when `e` is no such line or there is no list.
    `votes`, the crate's trait order, is computed here when not given."""
    line = _derive_line(e)
    if line is None:
        return None
    return _into_list(e, line, read, votes if votes is not None else _precedence(read, crate_files))


def names_derived(c: Candidate, read: Reader) -> bool:
    """rustc's `#[derive(..)]` line names a trait the type's existing derive list already has
    (`#[derive(Eq, Hash, PartialEq)]` over `#[derive(PartialEq)]`): written into that list the trait
    is dropped, so the rewrite no longer says what rustc says, and rustc's line must be checked as
    written (a second derive of one trait is E0119)."""
    line = _derive_line(c.edits[0]) if len(c.edits) == 1 else None
    data = read(c.edits[0].file) if line is not None else None
    if line is None or data is None:
        return False
    attrs = list(_ATTR_LIST.finditer(data[: c.edits[0].start].decode("utf-8", "replace")))
    have = {t.strip() for t in attrs[-1].group("list").split(",")} if attrs else set()
    return any(t in have for t in line[0])


def into_derive_lists(cands: list[Candidate], read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    """rustc's derive suggestions (`#[derive(Hash)]` on a line of its own) written into the type's
    existing `#[derive(..)]` list instead, in the crate's order: one list per type, as people keep
    it. Every other candidate is returned as it is."""
    out: list[Candidate] = []
    votes: dict[tuple[str, str], int] | None = None
    for c in cands:
        line = _derive_line(c.edits[0]) if len(c.edits) == 1 else None
        if line is not None and votes is None:
            votes = _precedence(read, crate_files)
        edit = _into_list(c.edits[0], line, read, votes) if line is not None and votes is not None else None
        if line is None or edit is None:
            out.append(c)
            continue
        desc = f"derive {', '.join(line[0])} in the existing list ({c.description.rstrip('.')})"
        out.append(_make([edit], desc, "derive", c.addresses[0] if c.addresses else "E0277", c.score))
    return out
