"""A fix's title, label and cost read off the patch it sits beside, never off a template.

The general mistake: words written for the first step of a fix (or for a kind of fix) kept on the
patch that is finally shown. A chain's later step rewrites the code the title quotes (`for v in
&values` becomes `for v in values`), turns a borrow into a copy (`Ok(&key)` then `.cloned()`), or a
knowledge-base trade-off says "No copy" where every checked patch copies; a bound rustc puts on an
`impl` block is described as restricting "the function" while it restricts every method of the impl.
Each claim here is checked against the final patch: the lines it adds, the calls it inserts, and the
items its edits change (the syntax layer).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import msgspec

from engine.edits import Edit, EditError, apply_edits, by_file, diff_side
from engine.explain.evidence import tokens
from engine.explain.open_constructors import called_through, opened_by
from engine.explain.types import Choice, Explanation, PatchOption, SuggestedPatch

# calls that copy or allocate: the patch's added lines hold more of them than its removed lines
_COPYING = re.compile(
    r"\.(?:clone|to_string|to_owned|to_vec|cloned|collect)\b(?:::<[^>]*>)?\(\)"
    r"|\b(?:String::from|Box::new|Rc::new|Arc::new|Vec::from)\(|\b(?:format|vec)!\s*[(\[]"
)
_WHAT = {
    "to_string": "allocates and copies the text into a new `String`",
    "to_vec": "allocates and copies the elements into a new `Vec`",
    "collect": "allocates a new collection",
    "String::from": "allocates a new `String`",
    "format": "allocates a new `String`",
    "vec": "allocates a new `Vec`",
    "Vec::from": "allocates a new `Vec`",
    "Box::new": "allocates on the heap",
    "Rc::new": "allocates on the heap",
    "Arc::new": "allocates on the heap",
}
# constructors that each allocate one heap block: one replacing another is no new allocation
_ONE_BLOCK = frozenset({"Box::new", "Rc::new", "Arc::new"})
# what replacing a std type's constructor by another's costs instead, where the replaced code
# already paid the allocation: the difference is how the new type counts or guards
_SWAPS = (
    ("Rc::new", "Arc::new", "no new allocation, `Rc` made one too; its owner count becomes atomic"),
    ("RefCell::new", "Mutex::new", "each access takes a lock where `RefCell` checked a flag"),
    ("RefCell::new", "RwLock::new", "each access takes a lock where `RefCell` checked a flag"),
)
_CONSTRUCTOR = re.compile(r"\b(\w+::new)\(")
_NO_COPY = re.compile(r"\bNo (?:copy|allocation)\b[^;.]*", re.I)
_BORROW_WORD = re.compile(r"\b[Bb]orrow\b")


def _call_name(m: re.Match[str]) -> str:
    return re.sub(r"^\.|\b(?:::<.*)?\(\)$|[(\[!\s]+$", "", m.group(0)).removesuffix("()")


def inserted_copies(patch: str) -> list[str]:
    """The copying calls (`.clone()`, `.to_string()`, `format!`, `Box::new` ...) the patch's added
    lines hold more of than its removed lines: the copies the patch itself makes."""
    added = [_call_name(m) for ln in diff_side(patch, "+") for m in _COPYING.finditer(ln)]
    removed = [_call_name(m) for ln in diff_side(patch, "-") for m in _COPYING.finditer(ln)]
    out: list[str] = []
    for name in added:
        same = name if name in removed else None
        if same is None and name in _ONE_BLOCK:  # `Rc::new` -> `Arc::new`: the block was paid already
            same = next((r for r in removed if r in _ONE_BLOCK), None)
        if same is not None:
            removed.remove(same)
        else:
            out.append(name)
    return out


def swap_cost(patch: str) -> str:
    """What a patch that replaces one std constructor by another costs instead of the old one
    (`Rc::new` -> `Arc::new`: atomic counts; `RefCell::new` -> `Mutex::new`: a lock), "" when it
    replaces none. Why: a replacement's cost is the difference from what the replaced code already
    paid, never the new code's whole cost (the `Rc` allocated as much as the `Arc`)."""
    added = [m.group(1) for ln in diff_side(patch, "+") for m in _CONSTRUCTOR.finditer(ln)]
    removed = [m.group(1) for ln in diff_side(patch, "-") for m in _CONSTRUCTOR.finditer(ln)]
    said = [
        w
        for old, new, w in _SWAPS
        if old in removed and new in added and added.count(new) > removed.count(new)
    ]
    return "; ".join(dict.fromkeys(said))


def copy_cost(patch: str, typed: tuple[str, ...] = ()) -> str:
    """What the patch's inserted copies cost, in words ("" when it inserts none); `typed`, the cost
    of each `.clone()` it writes read off the receiver's declared type (`typed_clone_costs`), is said
    in place of the untyped "copies the value"."""
    said = [_WHAT.get(c, f"copies the value (`{c}()`)") for c in inserted_copies(patch)]
    if typed and len(typed) == sum(1 for c in inserted_copies(patch) if c == "clone"):
        said = [w for w in said if w != "copies the value (`clone()`)"] + list(typed)
    return "; ".join(dict.fromkeys(said))


def typed_clone_costs(edits: Iterable[Edit], read: Callable[[str], bytes | None] | None) -> tuple[str, ...]:
    """The cost of each `name.clone()` the fix's edits write, from the type `name` is declared with
    in the original file (`engine.syntax.declared_types`, `engine.explain.copycost`); empty when
    one of them has no written type or an unknown cost, so no claim rests on a guess."""
    if read is None:
        return ()
    from engine.explain.copycost import declared_clone_cost
    from engine.syntax.declared_types import declared_type

    out: list[str] = []
    for ed in edits:
        for m in re.finditer(r"(?<![\w.])([a-z_]\w*)\.clone\(\)", ed.replacement):
            src = read(ed.file)
            # in scope where the edit starts, or after it when the edit rewrites the declaration too
            t = next(
                (t for at in (ed.start, ed.end) if src and (t := declared_type(src, m.group(1), at))), None
            )
            cost = declared_clone_cost(t) if t else ""
            if not cost:
                return ()
            out.append(cost)
    return tuple(out)


def _aligned(snippet: str, added: list[str]) -> str | None:
    """The stretch of an added line that says what `snippet` said: from the line's first token equal
    to the snippet's first to the last token equal to the snippet's last ("" tokens: none)."""
    want = tokens(snippet).split()
    if len(want) < 2:
        return None
    for ln in added:
        code = ln.strip()
        got = list(re.finditer(r"\S+", tokens(code)))
        words = [g.group(0) for g in got]
        if want[0] not in words or want[-1] not in words:
            continue
        i = words.index(want[0])
        j = len(words) - 1 - words[::-1].index(want[-1])
        if j <= i or abs((j - i + 1) - len(want)) > 2:
            continue
        # rebuild the source text between those tokens from the line itself
        start = _nth_token_at(code, i)
        end = _nth_token_at(code, j) + len(words[j])
        return code[start:end]
    return None


def _nth_token_at(code: str, n: int) -> int:
    pos = 0
    for k, tok in enumerate(tokens(code).split()):
        pos = code.index(tok, pos)
        if k == n:
            return pos
        pos += len(tok)
    return pos


def quoted_from_patch(title: str, patch: str) -> str:
    """`title` with each quoted code that the patch does not write replaced by the code it writes
    in its place (an added line's aligned stretch); a quote the patch writes, or a name (one token),
    is kept."""
    added = diff_side(patch, "+")
    shown = " ".join(tokens(ln) for ln in added)

    def fix(m: re.Match[str]) -> str:
        q = m.group(1)
        if len(tokens(q).split()) < 2 or tokens(q) in shown:
            return m.group(0)
        new = _aligned(q, added)
        return f"`{new}`" if new else m.group(0)

    return re.sub(r"`([^`\n]+)`", fix, title)


def _copied(patch: str, calls: list[str]) -> list[str]:
    """What each inserted method-call copy is made of, read off the added lines (`to.to_string()`:
    `to`); a call with no plain receiver (`format!`, `String::from(..)`) is left out."""
    out: list[str] = []
    for c in dict.fromkeys(c for c in calls if c[:1].islower() and "!" not in c):
        pat = re.compile(r"(\(\s*[*&]*[\w.]+\s*\)|[*&]*[\w.]+)\s*\." + re.escape(c) + r"\(\)")
        got = [m.group(1) for ln in diff_side(patch, "+") for m in pat.finditer(ln)]
        out += [g for g in got if g not in out]
    return out


def copy_name(name: str, patch: str) -> str:
    """A fix named as a borrow whose patch copies, named for the copy: "Borrow `key` instead of
    moving it" finished by `.cloned()` is "Copy `key` instead of moving it (`cloned()`)".

    When the final patch still takes the reference the title names (`&*tx`) and copies something
    else (`to.to_string()`), the borrow stands and the copy is of that other value: "Borrow `*tx`
    instead of moving it, and copy `to` with `to_string()`", never "Copy `*tx`"."""
    calls = inserted_copies(patch)
    if not calls or not _BORROW_WORD.search(name):
        return name
    said = ", ".join(f"`{c}()`" if c[:1].islower() else f"`{c}`" for c in dict.fromkeys(calls))
    quoted = re.findall(r"`([^`\n]+)`", name)
    what = _copied(patch, calls)
    if _lends(patch) and what and not any(tokens(w) == tokens(q) for w in what for q in quoted):
        them = ", ".join(f"`{w}`" for w in what)
        return f"{name.rstrip('. ')}, and copy {them} with {said}"
    if name[:6].lower() == "borrow":  # the borrow is the fix's whole verb: the copy replaces it
        return f"{'Copy' if name[0] == 'B' else 'copy'}{name[6:]} ({said})"
    return f"{name.rstrip('. ')}, then copy it with {said}"  # a borrow somewhere, a copy after it


def finished(o: PatchOption, read: Callable[[str], bytes | None] | None = None) -> PatchOption:
    """A fix finished in steps (`engine.explain.chain.as_option`) with its name, kind and cost read
    off its final patch: a copy any step inserts is said, and makes it a clone, whatever its first
    step was; code its title quotes is the code the patch writes. With `read` (the original files),
    a clone's cost is read off its receiver's declared type (`typed_clone_costs`)."""
    cost = copy_cost(o.patch, typed_clone_costs(o.edits, read))
    name = copy_name(quoted_from_patch(o.name, o.patch), o.patch)
    return msgspec.structs.replace(
        o,
        name=name,
        first_step=o.name if name != o.name and o.steps else o.first_step,
        kind="clone" if cost else o.kind,
        cost="; ".join(
            filter(
                None,
                dict.fromkeys(
                    (
                        cost,
                        swap_cost(o.patch),
                        o.cost,
                        opened_by(o.edits, read),
                        called_through(o.edits, read),
                    )
                ),
            )
        ),
    )


_BORROWED_COPY = re.compile(r"\(\s*&\s*([\w.\[\]]+)\s*\)\s*\.(?:to_string|to_owned)\(\)")


def _as_clone(patch: str) -> str:
    return _BORROWED_COPY.sub(r"\1.clone()", patch)


def without_spelled_clones(fixes: Iterable[PatchOption]) -> tuple[PatchOption, ...]:
    """Fixes less the ones that are another shown fix's `x.clone()` spelled `(&x).to_string()` (or
    `.to_owned()`): the same copy at the same cost, in a worse idiom, and never a borrow."""
    fixes = tuple(fixes)
    plain = {_as_clone(f.patch) for f in fixes if f.patch == _as_clone(f.patch)}
    return tuple(f for f in fixes if f.patch == _as_clone(f.patch) or _as_clone(f.patch) not in plain)


STILL_COPIES = "The checked borrow fix still copies"
IMPL_WIDE = "with the bound on the impl, "


def corrected(tradeoff: str) -> bool:
    """Whether a trade-off is one this module corrected after the check: printed before the check
    in its template words, it is taken back once the verdicts arrive (`modes.verdicts`)."""
    return STILL_COPIES in tradeoff or IMPL_WIDE in tradeoff


# a unary `&`: after the start, an opening bracket, a separator, an operator or a keyword, never
# after an operand (`x & y` is a bit-and)
_AMP = re.compile(r"(?:^|[(\[{,;=:!|+\-*/<>]|\b(?:return|in|match|if|let))\s*&(?![&=])")


def _lends(patch: str) -> bool:
    """Whether the patch's added lines take more references (`&x`, `&mut x`) than its removed lines:
    a fix that began as a borrow but whose final patch holds none (rustc's `&x` dereferenced, then
    cloned: `x.clone()`) is a copy, not a borrow that copies."""
    added = sum(len(_AMP.findall(ln)) for ln in diff_side(patch, "+"))
    return added > sum(len(_AMP.findall(ln)) for ln in diff_side(patch, "-"))


def honest_tradeoffs(options: Iterable[Choice], fixes: Iterable[PatchOption]) -> tuple[Choice, ...]:
    """The knowledge base's options with a "No copy"/"No allocation" claim on a borrow corrected
    when the checked borrow fixes (those whose first step borrowed) all copy: the claim is then
    about code this crate's checked patches do not have.

    When no borrow fix compiled there is no "checked borrow fix" to speak of (a fix that began as
    `&x` and ends as `x.clone()` is a copy): the claim is dropped where every shown fix copies, and
    no copy is blamed on a borrow; the failed borrow is judged on its own line
    (`modes.verdicts.disproved_lines`)."""
    shown = [f for f in fixes if f.validated in ("compiles", "type-checks", "uncovers")]
    borrows = [
        f for f in shown if (f.kind == "borrow" or _BORROW_WORD.search(f.first_step)) and _lends(f.patch)
    ]
    if not borrows:
        if not shown or any(not inserted_copies(f.patch) for f in shown):
            return tuple(options)
        return tuple(_without_no_copy(o) for o in options)
    copies = [c for f in borrows for c in inserted_copies(f.patch)]
    if not copies or any(not inserted_copies(f.patch) for f in borrows):
        return tuple(options)
    said = ", ".join(f"`{c}`" for c in dict.fromkeys(copies))
    out = []
    for o in options:
        if _BORROW_WORD.search(o.name) and _NO_COPY.search(o.tradeoff):
            o = msgspec.structs.replace(
                o, tradeoff=_NO_COPY.sub(f"{STILL_COPIES} ({said})", o.tradeoff, count=1)
            )
        out.append(o)
    return tuple(out)


def _without_no_copy(o: Choice) -> Choice:
    """A borrow way out less its "No copy"/"No allocation" claim, which no compiled borrow backs."""
    if not (_BORROW_WORD.search(o.name) and _NO_COPY.search(o.tradeoff)):
        return o
    rest = _NO_COPY.sub("", o.tradeoff, count=1).lstrip(" ;.,")
    return msgspec.structs.replace(o, tradeoff=rest[:1].upper() + rest[1:])


def settle(e: Explanation, read: Callable[[str], bytes | None]) -> Explanation:
    """The story's shown words checked against its checked patches (see the module docstring)."""
    from engine.explain import bounds, test_edits  # the syntax layer, read only here
    from engine.explain.ranking import rank  # the repair engine, read only here

    fixes = tuple(bounds.impl_wide(f, read) for f in without_spelled_clones(e.fixes))
    in_tests = test_edits.errors_in_tests(e, read)
    fixes = test_edits.below_equals(test_edits.marked(f, read, in_tests) for f in fixes)
    # ranked again with the costs just read (the tests run on the first ones), the narrower bound first
    fixes = bounds.narrow_first(rank(fixes))
    options = bounds.impl_wide_options(honest_tradeoffs(e.options, fixes), fixes)
    return msgspec.structs.replace(e, fixes=fixes, options=options)


def new_text(o: PatchOption, rel: str, read: Callable[[str], bytes | None]) -> tuple[bytes, bytes] | None:
    """The file `rel` before and after the option's edits, or None when it cannot be read."""
    old = read(rel)
    if old is None:
        return None
    try:
        return old, apply_edits(old, by_file(o.edits).get(rel, []))
    except EditError:
        return None


_AS_RUSTC = re.compile(r",? as rustc suggests")


def _adds(code: str, diff: str) -> bool:
    """Whether the diff's added lines hold `code` more often than its removed lines: the edit writes it."""
    if tokens(code).strip() in ("&", "& mut"):
        return _lends(diff)
    t = tokens(code)
    return sum(tokens(ln).count(t) for ln in diff_side(diff, "+")) > sum(
        tokens(ln).count(t) for ln in diff_side(diff, "-")
    )


def rustc_said(options: Iterable[Choice], patch: SuggestedPatch | None) -> tuple[Choice, ...]:
    """The knowledge base's "as rustc suggests" kept only where rustc's own patch does what the way
    out says: the story has one, and the operation it quotes first (`&`, `move`; a quoted name is
    not an operation) is one rustc's edit writes. The mistake it answers: "Put `&` before the matched
    place, as rustc suggests" where rustc suggests removing a `*`; the way out may still hold, the
    attribution does not, so only the clause goes."""
    out = []
    for o in options:
        if _AS_RUSTC.search(o.how):
            quoted = re.findall(r"`([^`\n]+)`", o.how.split("as rustc suggests")[0])
            ops = [q for q in quoted if not re.fullmatch(r"[\w:]+", q)]
            if patch is None or patch.source != "rustc" or (ops and not _adds(ops[0], patch.diff)):
                o = msgspec.structs.replace(o, how=_AS_RUSTC.sub("", o.how, count=1))
        out.append(o)
    return tuple(out)
