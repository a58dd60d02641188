"""Pair mode's Why line for stories whose KB entry has only a generic summary, built from facts.

Why: for a borrow error the entry's summary ("moves a value out of a reference") says no more than
rustc's message, so pair mode printed rustc's text and a fix and nothing of Rusta's own. Each
function here answers one general shape of mistake from rustc's spans and labels and the program's
text at those spans (which place, which type, which call makes the temporary, where the borrow is
used), and returns None when a fact it needs is missing: no fact, no line. Code it quotes is the
program's, read at rustc's spans.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from engine.explain.closure_why import closure_outlives
from engine.explain.notes import chain_steps
from engine.explain.placeholders import short_type
from engine.explain.signature_why import elided_output, generic_count
from engine.syntax.top_level import split_top
from toolbelt.diagnostics import in_user_crate
from toolbelt.span_source import span_source as _source
from toolbelt.types import Diagnostic

if TYPE_CHECKING:
    from engine.explain.types import Location

_SHARED_MOVE = re.compile(r"^cannot move out of `([^`]+)` which is behind a shared reference$")
_HAS_TYPE = re.compile(r"has type `([^`]+)`, which does not implement the `Copy` trait")
_CONSUMER = re.compile(r"`(?:[\w:<>, ]+::)?(\w+)` takes ownership of the receiver `self`")
_PLACE_ROOT = re.compile(r"^[(*&\s]*([A-Za-z_]\w*)\b")
_LAST_CALL = re.compile(r"(?:\.|::|\b)(\w+)\s*(?:::<[^>]*>)?\s*\((?:[^()]|\([^()]*\))*\)\s*$")
_NEXT_CALL = re.compile(rb"^\s*\.\s*(\w+)\s*\(")
_LET = re.compile(r"\blet\s+(?:mut\s+)?([A-Za-z_]\w*)\s*(?::[^=]+)?=\s*$")


def why_line(
    diag: Diagnostic,
    crate_root: str | Path,
    members: tuple[Diagnostic, ...] = (),
    root: Location | None = None,
) -> str | None:
    """The fact-built Why sentence for the diagnostic's shape, or None where no shape here fits.
    `members` are the story's diagnostics and `root` its root cause, for shapes that need them."""
    code = diag.code_str or ""
    if code == "E0596" and root is not None:
        return mutable_borrows(members or (diag,), root.file, root.line, crate_root)
    if code == "E0507":
        return shared_field_move(diag)
    if code == "E0716":
        return temporary_borrowed(diag, crate_root)
    if code == "E0053":
        return trait_signature_differs(diag, crate_root)
    if code == "E0046":
        return trait_item_missing(diag)
    if code == "E0277":
        return item_type_changed(diag, crate_root)
    if code == "E0004":
        return tuple_arms_for_missing(diag, crate_root)
    if code == "E0106":
        return elided_output(diag, crate_root)
    if code == "E0107":
        return generic_count(diag, crate_root)
    if code == "E0373":
        return closure_outlives(diag, crate_root)
    if code == "E0434":
        return recursive_capture(diag, crate_root)
    return None


def recursive_fn(diag: Diagnostic, crate_root: str | Path) -> str | None:
    """The name of the `fn` item around rustc's primary span when its body calls it, else None."""
    from engine.syntax.recursive_fn import self_calling_fn

    prim = diag.primary
    source = _source(crate_root, prim) if prim is not None and in_user_crate(prim.file_name) else None
    return self_calling_fn(source, prim.byte_start, prim.byte_end) if source and prim else None


def recursive_capture(diag: Diagnostic, crate_root: str | Path) -> str | None:
    """E0434 in an inner `fn` that calls itself: rustc's help to use the closure form cannot work
    there (a closure cannot name itself), so the line says so and names the way that does."""
    name, prim = recursive_fn(diag, crate_root), diag.primary
    source = _source(crate_root, prim) if name and prim else None
    local = source[prim.byte_start : prim.byte_end].decode("utf-8", "replace") if source and prim else ""
    if not name or not local.isidentifier():
        return None
    return (
        f"`{name}` calls itself, and a closure cannot name itself, so rustc's closure form cannot "
        f"work here; give `{name}` a parameter for `{local}` and pass it at each call."
    )


def shared_field_move(diag: Diagnostic) -> str | None:
    """E0507 on a place reached through a shared reference (`self.name`, `it.tags`): the general
    mistake is using a non-`Copy` field by value where the code holds only a `&` to its owner. The
    line names the place, its type (rustc's "has type" label), the reference it is reached through,
    and the by-value method that moves it when rustc's note names one (`unwrap_or_else` takes its
    receiver `self`)."""
    m = _SHARED_MOVE.match(diag.message)
    prim = diag.primary
    if m is None or prim is None:
        return None
    place = m.group(1)
    typed = next((t for t in _said(diag) if _HAS_TYPE.search(t)), None)
    root = _PLACE_ROOT.match(place)
    if typed is None or root is None or "." not in place.removeprefix(root.group(1))[:1]:
        return None  # a plain local or an index: not a field reached through a reference
    typ = short_type(_HAS_TYPE.search(typed).group(1))  # type: ignore[union-attr]
    consumer = next((c.group(1) for t in _said(diag) if (c := _CONSUMER.search(t))), None)
    where = f"{prim.file_name}:{prim.line_start}"
    article = "an" if typ[:1] in "AEIOaeio" else "a"
    through = (
        f"`{place}` is {article} `{typ}` reached through `{root.group(1)}`, which this code only borrows"
    )
    if consumer is not None:
        return (
            f"{through}; `{consumer}` takes its receiver by value, so calling it on `{place}` at {where} "
            f"would move the `{typ}` out of the borrowed data."
        )
    return (
        f"{through}; using it by value at {where} would move it out of the borrowed data, and `{typ}` "
        "is not `Copy`, so it cannot be copied out either."
    )


def temporary_borrowed(diag: Diagnostic, crate_root: str | Path) -> str | None:
    """E0716: a value made inside an expression (a call's result) is borrowed by the next call in the
    chain (`.as_str()`, `.iter()`) or by `&`, and the borrow is kept past the statement, where the
    temporary is already dropped. The line names the call that makes the temporary, what borrows it,
    the binding that keeps the borrow (`let level = ...`) and the line that uses it later, all read
    at rustc's spans; without the making call or the later use it says nothing."""
    prim = diag.primary
    later = next((s for s in diag.spans if s.label and "later used here" in s.label), None)
    if prim is None or later is None or not in_user_crate(prim.file_name):
        return None
    source = _source(crate_root, prim)
    if source is None:
        return None
    made = source[prim.byte_start : prim.byte_end].decode("utf-8", "replace")
    call = _LAST_CALL.search(made)
    if call is None:
        return None
    after = _NEXT_CALL.match(source[prim.byte_end : prim.byte_end + 200])
    before = source[max(0, prim.byte_start - 200) : prim.byte_start].decode("utf-8", "replace")
    if after is not None:
        borrower = f"`.{after.group(1).decode()}()` borrows it"
    elif before.rstrip().endswith("&"):
        borrower = "`&` borrows it"
    else:
        return None
    bound = _LET.search(before.split(";")[-1].split("{")[-1])
    into = f" into `{bound.group(1)}`" if bound else ""
    used = (later.text[0].text[later.column_start - 1 : later.column_end - 1] if later.text else "").strip()
    use = f"`{used}` is" if used and bound and used == bound.group(1) else "the borrow is"
    # the call quoted as the program writes it (`String::from("a")`, not `from()`), or its name alone
    whole = " ".join(made.split())
    value = (
        f"`{whole}`" if "\n" not in made.strip() and len(whole) <= 48 else f"what `{call.group(1)}` returns"
    )
    return (
        f"The value of {value} at {prim.file_name}:{prim.line_end} is a temporary, dropped "
        f"at the end of its statement; {borrower}{into}, and {use} still used at line {later.line_start}."
    )


_METHOD = re.compile(r"^method `(\w+)` has an incompatible type for trait$")
_EXPECTED_FOUND = re.compile(r"^expected `([^`]+)`, found `([^`]+)`$")
_TRAIT_OF_IMPL = re.compile(r"^\s*(?:unsafe\s+)?impl\s*(?:<[^{]*?>)?\s*([\w:]+)(?:<[^{]*?>)?\s+for\s")
_PARAM = re.compile(r"(?:^|[(,]\s*)(?:mut\s+)?([A-Za-z_]\w*)\s*:\s*$")


def trait_signature_differs(diag: Diagnostic, crate_root: str | Path) -> str | None:
    """E0053: an impl's method writes a parameter's (or the return) type other than the trait's
    declaration. The general mistake is writing the impl's signature from memory (`u64` where the
    trait says `&Self::Item`). The line names the method, the parameter at rustc's span, the type the
    impl wrote, the trait (from the `impl .. for` header) and its declaration at the "type in trait"
    span, with what that declaration is in this impl (rustc's expected type)."""
    m = _METHOD.match(diag.message)
    prim = diag.primary
    ef = _EXPECTED_FOUND.match(prim.label or "") if prim is not None else None
    decl = next((s for c in diag.children if c.message == "type in trait" for s in c.spans), None)
    if m is None or prim is None or ef is None or decl is None or not decl.text:
        return None
    source = _source(crate_root, prim)
    if source is None:
        return None
    from engine.syntax.tree import enclosing

    impl = enclosing(source, prim.byte_start, prim.byte_end, ("impl_item",))
    trait = _TRAIT_OF_IMPL.match(impl[1].text.split("{", 1)[0]) if impl is not None else None
    if trait is None:
        return None
    line = source[: prim.byte_start].rsplit(b"\n", 1)[-1].decode("utf-8", "replace")
    written = source[prim.byte_start : prim.byte_end].decode("utf-8", "replace")
    declared = (
        decl.text[0].text[decl.column_start - 1 : decl.column_end - 1]
        if decl.line_start == decl.line_end
        else ""
    )
    if not declared:
        return None
    param = _PARAM.search(line)
    if param is not None:
        what = f"takes `{param.group(1)}` as `{written}`"
    elif line.rstrip().endswith("->"):
        what = f"returns `{written}`"
    elif written.endswith("self"):
        what = f"takes its receiver as `{written}`"
    else:
        return None
    there = f"`{declared}`" + (f", `{ef.group(1)}` in this impl" if ef.group(1) != declared else "")
    return (
        f"`{m.group(1)}` {what} at {prim.file_name}:{prim.line_start}, but the trait `{trait.group(1)}` "
        f"declares {there} ({decl.file_name}:{decl.line_start}): an impl's method must keep the trait's signature."
    )


_MISSING = re.compile(r"^not all trait items implemented, missing: ((?:`\w+`(?:, )?)+)$")


def trait_item_missing(diag: Diagnostic) -> str | None:
    """E0046: an impl leaves out an item its trait declares without a default (rustc reports only
    those). The general mistake is an impl written before the trait grew an item, or from a partial
    memory of it. The line names the impl (rustc's span, the program's text), each missing item and
    the line the trait declares it on (rustc's "`x` from trait" spans)."""
    m = _MISSING.match(diag.message)
    prim = diag.primary
    if m is None or prim is None or not prim.text:
        return None
    header = prim.text[0].text[prim.column_start - 1 : prim.column_end - 1].strip()
    names = re.findall(r"`(\w+)`", m.group(1))
    lines = {
        s.label.split("`")[1]: s
        for s in diag.spans
        if s.label and s.label.startswith("`") and s.label.endswith("` from trait")
    }
    if not header.startswith("impl") or any(n not in lines for n in names):
        return None
    declared = ", ".join(f"`{n}` at {lines[n].file_name}:{lines[n].line_start}" for n in names)
    one = len(names) == 1
    return (
        f"`{header}` ({prim.file_name}:{prim.line_start}) writes no {', '.join(f'`{n}`' for n in names)}; "
        f"the trait declares {declared} with no default body, so every impl must write {'it' if one else 'them'}."
    )


_BUILT = re.compile(
    r"^a value of type `([^`]+)` cannot be (?:built from|made by (?:summing|multiplying)) an iterator "
    r"over elements of type `([^`]+)`$"
)
_TAKES = (
    re.compile(r"but trait `FromIterator<([^`]+)>` is implemented for it"),
    re.compile(r"^`[^`]+` implements `(?:std::iter::)?(?:Sum|Product)<([^`]+)>`$"),
    re.compile(r"^`([^`]+)` implements `(?:std::iter::)?(?:Sum|Product)`$"),
)


def item_type_changed(diag: Diagnostic, crate_root: str | Path) -> str | None:
    """E0277 on `collect`/`sum`/`product` whose items are not what the target is built from: the
    general mistake is a step of the chain (a `map` that converts, `iter` that yields references)
    giving items of another type than the written target takes. The line quotes the step rustc
    marks "`Iterator::Item` changed to `X` here" and names the item types the target is built from
    (rustc's "but trait `FromIterator<Y>` is implemented" help or its "`T` implements `Sum<Y>`"
    notes); without both it says nothing. The step is one of the failing call's own receiver chain
    (`notes.chain_steps`, narrowed by the syntax layer's `receiver_chain`) that yields the very item
    type rustc names: a `map` of another statement's chain is never blamed."""
    m = _BUILT.match(diag.message)
    prim = diag.primary
    if m is None or prim is None:
        return None
    target, item = short_type(m.group(1)), short_type(m.group(2))
    source = _source(crate_root, prim)
    within = None
    if source is not None:
        from engine.syntax.receiver_chain import receiver_chain

        # no method call at the span (`Vec::from_iter(it)`): rustc's labels alone split the chains
        within = (
            tuple((r.start, r.end) for r in receiver_chain(source, prim.byte_start, prim.byte_end)) or None
        )
    steps = [st.span for st in chain_steps(diag, within) if st.kind == "changed to" and st.type == item]
    step = next((s for s in reversed(steps) if s.text and s.line_start == s.line_end), None)
    takes: list[str] = []
    for t in _said(diag):
        for rx in _TAKES:
            if (k := rx.search(t)) is not None and short_type(k.group(1)) not in takes:
                takes.append(short_type(k.group(1)))
    if step is None or not takes or item in takes:
        return None
    code = step.text[0].text[step.column_start - 1 : step.column_end - 1].strip()
    ok = " or ".join(f"`{t}`" for t in takes)
    return (
        f"`{code}` at {step.file_name}:{step.line_start} makes each item a `{item}`, but a `{target}` is "
        f"built from {ok} items: what that step yields and the `{target}` expected here disagree."
    )


_NOT_COVERED = re.compile(r"^non-exhaustive patterns: `([^`]+)`")
_BINDING = re.compile(r"^(?:ref\s+)?(?:mut\s+)?(?:_|[a-z_]\w*)$")


def _top_level(pattern: str) -> list[str] | None:
    """The elements of a tuple pattern `(a, B::C(x), ..)` split at its top-level commas, else None."""
    p = pattern.strip()
    if not (p.startswith("(") and p.endswith(")")):
        return None
    return split_top(p[1:-1])


def tuple_arms_for_missing(diag: Diagnostic, crate_root: str | Path) -> str | None:
    """E0004 on a match over a tuple (`match (state, event)`): the general mistake is a state machine
    whose arms for one first element do not pair it with every second one. The line takes rustc's
    first missing pattern, reads the match's arms from the syntax tree, and lists the arms whose
    first element can match its first element (the same variant, `_` or a binding), with their
    lines: where the missing pair belongs. An arm with a missing pattern's shape but a guard is named
    too (`_guarded_arm`), for a tuple or not. No arm found: no line."""
    m = _NOT_COVERED.match(diag.message)
    prim = diag.primary
    if m is None or prim is None:
        return None
    missing = _top_level(m.group(1))
    first = missing[0] if missing else ""
    head = re.match(r"(?:\w+::)*(\w+)", first) if first else None
    source = _source(crate_root, prim)
    if source is None:
        return None
    from engine.syntax.tree import ancestors, node_at

    match = next(
        (
            n
            for n in ancestors(node_at(source, prim.byte_start, prim.byte_end))
            if n.type == "match_expression"
        ),
        None,
    )
    body = match.child_by_field_name("body") if match is not None else None
    if body is None:
        return None
    arms = [a for a in body.named_children if a.type == "match_arm"]
    guarded = _guarded_arm(diag.message, arms)
    if head is None:  # not a tuple: only the guarded arm, if one has the missing shape
        return guarded
    hits: list[str] = []
    for arm in arms:
        pat = arm.child_by_field_name("pattern")
        text = (pat.text or b"").decode("utf-8", "replace") if pat is not None else ""
        elems = _top_level(text.split(" if ", 1)[0])
        if elems and (re.search(rf"\b{re.escape(head.group(1))}\b", elems[0]) or _BINDING.match(elems[0])):
            hits.append(f"`{text}` (line {arm.start_point[0] + 1})")
    if not hits:
        return guarded
    only = " only" if len(hits) == 1 else ""
    listed = ", ".join(hits[:4]) + (f" and {len(hits) - 4} more" if len(hits) > 4 else "")
    if len(hits) in (2, 3, 4):
        listed = ", ".join(hits[:-1]) + f" and {hits[-1]}"
    return (
        f"Of the {len(arms)} arms of the match at {prim.file_name}:{prim.line_start}, those whose first "
        f"element can be `{first}` are {listed}{only}; rustc's missing `{m.group(1)}` is a pair they leave out."
    ) + (f" {guarded}" if guarded else "")


def _heads(elem: str) -> set[str] | None:
    """The variant names one pattern element can match (`Event::Push | Event::Lock(_)` -> Push,
    Lock), or None for a binding or `_`, which matches any."""
    alts = [a.strip() for a in elem.split("|")]
    if any(_BINDING.match(a) for a in alts):
        return None
    return {h.group(1) for a in alts if (h := re.match(r"(?:\w+\s*@\s*)?(?:\w+::)*(\w+)", a))}


def _guarded_arm(message: str, arms: list) -> str | None:  # noqa: ANN001 - tree-sitter match arms
    """The arm that has the shape of a pattern rustc says is missing, but a guard: the general
    mistake is expecting `(Locked { code }, Unlock(given)) if given == code` to cover
    `(Locked { .. }, Unlock(_))`, while rustc counts no guarded arm toward exhaustiveness (the guard
    may fail). None when no guarded arm has a missing pattern's shape."""
    head = message.split(" not covered", 1)[0]
    for missing in re.findall(r"`([^`]+)`", head):
        want = _top_level(missing) or [missing]
        for arm in arms:
            pat = arm.child_by_field_name("pattern")
            cond = pat.child_by_field_name("condition") if pat is not None else None
            if cond is None:
                continue
            text = (pat.text or b"").decode("utf-8", "replace")
            bare = text[: cond.start_byte - pat.start_byte].strip().removesuffix("if").strip()
            elems = _top_level(bare) or [bare]
            if len(elems) != len(want):
                continue
            if all(
                (h := _heads(e)) is None or (w := _heads(x)) is None or bool(h & w)
                for e, x in zip(elems, want, strict=True)
            ):
                guard = " ".join((cond.text or b"").decode("utf-8", "replace").split())
                return (
                    f"The arm `{bare}` at line {arm.start_point[0] + 1} has the shape of `{missing}` but a guard "
                    f"(`if {guard}`): rustc counts no guarded arm toward exhaustiveness, since the guard may "
                    "fail, so the pattern is uncovered whenever it does."
                )
    return None


def _said(diag: Diagnostic) -> list[str]:
    out = [s.label for s in diag.spans if s.label]
    for c in diag.children:
        out.append(c.message)
        out.extend(s.label for s in c.spans if s.label)
    return out


_NOT_MUT = re.compile(r"^cannot borrow `([A-Za-z_]\w*)` as mutable, as it is not declared as mutable$")


def mutable_borrows(
    diags: tuple[Diagnostic, ...], decl_file: str, decl_line: int, crate_root: str | Path
) -> str | None:
    """E0596 on a binding declared without `mut`: the declaration is the root cause (where `mut`
    goes), but the user wrote the borrows, and rustc marks each one "cannot borrow as mutable" (a
    label beside the declaration's span, or the primary span of a diagnostic of its own). The line
    names every such line of the story's diagnostics for that binding, with what borrows there: the
    method called on the place (`push`), or `&mut` written before it; no marked line, no sentence."""
    names = {m.group(1) for d in diags if (m := _NOT_MUT.match(d.message))}
    if len(names) != 1:
        return None
    name = names.pop()
    lines: list[int] = []
    how: list[str] = []
    for d in diags:
        if not _NOT_MUT.match(d.message):
            continue
        for s in d.spans:
            if not (s.label and "cannot borrow as mutable" in s.label) or s.file_name != decl_file:
                continue
            if s.line_start not in lines:
                lines.append(s.line_start)
            source = _source(crate_root, s)
            if source is None:
                continue
            after = _NEXT_CALL.match(source[s.byte_end : s.byte_end + 200])
            text = source[s.byte_start : s.byte_end].decode("utf-8", "replace")
            what = f"`{after.group(1).decode()}`" if after else ("`&mut`" if text.startswith("&mut") else "")
            if what and what not in how:
                how.append(what)
    lines = sorted(n for n in lines if n != decl_line)
    if not lines:
        return None
    listed = (
        f"line {lines[0]}" if len(lines) == 1 else f"lines {', '.join(map(str, lines[:-1]))} and {lines[-1]}"
    )
    by = f" ({', '.join(how)})" if how else ""
    return (
        f"`{name}` is borrowed mutably at {listed} of {decl_file}{by}, and a mutable borrow needs the `mut` "
        f"that the declaration of `{name}` at line {decl_line} lacks."
    )


def why_with(diag: Diagnostic, line: str, why: str) -> str:
    """Study mode's Why with the fact line first where the entry's Why is generic: E0596's says a
    binding is read-only unless it says `mut`, but not which lines of the user's need it to change."""
    return f"{line} {why}" if diag.code_str == "E0596" else why
