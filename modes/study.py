"""Study mode: rustc's own text and a question first, then Rusta's layer, which adds to rustc and
never repeats it.

The question part carries everything rustc said (its rendered text, notes, underlines and helps),
so nothing rustc knew is lost. The reveal is what rustc does not say: where the problem starts when
that is elsewhere, the rule at stake, rustc's notes read as one sentence where only their layout
showed it (`engine.explain.notes`), the options with what each costs, the fixes, and references.
A sentence of Rusta's that restates one of rustc's notes is left out; so is a section left empty.
"""

from __future__ import annotations

import re

import msgspec

from engine.explain import notes
from engine.explain.evidence import kept_whole, sentences, writable
from engine.explain.types import Explanation
from modes.rendering import WIDTH, Line, _cap, _heading, _where, _wrap, diff_lines, fix_terms, rustc_lines
from modes.studytrim import facts_beside_list, passage_restates, references_line, relevant, states_invariant
from modes.types import SPECS, ModeSpec
from modes.verdicts import distinct
from toolbelt.diagnostics import primary_user_span

# the fallback invariant of a code with no rule of its own: it says nothing, so it is not shown
_NO_RULE = "The compiler's rule stated in the message."
# "2 errors, one cause: ", "3 places, one mistake: ": the grouping's prefix, said under Root cause
_GROUP_PREFIX = re.compile(r"^\d+ (?:errors, one cause|places, one mistake): ")
# "(src/main.rs:17)": where, not why; a summary that is rustc's headline plus a place adds nothing
_PLACE = re.compile(r"\s*\((?:at )?[\w./-]+\.rs:\d+(?::\d+)?\)")
_PROBE_TYPE = re.compile(r"^`(.+)` is `(.+)` at \S+ \(compiler probe\)$", re.S)


def study_question(e: Explanation, recall: str = "", *, with_rustc: bool = True) -> list[Line]:
    """What study mode shows before the reveal: rustc's words, whole, and a question. `recall` is
    what the memory says about this user meeting the code before ("Third E0502 this week: ...")."""
    lines = [_heading(e)]
    if recall:
        lines.append(Line(recall, "yellow"))
    if with_rustc:
        lines.extend(rustc_lines(e, same_twice=False))  # the story's list names the other places
    if e.title and e.title != e.message:
        lines.append(Line(f"{e.code or 'rustc'}: {e.title}.", "bold"))
    if e.prompt:
        lines.append(Line(""))
        lines.append(Line(e.prompt, "bold cyan"))
    return lines


def _root(e: Explanation, width: int) -> list[Line]:
    at = _where(e.root_cause)
    elsewhere = (e.root_cause.file, e.root_cause.line) != (e.primary.file, e.primary.line)
    if not elsewhere and e.root_cause_reason.startswith("rustc's primary span"):
        tool = "clippy" if (e.code or "").startswith("clippy::") else "rustc"  # a lint's span is clippy's
        if _marks_elsewhere(e):  # a label on another line is rustc's too: never claim nothing points there
            return [Line(f"Root cause: {at}, where {tool} points.", "bold")]
        return [Line(f"Root cause: {at}, where {tool} points; none of its notes points elsewhere.", "bold")]
    label = f" ({e.root_cause.label})" if e.root_cause.label else ""
    return [Line(f"Root cause: {at}{label}.", "bold"), *_wrap(_cap(e.root_cause_reason) + ".", width=width)]


def _marks_elsewhere(e: Explanation) -> bool:
    """Whether any of rustc's labelled spans, or any span of a note or help, is off the primary line."""
    here = (e.primary.file, e.primary.line)

    def off(d, child: bool) -> bool:
        return any(
            (child or (sp.label and not sp.is_primary)) and (sp.file_name, sp.line_start) != here
            for sp in d.spans
        ) or any(off(c, True) for c in d.children)

    return any(off(d, False) for d in e.diagnostics)


def why_text(e: Explanation) -> str:
    """Rusta's reading of rustc's notes, then her own reasons, without a sentence rustc already said."""
    rustc = notes.rustc_texts(e.diagnostics)
    said = list(notes.digest(e.diagnostics))
    for para in e.why.split("\n\n"):
        parts = sentences(" ".join(para.split()))
        said.extend(kept_whole(parts, [not notes.restates(s, rustc) for s in parts]))
    summary = _GROUP_PREFIX.sub("", e.summary.splitlines()[0]) if e.summary else ""
    if not said and summary and not notes.restates(_PLACE.sub("", summary), rustc):
        said.append(summary)
    return " ".join(said)


def new_facts(e: Explanation) -> list[str]:
    """The facts rustc's text does not already state: the compiler probe's types (not the ones no
    program can write, nor a whole closure body), and what Rusta worked out about the story."""
    rustc = notes.rustc_texts(e.diagnostics)
    out: list[str] = []
    for f in e.facts:
        m = _PROBE_TYPE.match(f)
        if m and ("\n" in m.group(1) or not writable(m.group(2))):
            continue
        if not m and notes.restates(f, rustc):
            continue
        out.append(" ".join(f.split()) if m else f)
    return out


def _options(e: Explanation, width: int) -> list[Line]:
    lines = [Line(""), Line("Options", "bold")]
    for i, o in enumerate(e.options, 1):
        if not o.how:  # nothing to do but what the name says: name and trade-off in one entry
            lines.extend(_wrap(f"{i}. {o.name}. Trade-off: {o.tradeoff}", "  ", width=width))
            continue
        lines.append(Line(f"  {i}. {o.name}"))
        lines.extend(_wrap(o.how, "     ", width=width))
        if o.tradeoff:
            lines.extend(_wrap(f"Trade-off: {o.tradeoff}", "     ", width=width))
    return lines


def story_list(e: Explanation) -> list[str]:
    """The story's diagnostics, one line per place in the user's code: a span inside a std or
    external macro (`vec![...]`) is shown at the macro call, as rustc's own text shows it, and the
    same message at the same line is said once with its count. Empty when nothing has a message."""
    counts: dict[str, int] = {}
    for d in e.diagnostics:
        if not d.message.strip():
            continue
        p = primary_user_span(d)
        item = f"{f'{p.file_name}:{p.line_start}' if p else '?'}: {d.message}"
        counts[item] = counts.get(item, 0) + 1
    return [item if n == 1 else f"{item} (x{n})" for item, n in counts.items()]


class Shown:
    """What the earlier stories of one `rusta explain` run said, section by section: a later story whose
    invariant, why, `--explain` passage, options or references are the same words points at the story
    that said them, in one line, instead of saying them again. `n` is the story being rendered."""

    def __init__(self) -> None:
        self.at: dict[tuple, int] = {}
        self.n = 0

    def said(self, key: tuple, what: str, repeats: dict[int, list[str]]) -> bool:
        """Whether `key` was said by an earlier story (then `what` is listed under its number)."""
        first = self.at.setdefault(key, self.n)
        if first == self.n:
            return False
        repeats.setdefault(first, []).append(what)
        return True


def _as_in(repeats: dict[int, list[str]], width: int) -> list[Line]:
    if not repeats:
        return []
    said = " ".join(
        f"As in #{n}: {', '.join(parts[:-1]) + ' and ' if len(parts) > 1 else ''}{parts[-1]}."
        for n, parts in sorted(repeats.items())
    )
    return [Line(""), *_wrap(said, width=width)]


def study_answer(
    e: Explanation, spec: ModeSpec = SPECS["study"], width: int = WIDTH, shown: Shown | None = None
) -> list[Line]:
    """The reveal: root cause, invariant, why, new facts, the `--explain` passage, options, fixes,
    the story's diagnostics and references; with `shown`, a section an earlier story said word for
    word is one line that points there."""
    shown = shown or Shown()
    repeats: dict[int, list[str]] = {}
    lines = _root(e, width)
    head = len(lines)
    why = why_text(e)
    if (
        e.invariant
        and e.invariant != _NO_RULE
        and not states_invariant(e.invariant, why)
        and not shown.said(("inv", e.invariant), "the invariant", repeats)
    ):
        lines += [Line(""), Line("Invariant", "bold"), *_wrap(e.invariant, width=width)]
    if why and not shown.said(("why", why), "the why", repeats):
        lines += [Line(""), Line("Why", "bold"), *_wrap(why, width=width)]
    listed = story_list(e) if len(e.diagnostics) > 1 else []
    if spec.facts and (facts := facts_beside_list(new_facts(e), bool(listed))):
        lines += [Line(""), Line("Facts", "bold"), *(Line(f"  - {f}") for f in facts)]
    passage = bool(spec.explain_passage and e.explain_text and e.code) and not passage_restates(e)
    if passage and not shown.said(("explain", e.code, e.explain_text), "rustc --explain's passage", repeats):
        lines += [Line(""), Line(f"`rustc --explain {e.code}` says:", "bold")]
        lines.extend(Line("  > " + ln.text.lstrip(), "italic") for ln in _wrap(e.explain_text, width=width))
    opts = tuple((o.name, o.how, o.tradeoff) for o in e.options)
    names = "; ".join(o.name for o in e.options)
    if e.options and not shown.said(("options", opts), f"the options ({names})", repeats):
        lines += _options(e, width)
    kept = relevant(e, passage_shown=passage)
    refs = tuple(r.target for r in kept)
    if spec.references and refs and shown.said(("refs", refs), "the references", repeats):
        refs = ()
    lines[head:head] = _as_in(repeats, width)
    if spec.patch_diff and e.fixes:
        for f in distinct(e.fixes):
            lines += [
                Line(""),
                Line(f"Fix: {_cap(f.name)} ({fix_terms(f, e.code)})", "bold"),
                *diff_lines(f.patch),
            ]
    if listed:
        lines += [Line(""), Line(f"One story, {len(e.diagnostics)} diagnostics:", "bold")]
        lines.extend(Line(f"  - {item}") for item in listed)
    if spec.references and refs:
        lines += [Line(""), Line(references_line(kept))]
    return lines


class StudyPane:
    """Study mode as `rusta explain --mode study` prints it, the question, a rule and the reveal, laid
    out for the width it is given: the app's Explain bubble. rustc's quoted text and the fixes' diffs
    are left out, since the app's Code and Patch panes show them beside it; the question stays on top,
    and the reveal is a scroll away, as it is an Enter away on the terminal."""

    def __init__(self, e: Explanation) -> None:
        self.explanation = e

    def lines(self, width: int) -> list[Line]:
        spec = msgspec.structs.replace(SPECS["study"], patch_diff=False)
        return [
            *study_question(self.explanation, with_rustc=False),
            Line("-" * min(40, width), "dim"),
            *study_answer(self.explanation, spec, width=width),
        ]

    def __rich_console__(self, console, options):  # noqa: ANN001, ANN204 - rich protocol
        from rich.text import Text

        for ln in self.lines(max(20, options.max_width - 1)):
            yield Text(ln.text, style=ln.style or "", overflow="fold")
