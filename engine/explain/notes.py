"""rustc's notes read for a reader who already has them in front of her: what they already say (so
Rusta does not say it again), and what they show only spread over several spans or lines, put in
one sentence.

Study mode prints rustc's own text first, then Rusta's layer. That layer must add to rustc, never
repeat it: `restates` finds a sentence of Rusta's that is rustc's note in other clothes. Three kinds
of note carry an insight that only their layout shows, so `digest` says it in words:

- a list ("the following other types implement trait `From<T>`:" and one line per impl) is summed
  up as what the type does implement and what it does not, never cut into a broken sentence;
- a method-chain note ("`Iterator::Item` is `&str` here", "changed to `u32` here") is read along
  the chain: where the item type was set and where it last changed;
- a format string with more placeholders than arguments pairs each placeholder with its argument,
  as rustc's underlines do, and names the placeholders left without one.

Pure string work over Diagnostic Structs; every sentence quotes rustc's types and the program's code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher
from typing import NamedTuple

from engine.explain.placeholders import short_type, texts
from toolbelt.diagnostics import in_user_crate
from toolbelt.types import Diagnostic, Span

_LIST_HEAD = re.compile(r"^the following (?:other )?types implement trait `([^`]+)`")
_IMPLEMENTS = re.compile(r"`([^`]+)` implements `([^`]+)`")
_NOT_IMPL = re.compile(r"the trait `([^`]+)` is not implemented for `([^`]+)`")
_CHAIN_NOTE = "the method call chain might not have had the expected associated types"
_ITEM = re.compile(r"^`([^`]+)` (is|remains|changed to) `([^`]+)` here$")
_ARG_COUNT = re.compile(
    r"^(\d+) positional arguments? in format string, but there (?:is|are) (\d+) arguments?$"
)
_WORDS = re.compile(r"[a-z0-9_&'<>:]+")


def _norm(text: str) -> str:
    """Lower case, short std paths, no backticks or punctuation: how two wordings are compared."""
    return " ".join(_WORDS.findall(short_type(text).lower().replace("`", "")))


def rustc_texts(diags: Iterable[Diagnostic]) -> list[str]:
    """Every message and label rustc gave, each list line on its own, normalised."""
    out: list[str] = []
    for d in diags:
        for t in texts(d):
            out.append(_norm(t))
            out.extend(_norm(ln) for ln in t.splitlines()[1:])
    return [t for t in out if t]


def restates(sentence: str, rustc: list[str]) -> bool:
    """The sentence says what one of rustc's texts says, in nearly the same words (or is a run of
    them): a reader who has rustc's text learns nothing from it."""
    s = _norm(sentence)
    if not s:
        return True
    if any(s in t for t in rustc):
        return True
    covered = sum(len(t) for t in rustc if len(t) > 12 and t in s)
    if covered >= 0.7 * len(s):
        return True
    return any(SequenceMatcher(None, s, t).ratio() >= 0.8 for t in rustc if abs(len(t) - len(s)) < len(s))


_GENERIC = re.compile(r"(?<![\w:])[A-Z](?![\w:])")  # a lone type parameter: `[T]`, `Vec<T>`
_MORE = re.compile(r"and \d+ others")


def _join(items: list[str]) -> str:
    quoted = [f"`{x}`" for x in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" and {quoted[-1]}"


def _args(trait: str, owner: str) -> tuple[str, str]:
    """(`From`, `&str`) for `From<&str>`; a bare `Sum` is `Sum<Self>`, the default parameter."""
    m = re.fullmatch(r"([\w:]+)<(.+)>", trait)
    return (m.group(1), m.group(2)) if m else (trait, owner)


def impl_list(d: Diagnostic) -> str | None:
    """rustc's list of the impls a type does have, as one sentence with the one it lacks."""
    missing = next((m for t in texts(d) if (m := _NOT_IMPL.search(t))), None)
    for c in d.children:
        if not _LIST_HEAD.match(c.message):
            continue
        pairs = _IMPLEMENTS.findall("\n".join([c.message, *(s.label or "" for s in c.spans)]))
        if missing is not None:  # `&f64` implements `Div<f64>` too: only the type at stake counts
            pairs = [(o, t) for o, t in pairs if short_type(o) == short_type(missing.group(2))]
            if not pairs:  # the list is of other types' impls (`usize` where `i32` indexes): no claim
                return None
        owners = {short_type(o) for o, _ in pairs}
        if not pairs or len(owners) != 1:
            return None
        owner = owners.pop()
        base = _args(short_type(pairs[0][1]), owner)[0]
        have = sorted({_args(short_type(t), owner)[1] for _, t in pairs}, key=lambda a: (a != owner, a))
        if missing is None or _args(short_type(missing.group(1)), owner)[0] != base:
            return f"rustc lists the `{base}` impls `{owner}` has: for {_join(have)}."
        want = _args(short_type(missing.group(1)), owner)[1]
        if any(_GENERIC.search(h) for h in have):  # `[T]` covers `[f32]`: a "not for" would be false
            return f"rustc lists the `{base}` impls `{owner}` has: for {_join(have)}."
        only = "" if _MORE.search(c.message) else " only"  # "and 12 others": the list is cut
        return f"`{owner}` implements `{base}` for {_join(have)}{only}, not for `{want}`."
    return None


def _code(s: Span) -> str:
    """The program's text under a span (its first line's highlighted part)."""
    if not s.text:
        return ""
    ln = s.text[0]
    return ln.text[ln.highlight_start - 1 : ln.highlight_end - 1].strip()


class ChainStep(NamedTuple):
    """One labelled span of rustc's method-chain note: "`Iterator::Item` changed to `X` here"."""

    span: Span
    assoc: str  # `Iterator::Item`
    kind: str  # is, remains, changed to
    type: str
    code: str


def chain_steps(d: Diagnostic, within: tuple[tuple[int, int], ...] | None = None) -> list[ChainStep]:
    """The steps of the chain that reaches rustc's primary span, in source order.

    rustc's note follows a local back to its `let`, so it can show two chains in one note (`hits`
    built by one chain, then `hits.iter().map(..)` collected by another). The general mistake this
    prevents is splicing them: "is `(&String, &Vec<usize>)` from `iter()` and changes to `&&String`"
    where no step makes that change. A chain starts at rustc's "is `X` here" label, so the steps
    kept are those before the primary span, walked back to the nearest start. `within` (byte ranges
    of the failing call's receiver chain, from the syntax layer) narrows them further when known."""
    note = next((c for c in d.children if c.message.startswith(_CHAIN_NOTE)), None)
    prim = d.primary
    if note is None or prim is None:
        return []
    steps: list[ChainStep] = []
    for s in note.spans:
        m = _ITEM.match(s.label or "")
        if m is None or not (code := _code(s)) or s.file_name != prim.file_name:
            continue
        if s.byte_start >= prim.byte_start:
            continue
        if within is not None and not any(lo <= s.byte_start and s.byte_end <= hi for lo, hi in within):
            continue
        steps.append(ChainStep(s, m.group(1), m.group(2), short_type(m.group(3)), code))
    steps.sort(key=lambda st: st.span.byte_start)
    starts = [i for i, st in enumerate(steps) if st.kind == "is"]
    return steps[starts[-1] :] if starts else []


def chain(d: Diagnostic) -> str | None:
    """rustc's method-chain note read along the chain that reaches the flagged call (`chain_steps`):
    where the item type is set, where it last changes, and so what reaches the call rustc flags."""
    steps = chain_steps(d)
    if not steps:
        return None
    start = steps[0]
    changes = [s for s in steps[1:] if s.kind == "changed to"]
    stays = [s for s in steps[1:] if s.kind == "remains"]
    text = f"Along the chain, `{start.assoc}` is `{start.type}` from `{start.code}`"
    if changes:
        last = changes[-1]
        text += f" and changes to `{last.type}` at `{last.code}`"
        final = last.type
    else:
        final = start.type
        if stays:
            text += f" and stays `{final}` through {_join([s.code for s in stays])}"
    prim = d.primary
    target = _code(prim) if prim is not None else ""
    return text + (f"; `{target}` receives `{final}` items." if target else ".")


def format_args(d: Diagnostic) -> str | None:
    """Placeholders paired with arguments, in order, as rustc underlines them; the rest named."""
    m = _ARG_COUNT.match(d.message)
    if not m:
        return None
    spans = [s for s in d.spans if in_user_crate(s.file_name)]
    holes = sorted((s for s in spans if s.is_primary), key=lambda s: s.byte_start)
    args = sorted((s for s in spans if not s.is_primary), key=lambda s: s.byte_start)
    holes_code, args_code = [_code(s) for s in holes], [_code(s) for s in args]
    if len(holes_code) != int(m.group(1)) or not all(holes_code) or not all(args_code):
        return None
    paired = [f"`{h}` takes `{a}`" for h, a in zip(holes_code, args_code, strict=False)]
    left = holes_code[len(args_code) :]
    if not left:
        return None
    return (
        ("In order, " + ", ".join(paired) + "; " if paired else "")
        + f"{_join(left)} {'has' if len(left) == 1 else 'have'} no argument. "
        "Either an argument is missing or a placeholder is one too many."
    )


def digest(diags: Iterable[Diagnostic]) -> Iterator[str]:
    """Rusta's sentences on what rustc's notes show only by their layout, one per kind, for the
    first diagnostic that has it."""
    seen: set[str] = set()
    for d in diags:
        for read in (impl_list, chain, format_args):
            if read.__name__ in seen:
                continue
            if (sentence := read(d)) is not None:
                seen.add(read.__name__)
                yield sentence
