"""What a fix's clone or copy costs, from the types, never from a template.

The general mistake: a cost sentence built from the story's type ("`index` has type
`BTreeMap<String, Vec<usize>>`") put on a patch that clones something else (`w.to_string()` on a
`&str` key). The cost comes from the call the patch writes and the type of its receiver: a
`.to_string()` makes a `String`, a `.to_vec()` a `Vec`; a `.clone()`/`.to_owned()`/`.cloned()` costs
what the named value's type costs only when the receiver is that value. Otherwise nothing is said.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from engine.explain.placeholders import texts
from engine.repair.types import Edit
from toolbelt.types import Diagnostic

_HAS_TYPE = re.compile(r"has type `([^`]+)`")
_NAMED_TYPE = re.compile(r"`([^`]+)` has type `([^`]+)`")
# std types whose clone allocates and copies what they own; Rc/Arc clones share instead
OWNING = re.compile(
    r"(?:(?:std|alloc|core)::(?:[a-z_]+::)*)?"
    r"(?:String|Vec|Box|HashMap|HashSet|BTreeMap|BTreeSet|VecDeque|BinaryHeap|LinkedList|PathBuf|OsString|CString)\b"
)
_SHARED = re.compile(r"(?:(?:std|alloc)::(?:[a-z_]+::)*)?(?:Rc|Arc)<")


def value_type(diag: Diagnostic) -> str | None:
    """The type of the value the story is about, when rustc names it ("`v` has type `Vec<u8>`")."""
    for t in texts(diag):
        m = _HAS_TYPE.search(t)
        if m:
            return m.group(1)
    return None


def clone_cost(type_text: str | None) -> str:
    """What cloning a value of this type costs, or "" when the type does not tell."""
    if not type_text:
        return ""
    bare = type_text.removeprefix("&mut ").removeprefix("&").strip()
    if _SHARED.match(bare):
        return "copies a pointer and bumps a reference count"
    if OWNING.match(bare):
        return f"allocates and copies the `{bare}`"
    return ""


def _type_args(t: str) -> list[str] | None:
    """The generic arguments of `Name<..>` at the top level, or None when `t` has none."""
    if "<" not in t or not t.endswith(">"):
        return None
    inner, depth, parts, cur = t[t.index("<") + 1 : -1], 0, [], ""
    for ch in inner:
        depth += {"<": 1, "(": 1, "[": 1, ">": -1, ")": -1, "]": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    return [*parts, cur.strip()] if cur.strip() else parts


def declared_clone_cost(type_text: str) -> str:
    """What `.clone()` of a value of this written type costs, references told apart from owned data.

    The mistake it answers: "copies the value (`clone()`)" said of a clone of a `Vec<&[u64]>`,
    which reads as a copy of the numbers while it copies only the references to them (the data
    stays borrowed, so a clone cannot make it `'static` either). A std collection whose type
    arguments are all references copies only those references into a new collection; any other type
    is priced by `clone_cost` ("" when it does not tell; `r.clone()` on a `&String` clones the
    `String`, method lookup reaching `String::clone` first)."""
    bare = type_text.strip().removeprefix("mut ").strip()
    args = _type_args(bare)
    if OWNING.match(bare) and args and all(a.startswith("&") for a in args):
        outer = bare[: bare.index("<")].split("::")[-1]
        return f"copies only the references (not the data they point to) into a new `{outer}`"
    return clone_cost(bare)


_CALL = re.compile(r"((?:[*&]\s*)?[\w.\[\]]+(?:\(\))?)\.(clone|to_owned|to_vec|to_string|cloned)\(\)")
COPYING_CALL = re.compile(
    r"\.(?:clone|to_owned|to_vec|to_string|cloned)\(\)"
)  # an edit may write only the call
_MADE = {
    "to_string": "allocates and copies the text into a new `String`",
    "to_vec": "allocates and copies the elements into a new `Vec`",
}


def _primary_text(diag: Diagnostic | None) -> str:
    p = diag.primary if diag is not None else None
    if p is None or not p.text or p.line_start != p.line_end:
        return ""
    t = p.text[0]
    return t.text[t.highlight_start - 1 : t.highlight_end - 1].strip()


def patch_clone_cost(added: Iterable[str], diag: Diagnostic | None, cost_type: str | None) -> str:
    """The cost of the clone calls a patch adds (`added`: its added lines), or "" when no type fact
    tells: the call's own result type, or the named value's type where the receiver is that value."""
    calls = [m for line in added for m in _CALL.finditer(line)]
    if not calls:
        return ""
    said: list[str] = []
    named = next((m for t in texts(diag) if (m := _NAMED_TYPE.search(t))), None) if diag else None
    # the value whose type rustc states: the one it names, else the one at its primary span
    # ("move occurs because value has type `String`" under `v[0]`)
    value = named.group(1) if named else _primary_text(diag)
    typ = named.group(2) if named else cost_type
    for m in calls:
        receiver = m.group(1).lstrip("*& ").removesuffix("()")
        if m.group(2) in _MADE:
            cost = _MADE[m.group(2)]
        elif m.group(2) == "cloned":
            cost = ""  # the item type of the iterator is not a fact here
        elif value and receiver.split(".")[-1] == value.split(".")[-1]:
            cost = clone_cost(typ)
        else:
            cost = ""
        if not cost:
            return ""  # one call of unknown cost makes the whole claim unknown
        said.append(cost)
    return "; ".join(dict.fromkeys(said))


def with_frequency(cost: str, edits: Iterable[Edit], files: Mapping[str, bytes]) -> str:
    """`cost` said of every run of the clone the patch writes: a clone in a loop body copies on every
    iteration, not once per call, and one in a closure that `or_insert_with`/`map_err`/... runs on
    one path only copies only on that path (`engine.syntax.run_count`). The place is read in the
    patched file, where the clone will run, not in the code the patch replaces. A clone the replaced
    code already made (the same call in the old text) is no new cost: the general mistake this
    prevents is pricing a rewrite (`if !m.contains_key(&k) { m.insert(k, t.to_string()) }` into
    `m.entry(k).or_insert_with(|| t.to_string())`) as if it added the allocation. One cost only: of
    several, which runs how often is not said."""
    if not cost or ";" in cost:
        return cost
    edits = tuple(edits)
    for e in edits:
        m = COPYING_CALL.search(e.replacement)
        if e.file not in files or m is None:
            continue
        from engine.syntax.run_count import how_often  # the parser only for a priced clone

        old = files[e.file]
        shift = sum(
            len(o.replacement) - (o.end - o.start)
            for o in edits
            if o.file == e.file and o.end <= e.start and o is not e
        )
        new = bytearray(old)
        for o in sorted((o for o in edits if o.file == e.file), key=lambda o: o.start, reverse=True):
            new[o.start : o.end] = o.replacement.encode()
        at = e.start + shift + len(e.replacement[: m.start()].encode())
        often = how_often(bytes(new), at, at + 1)
        call = _call_at(e.replacement, m.start())
        if call and call in old[e.start : e.end].decode("utf-8", "replace"):
            return f"no new allocation: the replaced code already ran `{call}`" + (
                f"; it now runs {often}" if often else ""
            )
        return f"{cost} {often}" if often else cost
    return cost


def _call_at(text: str, dot: int) -> str:
    """The whole copying call whose `.method()` starts at `dot` (`tag.to_string()`), or ""."""
    m = next((m for m in _CALL.finditer(text) if m.start(2) - 1 == dot), None)
    return m.group(0) if m is not None else ""
